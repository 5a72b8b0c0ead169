/**
 * Synchronous SHA-1 and SHA-256 (FIPS 180-4) for the PKCS#12 key derivation and MAC, which hash
 * thousands of times in a row: WebCrypto only hashes asynchronously (an awaited digest per
 * iteration is 60–130× slower). One incremental hasher for both — they differ only in the
 * compression function, the initial state and the digest length — with 64-byte blocks read
 * straight from the input (only a partial block is buffered) and no allocation per block.
 * SHA-1 is used only to open legacy files, never to sign anything.
 *
 * The compressions run as WebAssembly (./sha.wat, shipped as ./sha-wasm.ts) where the runtime
 * compiles it — Node, Deno, Bun — and as the JavaScript below where it does not: Cloudflare
 * Workers refuse to compile code at run time. Same results either way (tests compare both with
 * WebCrypto on every runtime); the WebAssembly is faster in a fresh process, when the JavaScript
 * still runs in V8's interpreter: the first MAC of an OpenSSL 3 file and the key derivations of a
 * legacy one (issue 16; numbers at {@link engine}).
 *
 * @module
 */
import { SHA_WASM } from "./sha-wasm.ts";

/** The message schedule, shared: the hashers run synchronously, one compression at a time. */
const W = new Int32Array(80);

/** SHA-1's round constants, one per group of 20 rounds (FIPS 180-4 §4.2.1), as signed 32-bit values. */
const K1 = Int32Array.from([0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6]);

/** SHA-256's round constants (FIPS 180-4 §4.2.2), as signed 32-bit values. */
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Loads the 16 big-endian words of the block at `m[o..o+64)` into W. */
function load(m: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++, o += 4) W[i] = (m[o]! << 24) | (m[o + 1]! << 16) | (m[o + 2]! << 8) | m[o + 3]!;
}

/**
 * SHA-1's compression of the block in W[0..16) into the state `s` (5 words). With `iv`, one round
 * of the iterated hash: the digest in `s` becomes the block's first words (see {@link compressSha256}).
 */
function compressSha1(s: Int32Array, iv?: Int32Array): void {
  if (iv) {
    W.set(s);
    s.set(iv);
  }
  for (let i = 16; i < 80; i++) {
    const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
    W[i] = (x << 1) | (x >>> 31);
  }
  let a = s[0]!;
  let b = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  let e = s[4]!;
  // Four groups of 20 rounds, each with its own f(b, c, d) and constant — Ch, Parity, Maj,
  // Parity — as four loops, so no round chooses its function.
  let i = 0;
  for (const k = K1[0]!; i < 20; i++) {
    const t = (((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + k + e + W[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (const k = K1[1]!; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + k + e + W[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (const k = K1[2]!; i < 60; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + k + e + W[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (const k = K1[3]!; i < 80; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + k + e + W[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
  s[4] = (s[4]! + e) | 0;
}

/**
 * SHA-256's compression of the block in W[0..16) into the state `s` (8 words). With `iv`, one
 * round of the iterated hash ({@link Sha.iterate}): the digest in `s` becomes the block's first
 * words (`iterate` has written the padding after them), and `s` restarts from `iv`.
 *
 * That copy is here, not in `iterate`'s loop, so that V8 optimizes one function per hash: with
 * it in the loop, a fresh process's first MAC (2,048 rounds) had TurboFan compile this function
 * and `iterate` on-stack (OSR), and the seven derivations of a legacy file also `iterate` again
 * after it deoptimized at its end, never reached when it was compiled. Now `iterate`'s loop is a
 * bare call that never tiers up, and `--trace-opt` shows one TurboFan compile, of the compression.
 * Two `set` calls, not a copy loop: TurboFan compiled this function 0.6 ms faster then (a loop
 * here took 3.2 ms on Node 20, `set` 2.5 ms, the old copy-free one 2.4 ms plus 1.4 for `iterate`).
 * Measured in fresh processes (medians of 21, Node 20 / 22 / 24, CPU of all threads): the MAC
 * derivation and HMAC of an OpenSSL 3 file 13.2 / 13.2 / 11.2 ms → 11.1 / 11.4 / 8.9, the MAC and
 * four bag derivations of a legacy file (SHA-1) 20.0 / 19.3 / 19.1 → 16.9 / 13.7 / 17.3 (issue 16).
 */
function compressSha256(s: Int32Array, iv?: Int32Array): void {
  if (iv) {
    W.set(s);
    s.set(iv);
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!;
    const y = W[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = s[0]!;
  let b = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  let e = s[4]!;
  let f = s[5]!;
  let g = s[6]!;
  let h = s[7]!;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + K[i]! + W[i]!) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
  s[4] = (s[4]! + e) | 0;
  s[5] = (s[5]! + f) | 0;
  s[6] = (s[6]! + g) | 0;
  s[7] = (s[7]! + h) | 0;
}

/** The WebAssembly compressions and views of their memory (layout: ./sha.wat). */
interface Wasm {
  readonly m8: Uint8Array;
  readonly m32: Int32Array;
  /** Compresses the `n` blocks at byte `ptr` of the memory into the state (`kind` 1: SHA-1, 2: SHA-256). */
  blocks(kind: number, ptr: number, n: number): void;
  /** The iterated hash: the digest in the state becomes its own hash, `count` times. */
  iterate(kind: number, count: number): void;
}

/** Where input blocks go in the memory, and how many fit in its one 64 KiB page after that. */
const INPUT = 1024;
const CHUNK_BLOCKS = (65536 - INPUT) >> 6;

/** Whether to use the WebAssembly (tests turn it off to check the JavaScript on every runtime). */
let useWasm = true;

/**
 * A getter of the WebAssembly module in `base64`, compiled at its first call and then reused
 * (`bind` picks its exports, given views of its memory), or null: while tests have turned the
 * WebAssembly off ({@link shaEngine}), where the runtime refuses to compile code at run time
 * (Cloudflare Workers: "Wasm code generation disallowed by embedder"), and if anything else about
 * it fails — the callers then use their JavaScript. For ./sha.wat here, ./cipher.wat in ./cipher.ts.
 *
 * @example
 * ```ts
 * const ciphers = lazyWasm(CIPHER_WASM, (exports, m8) => ({ m8, des3: exports.des3 as (ptr: number, n: number) => void }));
 * ciphers()?.des3(4096, 1); // null on Cloudflare Workers
 * ```
 */
export function lazyWasm<T>(base64: string, bind: (exports: WebAssembly.Exports, m8: Uint8Array, m32: Int32Array) => T): () => T | null {
  let compiled: T | null | undefined;
  return () => {
    if (!useWasm) return null;
    if (compiled === undefined) {
      compiled = null;
      try {
        const text = atob(base64);
        const bytes = new Uint8Array(text.length);
        for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
        const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
        const { buffer } = exports.memory as WebAssembly.Memory;
        compiled = bind(exports, new Uint8Array(buffer), new Int32Array(buffer));
      } catch {
        // No run-time code generation here: the JavaScript does the work.
      }
    }
    return compiled;
  };
}

/**
 * The WebAssembly compressions, compiled at the first hash, or null where they do not compile
 * ({@link lazyWasm}): the JavaScript compressions are used instead.
 *
 * Measured in fresh processes (CPU of all threads, Node 20 / 22 / 24, medians of 3 runs): compiling
 * the module 0.8 / 1.0 / 1.2 ms; then 2,048 SHA-256 compressions (an OpenSSL 3 MAC key) in 3.0 /
 * 3.4 / 3.8 ms where the JavaScript takes 8.8 / 10.0 / 7.5, and the 12,288 SHA-1 ones of a legacy
 * file's MAC and bag keys 4 / 4.5 / 4.6 ms more where the JavaScript takes 15 / 11 / 15.
 */
const engine = lazyWasm<Wasm>(SHA_WASM, (exports, m8, m32) => ({
  m8,
  m32,
  blocks: exports.blocks as Wasm["blocks"],
  iterate: exports.iterate as Wasm["iterate"],
}));

/**
 * Which code the hashers and the legacy ciphers (./des3.ts, ./rc2.ts) use: `"wasm"` or `"js"`.
 * `shaEngine("js")` turns the WebAssembly off (and `shaEngine("wasm")` on again, where it
 * compiles) — for tests, which check both on every runtime.
 *
 * @example
 * ```ts
 * shaEngine(); // "wasm" on Node, Deno and Bun; "js" on Cloudflare Workers
 * ```
 */
export function shaEngine(use?: "wasm" | "js"): "wasm" | "js" {
  if (use !== undefined) useWasm = use === "wasm";
  return engine() ? "wasm" : "js";
}

/**
 * Zeroes what a call left in the WebAssembly memory — the state, the schedule and `input` bytes of
 * input — since they are derived from a password or a MAC key (the JavaScript compressions leave
 * theirs in W until the next call, as noble's do; this memory lives as long as the module).
 */
function wipe(w: Wasm, input: number): void {
  w.m8.fill(0, 0, 384);
  if (input > 0) w.m8.fill(0, INPUT, INPUT + input);
}

/** The hash functions of this module. */
export type ShaName = "SHA-1" | "SHA-256";

/** The initial states (FIPS 180-4 §5.3.1, §5.3.3), as signed 32-bit words like the state. */
const IV: Record<ShaName, Int32Array> = {
  "SHA-1": Int32Array.from([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]),
  "SHA-256": Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]),
};

/**
 * An incremental SHA-1 or SHA-256 hasher. One instance can be reused: {@link Sha.digestInto}
 * resets it.
 *
 * @example
 * ```ts
 * const digest = new Uint8Array(32);
 * new Sha("SHA-256").update(utf8("abc")).digestInto(digest);
 * ```
 */
export class Sha {
  /** Block size in bytes. */
  readonly blockLen = 64;
  /** Digest size in bytes: 20 or 32. */
  readonly outputLen: number;
  readonly #iv: Int32Array;
  readonly #kind: 1 | 2;
  readonly #compress: (s: Int32Array, iv?: Int32Array) => void;
  readonly #state: Int32Array;
  readonly #buf = new Uint8Array(64);
  #pos = 0;
  #length = 0;

  constructor(name: ShaName) {
    this.#iv = IV[name];
    this.#kind = name === "SHA-1" ? 1 : 2;
    this.#compress = name === "SHA-1" ? compressSha1 : compressSha256;
    this.outputLen = this.#iv.length * 4;
    this.#state = new Int32Array(this.#iv.length);
    this.reset();
  }

  /** Forgets everything hashed so far. */
  reset(): this {
    this.#state.set(this.#iv);
    this.#pos = 0;
    this.#length = 0;
    return this;
  }

  /** Hashes `data` (appends it to the message). */
  update(data: Uint8Array): this {
    const n = data.length;
    const buf = this.#buf;
    let off = 0;
    let pos = this.#pos;
    this.#length += n;
    if (pos > 0) {
      while (pos < 64 && off < n) buf[pos++] = data[off++]!;
      if (pos < 64) {
        this.#pos = pos;
        return this;
      }
      this.#blocks(buf, 0, 1);
      pos = 0;
    }
    const whole = (n - off) >> 6;
    if (whole > 0) {
      this.#blocks(data, off, whole);
      off += whole << 6;
    }
    while (off < n) buf[pos++] = data[off++]!;
    this.#pos = pos;
    return this;
  }

  /** Writes the digest to `out` at `offset`, then resets. */
  digestInto(out: Uint8Array, offset = 0): void {
    const buf = this.#buf;
    let pos = this.#pos;
    buf[pos++] = 0x80;
    if (pos > 56) {
      buf.fill(0, pos);
      this.#blocks(buf, 0, 1);
      pos = 0;
    }
    buf.fill(0, pos, 56);
    // The message length in bits, big-endian, in the last 8 bytes.
    const hi = Math.floor(this.#length / 0x20000000);
    const lo = this.#length << 3;
    for (let i = 0; i < 4; i++) {
      buf[56 + i] = hi >>> (24 - 8 * i);
      buf[60 + i] = lo >>> (24 - 8 * i);
    }
    this.#blocks(buf, 0, 1);
    this.#write(out, offset);
    this.reset();
  }

  /** Compresses the `count` blocks of `m` from `off` into the state. */
  #blocks(m: Uint8Array, off: number, count: number): void {
    const w = engine();
    const s = this.#state;
    if (!w) {
      for (let i = 0; i < count; i++, off += 64) {
        load(m, off);
        this.#compress(s);
      }
      return;
    }
    w.m32.set(s);
    let used = 0;
    while (count > 0) {
      const k = Math.min(count, CHUNK_BLOCKS);
      used = Math.max(used, k << 6);
      w.m8.set(m.subarray(off, off + (k << 6)), INPUT);
      w.blocks(this.#kind, INPUT, k);
      off += k << 6;
      count -= k;
    }
    s.set(w.m32.subarray(0, s.length));
    wipe(w, used);
  }

  /**
   * Replaces `data` (exactly one digest) with its own hash, `count` times over: the iterated hash
   * of the PKCS#12 KDF. It works on 32-bit words throughout: a digest's words are the first words
   * of the next one-block message, whose fixed padding words are written once; each round (the
   * compression given the initial state, see {@link compressSha256}) copies the state into the
   * schedule, reloads the initial state and compresses — no bytes are packed or unpacked between
   * rounds, and nothing is allocated. The hasher is reset before and after.
   */
  iterate(data: Uint8Array, count: number): void {
    const n = this.outputLen;
    if (data.length !== n) throw new RangeError(`iterate() needs exactly ${n} bytes, got ${data.length}`);
    if (!(Number.isInteger(count) && count >= 0 && count <= 0x7fffffff)) throw new RangeError(`iterate() needs a count from 0 to 2^31 - 1, got ${String(count)}`);
    const words = n >> 2; // 5 or 8
    const s = this.#state;
    const iv = this.#iv;
    const compress = this.#compress;
    for (let i = 0, o = 0; i < words; i++, o += 4) s[i] = (data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!;
    const w = engine();
    if (w) {
      w.m32.set(s);
      w.iterate(this.#kind, count);
      s.set(w.m32.subarray(0, words));
      wipe(w, 0);
    } else {
      W[words] = 0x80000000 | 0; // the padding bit after the digest (the schedule only rewrites W[16..])
      for (let i = words + 1; i < 15; i++) W[i] = 0;
      W[15] = n * 8; // message length: 160 or 256 bits
      for (let r = 0; r < count; r++) compress(s, iv);
    }
    this.#write(data, 0);
    this.reset();
  }

  /** The state as the big-endian digest. */
  #write(out: Uint8Array, offset: number): void {
    const s = this.#state;
    for (let i = 0; i < s.length; i++) {
      const v = s[i]!;
      out[offset++] = v >>> 24;
      out[offset++] = v >>> 16;
      out[offset++] = v >>> 8;
      out[offset++] = v;
    }
  }
}
