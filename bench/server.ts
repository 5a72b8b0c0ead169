/**
 * The Entra emulator (src/testing) served over HTTPS with the test CA, in the orchestrator
 * process, so the measured child processes are pure clients. Besides the emulator's own request
 * log (token requests), every HTTP request is counted by kind, which shows the peers' discovery
 * requests too.
 */
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DROP, EntraEmulator } from "../src/testing.ts";
import type { TestTls } from "./tls.ts";

export type RequestKind = "token" | "openid-configuration" | "instance-discovery" | "other";

export interface BenchServer {
  url: string;
  emulator: EntraEmulator;
  /** HTTP requests by kind since the last `resetCounts()`. */
  counts(): Record<RequestKind, number>;
  resetCounts(): void;
  close(): Promise<void>;
}

function kindOf(path: string): RequestKind {
  if (/\/oauth2\/v2\.0\/token\/?$/i.test(path)) return "token";
  if (/\/\.well-known\/openid-configuration\/?$/i.test(path)) return "openid-configuration";
  if (/\/discovery\/instance\/?$/i.test(path)) return "instance-discovery";
  return "other";
}

async function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

export async function startServer(tls: TestTls): Promise<BenchServer> {
  const emulator = new EntraEmulator();
  const zero = (): Record<RequestKind, number> => ({ token: 0, "openid-configuration": 0, "instance-discovery": 0, other: 0 });
  let counts = zero();
  let origin = "";

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    counts[kindOf(url.pathname)]++;
    try {
      const headers = new Headers();
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      const body = await readBody(req);
      const result = await emulator.handle(new Request(url, { method: req.method ?? "GET", headers, body: body as Uint8Array<ArrayBuffer> | undefined }));
      if (result === DROP) {
        req.socket.destroy();
        return;
      }
      const outgoing: Record<string, string> = {};
      result.headers.forEach((value, name) => {
        outgoing[name] = value;
      });
      const bytes = new Uint8Array(await result.arrayBuffer());
      outgoing["content-length"] = String(bytes.length);
      res.writeHead(result.status, outgoing);
      res.end(bytes);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`bench server: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const server: Server = createServer({ key: tls.key, cert: tls.cert, keepAliveTimeout: 30_000 }, (req, res) => void respond(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  origin = `https://127.0.0.1:${port}`;
  return {
    url: origin,
    emulator,
    counts: () => ({ ...counts }),
    resetCounts: () => {
      counts = zero();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
