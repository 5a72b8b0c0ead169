/**
 * Builds the library the way tsup.config.ts does (ESM, es2022, platform neutral, splitting, the
 * dependencies jose/asn1js/pkijs left external and resolved from node_modules like an install),
 * for the Node and Bun child processes and the import-time probe. The output goes to
 * node_modules/.cache/entra-edge-bench (not dist/, which `npm run build` owns), so package
 * resolution of the dependencies works as it would for an installed copy.
 */
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface BuiltLibrary {
  dir: string;
  /** file: URLs of the per-runtime entries. */
  node: string;
  bun: string;
  core: string;
}

/**
 * The child process script for Node, bundled to plain JavaScript (packages stay external): Node
 * children then run without tsx, whose module hooks would add a cost to every module a library
 * loads (unfair to libraries made of hundreds of modules).
 */
export async function buildChild(root: string): Promise<string> {
  const outfile = join(root, "node_modules/.cache/entra-edge-bench/child.mjs");
  await build({
    entryPoints: [join(root, "bench/child.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "error",
  });
  return outfile;
}

export async function buildLibrary(root: string): Promise<BuiltLibrary> {
  const dir = join(root, "node_modules/.cache/entra-edge-bench/dist");
  rmSync(dir, { recursive: true, force: true });
  await build({
    entryPoints: { node: join(root, "src/node.ts"), bun: join(root, "src/bun.ts"), core: join(root, "src/core.ts") },
    outdir: dir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    packages: "external",
    external: ["node:*"],
    outExtension: { ".js": ".js" },
    logLevel: "error",
  });
  return {
    dir,
    node: pathToFileURL(join(dir, "node.js")).href,
    bun: pathToFileURL(join(dir, "bun.js")).href,
    core: pathToFileURL(join(dir, "core.js")).href,
  };
}
