/**
 * The emulator's serve helper for Node (`node:http`, or `node:https` with `tls`).
 *
 * Drops destroy the socket, so the client's `fetch` rejects. Each request gets an `AbortSignal`
 * that fires when the client disconnects or the server closes, which ends hung handlers. A body
 * over `maxBodyBytes` is not kept: the rest is read and dropped (so the client can read the 413),
 * up to four times the limit, after which the connection is cut.
 *
 * The few `node:http` shapes used are declared in ./globals.d.ts: `src/testing.ts` reaches this
 * file through `../serve.ts`, and the core's type check runs without Node's types.
 *
 * @module
 */
import { concat } from "../../lib/bytes.ts";
import { DROP, type EmulatorHandler } from "../../testing/handler.ts";
import { baseUrl, bodyTooLarge, listenError, listenSettings, served, type ServedEmulator, type ServeOptions } from "../serve.ts";
import type { IncomingMessage, NodeHttp, NodeHttps, ServerResponse } from "./globals.d.ts";

const TOO_LARGE = Symbol("too large");

/** The body, {@link TOO_LARGE} past `limit` (read on, dropped, up to 4 × limit), or `undefined` for GET/HEAD. */
async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined | typeof TOO_LARGE> {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of req) {
    length += chunk.length;
    if (length > 4 * limit) {
      req.socket.destroy();
      return TOO_LARGE;
    }
    if (length <= limit) chunks.push(chunk);
  }
  return length > limit ? TOO_LARGE : concat(chunks);
}

async function writeBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.once("drain", done);
          res.once("close", done);
        });
      }
    }
    res.end();
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** Writes a fetch Response to Node's response. */
async function send(result: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const outgoing: Record<string, string> = {};
  result.headers.forEach((value, name) => {
    outgoing[name] = value;
  });
  res.writeHead(result.status, outgoing);
  if (result.body && req.method !== "HEAD") await writeBody(result.body, res);
  else res.end();
}

/**
 * Serves `handler` with `node:http` on `hostname:port` (default `127.0.0.1:0`, a free port).
 *
 * @example
 * ```ts
 * const served = await serveNode(emulator.handle, { port: 0 });
 * await served.close();
 * ```
 */
export async function serveNode(handler: EmulatorHandler, options: ServeOptions = {}): Promise<ServedEmulator> {
  const tls = options.tls;
  const http = tls
    ? // @ts-ignore -- Node's types are not loaded in the core's type check; the shapes used are in ./globals.d.ts
      ((await import("node:https")) as unknown as NodeHttps)
    : // @ts-ignore -- as above
      ((await import("node:http")) as unknown as NodeHttp);
  const settings = listenSettings(options);
  const { hostname, limit, inflight } = settings;
  let port = settings.port;

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    inflight.add(controller);
    res.on("close", () => {
      inflight.delete(controller);
      if (!res.writableFinished) controller.abort(new DOMException("The client disconnected", "AbortError"));
    });
    try {
      const url = new URL(req.url ?? "/", baseUrl(hostname, port, !!tls));
      const host = req.headers.host;
      if (typeof host === "string" && host) url.host = host;
      const headers = new Headers();
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      const body = await readBody(req, limit);
      if (body === TOO_LARGE) {
        if (!res.destroyed) await send(bodyTooLarge(limit), req, res);
        return;
      }
      const request = new Request(url, {
        method: req.method ?? "GET",
        headers,
        body: body as Uint8Array<ArrayBuffer> | undefined,
        signal: controller.signal,
      });
      const result = await handler(request);
      if (result === DROP) {
        req.socket.destroy();
        return;
      }
      await send(result, req, res);
    } catch (error) {
      if (controller.signal.aborted || res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`emulator: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => void respond(req, res);
  const server = tls ? (http as NodeHttps).createServer({ cert: tls.cert, key: tls.key }, listener) : (http as NodeHttp).createServer(listener);
  await new Promise<void>((resolve, reject) => {
    const failed = (error: unknown) => reject(listenError(error, hostname, port));
    server.once("error", failed);
    server.listen(port, hostname, () => {
      server.off("error", failed);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === "object" && address ? address.port : port;
  return served(
    hostname,
    port,
    inflight,
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    !!tls,
  );
}
