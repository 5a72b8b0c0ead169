/**
 * The emulator's serve helper for Deno (`Deno.serve`).
 *
 * Deno's server gives a handler no socket to destroy, so a drop answers with a body stream that
 * errors at once: Deno then aborts the connection mid-response. The client's `fetch(...)` may
 * resolve with the status line, but reading the body rejects (`fetch(...).then((r) => r.text())`
 * rejects either way).
 *
 * The handler's signal fires only when `close()` is called: Deno's `request.signal` cannot be
 * observed without opting into its legacy "aborts on successful responses" mode (and a warning on
 * stderr). So a `hang` whose client gave up stays pending — holding no timer or socket — until
 * `close()` ends it.
 *
 * @module
 */
import type { EmulatorHandler } from "../../testing/handler.ts";
import { fetchHandler, listenError, listenSettings, served, type ServedEmulator, type ServeOptions } from "../serve.ts";
import type { DenoNamespace } from "./globals.d.ts";

declare const Deno: DenoNamespace;

/**
 * Serves `handler` with `Deno.serve` on `hostname:port` (default `127.0.0.1:0`, a free port).
 *
 * @example
 * ```ts
 * const served = await serveDeno(emulator.handle, { port: 0 });
 * await served.close();
 * ```
 */
export async function serveDeno(handler: EmulatorHandler, options: ServeOptions = {}): Promise<ServedEmulator> {
  const { hostname, port, limit, inflight } = listenSettings(options);
  let server: ReturnType<typeof Deno.serve>;
  try {
    server = Deno.serve(
    {
      hostname,
      port,
      ...(options.tls ? { cert: options.tls.cert, key: options.tls.key } : {}),
      onListen() {},
      onError: () => new Response("emulator: internal error", { status: 500 }),
    },
    // A fresh Request: deriving one from `incoming` (or observing `incoming.signal`) opts into
    // Deno's legacy "signal aborts on successful responses" mode, which prints a warning.
    fetchHandler(handler, limit, inflight, (_incoming, own) => own),
    );
  } catch (error) {
    throw listenError(error, hostname, port);
  }
  return served(hostname, server.addr.port, inflight, () => server.shutdown(), !!options.tls);
}
