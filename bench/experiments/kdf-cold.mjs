// The PKCS#12 MAC key derivation (RFC 7292 B.2: SHA-256, 2048 iterations — what OpenSSL 3 writes)
// in a fresh process, with different SHA-256 implementations: CPU of the first derivation (cold
// JIT) and of the second. Evidence for the certificate code's choice of hash implementation.
//
//   npm run build && node bench/experiments/kdf-cold.mjs            (each variant in 5 fresh processes)
//   node bench/experiments/kdf-cold.mjs <variant>                    (one run, prints JSON)
//
// Variants: shipped (dist/certificate/legacy/pkcs12-kdf.js: the unrolled Sha256 of src/),
// rolled (a textbook SHA-256 with a 64-round loop, written below, a new buffer per hash),
// rolled-in-place (the same compression, the block laid out once as the shipped iterate() does),
// noble (@noble/hashes sha256, inside the PFX chunk for SHA-384/512 MACs), webcrypto
// (crypto.subtle.digest per iteration); and for SHA-1 (legacy files' MAC and PBE keys):
// shipped-sha1 (src/'s unrolled Sha1) against rolled-in-place-sha1.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ITERATIONS = 2048;
const root = fileURLToPath(new URL("../..", import.meta.url));
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const salt = new Uint8Array(8).fill(7);
const password = new Uint8Array([0, 0x50, 0, 0x77, 0, 0]); // "Pw" as BMP + terminator

// A textbook SHA-256 (FIPS 180-4) with the 64 rounds in a loop.
const K = new Uint32Array([0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2]);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const W = new Uint32Array(64);
function compress(s, m, o) {
  for (let i = 0; i < 16; i++) W[i] = (m[o + 4 * i] << 24) | (m[o + 4 * i + 1] << 16) | (m[o + 4 * i + 2] << 8) | m[o + 4 * i + 3];
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15], b = W[i - 2];
    W[i] = (((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3)) + (((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10)) + W[i - 7] + W[i - 16];
  }
  let a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  s[0] = (s[0] + a) | 0; s[1] = (s[1] + b) | 0; s[2] = (s[2] + c) | 0; s[3] = (s[3] + d) | 0;
  s[4] = (s[4] + e) | 0; s[5] = (s[5] + f) | 0; s[6] = (s[6] + g) | 0; s[7] = (s[7] + h) | 0;
}
function rolledSha256(msg) {
  const len = msg.length, blocks = Math.ceil((len + 9) / 64), buf = new Uint8Array(blocks * 64);
  buf.set(msg); buf[len] = 0x80;
  const bits = len * 8; buf[buf.length - 4] = bits >>> 24; buf[buf.length - 3] = bits >>> 16; buf[buf.length - 2] = bits >>> 8; buf[buf.length - 1] = bits;
  const s = new Int32Array(IV);
  for (let o = 0; o < buf.length; o += 64) compress(s, buf, o);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) { out[4 * i] = s[i] >>> 24; out[4 * i + 1] = s[i] >>> 16; out[4 * i + 2] = s[i] >>> 8; out[4 * i + 3] = s[i]; }
  return out;
}

// A textbook SHA-1 compression (FIPS 180-4) with the 80 rounds in a loop.
const W1 = new Int32Array(80);
function compress1(s, m, o) {
  for (let i = 0; i < 16; i++) W1[i] = (m[o + 4 * i] << 24) | (m[o + 4 * i + 1] << 16) | (m[o + 4 * i + 2] << 8) | m[o + 4 * i + 3];
  for (let i = 16; i < 80; i++) { const x = W1[i - 3] ^ W1[i - 8] ^ W1[i - 14] ^ W1[i - 16]; W1[i] = (x << 1) | (x >>> 31); }
  let a = s[0], b = s[1], c = s[2], d = s[3], e = s[4];
  for (let i = 0; i < 80; i++) {
    const f = i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
    const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
    const t = (((a << 5) | (a >>> 27)) + f + e + k + W1[i]) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
  }
  s[0] = (s[0] + a) | 0; s[1] = (s[1] + b) | 0; s[2] = (s[2] + c) | 0; s[3] = (s[3] + d) | 0; s[4] = (s[4] + e) | 0;
}
const IV1 = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
function sha1Rolled(msg) {
  const len = msg.length, blocks = Math.ceil((len + 9) / 64), buf = new Uint8Array(blocks * 64);
  buf.set(msg); buf[len] = 0x80;
  const bits = len * 8; buf[buf.length - 4] = bits >>> 24; buf[buf.length - 3] = bits >>> 16; buf[buf.length - 2] = bits >>> 8; buf[buf.length - 1] = bits;
  const s = new Int32Array(IV1);
  for (let o = 0; o < buf.length; o += 64) compress1(s, buf, o);
  const out = new Uint8Array(20);
  for (let i = 0; i < 5; i++) { out[4 * i] = s[i] >>> 24; out[4 * i + 1] = s[i] >>> 16; out[4 * i + 2] = s[i] >>> 8; out[4 * i + 3] = s[i]; }
  return out;
}
/** SHA-1 KDF (20-byte output), rolled compression, the block laid out once. */
function rolledInPlaceSha1() {
  const v = 64, d = new Uint8Array(v).fill(3), data = new Uint8Array(2 * v);
  for (let i = 0; i < v; i++) { data[i] = salt[i % salt.length]; data[v + i] = password[i % password.length]; }
  const first = new Uint8Array(3 * v); first.set(d); first.set(data, v);
  const a = sha1Rolled(first);
  const buf = new Uint8Array(64), s = new Int32Array(5);
  buf.set(a); buf[20] = 0x80; buf[62] = 0xa0 >>> 8; buf[63] = 0xa0; // 160 bits
  for (let r = 1; r < ITERATIONS; r++) {
    s.set(IV1);
    compress1(s, buf, 0);
    for (let i = 0, o = 0; i < 5; i++) { const x = s[i]; buf[o++] = x >>> 24; buf[o++] = x >>> 16; buf[o++] = x >>> 8; buf[o++] = x; }
  }
  return buf.slice(0, 20);
}

/** The same derivation with the rolled compression and no allocation per round (the shipped code's layout). */
function rolledInPlace() {
  const v = 64, d = new Uint8Array(v).fill(3), data = new Uint8Array(2 * v);
  for (let i = 0; i < v; i++) { data[i] = salt[i % salt.length]; data[v + i] = password[i % password.length]; }
  const first = new Uint8Array(3 * v); first.set(d); first.set(data, v);
  const a = rolledSha256(first);
  const buf = new Uint8Array(64), s = new Int32Array(8);
  buf.set(a); buf[32] = 0x80; buf[62] = 1; // 256 bits
  for (let r = 1; r < ITERATIONS; r++) {
    s.set(IV);
    compress(s, buf, 0);
    for (let i = 0, o = 0; i < 8; i++) { const x = s[i]; buf[o++] = x >>> 24; buf[o++] = x >>> 16; buf[o++] = x >>> 8; buf[o++] = x; }
  }
  return buf.slice(0, 32);
}

/** RFC 7292 B.2 for one 32-byte output with any one-shot hash (sync or async). */
async function kdf(hash) {
  const v = 64, d = new Uint8Array(v).fill(3), data = new Uint8Array(2 * v);
  for (let i = 0; i < v; i++) { data[i] = salt[i % salt.length]; data[v + i] = password[i % password.length]; }
  const first = new Uint8Array(3 * v); first.set(d); first.set(data, v);
  let a = await hash(first);
  for (let i = 1; i < ITERATIONS; i++) a = await hash(a);
  return a;
}

async function variant(name) {
  if (name === "shipped" || name === "shipped-sha1") {
    const { pkcs12Kdf } = await import(`${root}dist/certificate/legacy/pkcs12-kdf.js`);
    return name === "shipped" ? () => pkcs12Kdf("SHA-256", password, salt, 3, ITERATIONS, 32) : () => pkcs12Kdf("SHA-1", password, salt, 3, ITERATIONS, 20);
  }
  if (name === "rolled-in-place-sha1") return rolledInPlaceSha1;
  if (name === "rolled") return () => kdf(rolledSha256);
  if (name === "rolled-in-place") return rolledInPlace;
  if (name === "noble") {
    const { sha256 } = await import("@noble/hashes/sha2.js");
    return () => kdf(sha256);
  }
  if (name === "webcrypto") return () => kdf(async (b) => new Uint8Array(await crypto.subtle.digest("SHA-256", b)));
  throw new Error(`unknown variant ${name}`);
}

const arg = process.argv[2];
if (arg) {
  const run = await variant(arg);
  let c = cpu();
  const one = await run();
  const first = cpu() - c;
  c = cpu();
  const two = await run();
  const second = cpu() - c;
  console.log(JSON.stringify({ first, second, hex: Buffer.from(one).toString("hex"), same: Buffer.from(one).equals(Buffer.from(two)) }));
} else {
  const names = ["shipped", "rolled", "rolled-in-place", "noble", "webcrypto"];
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < 5; i++) for (const n of names) results[n].push(JSON.parse(spawnSync(process.execPath, [fileURLToPath(import.meta.url), n], { cwd: root, encoding: "utf8" }).stdout));
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const hex = new Set(names.map((n) => results[n][0].hex));
  const sha1 = ["shipped-sha1", "rolled-in-place-sha1"];
  for (const n of sha1) results[n] = [];
  for (let i = 0; i < 5; i++) for (const n of sha1) results[n].push(JSON.parse(spawnSync(process.execPath, [fileURLToPath(import.meta.url), n], { cwd: root, encoding: "utf8" }).stdout));
  const hex1 = new Set(sha1.map((n) => results[n][0].hex));
  console.log(`Node ${process.versions.node}: PKCS#12 KDF (MAC key), ${ITERATIONS} iterations, CPU ms (median of 5 fresh processes); SHA-256 variants agree: ${hex.size === 1}, SHA-1 variants agree: ${hex1.size === 1}`);
  for (const n of [...names, ...sha1]) console.log(`  ${n.padEnd(20)} first ${med(results[n].map((r) => r.first)).toFixed(1).padStart(6)}   second ${med(results[n].map((r) => r.second)).toFixed(1).padStart(6)}`);
}
