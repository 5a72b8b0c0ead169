/**
 * The emulator's serve helper for Bun (`Bun.serve`).
 *
 * A drop answers with a body stream that errors at once; Bun then closes the connection before
 * sending anything, so the client's `fetch` rejects (ECONNRESET). Hung handlers end when the
 * client disconnects (`request.signal`) or `close()` aborts them; `close()` also stops the server
 * with its active connections. The body is read here, up to `maxBodyBytes` (413 past it), and the
 * handler gets a buffered copy: cancelling the body of a Request made from Bun's incoming one
 * never resolves (Bun 1.4), so nothing downstream may have to.
 *
 * @module
 */
import type { EmulatorHandler } from "../../testing/handler.ts";
import { fetchHandler, listenError, listenSettings, served, type ServedEmulator, type ServeOptions } from "../serve.ts";
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
  const { hostname, port, limit, inflight } = listenSettings(options);
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
    hostname,
    port,
    ...(options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key } } : {}),
    error: () => new Response("emulator: internal error", { status: 500 }),
    fetch: fetchHandler(handler, limit, inflight, (incoming, own) => AbortSignal.any([incoming.signal, own])),
    });
  } catch (error) {
    throw listenError(error, hostname, port);
  }
  return served(hostname, server.port, inflight, () => server.stop(true), !!options.tls);
}
