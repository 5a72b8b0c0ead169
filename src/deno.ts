/**
 * entra-edge for Deno and Deno Deploy.
 *
 * @module
 */
export * from "./core.ts";
