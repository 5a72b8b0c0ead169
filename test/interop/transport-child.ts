/**
 * Runs in a child process on Node, Deno or Bun (test/tooling/transports.test.ts starts it): serves
 * the emulator over HTTPS (`serveEmulator(emulator, { tls })`, the test CA trusted through
 * NODE_EXTRA_CA_CERTS or DENO_CERT — or not at all for `untrusted`) and gets a token with the
 * transport README "Proxies and custom transports" shows for `TRANSPORT`, through the proxy at
 * `PROXY_URL`:
 *
 * - `undici`: Node, `fetch` of undici with a `ProxyAgent` dispatcher
 * - `env`: Node's own env proxy (`NODE_USE_ENV_PROXY=1` + `HTTPS_PROXY`, set by the parent), the global fetch
 * - `deno`: `Deno.createHttpClient({ proxy })`
 * - `bun`: Bun's `fetch(url, { proxy })`
 * - `http-client`: an Azure Core pipeline (`createDefaultHttpClient()` + `proxyPolicy`) as `httpClient`
 * - `untrusted`: no proxy and no CA: the TLS failure must name its cause and not be retried
 *
 * Prints `RESULT {"ok", "detail", "attempts"}`.
 */
import { readFile } from "node:fs/promises";
import { EntraEmulator, serveEmulator } from "../../src/testing.ts";

declare const Deno: { env: { get(name: string): string | undefined }; createHttpClient(options: { proxy: { url: string } }): unknown } | undefined;
declare const Bun: unknown;
declare const process: { env: Record<string, string | undefined> };

const runtime = typeof Deno !== "undefined" ? "deno" : typeof Bun !== "undefined" ? "bun" : "node";
const env = (name: string) => (typeof Deno !== "undefined" ? Deno.env.get(name) : process.env[name]);
const lib = (runtime === "deno" ? await import("../../src/deno.ts") : runtime === "bun" ? await import("../../src/bun.ts") : await import("../../src/node.ts")) as typeof import("../../src/node.ts");
type Options = import("../../src/types.ts").CredentialOptions;

const tls = { cert: await readFile(env("TLS_CERT_FILE")!, "utf8"), key: await readFile(env("TLS_KEY_FILE")!, "utf8") };
const emulator = new EntraEmulator();
emulator.addApp({ tenantId: "contoso", clientId: "app", secrets: ["proxy-secret-value"] });
const served = await serveEmulator(emulator, { tls });
const proxy = env("PROXY_URL")!;
const transport = env("TRANSPORT")!;

async function options(): Promise<Options> {
  switch (transport) {
    case "undici": {
      // README: Node — undici's fetch with a ProxyAgent
      const { fetch, ProxyAgent } = await import("undici");
      const dispatcher = new ProxyAgent(proxy);
      return { fetch: (url, init) => fetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response> };
    }
    case "deno": {
      // README: Deno — an HTTP client with a proxy
      const client = Deno!.createHttpClient({ proxy: { url: proxy } });
      return { fetch: (url, init) => fetch(url, { ...init, client } as RequestInit) };
    }
    case "bun":
      // README: Bun — fetch's proxy option
      return { fetch: (url, init) => fetch(url, { ...init, proxy } as RequestInit) };
    case "http-client": {
      // README: any runtime with @azure/core-rest-pipeline — a pipeline with its proxy policy
      const { createDefaultHttpClient, createEmptyPipeline, proxyPolicy } = await import("@azure/core-rest-pipeline");
      const client = createDefaultHttpClient();
      const pipeline = createEmptyPipeline();
      const { hostname, port } = new URL(proxy);
      pipeline.addPolicy(proxyPolicy({ host: `http://${hostname}`, port: Number(port) }));
      // Azure's own HttpClient type: entra-edge's HttpClientLike accepts it as it is.
      const httpClient: import("@azure/core-rest-pipeline").HttpClient = { sendRequest: (request) => pipeline.sendRequest(client, request) };
      return { httpClient };
    }
    default:
      return {};
  }
}

let attempts = 0;
const result: { ok: boolean; detail: string; attempts: number; port: number; code?: string } = { ok: false, detail: "", attempts: 0, port: Number(new URL(served.url).port) };
try {
  const credential = new lib.ClientSecretCredential("contoso", "app", "proxy-secret-value", {
    authorityHost: served.url,
    retryOptions: { maxRetries: 2, retryDelayInMs: 10 },
    logger: (e) => void (e.event === "token.request" && attempts++),
    ...(await options()),
  });
  const token = await credential.getToken("https://graph.microsoft.com/.default");
  result.ok = (await emulator.verifyAccessToken(token.token)).appid === "app" && emulator.requests().length === 1;
  result.detail = `token verified; the emulator saw ${emulator.requests().length} request(s)`;
} catch (e) {
  result.detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  result.code = (e as { cause?: { code?: string } }).cause?.code;
}
result.attempts = attempts;
console.log(`RESULT ${JSON.stringify(result)}`);
await served.close();
if (typeof Deno !== "undefined") (Deno as unknown as { exit(code: number): never }).exit(0);
else if (typeof process !== "undefined") (process as unknown as { exit(code: number): never }).exit(0);
