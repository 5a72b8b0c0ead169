/** The package version, sent as `x-client-VER` (a test checks it equals package.json's). */
export const VERSION = "0.1.0";

/** The SKU name sent as `x-client-SKU`. */
export const SKU = "entra-edge";
