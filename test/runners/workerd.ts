/**
 * The Worker that runs the portable suite inside workerd (bundled by esbuild, run by Miniflare
 * without nodejs_compat). It streams one line per test; the emulator is served by the host on
 * 127.0.0.1 and controlled over HTTP.
 */
import { connectEmulator } from "../../src/testing/remote.ts";
import { reportUnhandledRejection, run, type FuzzSettings } from "../harness.ts";
import * as lib from "../../src/workerd.ts";
import { memoryTokenCache, workersKvTokenCache, type KVNamespaceLike } from "../../src/core.ts";
import "../suite.ts";

addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  reportUnhandledRejection(e.reason);
});

export default {
  async fetch(request: Request, env: { TOKEN_CACHE: KVNamespaceLike }): Promise<Response> {
    const { emulatorUrl, closedUrl, filter, fuzz } = (await request.json()) as { emulatorUrl: string; closedUrl: string; filter?: string; fuzz?: FuzzSettings };
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    const write = (line: string) => writer.write(encoder.encode(line + "\n")).catch(() => {});
    (async () => {
      try {
        const result = await run(
          {
            runtime: "workerd",
            lib,
            emulator: connectEmulator(emulatorUrl),
            emulatorUrl,
            closedUrl,
            fuzz,
            // Miniflare's real KV implementation
            tokenStores: { memory: memoryTokenCache(), "workers-kv": workersKvTokenCache(env.TOKEN_CACHE) },
          },
          { filter, print: write },
        );
        await write(`RESULT ${JSON.stringify({ passed: result.passed, failed: result.failed })}`);
      } catch (e) {
        await write(`✗ [workerd] the suite crashed: ${e instanceof Error ? e.stack : String(e)}`);
        await write(`RESULT ${JSON.stringify({ passed: 0, failed: 1 })}`);
      } finally {
        await writer.close().catch(() => {});
      }
    })();
    return new Response(readable, { headers: { "content-type": "text/plain; charset=utf-8" } });
  },
};
