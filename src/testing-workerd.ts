/**
 * `entra-edge/testing` inside Cloudflare Workers (the `workerd` export condition): the emulator
 * and its control client, without the serve helpers (a Worker cannot listen on a port, and they
 * need node:http / Deno.serve / Bun.serve). Use the handler as the credential's transport.
 *
 * @example
 * ```ts
 * import { EntraEmulator } from "entra-edge/testing";
 * import { ClientSecretCredential } from "entra-edge";
 *
 * const emulator = new EntraEmulator();
 * emulator.addApp({ tenantId: "t1", clientId: "app1", secrets: ["s3cret"] });
 * const credential = new ClientSecretCredential("t1", "app1", "s3cret", {
 *   fetch: (url, init) => emulator.fetch(new Request(url, init)),
 * });
 * ```
 *
 * @module
 */
import type { EntraEmulator } from "./testing/emulator.ts";
import type { ServedEmulator, ServeEmulatorOptions } from "./testing.ts";

export * from "./testing/api.ts";
export type { ServedEmulator, ServeEmulatorOptions } from "./testing.ts";

/**
 * Not available in a Worker: rejects with an explanation (use `emulator.fetch` as the transport).
 *
 * @example
 * ```ts
 * import { ClientSecretCredential } from "entra-edge";
 * import { serveEmulator } from "entra-edge/testing";
 *
 * await serveEmulator(emulator).catch((e: Error) => console.log(e.message)); // "serveEmulator: a Worker cannot listen on a port. …"
 * const credential = new ClientSecretCredential("t1", "app1", "s3cret", { fetch: (url, init) => emulator.fetch(new Request(url, init)) });
 * ```
 */
export function serveEmulator(_emulator: EntraEmulator, _options?: ServeEmulatorOptions): Promise<ServedEmulator> {
  return Promise.reject(
    new Error("serveEmulator: a Worker cannot listen on a port. Pass the handler as the transport instead: { fetch: (url, init) => emulator.fetch(new Request(url, init)) }."),
  );
}
