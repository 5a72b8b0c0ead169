import { build } from "esbuild";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
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
 * certificate code, no jose and no asn1js — and keeps asn1js behind the dynamic
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

/**
 * What the `node` and `bun` conditions get: one bundled module per runtime entry (dist/node.js,
 * dist/bun.js) with the core in chunks they share, and lazy chunks for what loads later — jose
 * with the first certificate assertion, the PKCS#12 path (asn1js and its dependencies, pkcs12.ts)
 * with the first PFX, and only for the files that need them the legacy ciphers and noble's
 * SHA-384/512 (a MAC made with `-macalg sha384/sha512`). Node then loads 4 files at import instead
 * of 30 modules (about 7 ms instead of 23 ms), and the PFX path as one chunk of about 120 KB
 * (about 6.5 ms to load; with pkijs it was 797 KB and 21–26 ms). `dist/bundled/core.js` is `entra-edge/core` for the same conditions,
 * from the same build, so `entra-edge` and `entra-edge/core` share one copy of every class
 * (`instanceof` holds across them).
 *
 * Deno keeps the module-per-module dist/deno.js: it caches compiled npm code, so bundling saved
 * about 1 ms there, not worth a second copy of the classes beside `entra-edge/core`. Bundlers
 * that target Workers or browsers (`workerd`, `browser`, `default`) keep the module-per-module
 * dist/ too and drop what an app does not use.
 *
 * Whitespace-minified, nothing else: no identifier is renamed, so stack traces, class names and
 * the bench's profile categories keep every function's name; parsing the comments and
 * indentation was CPU every process paid (measured in fresh processes, Node 20/22/24: import
 * 0.3–0.9 ms less, a first PEM token 0.6–2 ms less). Each file starts with the list of the
 * modules bundled into it (`// src/…`, `// node_modules/<package>/…`, one a line), as esbuild
 * writes them when it does not minify: bench/layout.ts and the tooling tests read the packages
 * inside each file from them. The bundled packages' licences go to dist/bundled/LICENSES.md.
 */
async function buildRuntimeBundles(): Promise<void> {
  const result = await build({
    entryPoints: { node: "src/node.ts", bun: "src/bun.ts", "bundled/core": "src/core.ts" },
    outdir: "dist",
    chunkNames: "bundled/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    external: ["node:*", "cloudflare:*"],
    minifyWhitespace: true,
    legalComments: "eof",
    metafile: true,
    logLevel: "warning",
  });
  for (const [out, { inputs }] of Object.entries(result.metafile.outputs)) {
    if (!out.endsWith(".js")) continue;
    const list = Object.keys(inputs).map((i) => `// ${i}\n`).join("");
    const header = list ? `// Bundled by esbuild (whitespace minified, names kept) from:\n${list}` : "// Bundled by esbuild (whitespace minified, names kept): re-exports of the chunks it imports.\n";
    writeFileSync(out, `${header}${readFileSync(out, "utf8")}`);
  }
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) packages.add(m[1]!);
  }
  const sections = [...packages].sort().map((name) => {
    const dir = `node_modules/${name}`;
    const { version, license } = JSON.parse(readFileSync(`${dir}/package.json`, "utf8")) as { version: string; license?: string };
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (!file) throw new Error(`bundled package ${name} has no LICENSE file to ship with its code`);
    return `## ${name} ${version} (${license ?? "see below"})\n\n\`\`\`\n${readFileSync(`${dir}/${file}`, "utf8").trim()}\n\`\`\`\n`;
  });
  writeFileSync("dist/bundled/LICENSES.md", `# Licences of the packages bundled into dist/node.js, dist/bun.js and dist/bundled/\n\n${sections.join("\n")}`);
}

// ESM only. jose, asn1js and @noble/hashes are dependencies, so they stay imports; node:* and
// cloudflare:* are the runtimes' own.
export default defineConfig({
  entry,
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  bundle: true,
  esbuildPlugins: [keepModules],
  // The declarations name WebCrypto's CryptoKey and JsonWebKey, which a project compiling for Node
  // without the DOM lib (lib: ["es2022"], @types/node) may not have: empty global interfaces merge
  // with the real ones where they exist and stand in where they do not.
  dts: { entry: entries, footer: "declare global {\n  interface CryptoKey {}\n  interface JsonWebKey {}\n}" },
  splitting: false,
  treeshake: false,
  sourcemap: false,
  clean: true,
  minify: false,
  external: [/^node:/, /^cloudflare:/],
  // Keep `node:fs/promises` as written: Deno needs the prefix, and it says what the import is.
  removeNodeProtocol: false,
  // Replaces the module-per-module dist/node.js and dist/bun.js (nothing imports them).
  onSuccess: buildRuntimeBundles,
});
