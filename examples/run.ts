/**
 * Runs an example against the local Entra emulator and a small fake of Azure Resource Manager, in
 * one command:
 *
 *   node --import tsx examples/run.ts node|deno|bun|worker|porting     (npm run example -- node)
 *
 * It serves the emulator and the fake ARM on 127.0.0.1, registers an app (secret + certificate),
 * rebuilds dist/ if src/ changed since it was built (examples import "entra-edge" by name, which
 * resolves through package.json's exports to dist/; `npm install` builds it), runs the example with the
 * AZURE_* configuration pointing at the emulator, and prints its output. Exit code 0 when the
 * example listed the subscription.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { EntraEmulator, serveEmulator } from "../src/testing.ts";
import { serve } from "../src/runtime/serve.ts";
import { WORKER_BUILD } from "../test/support/worker-build.ts";
import { distIsStale } from "./ensure-dist.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;
export const SUBSCRIPTION = "Example subscription (emulated ARM)";

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** A Worker build made elsewhere (e.g. by wrangler) to run instead of bundling the example with esbuild. */
export interface WorkerBuild {
  /** The built module, run as it is. */
  scriptPath: string;
  /** The Miniflare class to run it with (one of the installed versions). */
  Miniflare: typeof Miniflare;
  compatibilityDate: string;
}

export async function runExample(name: string, worker?: WorkerBuild): Promise<{ code: number; output: string }> {
  if (distIsStale()) {
    const built = await run(process.execPath, [bin("tsup")], {});
    if (built.code !== 0) return built;
  }
  const emulator = new EntraEmulator();
  const tenantId = "examples-tenant";
  const clientId = "examples-client";
  const secret = "examples-secret-value";
  const certs = `${root}test/fixtures/certs`;
  emulator.addApp({ tenantId, clientId, secrets: [secret], certificates: [readFileSync(`${certs}/pfx-legacy.leaf.pem`, "utf8"), readFileSync(`${certs}/pfx-chain.leaf.pem`, "utf8"), readFileSync(`${certs}/pem-pkcs8.leaf.pem`, "utf8")] });
  const login = await serveEmulator(emulator);
  // A fake ARM: checks the bearer token with the emulator and lists one subscription.
  let armUrl = "";
  const arm = await serve(async (request: Request) => {
    const auth = request.headers.get("authorization") ?? "";
    const claims = await emulator.verifyAccessToken(auth.replace(/^Bearer /, "")).catch(() => undefined);
    if (!claims || claims.aud !== armUrl) return Response.json({ error: { code: "InvalidAuthenticationToken" } }, { status: 401 });
    if (!new URL(request.url).pathname.startsWith("/subscriptions")) return new Response("not found", { status: 404 });
    return Response.json({ value: [{ subscriptionId: "00000000-0000-0000-0000-0000000000aa", displayName: SUBSCRIPTION }] });
  });
  armUrl = arm.url;
  const common = { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId, AZURE_AUTHORITY_HOST: login.url, ARM_ENDPOINT: arm.url };
  try {
    switch (name) {
      case "node":
        return await run(process.execPath, ["examples/node/main.mjs"], { ...common, AZURE_CLIENT_SECRET: secret });
      case "porting":
        // The seed's example: a secret, a PEM and a PFX with its password, the authority as its full
        // URL (AZURE_AUTHORITY_HOST in the full-authority form, which the seed passes as is).
        return await run(process.execPath, ["examples/porting/seed.mjs"], {
          ...common,
          AZURE_AUTHORITY_HOST: `${login.url.replace(/\/+$/, "")}/${tenantId}`,
          AZURE_CLIENT_SECRET: secret,
          CERTIFICATE_PEM_PATH: `${certs}/pem-pkcs8.pem`,
          CERTIFICATE_PFX_PATH: `${certs}/pfx-legacy.pfx`,
          CERTIFICATE_PFX_PASSWORD: "Fixture-P@ss1",
        });
      case "deno":
        return await run(bin("deno"), ["run", "--config", "examples/deno/deno.json", "--allow-env", "--allow-net=127.0.0.1", "examples/deno/main.ts"], {
          ...common,
          AZURE_CLIENT_CERTIFICATE: readFileSync(`${certs}/pfx-legacy.pfx`).toString("base64"),
          AZURE_CLIENT_CERTIFICATE_PASSWORD: "Fixture-P@ss1",
        });
      case "bun":
        return await run(bin("bun"), ["examples/bun/main.ts"], {
          ...common,
          AZURE_CLIENT_CERTIFICATE_PATH: `${certs}/pfx-chain.pfx`,
          AZURE_CLIENT_CERTIFICATE_PASSWORD: "Fixture-P@ss1",
        });
      case "worker": {
        const code = worker
          ? { scriptPath: worker.scriptPath }
          : { script: (await build({ ...WORKER_BUILD, entryPoints: [`${root}examples/worker/src/index.ts`] })).outputFiles[0]!.text };
        const mf = new (worker?.Miniflare ?? Miniflare)({
          modules: true,
          ...code,
          compatibilityDate: worker?.compatibilityDate ?? "2026-05-01",
          kvNamespaces: ["TOKEN_CACHE"],
          bindings: {
            ...common,
            AZURE_CLIENT_CERTIFICATE: readFileSync(`${certs}/pfx-legacy.pfx`).toString("base64"),
            AZURE_CLIENT_CERTIFICATE_PASSWORD: "Fixture-P@ss1",
          },
        });
        try {
          const first = await mf.dispatchFetch("http://example.local/");
          const text = await first.text();
          const second = await mf.dispatchFetch("http://example.local/");
          const text2 = await second.text();
          const tokenRequests = emulator.requests().length;
          return { code: first.ok && second.ok ? 0 : 1, output: `${first.status} ${text}\n${second.status} ${text2}\ntoken requests: ${tokenRequests}\n` };
        } finally {
          await mf.dispose();
        }
      }
      default:
        return { code: 2, output: `unknown example "${name}": use node, deno, bun, worker or porting\n` };
    }
  } finally {
    await arm.close();
    await login.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2] ?? "";
  const { code, output } = await runExample(name);
  process.stdout.write(output);
  process.exit(code);
}
