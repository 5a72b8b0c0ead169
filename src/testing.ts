/**
 * `entra-edge/testing`: a local Microsoft Entra ID emulator for tests, demos and benchmarks.
 *
 * @module
 */
import type { EntraEmulator } from "./testing/emulator.ts";
import { SERVED } from "./testing/handler.ts";
import { serve, type ServedEmulator } from "./runtime/serve.ts";

export * from "./testing/api.ts";
export type { ServedEmulator } from "./runtime/serve.ts";

/**
 * Where and how {@link serveEmulator} listens.
 *
 * @example
 * ```ts
 * import { createTlsCertificates, serveEmulator } from "entra-edge/testing";
 *
 * const served = await serveEmulator(emulator, { hostname: "127.0.0.1", port: 8787 });
 * const { ca, server } = await createTlsCertificates();
 * const secure = await serveEmulator(emulator, { tls: { cert: server.certificatePem, key: server.privateKeyPem } });
 * ```
 */
export interface ServeEmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  hostname?: string;
  /**
   * Serve HTTPS: the certificate (PEM; a chain may follow the leaf) and its private key (PEM).
   * Clients must trust the issuing CA (NODE_EXTRA_CA_CERTS, DENO_CERT, REQUESTS_CA_BUNDLE, …).
   */
  tls?: { cert: string; key: string };
  /** Request bodies longer than this get a 413 before the emulator sees them (default 9 MiB). */
  maxBodyBytes?: number;
}

/**
 * Serves an emulator over HTTP — or HTTPS with `tls` — on 127.0.0.1 (Node, Deno and Bun; a Worker
 * cannot listen on a port — call `emulator.fetch` there instead). `drop` faults close the
 * connection, `hang` faults end when the client gives up or the server is closed. The emulator
 * learns the URL (for `issuerUrl()`). A port in use rejects with an `Error` whose `code` is
 * `"EADDRINUSE"`, on every runtime.
 *
 * @example
 * ```ts
 * import { createTlsCertificates, EntraEmulator, serveEmulator } from "entra-edge/testing";
 * import { ClientSecretCredential } from "entra-edge";
 *
 * const emulator = new EntraEmulator();
 * emulator.addApp({ tenantId: "contoso", clientId: "app", secrets: ["s3cret"] });
 * const served = await serveEmulator(emulator);
 * try {
 *   const credential = new ClientSecretCredential("contoso", "app", "s3cret", { authorityHost: served.url });
 *   await credential.getToken("https://management.azure.com/.default");
 * } finally {
 *   await served.close();
 * }
 *
 * // HTTPS, for clients that demand it (MSAL, @azure/identity): trust `ca` in the client.
 * const { ca, server } = await createTlsCertificates();
 * const secure = await serveEmulator(emulator, { tls: { cert: server.certificatePem, key: server.privateKeyPem } });
 * ```
 */
export async function serveEmulator(emulator: EntraEmulator, options: ServeEmulatorOptions = {}): Promise<ServedEmulator> {
  const served = await serve(emulator.handle, options);
  emulator[SERVED](served.url);
  return served;
}
