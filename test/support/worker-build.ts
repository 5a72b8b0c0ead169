/**
 * esbuild options that bundle code the way a Worker is deployed: ESM, the `workerd` export
 * conditions, `cloudflare:*` left to the runtime. Used by every test (and the examples runner)
 * that builds a Worker for Miniflare.
 */
import type { BuildOptions } from "esbuild";

export const WORKER_BUILD = {
  bundle: true,
  write: false,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["cloudflare:*"],
  logLevel: "error",
} satisfies BuildOptions;
