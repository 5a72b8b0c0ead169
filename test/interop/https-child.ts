/**
 * Runs in a child process on Node, Deno or Bun (test/tooling/emulator-https.test.ts starts it with
 * the test CA trusted from start-up: NODE_EXTRA_CA_CERTS or DENO_CERT): serves the emulator with
 * `serveEmulator(emulator, { tls })`, gets tokens over HTTPS with the runtime's entra-edge entry
 * and its own fetch, and checks what a client of an HTTPS emulator depends on. Prints one line per
 * check and `RESULT {"passed","failed"}`.
 *
 *   NODE_EXTRA_CA_CERTS=ca.pem TLS_CERT_FILE=server.pem TLS_KEY_FILE=server.key node --import tsx test/interop/https-child.ts
 */
import { readFile } from "node:fs/promises";
import { EntraEmulator, serveEmulator } from "../../src/testing.ts";

declare const Deno: { env: { get(name: string): string | undefined }; exit(code: number): never } | undefined;
declare const Bun: unknown;
declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const runtime = typeof Deno !== "undefined" ? "deno" : typeof Bun !== "undefined" ? "bun" : "node";
const env = (name: string) => (typeof Deno !== "undefined" ? Deno.env.get(name) : process.env[name]);
const lib = (runtime === "deno" ? await import("../../src/deno.ts") : runtime === "bun" ? await import("../../src/bun.ts") : await import("../../src/node.ts")) as typeof import("../../src/node.ts");

let passed = 0;
let failed = 0;
async function check(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    passed++;
    console.log(`✓ [${runtime}] ${name}`);
  } catch (e) {
    failed++;
    console.log(`✗ [${runtime}] ${name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}
function expect(condition: unknown, message: string): void {
  if (!condition) throw new Error(message);
}

const tls = { cert: await readFile(env("TLS_CERT_FILE")!, "utf8"), key: await readFile(env("TLS_KEY_FILE")!, "utf8") };
const emulator = new EntraEmulator();
emulator.addApp({ tenantId: "contoso", clientId: "app", secrets: ["https-secret-value"] });
const served = await serveEmulator(emulator, { tls });

await check("served.url is https://127.0.0.1:<port>", async () => {
  expect(/^https:\/\/127\.0\.0\.1:\d+$/.test(served.url), served.url);
});
await check("a ClientSecretCredential gets a token over HTTPS (the runtime trusts the test CA)", async () => {
  const token = await new lib.ClientSecretCredential("contoso", "app", "https-secret-value", { authorityHost: served.url }).getToken("https://graph.microsoft.com/.default");
  expect((await emulator.verifyAccessToken(token.token)).appid === "app", "token verifies");
});
await check("the discovery documents carry the https origin", async () => {
  const config = (await (await fetch(`${served.url}/contoso/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
  expect(config.token_endpoint === `${served.url}/contoso/oauth2/v2.0/token`, config.token_endpoint!);
  expect(config.issuer === `${served.url}/contoso/v2.0`, config.issuer!);
  const instance = (await (await fetch(`${served.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(config.authorization_endpoint!)}`)).json()) as { tenant_discovery_endpoint: string; metadata: { aliases: string[] }[] };
  expect(instance.tenant_discovery_endpoint === `${served.url}/contoso/v2.0/.well-known/openid-configuration`, instance.tenant_discovery_endpoint);
  expect(instance.metadata[0]!.aliases[0] === new URL(served.url).host, JSON.stringify(instance.metadata));
  expect(emulator.issuerUrl("k8s") === `${served.url}/issuer/k8s`, emulator.issuerUrl("k8s"));
});
await check("a body over 9 MiB gets 413 from the serve helper, before the handler", async () => {
  const before = emulator.requests().length;
  const response = await fetch(`${served.url}/contoso/oauth2/v2.0/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=" + "x".repeat(10 << 20) });
  expect(response.status === 413, `status ${response.status}`);
  await response.body?.cancel();
  expect(emulator.requests().length === before, "the handler never saw it");
});
await check("a second server on the same port rejects with code EADDRINUSE", async () => {
  const error = await serveEmulator(new EntraEmulator(), { port: served.port, tls }).then(
    (s) => s.close().then(() => undefined),
    (e: unknown) => e,
  );
  expect((error as { code?: string })?.code === "EADDRINUSE", `got ${String(error)}`);
  expect(/127\.0\.0\.1:\d+ is already in use/.test(String((error as Error).message)), String((error as Error)?.message));
});
await served.close();
console.log(`RESULT ${JSON.stringify({ passed, failed })}`);
(typeof Deno !== "undefined" ? Deno.exit : process.exit)(failed ? 1 : 0);
