/**
 * The emulator's internal handler contract, shared with the serve helpers under `src/runtime/`.
 *
 * @module
 */

/**
 * Returned (instead of a `Response`) by {@link EmulatorHandler} when the connection must be dropped
 * without an answer. A registered symbol, so copies of this module in different bundles agree.
 *
 * @example
 * ```ts
 * import { DROP } from "entra-edge/testing";
 *
 * const result = await emulator.handle(new Request("http://127.0.0.1/contoso/oauth2/v2.0/token", { method: "POST" }));
 * if (result === DROP) console.log("close the connection without an answer");
 * ```
 */
export const DROP: unique symbol = Symbol.for("entra-edge.emulator.drop") as typeof DROP;

/**
 * The marker type of {@link DROP}.
 *
 * @example
 * ```ts
 * import type { Drop } from "entra-edge/testing";
 *
 * const result: Response | Drop = await emulator.handle(new Request("http://127.0.0.1/contoso/v2.0/.well-known/openid-configuration"));
 * ```
 */
export type Drop = typeof DROP;

/**
 * A fetch handler that may ask the server to drop the connection. Served handlers receive a
 * `Request` whose `signal` aborts when the server closes (and, on Node and Bun, when the client
 * disconnects).
 *
 * @example
 * ```ts
 * import type { EmulatorHandler } from "entra-edge/testing";
 *
 * const handler: EmulatorHandler = emulator.handle;
 * ```
 */
export type EmulatorHandler = (request: Request) => Promise<Response | Drop>;

/**
 * The method `serveEmulator()` calls on an emulator to tell it the URL it is served at (for its
 * issuer URLs). A registered symbol, like {@link DROP}.
 *
 * @example
 * ```ts
 * emulator[SERVED]("https://127.0.0.1:4000");
 * ```
 */
export const SERVED: unique symbol = Symbol.for("entra-edge.emulator.served") as typeof SERVED;

/**
 * The method the CLI's `entra-edge emulator` calls on an emulator, after {@link EntraEmulator.handle}
 * answered a request, for that request's own entry of the request log (a copy; undefined when it
 * was not a token request). A registered symbol, like {@link SERVED}.
 *
 * @example
 * ```ts
 * const result = await emulator.handle(request);
 * console.log(emulator[RECORD_OF](request)?.status);
 * ```
 */
export const RECORD_OF: unique symbol = Symbol.for("entra-edge.emulator.recordOf") as typeof RECORD_OF;
