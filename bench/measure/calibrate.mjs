// The host's speed, in a fresh process, with no entra-edge code: `node calibrate.mjs`.
// Prints {"code": …, "jit": …, "webcrypto": …, "total": …} (CPU ms, every thread of the process).
//
// A fixed workload shaped like the cold paths the CPU budgets judge, so that a slow host and a slow
// change can be told apart: the run measures it at its start and at its end, and RESULTS.md shows
// it beside the first-token figures of this run and of the runs before (bench/history.json).
// - code: import and first call of 400 distinct generated functions (~100 KB of source): V8
//   parsing, lazy compilation and cold inline caches, as at a library's import and first use;
// - jit: 2,048 calls of a 64-round 32-bit mixing function over an Int32Array, as the PKCS#12 key
//   derivation runs: interpreter, baseline and optimizing tiers, compiled on V8's background threads;
// - webcrypto: the first SHA-256 digest, HMAC import and sign (on Node, WebCrypto's internals load
//   at the first call, and the work runs on the thread pool).
// It never changes with entra-edge's code: compare it across runs before comparing the budgets.
const cpu = (since) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};

const FUNCTIONS = 400;
let source = "";
for (let i = 0; i < FUNCTIONS; i++) {
  source += `export function f${i}(a, b) { let s = ${i} ^ b; for (let j = 0; j < a.length; j++) { s = (Math.imul(s, 31) + a[j] + ${i}) | 0; if (s & ${1 << i % 16}) s ^= ${(i * 2654435761) >>> 0}; else s = (s << 3) | (s >>> 29); } const o = { k${i}: s, n: "${"v".repeat(i % 23)}" }; return o.k${i} + o.n.length; }\n`;
}
source += `export const all = [${Array.from({ length: FUNCTIONS }, (_, i) => `f${i}`).join(", ")}];\n`;

const input = new Uint8Array(64).map((_, i) => i * 7);
const c0 = process.cpuUsage();
const generated = await import(`data:text/javascript,${encodeURIComponent(source)}`);
let sink = 0;
for (const f of generated.all) sink ^= f(input, sink);
const code = cpu(c0);

const c1 = process.cpuUsage();
const state = new Int32Array(8);
const schedule = new Int32Array(64);
function mix(s) {
  for (let i = 0; i < 16; i++) schedule[i] = s[i & 7] ^ (i * 0x9e3779b9);
  for (let i = 16; i < 64; i++) {
    const x = schedule[i - 15];
    const y = schedule[i - 2];
    schedule[i] = (schedule[i - 16] + ((x >>> 7) | (x << 25)) + schedule[i - 7] + ((y >>> 17) ^ (y << 15))) | 0;
  }
  let a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21))) + (g ^ (e & (f ^ g))) + schedule[i]) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19))) + ((a & b) | (c & (a | b)))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  s[0] += a; s[1] += b; s[2] += c; s[3] += d; s[4] += e; s[5] += f; s[6] += g; s[7] += h;
}
for (let r = 0; r < 2048; r++) mix(state);
sink ^= state[0];
const jit = cpu(c1);

const c2 = process.cpuUsage();
const subtle = globalThis.crypto.subtle;
const digest = new Uint8Array(await subtle.digest("SHA-256", input));
const key = await subtle.importKey("raw", digest, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
sink ^= new Uint8Array(await subtle.sign("HMAC", key, input))[0];
const webcrypto = cpu(c2);

console.log(JSON.stringify({ code, jit, webcrypto, total: code + jit + webcrypto, sink: sink & 1 }));
