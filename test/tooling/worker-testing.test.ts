/**
 * `entra-edge/testing` inside a Worker: the `workerd` condition resolves to an entry without the
 * serve helpers (no node:http), so a Worker bundles it without nodejs_compat and can use the
 * emulator as its credential's transport. Uses the built package (by name, through self-reference).
 */
import { WORKER_BUILD } from "../support/worker-build.ts";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { equal, ok } from "../assert.ts";
import { test } from "../harness.ts";

test("testing entry: a Worker bundles entra-edge/testing without nodejs_compat and gets a token from emulator.fetch", async (t) => {
  const bundle = await build({
    ...WORKER_BUILD,
    stdin: {
      contents: `
        import { EntraEmulator, serveEmulator } from "entra-edge/testing";
        import { ClientSecretCredential } from "entra-edge";
        export default {
          async fetch() {
            const emulator = new EntraEmulator();
            emulator.addApp({ tenantId: "t-worker", clientId: "c-worker", secrets: ["s-worker-secret"] });
            const credential = new ClientSecretCredential("t-worker", "c-worker", "s-worker-secret", {
              fetch: (url, init) => emulator.fetch(new Request(url, init)),
            });
            const token = await credential.getToken("https://graph.microsoft.com/.default");
            const claims = await emulator.verifyAccessToken(token.token);
            const serve = await serveEmulator(emulator).then(() => "served", (e) => e.message);
            return Response.json({ aud: claims.aud, serve });
          },
        };`,
      resolveDir: t.root!,
      loader: "ts",
    },
  });
  const script = bundle.outputFiles[0]!.text;
  ok(!/node:http/.test(script), "no node:http in the Worker bundle");
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2026-05-01" });
  try {
    const res = await mf.dispatchFetch("http://worker.local/");
    const body = (await res.json()) as { aud: string; serve: string };
    equal(body.aud, "https://graph.microsoft.com");
    ok(/cannot listen on a port/.test(body.serve), body.serve);
  } finally {
    await mf.dispose();
  }
}, { timeoutMs: 60_000 });
