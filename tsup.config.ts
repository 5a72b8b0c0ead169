import { defineConfig } from "tsup";

// ESM only, one file per entry, shared chunks for the core; pkijs and jose stay external
// (dependencies), so bundlers can drop what an app does not use.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    core: "src/core.ts",
    deno: "src/deno.ts",
    testing: "src/testing.ts",
  },
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: true,
  splitting: true,
  treeshake: true,
  sourcemap: false,
  clean: true,
  minify: false,
  external: [/^node:/],
});
