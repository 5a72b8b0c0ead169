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
 * const result = await emulator.handle(request);
 * if (result === DROP) socket.destroy();
 * ```
 */
export const DROP: unique symbol = Symbol.for("entra-edge.emulator.drop") as typeof DROP;

/**
 * The marker type of {@link DROP}.
 *
 * @example
 * ```ts
 * const result: Response | Drop = await emulator.handle(request);
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
