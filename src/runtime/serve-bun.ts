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
import { DROP, type EmulatorHandler } from "../testing/handler.ts";
import { baseUrl, type ServedEmulator, type ServeOptions } from "./serve.ts";

interface BunServer {
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}

declare const Bun: {
  serve(options: {
    hostname?: string;
    port?: number;
    fetch: (request: Request) => Response | Promise<Response>;
    error?: (error: unknown) => Response | Promise<Response>;
  }): BunServer;
};

/** A response whose body errors immediately (with `undefined`, which Bun does not log). */
function dropResponse(): Response {
  return new Response(new ReadableStream({ start: (c) => c.error(undefined) }), { status: 200 });
}

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
        return new Response(`emulator: ${error instanceof Error ? error.message : String(error)}`, { status: 500 });
      } finally {
        inflight.delete(controller);
      }
    },
  });
  const port = server.port;
  let closing: Promise<void> | undefined;
  return {
    url: baseUrl(hostname, port),
    port,
    close() {
      closing ??= (async () => {
        for (const controller of inflight) controller.abort(new DOMException("The emulator was closed", "AbortError"));
        await server.stop(true);
      })();
      return closing;
    },
  };
}
