/**
 * What bundlers keep: an app that only uses ClientSecretCredential carries no PKCS#12 code
 * (asn1js, certificate/pkcs12.ts), jose or certificate code; a PEM app carries no PKCS#12 code in
 * its entry; the PFX path reaches asn1js only through a dynamic import (a separate chunk when
 * splitting). Checked with esbuild metafiles for workerd conditions. And what runtimes load from
 * the built dist/: the bundled `node`/`bun` entries and the module-per-module ones load no asn1js
 * or jose at import, and asn1js only on the PFX path. pkijs is no dependency at all.
 */
import { SECRET_WORKER_TEST_LIMIT } from "../../bench/budgets.ts";
import { closure, layoutOf, packagesIn } from "../../bench/layout.ts";
import { ourApp } from "../../bench/measure/bundles.ts";
import { ensureBuilt } from "./process.ts";
import { WORKER_BUILD } from "../support/worker-build.ts";
import { build, type Metafile } from "esbuild";
import { gzipSync } from "node:zlib";
import { readFile } from "node:fs/promises";
import { atMost, equal, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";

async function bundle(t: TestContext, code: string, splitting: boolean): Promise<Metafile> {
  return (await bundleWithFiles(t, code, splitting)).metafile;
}

async function bundleWithFiles(t: TestContext, code: string, splitting: boolean) {
  return await build({
    ...WORKER_BUILD,
    stdin: { contents: code, resolveDir: `${t.root}/test`, loader: "ts" },
    outdir: `${t.root}/.tmp/bundle`,
    splitting,
    metafile: true,
    minify: true,
  });
}

function inputsOf(meta: Metafile, output?: (name: string) => boolean): string[] {
  const outs = Object.entries(meta.outputs).filter(([name]) => !output || output(name));
  return outs.flatMap(([, o]) => Object.keys(o.inputs));
}

test("bundle: a ClientSecretCredential app contains no asn1js, jose or certificate code", async (t) => {
  const meta = await bundle(t, `import { ClientSecretCredential } from "../src/workerd.ts"; export default new ClientSecretCredential("t", "c", "s");`, false);
  const inputs = inputsOf(meta);
  ok(inputs.some((i) => i.includes("src/token/client.ts")), "the token core is in");
  const heavy = inputs.filter((i) => /node_modules\/(asn1js|jose|@noble|@peculiar)\/|src\/certificate\//.test(i));
  ok(heavy.length === 0, `unexpected inputs: ${heavy.join(", ")}`);
});

test("bundle: an app bundled for Node from the built dist/node.js (the node condition) keeps only what it uses: a ClientSecretCredential app carries no certificate code", async (t) => {
  await ensureBuilt(t.root!);
  const r = await build({
    stdin: { contents: `import { ClientSecretCredential } from ${JSON.stringify(`${t.root}/dist/node.js`)}; export default new ClientSecretCredential("t", "c", "s");`, resolveDir: t.root!, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "node",
    minifyWhitespace: true,
    write: false,
    outdir: `${t.root}/.tmp/bundle-node`,
    logLevel: "silent",
  });
  const text = r.outputFiles.filter((f) => f.path.endsWith(".js")).map((f) => f.text).join("\n");
  ok(text.includes("ClientSecretCredential"), "the credential is in");
  // dist/node.js is one file: what esbuild kept shows in the functions left (an internal object
  // that the bundler cannot drop would keep every shared function: 9 → 66 KB gzip).
  for (const name of ["function parseX509(", "function loadCertificate(", "async function importSigningKey(", "function parsePem("]) {
    ok(!text.includes(name), `a secret-only app bundled for Node does not carry ${name}`);
  }
  const gzip = gzipSync(text).length;
  // ~15 KB (15,022 B in session 10, whitespace-minified only); the guard is against tree-shaking failing (66 KB)
  atMost(gzip, 16_000, "a secret-only app bundled for Node from dist/node.js, gzip bytes");
});

test("bundle: a PEM certificate app loads the PKCS#12 code (asn1js, pkcs12.ts) and the legacy ciphers only through dynamic imports", async (t) => {
  const meta = await bundle(t, `import { ClientCertificateCredential } from "../src/workerd.ts"; export default new ClientCertificateCredential("t", "c", { certificate: "" });`, true);
  const entry = Object.entries(meta.outputs).find(([, o]) => o.entryPoint !== undefined);
  ok(entry, "an entry chunk");
  const entryInputs = Object.keys(entry![1].inputs);
  ok(inputsOf(meta).some((i) => i.includes("node_modules/jose/")), "jose signs the assertion (loaded with the first assertion)");
  const lazy = entryInputs.filter((i) => /node_modules\/(asn1js|@peculiar|@noble)\/|src\/certificate\/(pkcs12\.ts|pkcs12-crypto\/)/.test(i));
  ok(lazy.length === 0, `PKCS#12/legacy code in the entry chunk: ${lazy.join(", ")}`);
  const all = inputsOf(meta);
  ok(all.some((i) => i.includes("node_modules/asn1js/")) && all.some((i) => i.includes("src/certificate/pkcs12.ts")), "asn1js and pkcs12.ts are still reachable (as a lazy chunk) for PFX files");
  ok(!all.some((i) => i.includes("node_modules/pkijs/")), "pkijs is not bundled at all");
});

/**
 * Issue 5 set 6 KB (6,000 B; 5,973 B measured then). Issue 11 added what the token core must
 * have: the redactor of secrets in every encoding (~390 B gzip) and the per-attempt race that
 * ends attempts a transport or getAssertion leaves hanging (~70 B): 6,427 B measured, 6,454 B with
 * the linear trailing-slash trim. Back under 6,000 only with a redactor of a few fixed encodings
 * (no mixed escapes, no \uXXXX, no base64) and without the AADSTS hints, the retryOptions checks,
 * the token.request event and the content-length check: 5,983 B measured. Issue 12 split the
 * token core into one module per rule (the Settings / Target / Decision objects and the module
 * boundaries: ~190 B), gave AuthenticationError its code (~68 B) and the classes names that
 * survive minification (~25 B), and dropped redundant checks: 6,726 B measured. Redacting any 8
 * bytes of a secret cut short (an outside review found a gateway's truncated echo leaking 36 of 40
 * characters) needs the text decoded with positions kept: ~390 B, 7,116 B measured. Issue 13 added
 * the porter's API every credential must check at construction: unknown option keys with the
 * nearest valid one and @azure/identity's no-op keys (~460 B), authority / bare hosts / the tenant
 * segment, the httpClient adapter (~120 B), claimsChallenge decoding and merging, transport causes
 * with their code and no retry for TLS, the whitespace checks of secrets and scopes, and
 * ClientAuthenticationError: +1,735 B; the federation merge and the swapped-argument check +~60 B: 8,961 B measured.
 *
 * Issue 16's size pass (wrangler --minify, the figure the bench judges, in brackets: it keeps
 * names, wrapping every function in a `__name` call, ~10 B gzip each, ~420 B in all): the
 * bundle holds only what ClientSecretCredential runs (no certificate, assertion, environment or
 * shared-cache code). The token core's caps moved to token/limits.ts, apart from lib/limits.ts,
 * which the lazy PFX parsers import — bundlers wrap a module reached through a dynamic import in
 * a lazy initialiser whose constants they cannot inline (−39 B [wrangler]); one-use functions
 * and closures went inline — the hint and stop note, the Levenshtein distance, the httpClient
 * adapter, the retry policy, the scopes/tenant/claims steps, the race, the flight's request —
 * and one whenAborted() replaced three abort listeners: 8,902 B (9,379 B [wrangler], from
 * 9,571). What is left is behaviour. Measured by taking each out of a scratch copy of src/
 * (gzip saved, esbuild): redaction in every encoding 716, option-key checks with the nearest
 * key 554, authority forms 388, claims and CAE 325, transport causes / TLS / NotCapable 232, log
 * events 216, httpClient 195, hints and stop notes 195, the answer's checks 186, the tokenCache
 * hook 161, the clientId / tenants / fetch / logger checks 124, the clientSecret whitespace check
 * 123; and 68 for the lazy initialiser of lib/error-base.ts (certificate/error.ts, which the lazy
 * PFX path imports, extends its class). The 6,000 B goal (bench/budgets.ts, judged on the
 * wrangler-built Worker) is not met, and no smaller implementation of the same behaviour meets
 * it: it needs a decision on which of these a secret-only Worker carries. The outside review's
 * fixes merged after it (helpers' and tokenCacheOptions' key checks, a tenant named twice,
 * proofOfPossessionOptions, a non-string token_type) added 245 B: 9,147 B; the second review's
 * refusal of inherited option keys (prototype pollution) 53 B: 9,200 B; a hung assertion callback
 * named as such instead of the network 43 B: 9,243 B, limit 9,250 B.
 */
const SECRET_WORKER_BUDGET = SECRET_WORKER_TEST_LIMIT;

test(`bundle: a Worker using only ClientSecretCredential is at most ${SECRET_WORKER_BUDGET.toLocaleString("en-US")} bytes gzip as one file (issue 5 budget, raised by issues 11, 12 and 13)`, async (t) => {
  const result = await bundleWithFiles(t, ourApp("secret", "workerd", `${t.root}/src/workerd.ts`), false);
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"))!;
  const gzip = gzipSync(js.contents).length;
  console.log(`    secret-only Worker: ${js.contents.length} B minified, ${gzip} B gzip`);
  atMost(gzip, SECRET_WORKER_BUDGET, "gzip bytes (the app bench/measure/bundles.ts measures)");
  const inputs = inputsOf(result.metafile);
  ok(!inputs.some((i) => i.includes("src/cache/shared.ts")), "the shared-cache code comes only with a tokenCache store");
});

/**
 * What wrangler bundles is dist/, module per module: a module the lazy PFX path also reaches
 * becomes a lazy initialiser (`__esm`), whose constants a minifier cannot inline. The token core
 * shares none with it but lib/error-base.ts (CertificateError extends ClientAuthenticationError).
 */
test("bundle: a ClientSecretCredential Worker built from dist/ has no lazy initialiser but lib/error-base.js's", async (t) => {
  await ensureBuilt(t.root!);
  const result = await build({
    ...WORKER_BUILD,
    stdin: { contents: ourApp("secret", "workerd", `${t.root}/dist/workerd.js`), resolveDir: `${t.root}/test`, loader: "js" },
    outdir: `${t.root}/.tmp/bundle-dist`,
    minify: false,
  });
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
  const lazy = [...js.matchAll(/^var (init_\w+) = __esm\(/gm)].map((m) => m[1]);
  equal(lazy.join(", "), "init_error_base", "modules wrapped in a lazy initialiser");
}, { timeoutMs: 180_000 });

const HEAVY = ["asn1js", "jose", "@noble/hashes", "@peculiar/utils"];

for (const entry of ["node", "bun", "deno", "workerd", "index", "core", "bundled/core"]) {
  test(`bundle: dist/${entry}.js loads no asn1js or jose at import, and asn1js only on the PFX path`, async (t) => {
    await ensureBuilt(t.root!);
    const layout = layoutOf(t.root!, `dist/${entry}.js`);
    const eager = packagesIn(layout, layout.initial).filter((p) => HEAVY.includes(p));
    equal(eager.join(", "), "", `packages loaded by import("dist/${entry}.js") (${layout.initial.join(", ")})`);
    const pfx = layout.lazy.filter((f) => layout.files[f]!.pkcs12);
    equal(pfx.length, 1, `one lazy PKCS#12 module (lazy: ${layout.lazy.join(", ")})`);
    const pfxPath = closure(layout, pfx[0]!);
    const withAsn1 = Object.values(layout.files).filter((f) => f.packages.includes("asn1js")).map((f) => f.file);
    ok(withAsn1.length > 0 && withAsn1.every((f) => pfxPath.includes(f)), `asn1js only in the PFX path (${pfxPath.join(", ")}), found in ${withAsn1.join(", ")}`);
    const withPkijs = Object.values(layout.files).filter((f) => f.packages.includes("pkijs")).map((f) => f.file);
    equal(withPkijs.join(", "), "", "pkijs is in no file");
    // jose comes with the first assertion: a lazy chunk (bundled) or a dynamic import by name (module per module).
    const jose = layout.lazy.filter((f) => layout.files[f]!.packages.includes("jose"));
    const byName = layout.initial.some((f) => layout.files[f]!.lazyPackages.includes("jose"));
    ok(byName || jose.some((f) => !pfxPath.includes(f)), `jose is loaded lazily, apart from the PFX path (lazy files with jose: ${jose.join(", ") || "none"})`);
  }, { timeoutMs: 180_000 }); // the first of these waits for `npm run build` (ensureBuilt): 15 s is not enough on a loaded machine
}

test("bundle: under the node condition, entra-edge and entra-edge/core are one copy (instanceof holds across them)", async (t) => {
  await ensureBuilt(t.root!);
  const main = (await import(`${t.root}/dist/node.js`)) as Record<string, unknown>;
  const core = (await import(`${t.root}/dist/bundled/core.js`)) as Record<string, unknown>;
  const bun = (await import(`${t.root}/dist/bun.js`)) as Record<string, unknown>;
  for (const name of ["AuthenticationError", "CertificateError", "CredentialUnavailableError", "sharedTokenCache"]) {
    ok(main[name] !== undefined && main[name] === core[name] && bun[name] === core[name], `${name} is the same object in dist/node.js, dist/bun.js and dist/bundled/core.js`);
  }
  // The credentials of a runtime entry extend the core's (they add the runtime's adapter: files, AZURE_AUTHORITY_HOST): their instances are instances of the core's.
  for (const name of ["ClientSecretCredential", "ClientAssertionCredential", "ClientCertificateCredential", "EnvironmentCredential", "WorkloadIdentityCredential"]) {
    ok(core[name] !== undefined && Object.getPrototypeOf(main[name]) === core[name] && Object.getPrototypeOf(bun[name]) === core[name], `${name} of dist/node.js and dist/bun.js extends dist/bundled/core.js's`);
  }
  const pkg = JSON.parse(await readFile(`${t.root}/package.json`, "utf8")) as { exports: Record<string, Record<string, string>> };
  equal(pkg.exports["./core"]!.node, "./dist/bundled/core.js", "entra-edge/core resolves to the same build as entra-edge under the node condition");
  equal(pkg.exports["./core"]!.bun, "./dist/bundled/core.js", "… and under the bun condition");
});

test("bundle: the bundled node/bun build ships the licences of the packages inside it", async (t) => {
  await ensureBuilt(t.root!);
  const layout = layoutOf(t.root!, "dist/node.js");
  const inside = packagesIn(layout, [...layout.initial, ...layout.lazy]);
  ok(inside.includes("asn1js") && inside.includes("jose") && !inside.includes("pkijs"), `asn1js and jose are bundled, pkijs is not (${inside.join(", ")})`);
  const licences = await readFile(`${t.root}/dist/bundled/LICENSES.md`, "utf8");
  for (const name of inside) ok(licences.includes(`## ${name} `), `dist/bundled/LICENSES.md holds ${name}'s licence`);
});
