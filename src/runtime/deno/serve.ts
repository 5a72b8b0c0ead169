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
import { DROP, type EmulatorHandler } from "../../testing/handler.ts";
import { bodyTooLarge, dropResponse, handlerFailed, listenError, MAX_BODY_BYTES, readLimited, served, type ServedEmulator, type ServeOptions } from "../serve.ts";
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
  const hostname = options.hostname ?? "127.0.0.1";
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const inflight = new Set<AbortController>();
  const port = options.port ?? 0;
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
    async (incoming) => {
      const controller = new AbortController();
      inflight.add(controller);
      try {
        // A fresh Request: deriving one from `incoming` (or observing `incoming.signal`) opts into
        // Deno's legacy "signal aborts on successful responses" mode, which prints a warning.
        const body = incoming.method === "GET" || incoming.method === "HEAD" ? null : await readLimited(incoming.body, limit);
        if (body === undefined) return bodyTooLarge(limit);
        const request = new Request(incoming.url, { method: incoming.method, headers: incoming.headers, body: body as Uint8Array<ArrayBuffer> | null, signal: controller.signal });
        const result = await handler(request);
        return result === DROP ? dropResponse() : result;
      } catch (error) {
        if (controller.signal.aborted) return dropResponse();
        return handlerFailed(error);
      } finally {
        inflight.delete(controller);
      }
    },
    );
  } catch (error) {
    throw listenError(error, hostname, port);
  }
  return served(hostname, server.addr.port, inflight, () => server.shutdown(), !!options.tls);
}
