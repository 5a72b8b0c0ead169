/**
 * Serving the emulator's fetch handler on a local port, on whichever runtime this is. The
 * per-runtime helpers (`node/serve.ts`, `deno/serve.ts`, `bun/serve.ts`) are imported on demand
 * and share the pieces below: the base URL, the answer that cuts a connection, the answer to a
 * handler that threw, and a `close()` that aborts hung handlers before stopping the server.
 *
 * @module
 */
import { concat } from "../lib/bytes.ts";
import { readChunks } from "../lib/stream.ts";
import { DROP, type EmulatorHandler } from "../testing/handler.ts";

/**
 * A handler listening on a port.
 *
 * @example
 * ```ts
 * import { serveEmulator, type ServedEmulator } from "entra-edge/testing";
 *
 * const served: ServedEmulator = await serveEmulator(emulator);
 * const authorityHost = served.url; // http://127.0.0.1:PORT
 * await served.close();
 * ```
 */
export interface ServedEmulator {
  /** Base URL, e.g. `http://127.0.0.1:54321` (use it as `authorityHost`). */
  url: string;
  /** The port it listens on (the free one picked when `port` was 0). */
  port: number;
  /** Stops listening, ends open connections and aborts hung requests. */
  close(): Promise<void>;
}

/**
 * Where to listen.
 *
 * @example
 * ```ts
 * await serve(emulator.handle, { hostname: "127.0.0.1", port: 0 });
 * ```
 */
export interface ServeOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  hostname?: string;
  /** Serve HTTPS with this certificate (PEM, the chain may follow the leaf) and its private key (PEM). */
  tls?: { cert: string; key: string };
  /** Request bodies longer than this get a 413 before the handler sees them (default 9 MiB). */
  maxBodyBytes?: number;
}

/** The default {@link ServeOptions.maxBodyBytes}: above the emulator's own limits (8 MiB control, 256 KiB token). */
const MAX_BODY_BYTES = 9 << 20;

/**
 * `http://host:port` (`https://` when `secure`), with brackets around IPv6 literals.
 *
 * @example
 * ```ts
 * baseUrl("::1", 8080); // "http://[::1]:8080"
 * baseUrl("127.0.0.1", 8443, true); // "https://127.0.0.1:8443"
 * ```
 */
export function baseUrl(hostname: string, port: number, secure = false): string {
  return `${secure ? "https" : "http"}://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
}

/**
 * {@link ServeOptions} with their defaults, and the set of requests in flight that `close()` aborts.
 *
 * @example
 * ```ts
 * const { hostname, port, limit, inflight } = listenSettings({ port: 0 });
 * ```
 */
export function listenSettings(options: ServeOptions): { hostname: string; port: number; limit: number; inflight: Set<AbortController> } {
  return { hostname: options.hostname ?? "127.0.0.1", port: options.port ?? 0, limit: options.maxBodyBytes ?? MAX_BODY_BYTES, inflight: new Set() };
}

/** The answer to a request body over the limit (sent before the handler runs). */
export function bodyTooLarge(limit: number): Response {
  return new Response(JSON.stringify({ error: "invalid_request", error_description: `emulator: the request body is larger than ${limit} bytes` }), {
    status: 413,
    headers: { "content-type": "application/json; charset=utf-8", connection: "close" },
  });
}

/**
 * Reads a request body stream up to `limit` bytes; `undefined` when it is longer (the stream is
 * cancelled). The runtime servers hand the handler a buffered body, so nothing reads past it.
 */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!body) return new Uint8Array(0);
  const chunks = await readChunks(body, limit);
  return chunks && concat(chunks);
}

/**
 * Listening failed: an address in use becomes an `Error` with `code: "EADDRINUSE"` on every runtime
 * (Node's own code, Deno's `AddrInUse`, Bun's), with `hostname:port` in the message.
 *
 * @example
 * ```ts
 * try { Deno.serve(...) } catch (e) { throw listenError(e, hostname, port); }
 * ```
 */
export function listenError(error: unknown, hostname: string, port: number): unknown {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  const inUse = e?.code === "EADDRINUSE" || e?.name === "AddrInUse" || /address already in use|EADDRINUSE/i.test(String(e?.message ?? ""));
  if (!inUse) return error;
  return Object.assign(new Error(`${hostname}:${port} is already in use (another emulator, or another program, listens there)`, { cause: error }), { code: "EADDRINUSE" });
}

/** A response whose body errors at once: Deno and Bun then cut the connection (a `drop` fault). */
function dropResponse(): Response {
  // `undefined` as the error: Bun does not log it.
  return new Response(new ReadableStream({ start: (c) => c.error(undefined) }), { status: 200 });
}

/** The answer to a handler that threw (not a fault the emulator meant). */
function handlerFailed(error: unknown): Response {
  return new Response(`emulator: ${error instanceof Error ? error.message : String(error)}`, { status: 500 });
}

/**
 * The per-request part the Fetch-style servers (Deno, Bun) share: the body read up to `limit`
 * (a 413 past it), a fresh `Request` carrying `signalOf(incoming, own)`, the handler's answer (a
 * drop cuts the connection), and the request tracked in `inflight` so `close()` can abort it.
 *
 * @example
 * ```ts
 * Deno.serve(options, fetchHandler(handler, limit, inflight, (_incoming, own) => own));
 * ```
 */
export function fetchHandler(
  handler: EmulatorHandler,
  limit: number,
  inflight: Set<AbortController>,
  signalOf: (incoming: Request, own: AbortSignal) => AbortSignal,
): (incoming: Request) => Promise<Response> {
  return async (incoming) => {
    const controller = new AbortController();
    inflight.add(controller);
    const signal = signalOf(incoming, controller.signal);
    try {
      const body = incoming.method === "GET" || incoming.method === "HEAD" ? null : await readLimited(incoming.body, limit);
      if (body === undefined) return bodyTooLarge(limit);
      const result = await handler(new Request(incoming.url, { method: incoming.method, headers: incoming.headers, body, signal }));
      return result === DROP ? dropResponse() : result;
    } catch (error) {
      return signal.aborted ? dropResponse() : handlerFailed(error);
    } finally {
      inflight.delete(controller);
    }
  };
}

/**
 * The served emulator: `close()` (once, however often it is called) first aborts the handlers still
 * running — hung ones end — then stops the server with `stop`.
 *
 * @example
 * ```ts
 * return served(hostname, server.port, inflight, () => server.stop(true));
 * ```
 */
export function served(hostname: string, port: number, inflight: ReadonlySet<AbortController>, stop: () => Promise<void> | void, secure = false): ServedEmulator {
  let closing: Promise<void> | undefined;
  return {
    url: baseUrl(hostname, port, secure),
    port,
    close() {
      closing ??= (async () => {
        for (const controller of inflight) controller.abort(new DOMException("The emulator was closed", "AbortError"));
        await stop();
      })();
      return closing;
    },
  };
}

/**
 * Serves `handler` on `hostname:port` with the runtime's HTTP server (Deno, Bun or Node). A
 * handler result of `DROP` closes the connection without an answer.
 *
 * @example
 * ```ts
 * const served = await serve(emulator.handle, { port: 0 });
 * console.log(served.url);
 * await served.close();
 * ```
 */
export async function serve(handler: EmulatorHandler, options: ServeOptions = {}): Promise<ServedEmulator> {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  if ("Deno" in globalThis) return (await import("./deno/serve.ts")).serveDeno(handler, options);
  if ("Bun" in globalThis) return (await import("./bun/serve.ts")).serveBun(handler, options);
  if (g.process?.versions?.node) return (await import("./node/serve.ts")).serveNode(handler, options);
  throw new Error(
    "entra-edge/testing: this runtime cannot listen on a port (a Cloudflare Worker cannot); call emulator.fetch(request) directly, or pass `fetch: emulator.fetch` to the credential.",
  );
}
