/**
 * The emulator's serve helper for Bun (`Bun.serve`).
 *
 * A drop answers with a body stream that errors at once; Bun then closes the connection before
 * sending anything, so the client's `fetch` rejects (ECONNRESET). Hung handlers end when the
 * client disconnects (`request.signal`) or `close()` aborts them; `close()` also stops the server
 * with its active connections.
 *
 * @module
 */
import { DROP, type EmulatorHandler } from "../../testing/handler.ts";
import { dropResponse, handlerFailed, served, type ServedEmulator, type ServeOptions } from "../serve.ts";
import type { BunGlobal } from "./globals.d.ts";

declare const Bun: BunGlobal;

/**
 * Serves `handler` with `Bun.serve` on `hostname:port` (default `127.0.0.1:0`, a free port).
 *
 * @example
 * ```ts
 * const served = await serveBun(emulator.handle, { port: 0 });
 * await served.close();
 * ```
 */
export async function serveBun(handler: EmulatorHandler, options: ServeOptions = {}): Promise<ServedEmulator> {
  const hostname = options.hostname ?? "127.0.0.1";
  const inflight = new Set<AbortController>();
  const server = Bun.serve({
    hostname,
    port: options.port ?? 0,
    error: () => new Response("emulator: internal error", { status: 500 }),
    async fetch(incoming) {
      const controller = new AbortController();
      inflight.add(controller);
      try {
        const request = new Request(incoming, { signal: AbortSignal.any([incoming.signal, controller.signal]) });
        const result = await handler(request);
        return result === DROP ? dropResponse() : result;
      } catch (error) {
        if (controller.signal.aborted || incoming.signal.aborted) return dropResponse();
        return handlerFailed(error);
      } finally {
        inflight.delete(controller);
      }
    },
  });
  return served(hostname, server.port, inflight, () => server.stop(true));
}
