/**
 * The package version, sent as `x-client-VER` (a test checks it equals package.json's).
 *
 * @example
 * ```ts
 * import { VERSION } from "entra-edge";
 *
 * console.log(`entra-edge ${VERSION}`); // entra-edge 0.1.0
 * ```
 */
export const VERSION = "0.1.0";

/** The SKU name sent as `x-client-SKU`. */
export const SKU = "entra-edge";
