import { defineConfig } from "tsup";

/** The library's entries (each gets a `.d.ts`), as named in package.json `exports`. */
const library = {
  index: "src/index.ts", // the `default` condition: the core, no runtime adapter
  core: "src/core.ts",
  node: "src/node.ts",
  deno: "src/deno.ts",
  bun: "src/bun.ts",
  workerd: "src/workerd.ts",
  testing: "src/testing.ts",
};

// ESM only. Code splitting shares the core between the entries and keeps pkijs (and the legacy
// PKCS#12 ciphers) in chunks that load only through the PFX path's dynamic import. jose, pkijs and
// asn1js are dependencies, so they stay imports; node:* and cloudflare:* are the runtimes' own.
export default defineConfig({
  entry: {
    ...library,
    // The npm `bin`: Node's process glue around the portable CLI in src/cli/. Its first line is
    // `#!/usr/bin/env node`, which esbuild keeps.
    cli: "src/runtime/cli-node.ts",
  },
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: { entry: library },
  splitting: true,
  treeshake: true,
  sourcemap: false,
  clean: true,
  minify: false,
  external: [/^node:/, /^cloudflare:/],
  // Keep `node:fs/promises` as written: Deno needs the prefix, and it says what the import is.
  removeNodeProtocol: false,
});
