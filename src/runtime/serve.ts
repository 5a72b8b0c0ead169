/**
 * Serving the emulator's fetch handler on a local port, on whichever runtime this is. The
 * per-runtime helpers live next to this file and are imported on demand.
 *
 * @module
 */
import type { EmulatorHandler } from "../testing/handler.ts";

/**
 * A handler listening on a port.
 *
 * @example
 * ```ts
 * const served: ServedEmulator = await serveEmulator(emulator);
 * const authorityHost = served.url; // http://127.0.0.1:PORT
 * await served.close();
 * ```
 */
export interface ServedEmulator {
  /** Base URL, e.g. `http://127.0.0.1:54321` (use it as `authorityHost`). */
  url: string;
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
}

/**
 * `http://host:port`, with brackets around IPv6 literals.
 *
 * @example
 * ```ts
 * baseUrl("::1", 8080); // "http://[::1]:8080"
 * ```
 */
export function baseUrl(hostname: string, port: number): string {
  return `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
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
  if ("Deno" in globalThis) return (await import("./serve-deno.ts")).serveDeno(handler, options);
  if ("Bun" in globalThis) return (await import("./serve-bun.ts")).serveBun(handler, options);
  if (g.process?.versions?.node) return (await import("./serve-node.ts")).serveNode(handler, options);
  throw new Error(
    "entra-edge/testing: this runtime cannot listen on a port (a Cloudflare Worker cannot); call emulator.fetch(request) directly, or pass `fetch: emulator.fetch` to the credential.",
  );
}
