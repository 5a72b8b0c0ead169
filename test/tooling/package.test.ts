/**
 * Packaging gates: `npm run check:package` (build, publint --strict, attw), package.json and
 * deno.json export maps that agree with each other and with the build, and `deno publish
 * --dry-run` (JSR's checks, offline).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import process from "node:process";
import { equal, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";
import { floors, PINNED_NODE, satisfies } from "../runners/runtimes.ts";
import { markBuilt, run } from "./process.ts";
import { shaWasmModule, WASM_MODULES } from "../support/wasm.ts";

type Exports = Record<string, string | Record<string, string>>;

async function json(t: TestContext, file: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(`${t.root}/${file}`, "utf8"));
}

test("package: npm run check:package (build, publint --strict, attw --profile esm-only) passes", async (t) => {
  const r = await run("npm", ["run", "check:package"], { cwd: t.root!, timeoutMs: 240_000 });
  const output = `${r.stdout}\n${r.stderr}`;
  equal(r.code, 0, `check:package failed:\n${output}`);
  markBuilt();
  ok(/All good!/.test(output), `publint reports no problem:\n${output}`);
  // attw exits non-zero on any problem the profile does not ignore (esm-only: the package has no
  // CommonJS build, so node10 and require() resolutions are expected to fail).
  for (const entry of ["entra-edge", "entra-edge/node", "entra-edge/deno", "entra-edge/bun", "entra-edge/workerd", "entra-edge/core", "entra-edge/testing"]) {
    ok(output.includes(`"${entry}"`), `attw checked ${entry}:\n${output}`);
  }
  equal(output.match(/node16 \(from ESM\): 🟢 \(ESM\)/g)?.length, 7, `every entry resolves for Node ESM with types:\n${output}`);
  equal(output.match(/bundler: 🟢 \n/g)?.length, 7, `every entry resolves for bundlers with types:\n${output}`);
}, { timeoutMs: 240_000 });

test("package: package.json exports — types first, runtime conditions, explicit subpaths, files, bin", async (t) => {
  const pkg = await json(t, "package.json");
  const exports = pkg.exports as Exports;
  equal(pkg.type, "module");
  equal(pkg.sideEffects, false);
  equal(pkg.engines?.node, "^20.19.0 || >=22.12.0");
  const root = exports["."] as Record<string, string>;
  equal(Object.keys(root).join(","), "types,workerd,deno,bun,node,default", "conditions of '.' in resolution order");
  equal(root.workerd, "./dist/workerd.js");
  equal(root.deno, "./dist/deno.js");
  equal(root.bun, "./dist/bun.js");
  equal(root.node, "./dist/node.js");
  equal(root.default, "./dist/index.js");
  for (const sub of ["./node", "./deno", "./bun", "./workerd", "./core", "./testing"]) {
    const entry = exports[sub] as Record<string, string> | undefined;
    ok(entry, `package.json exports ${sub}`);
    equal(Object.keys(entry!)[0], "types", `${sub}: types first`);
    equal(entry!.default, `./dist/${sub.slice(2)}.js`, `${sub}: its own build`);
    equal(entry!.types, `./dist/${sub.slice(2)}.d.ts`, `${sub}: its own declarations`);
  }
  equal(exports["./package.json"], "./package.json");
  equal(pkg.bin?.["entra-edge"], "./dist/cli.js");
  equal([...pkg.files].sort().join(","), ["LICENSE", "README.md", "SECURITY.md", "dist", "src/README.md", "bench/RESULTS.md", "examples"].sort().join(","));
});

test("package: deno.json agrees with package.json (export keys, sources of the same entries, version, dependency versions)", async (t) => {
  const pkg = await json(t, "package.json");
  const deno = await json(t, "deno.json");
  const { default: config } = (await import(`${t.root}/tsup.config.ts`)) as { default: { entry: Record<string, string>; dts: { entry: Record<string, string> } } };
  equal(deno.version, pkg.version, "deno.json and package.json versions");
  const pkgExports = pkg.exports as Exports;
  const denoExports = deno.exports as Record<string, string>;
  for (const [key, source] of Object.entries(denoExports)) {
    const target = pkgExports[key];
    ok(target !== undefined, `deno.json export ${key} exists in package.json exports`);
    // Deno resolves "." through the `deno` condition; the subpaths have one build each.
    const file = typeof target === "string" ? target : (target!.deno ?? target!.default)!;
    const m = /^\.\/dist\/(.+)\.js$/.exec(file);
    ok(m, `package.json ${key} points into dist/: ${file}`);
    const built = config.entry[m![1]!];
    ok(built, `tsup builds ${file}`);
    equal(source, `./${built}`, `deno.json ${key} maps to the source of package.json's ${key} (${file})`);
    ok(config.dts.entry[m![1]!], `tsup emits declarations for ${file}`);
  }
  for (const key of Object.keys(pkgExports)) if (key !== "./package.json") ok(key in denoExports, `package.json export ${key} is published to JSR as well`);
  // JSR resolves the bare imports through deno.json's map: same versions as npm.
  const imports = deno.imports as Record<string, string>;
  for (const [name, version] of Object.entries(pkg.dependencies as Record<string, string>)) {
    const mapped = imports[name] ?? imports[`${name}/`];
    ok(mapped === `npm:${name}@${version}` || mapped === `npm:/${name}@${version}/`, `deno.json imports ${name} at ${version} (got ${mapped})`);
  }
  equal(config.entry["cli"], "src/runtime/node/cli.ts", "the bin (dist/cli.js) is built from the Node glue");
});

test("package: deno publish --dry-run (JSR checks: module graph, slow types) passes offline", async (t) => {
  const r = await run(`${t.root}/node_modules/.bin/deno`, ["publish", "--dry-run", "--allow-dirty"], { cwd: t.root!, timeoutMs: 180_000 });
  const output = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  equal(r.code, 0, `deno publish --dry-run failed:\n${output.slice(-4000)}`);
  ok(/Simulating publish of @entra-edge\/entra-edge@/.test(output), output.slice(-2000));
  ok(output.includes("/src/deno.ts") && output.includes("/LICENSE"), "sources and LICENSE are published");
  ok(!output.includes("/src/runtime/node/cli.ts"), "the npm bin's Node glue is not published to JSR");
}, { timeoutMs: 180_000 });

test("package: engines.node admits only Nodes every production dependency supports, and every Node npm test runs on", async (t) => {
  const pkg = await json(t, "package.json");
  const range = pkg.engines.node as string;
  // The production dependency tree as npm installed it (nested copies included).
  const ls = await run("npm", ["ls", "--omit=dev", "--all", "--parseable"], { cwd: t.root! });
  equal(ls.code, 0, ls.stderr);
  const dirs = ls.stdout.trim().split("\n").slice(1);
  ok(dirs.some((d) => d.endsWith("/node_modules/asn1js")), `npm ls lists asn1js:\n${ls.stdout}`);
  ok(!dirs.some((d) => d.endsWith("/node_modules/pkijs")), `pkijs is no production dependency:\n${ls.stdout}`);
  for (const dir of dirs) {
    const dep = JSON.parse(await readFile(`${dir}/package.json`, "utf8")) as { name: string; version: string; engines?: { node?: string } };
    if (!dep.engines?.node) continue;
    for (const floor of floors(range)) ok(satisfies(floor, dep.engines.node), `${dep.name}@${dep.version} needs Node ${dep.engines.node}; engines.node "${range}" admits ${floor}`);
  }
  for (const [name, file] of Object.entries(PINNED_NODE)) {
    const version = JSON.parse(await readFile(`${t.root}/node_modules/${name}/package.json`, "utf8")).version as string;
    ok(existsSync(file), `${file} is installed`);
    ok(satisfies(version, range), `the pinned ${name} (${version}) is in engines.node "${range}"`);
  }
  ok(satisfies(process.versions.node, range), `this Node (${process.versions.node}) is in "${range}"`);
});

test("package: src/certificate/pkcs12-crypto/sha-wasm.ts is sha.wat assembled by wabt (`npm run build:wasm`), and cipher-wasm.ts cipher.wat, so the WebAssembly that ships is the reviewed source", async () => {
  for (const which of WASM_MODULES) {
    equal(await readFile(which.module, "utf8"), await shaWasmModule(which), `${which.module.split("/").pop()} is stale: run npm run build:wasm`);
  }
});
