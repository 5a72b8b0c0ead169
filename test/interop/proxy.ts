/**
 * A local HTTP CONNECT proxy (Node only; hosted by the tooling test) that lets the SDKs use the
 * services' real URLs: a tunnel to `<name>.vault.azure.net:443` ends at the Key Vault fake, one to
 * `management.azure.com:443` at the ARM fake; anything else is refused with 403, so nothing leaves
 * the machine. TLS runs end to end inside the tunnel (the fakes' certificate names those hosts), so
 * the SDK sees exactly what it would see in production, with the SDK's `proxyOptions` as the only
 * change.
 */
import { createServer, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";

export interface ConnectProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `host:port` of every CONNECT seen, in order (refused ones included). */
  tunnels(): string[];
  close(): Promise<void>;
}

/** Starts the proxy; `routes` maps a host-name test to the local port its tunnels end at. */
export async function startConnectProxy(routes: { match: (host: string) => boolean; port: number }[]): Promise<ConnectProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(405, { "content-type": "text/plain" });
    res.end("this proxy only tunnels (CONNECT)\n");
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    const target = req.url ?? "";
    seen.push(target);
    const m = /^([^:]+):(\d+)$/.exec(target);
    const route = m && m[2] === "443" ? routes.find((r) => r.match(m[1]!.toLowerCase())) : undefined;
    if (!route) {
      client.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const upstream = connect(route.port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    tunnels: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
