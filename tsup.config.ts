import { readdirSync } from "node:fs";
import { posix, resolve } from "node:path";
import { defineConfig, type Options } from "tsup";

type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];

/** The library's public entries (each gets a `.d.ts`), as named in package.json `exports`. */
const entries = {
  index: "src/index.ts", // the `default` condition: the core, no runtime adapter
  core: "src/core.ts",
  node: "src/node.ts",
  deno: "src/deno.ts",
  bun: "src/bun.ts",
  workerd: "src/workerd.ts",
  testing: "src/testing.ts",
};

/** The npm `bin`: Node's process glue around the portable CLI in src/cli/ (first line `#!/usr/bin/env node`). */
const BIN = "src/runtime/node/cli.ts";
/** The CLI's Deno and Bun glue run from the sources (JSR, a clone); the npm package does not need them. */
const NOT_FOR_NPM = new Set([BIN, "src/runtime/deno/cli.ts", "src/runtime/bun/cli.ts"]);

/** Every module under src/ (not ambient `.d.ts` files), by output name: `token/client` → `src/token/client.ts`. */
function modules(dir = "src"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(out, modules(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") && !NOT_FOR_NPM.has(path)) out[path.slice("src/".length, -".ts".length)] = path;
  }
  return out;
}

/** Output name → source; the bin is dist/cli.js. */
const entry: Record<string, string> = { ...modules(), cli: BIN };
/** Absolute source path → output path relative to dist/ (`token/client.js`). */
const outputs = new Map(Object.entries(entry).map(([name, source]) => [resolve(source), `${name}.js`]));

/**
 * One output module per source module: relative imports stay imports (`./x.ts` → `./x.js`, made
 * relative to where each file lands in dist/), so dist/ has the same module graph as src/. That is
 * what lets an app's bundler drop what it does not use — a client-secret Worker carries no
 * certificate code, no jose and no pkijs — and keeps pkijs behind the dynamic
 * `import("./pkcs12.js")` of the PFX path. (Shared chunks from code splitting defeat that: they
 * mix the error classes with the certificate code, and a client-secret Worker bundled from them
 * weighed ~500 KB instead of ~18 KB.)
 */
const keepModules: EsbuildPlugin = {
  name: "keep-modules",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === "entry-point") return undefined;
      const from = outputs.get(resolve(args.importer));
      const to = outputs.get(resolve(args.resolveDir, args.path));
      if (!from || !to) return { errors: [{ text: `keep-modules: ${args.path} (from ${args.importer}) is not a module under src/ named with its .ts extension` }] };
      const path = posix.relative(posix.dirname(from), to);
      return { path: path.startsWith(".") ? path : `./${path}`, external: true };
    });
  },
};

// ESM only. jose, pkijs and asn1js are dependencies, so they stay imports; node:* and
// cloudflare:* are the runtimes' own.
export default defineConfig({
  entry,
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  bundle: true,
  esbuildPlugins: [keepModules],
  dts: { entry: entries },
  splitting: false,
  treeshake: false,
  sourcemap: false,
  clean: true,
  minify: false,
  external: [/^node:/, /^cloudflare:/],
  // Keep `node:fs/promises` as written: Deno needs the prefix, and it says what the import is.
  removeNodeProtocol: false,
});
