/**
 * What the first PEM token costs on Node, checked on what ships (dist/node.js, in a fresh process
 * of each Node the suite runs): the work it does once, in a fresh process, that it does not need.
 * A file read loads no read stream (`createReadStream` loads Node's fs streams, 4–5 ms of CPU) and
 * no `node:fs/promises` (about 2 ms more on Node 22 and 24); an RS256 credential computes one
 * digest of the leaf (SHA-1 for `x5t`), PS256 the two it needs (`x5t#S256`, and SHA-1 for its
 * messages).
 */
import { PINNED_NODE } from "../runners/runtimes.ts";
import { deepEqual, equal, ok } from "../assert.ts";
import { test } from "../harness.ts";
import { ensureBuilt, run } from "./process.ts";

const NODES: [string, string][] = [["node20", process.execPath], ...Object.entries(PINNED_NODE)];

/**
 * Imports dist/node.js, then gets a first token from a certificate file with a fake transport;
 * prints the Node built-ins that getToken loaded and the digests it computed.
 */
const SCRIPT = `
const [dist, pem, algorithm] = process.argv.slice(1);
const { ClientCertificateCredential } = await import(dist);
// The fake transport's Response first: it loads fetch's internals (node:fs/promises with them, on Node 22).
new Response("");
const loaded = new Set(process.moduleLoadList);
const digests = [];
const digest = crypto.subtle.digest.bind(crypto.subtle);
crypto.subtle.digest = (hash, data) => (digests.push(typeof hash === "string" ? hash : hash.name), digest(hash, data));
const fetch = async () => new Response(JSON.stringify({ token_type: "Bearer", access_token: "a.b.c", expires_in: 3600 }), { headers: { "content-type": "application/json" } });
const credential = new ClientCertificateCredential("72f988bf-86f1-41af-91ab-2d7cd011db47", "00000000-0000-0000-0000-000000000001", pem, { fetch, assertionAlgorithm: algorithm });
await credential.getToken("https://graph.microsoft.com/.default");
console.log(JSON.stringify({ builtins: process.moduleLoadList.filter((m) => !loaded.has(m)), digests }));
`;

async function firstToken(root: string, node: string, algorithm: "RS256" | "PS256"): Promise<{ builtins: string[]; digests: string[] }> {
  const ran = await run(node, ["--input-type=module", "-e", SCRIPT, `${root}/dist/node.js`, `${root}/test/fixtures/certs/pem-pkcs8.pem`, algorithm], { cwd: root });
  equal(ran.code, 0, `${node} ran the first token: ${ran.stderr.slice(-2000)}`);
  return JSON.parse(ran.stdout.trim().split("\n").at(-1)!) as { builtins: string[]; digests: string[] };
}

test("first use: a first PEM token from a file through dist/node.js loads no fs read stream and no node:fs/promises (Node 20, 22, 24, 26)", async (t) => {
  await ensureBuilt(t.root!);
  for (const [name, node] of NODES) {
    const { builtins } = await firstToken(t.root!, node, "RS256");
    const avoidable = builtins.filter((m) => /\binternal\/fs\/(streams|promises)$/.test(m));
    deepEqual(avoidable, [], `${name}: Node built-ins a file read needs not load (of ${builtins.length} loaded by the first token)`);
  }
}, { timeoutMs: 180_000 });

test("first use: an RS256 credential's first token digests the leaf once (SHA-1, for x5t); PS256 twice (SHA-256 for x5t#S256, SHA-1 for its messages)", async (t) => {
  await ensureBuilt(t.root!);
  for (const [name, node] of NODES) {
    deepEqual((await firstToken(t.root!, node, "RS256")).digests, ["SHA-1"], `${name}: the digests of an RS256 first token`);
    deepEqual((await firstToken(t.root!, node, "PS256")).digests.sort(), ["SHA-1", "SHA-256"], `${name}: the digests of a PS256 first token`);
  }
}, { timeoutMs: 180_000 });

/** A first client-secret token through dist/node.js with a fake transport: prints the Node built-ins getToken loaded. */
const SECRET_SCRIPT = `
const [dist] = process.argv.slice(1);
const { ClientSecretCredential } = await import(dist);
new Response("");
const loaded = new Set(process.moduleLoadList);
const fetch = async () => new Response(JSON.stringify({ token_type: "Bearer", access_token: "a.b.c", expires_in: 3600 }), { headers: { "content-type": "application/json" } });
const credential = new ClientSecretCredential("72f988bf-86f1-41af-91ab-2d7cd011db47", "00000000-0000-0000-0000-000000000001", "s3cr3t-value", { fetch });
const token = await credential.getToken("https://graph.microsoft.com/.default");
console.log(JSON.stringify({ builtins: process.moduleLoadList.filter((m) => !loaded.has(m)), token: token.token }));
`;

test("first use: a first client-secret token through dist/node.js loads no WebCrypto (its correlation id is no secret: Math.random) (Node 20, 22, 24, 26)", async (t) => {
  await ensureBuilt(t.root!);
  for (const [name, node] of NODES) {
    const ran = await run(node, ["--input-type=module", "-e", SECRET_SCRIPT, `${t.root}/dist/node.js`], { cwd: t.root! });
    equal(ran.code, 0, `${name} ran the first secret token: ${ran.stderr.slice(-2000)}`);
    const { builtins, token } = JSON.parse(ran.stdout.trim().split("\n").at(-1)!) as { builtins: string[]; token: string };
    equal(token, "a.b.c", `${name}: the token`);
    deepEqual(builtins.filter((m) => /crypto/.test(m)), [], `${name}: crypto modules the first secret token loaded`);
  }
}, { timeoutMs: 180_000 });

test("first use: dist/node.js, dist/bun.js and dist/bundled/ are whitespace-minified (less to parse in every process) with every name kept, and list the modules inside each file", async (t) => {
  await ensureBuilt(t.root!);
  const { readdirSync, readFileSync } = await import("node:fs");
  const files = ["dist/node.js", "dist/bun.js", ...readdirSync(`${t.root}/dist/bundled`).filter((f) => f.endsWith(".js")).map((f) => `dist/bundled/${f}`)];
  let all = "";
  for (const file of files) {
    const text = readFileSync(`${t.root}/${file}`, "utf8");
    const [header, ...rest] = text.split(/\n(?!\/\/ )/);
    ok(/^\/\/ Bundled by esbuild[^\n]*\n(\/\/ (src|node_modules)\/\S+\n)*$/.test(`${header}\n`), `${file} starts with the list of its modules: ${header!.slice(0, 200)}`);
    const code = rest.join("\n").replace(/\/\*![\s\S]*$/, "");
    // (a line after a backslash continues a string esbuild's lineLimit broke: its spaces are the string's)
    const indented = code.replaceAll("\\\n", "").split("\n").filter((l) => /^\s+\S/.test(l) && !/^\s*[`$]/.test(l)).length;
    ok(indented <= 5, `${file} is whitespace-minified (${indented} indented lines)`);
    // Node prints an uncaught error's source line: a file on one line printed 91 KB of code (review 4, L9).
    const longest = Math.max(...code.split("\n").map((l) => l.length));
    ok(longest <= 2_000, `${file}'s longest line is ${longest} characters (at most 2,000)`);
    all += text;
  }
  for (const name of ["ClientSecretCredential=class", "function parseX509(", "function loadCertificate(", "async function importSigningKey(", "async function thumbprints("]) {
    ok(all.includes(name), `the bundled build keeps the name: ${name}`);
  }
}, { timeoutMs: 180_000 });

test("first use: an uncaught entra-edge error on Node prints its message, not the bundled file's code (a bounded source line)", async (t) => {
  await ensureBuilt(t.root!);
  const script = `const { parseCertificate } = await import(process.argv[1]); await parseCertificate(new Uint8Array([48, 3, 2, 1, 3]));`;
  for (const [name, node] of NODES) {
    const ran = await run(node, ["--input-type=module", "-e", script, `${t.root}/dist/node.js`], { cwd: t.root! });
    ok(ran.code !== 0, `${name}: the error is uncaught`);
    ok(/CertificateError/.test(ran.stderr), `${name}: stderr names the error: ${ran.stderr.slice(-500)}`);
    ok(ran.stderr.length < 8_000, `${name}: stderr is ${ran.stderr.length} characters (the throw site's line is printed; a bundled file on one line printed 91 KB)`);
  }
}, { timeoutMs: 120_000 });
