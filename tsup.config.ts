import { build, type BuildOptions, type OnResolveArgs, type OnResolveResult } from "esbuild";
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
 * What the `node` and `bun` conditions get: ONE file at import — dist/node.js, every module of the
 * Node entry bundled into it — and lazy files for what loads later: jose with the first
 * certificate assertion, the PKCS#12 path (asn1js and its dependencies, pkcs12.ts; about 120 KB)
 * with the first PFX, and only for the files that need them the legacy ciphers and noble's
 * SHA-384/512 (a MAC made with `-macalg sha384/sha512`). Each file Node's module loader opens costs CPU of its own (about
 * 0.35 ms each, measured in fresh processes on Node 20/22/24): the import of dist/node.js plus 3
 * shared chunks took 1.3–1.9 ms more than the same code as one file. esbuild's code splitting
 * cannot give that — a module shared by the entry and a lazy file always goes to a chunk of its
 * own — so the layout is built in steps:
 *
 * 1. the Node entry's static module graph (`S`: src/node.ts and what it imports, the dynamic
 *    imports left out) and the targets of its dynamic imports (the lazy entries);
 * 2. the lazy files (`dist/bundled/<name>-<hash>.js`, split among themselves) and dist/bun.js,
 *    where every module of `S` they import is a re-export from dist/node.js instead of a copy;
 * 3. dist/node.js: src/node.ts, plus ONE more export, `$$internal`: an object holding the
 *    exports of those modules that the files of step 2 use, keyed `<module path>$<name>` (e.g.
 *    `certificate_der$decode`) — not in the declarations (dist/node.d.ts), and nothing else should
 *    use it (one name rather than one export per shared function, so an app's
 *    `Object.keys(await import("entra-edge"))` lists the API and one internal name) — and its
 *    dynamic imports pointed at the lazy files of step 2.
 *
 * One copy of every class: dist/bundled/core.js (`entra-edge/core` under the same conditions)
 * and dist/bun.js re-export the core's classes from dist/node.js, so `instanceof` holds across
 * `entra-edge` and `entra-edge/core`; importing either loads dist/node.js (dist/bun.js: 2 files).
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
/**
 * A fast path for @peculiar/utils's `toUint8Array`, in what the `node` and `bun` conditions get
 * (the PKCS#12 file, where asn1js calls it for every element it decodes and `uint.decode` for
 * every long length). The original first asks `assertBufferSource` — `Object.prototype.toString`
 * twice to rule out an ArrayBuffer and a SharedArrayBuffer, then `ArrayBuffer.isView` — and then
 * `isArrayBufferLike` again: four `toString` calls for the Uint8Arrays it is always given. V8
 * compiled these helpers into large code in the middle of a process's first repeat parses (Node 22
 * `--trace-opt`: toUint8Array, isBufferSource, assertBufferSource 25 ms of TurboFan in parses 3 to
 * 17), and they were 8 % of a warm parse's samples. The fast path reads a view's
 * `Symbol.toStringTag` once: `Object.prototype.toString` gives `[object ArrayBuffer]` for a view
 * exactly when that tag is the string "ArrayBuffer" (a view's built-in tag is "Object"), so for a
 * view whose tag is neither "ArrayBuffer" nor "SharedArrayBuffer" (where that exists) the original
 * returns `new Uint8Array(data.buffer, data.byteOffset, data.byteLength)` too; every other value
 * goes through the original code unchanged. Same results and errors for every input (the tooling
 * test "@peculiar/utils fast path" compares both on every kind of view, ArrayBuffer,
 * SharedArrayBuffer, another realm's, look-alikes and non-buffers); only how often a getter of
 * `Symbol.toStringTag` runs differs. The build fails if the text to patch is not found.
 */
export const BUFFER_SOURCE_FILE = /[\\/]node_modules[\\/]@peculiar[\\/]utils[\\/]build[\\/]bytes[\\/]buffer-source\.js$/;
export const BUFFER_SOURCE_ORIGINAL = `function toUint8Array(data) {
\tassertBufferSource(data);
\tif (isArrayBufferLike(data)) return new Uint8Array(data);
\treturn new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}`;
export const BUFFER_SOURCE_FAST = `function toUint8Array(data) {
\tif (ArrayBuffer.isView(data)) {
\t\tconst tag = data[Symbol.toStringTag];
\t\tif (tag !== "ArrayBuffer" && !(tag === "SharedArrayBuffer" && typeof SharedArrayBuffer !== "undefined")) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
\t}
\tassertBufferSource(data);
\tif (isArrayBufferLike(data)) return new Uint8Array(data);
\treturn new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}`;

/** buffer-source.js's text with the fast path; throws when the original function is not there exactly once. */
export function patchBufferSource(text: string): string {
  const parts = text.split(BUFFER_SOURCE_ORIGINAL);
  if (parts.length !== 2) {
    throw new Error(`@peculiar/utils fast path: toUint8Array in build/bytes/buffer-source.js is not the text tsup.config.ts patches (found ${parts.length - 1} times; was the package updated?): check the new code and update BUFFER_SOURCE_ORIGINAL / BUFFER_SOURCE_FAST`);
  }
  return parts.join(BUFFER_SOURCE_FAST);
}

/** The esbuild plugin applying {@link patchBufferSource}, and `patched()`: whether it did (the build checks it did). */
function fastBufferSource(): { plugin: EsbuildPlugin; patched(): boolean } {
  let done = false;
  return {
    patched: () => done,
    plugin: {
      name: "peculiar-fast-path",
      setup(b) {
        b.onLoad({ filter: BUFFER_SOURCE_FILE }, (args) => {
          try {
            const contents = patchBufferSource(readFileSync(args.path, "utf8"));
            done = true;
            return { contents, loader: "js" };
          } catch (e) {
            return { errors: [{ text: (e as Error).message }] };
          }
        });
      },
    },
  };
}

/** The one export of dist/node.js beyond src/node.ts's: what the files of step 2 and dist/bundled/core.js read from it. */
const INTERNAL = "$$internal";

async function buildRuntimeBundles(): Promise<void> {
  const common = {
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    minifyWhitespace: true,
    // Lines of at most ~200 characters: Node prints the source line of an uncaught error's throw
    // site, and one line per file printed 91 KB of code before the message (review 4, L9).
    lineLimit: 200,
    legalComments: "eof",
    metafile: true,
    logLevel: "warning",
  } satisfies BuildOptions;
  const runtimeModule = (path: string) => /^(node|cloudflare):/.test(path);
  const rel = (abs: string) => posix.relative(process.cwd(), abs);
  /** A plugin that leaves node:/cloudflare: external and hands each dynamic import's resolved target to `onTarget`. */
  const dynamicImports = (name: string, onTarget: (resolved: string, args: OnResolveArgs) => OnResolveResult): EsbuildPlugin => ({
    name,
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (runtimeModule(args.path)) return { path: args.path, external: true };
        if (args.kind !== "dynamic-import" || args.pluginData === name) return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: name });
        if (r.errors.length) return { errors: r.errors };
        return onTarget(r.path, args);
      });
    },
  });

  // 1. The static graph of src/node.ts, and its dynamic imports.
  const lazyEntries = new Map<string, string>(); // absolute path → output name
  const graph = await build({
    ...common,
    entryPoints: ["src/node.ts"],
    write: false,
    outdir: "dist",
    plugins: [
      dynamicImports("find-lazy", (resolved, args) => {
        lazyEntries.set(resolved, posix.basename(resolved).replace(/\.[jt]s$/, ""));
        return { path: args.path, external: true };
      }),
    ],
  });
  const shared = new Set(Object.keys(graph.metafile.inputs).filter((i) => i.startsWith("src/")).map((i) => resolve(i)));

  // The exports of each module of the graph: what a re-export of it from dist/node.js names.
  const exportsOf = new Map<string, string[]>();
  const listed = await build({ ...common, entryPoints: [...shared], outdir: "dist/.exports", splitting: true, write: false, external: ["*"], plugins: [] });
  for (const out of Object.values(listed.metafile.outputs)) if (out.entryPoint) exportsOf.set(resolve(out.entryPoint), out.exports);
  const hiddenName = (abs: string, name: string) => `${rel(abs).replace(/^src\//, "").replace(/\.ts$/, "").replace(/\W/g, "_")}$${name}`;

  /** Resolves every module of the graph, from the files of step 2, to a re-export from dist/node.js; notes which. */
  const needed = new Set<string>();
  const fromNode = (nodeJs: string): EsbuildPlugin => ({
    name: "from-node-js",
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (runtimeModule(args.path)) return { path: args.path, external: true };
        if (args.namespace === "from-node-js") return { path: args.path, external: true };
        if (args.pluginData === "from-node-js" || args.kind === "entry-point") return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: "from-node-js" });
        if (r.errors.length) return { errors: r.errors };
        // Not part of dist/node.js: resolved as usual (which keeps the package's sideEffects flag).
        if (!shared.has(r.path)) return undefined;
        if (args.kind === "dynamic-import") return { errors: [{ text: `${rel(r.path)} is imported dynamically from ${rel(args.importer)} but is part of dist/node.js` }] };
        needed.add(r.path);
        // One shim per importing module: a shim shared by two lazy files would be a chunk of its
        // own, one more file for Node's loader to open (~0.35 ms) on the path that loads both.
        return { path: `${r.path}?from=${args.importer}`, namespace: "from-node-js" };
      });
      b.onLoad({ filter: /.*/, namespace: "from-node-js" }, (args) => {
        const path = args.path.slice(0, args.path.indexOf("?from="));
        const names = exportsOf.get(path) ?? [];
        // One pure call per name: esbuild keeps only the names that are used (step 3 reads them back).
        return { contents: `import { ${INTERNAL} as internal } from ${JSON.stringify(nodeJs)};\nconst pick = (name) => internal[name];\n${names.map((n) => `export const ${n} = /* @__PURE__ */ pick(${JSON.stringify(hiddenName(path, n))});`).join("\n")}`, loader: "js" };
      });
    },
  });

  // 2. The lazy files (split among themselves), and dist/bun.js.
  const fast = fastBufferSource();
  const lazy = await build({
    ...common,
    entryPoints: Object.fromEntries([...lazyEntries].map(([path, name]) => [name, path])),
    outdir: "dist/bundled",
    entryNames: "[name]-[hash]",
    chunkNames: "[name]-[hash]",
    splitting: true,
    plugins: [fromNode("../node.js"), fast.plugin],
  });
  if (!fast.patched()) throw new Error("@peculiar/utils fast path: build/bytes/buffer-source.js was not part of the lazy files (did asn1js stop using @peculiar/utils?): check tsup.config.ts's fastBufferSource");
  const lazyOutputs = new Map<string, string>(); // absolute source → path from dist/
  for (const [out, o] of Object.entries(lazy.metafile.outputs)) if (o.entryPoint) lazyOutputs.set(resolve(o.entryPoint), posix.relative("dist", out));
  const bun = await build({ ...common, entryPoints: { bun: "src/bun.ts" }, outdir: "dist", plugins: [fromNode("./node.js")] });

  // 3. dist/node.js: src/node.ts and the internal re-exports, its dynamic imports pointed at the lazy files.
  const core = resolve("src/core.ts");
  needed.add(core);
  const coreNames = exportsOf.get(core)!;
  // Only the internal names the files of step 2 use (and dist/bundled/core.js's).
  const used = new Set(coreNames.map((n) => hiddenName(core, n)));
  for (const { outputs } of [lazy.metafile, bun.metafile]) {
    for (const out of Object.keys(outputs)) {
      // (lineLimit breaks long strings with a backslash-newline: joined again for the scan)
      const text = readFileSync(out, "utf8").replaceAll("\\\n", "");
      // esbuild renames the shims' `pick` (pick2, pick3, …) where several land in one file; a call
      // this scan missed would read a member dist/node.js does not have.
      const odd = /\bpick\d*\((?!\s*"\w+\$\w+"\s*\))/.exec(text);
      if (odd) throw new Error(`${out}: a read of dist/node.js's ${INTERNAL} that is not pick("<module>$<name>"): ${text.slice(odd.index, odd.index + 80)}`);
      for (const m of text.matchAll(/\bpick\d*\(\s*"(\w+\$\w+)"\s*\)/g)) used.add(m[1]!);
    }
  }
  const imports = [...needed].map((m, i) => `import { ${(exportsOf.get(m) ?? []).filter((n) => used.has(hiddenName(m, n))).map((n) => `${n} as m${i}$${n}`).join(", ")} } from ${JSON.stringify(m)};`);
  const members = [...needed].flatMap((m, i) => (exportsOf.get(m) ?? []).filter((n) => used.has(hiddenName(m, n))).map((n) => `${JSON.stringify(hiddenName(m, n))}: m${i}$${n}`));
  // A plain object literal, no call (not even Object.freeze): bundlers drop an unused literal, so an
  // app bundled for Node that never reads it keeps only what it uses (with a call, a secret-only
  // app bundled with esbuild grew from 9.3 to 66 KB gzip: every shared function was kept).
  // A read the scan found that no module of dist/node.js exports would be undefined at run time.
  const provided = new Set([...needed].flatMap((m) => (exportsOf.get(m) ?? []).map((n) => hiddenName(m, n))));
  const unknown = [...used].filter((n) => !provided.has(n));
  if (unknown.length) throw new Error(`the lazy files read ${unknown.join(", ")} from dist/node.js's ${INTERNAL}, which no module of it exports`);
  const reexports = [...imports, `export const ${INTERNAL} = { __proto__: null, ${members.join(", ")} };`];
  const node = await build({
    ...common,
    stdin: { contents: `export * from ${JSON.stringify(resolve("src/node.ts"))};\n${reexports.join("\n")}\n`, resolveDir: process.cwd(), sourcefile: "node-entry.js", loader: "js" },
    outfile: "dist/node.js",
    plugins: [
      dynamicImports("to-lazy-files", (resolved, args) => {
        const out = lazyOutputs.get(resolved);
        if (!out) return { errors: [{ text: `no lazy file for ${args.path} (from ${rel(args.importer)})` }] };
        return { path: `./${out}`, external: true };
      }),
    ],
  });
  writeFileSync("dist/bundled/core.js", `import { ${INTERNAL} as internal } from "../node.js";\n${coreNames.map((n) => `export const ${n} = internal[${JSON.stringify(hiddenName(core, n))}];`).join("\n")}\n`);

  const metafiles = [lazy.metafile, bun.metafile, node.metafile];
  for (const { outputs } of metafiles) {
    for (const [out, { inputs }] of Object.entries(outputs)) {
      if (!out.endsWith(".js")) continue;
      const list = Object.keys(inputs).filter((i) => /^(src|node_modules)\//.test(i)).map((i) => `// ${i}\n`).join("");
      const header = list ? `// Bundled by esbuild (whitespace minified, names kept) from:\n${list}` : "// Bundled by esbuild (whitespace minified, names kept): re-exports of dist/node.js.\n";
      writeFileSync(out, `${header}${readFileSync(out, "utf8")}`);
    }
  }
  writeFileSync("dist/bundled/core.js", `// Bundled by esbuild (whitespace minified, names kept): re-exports of dist/node.js.\n${readFileSync("dist/bundled/core.js", "utf8")}`);
  const packages = new Set<string>();
  for (const { inputs } of metafiles) {
    for (const input of Object.keys(inputs)) {
      const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) packages.add(m[1]!);
    }
  }
  const sections = [...packages].sort().map((name) => {
    const dir = `node_modules/${name}`;
    const { version, license } = JSON.parse(readFileSync(`${dir}/package.json`, "utf8")) as { version: string; license?: string };
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (!file) throw new Error(`bundled package ${name} has no LICENSE file to ship with its code`);
    const modified = name === "@peculiar/utils" ? "Modified: entra-edge's build adds a fast path for views to `toUint8Array` (build/bytes/buffer-source.js; same results, see entra-edge's tsup.config.ts); the rest is as published.\n\n" : "";
    return `## ${name} ${version} (${license ?? "see below"})\n\n${modified}\`\`\`\n${readFileSync(`${dir}/${file}`, "utf8").trim()}\n\`\`\`\n`;
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
