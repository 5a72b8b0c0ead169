/**
 * Decrypt-only Triple DES (DES-EDE3, FIPS 46-3 / NIST SP 800-67) in CBC mode, for legacy PKCS#12
 * files and encrypted PEM keys. WebCrypto has no DES at all.
 *
 * The classic fast software layout: the S-boxes and the P permutation are folded into eight
 * 64-entry "SP" tables (built from the FIPS tables below at the first use), both halves are
 * kept rotated left by one bit so that each 6-bit S-box input is a plain shift-and-mask, and the
 * initial and final permutations are done with the well-known five swap-and-mask steps. The three
 * DES passes run back to back (one IP, 48 rounds, one FP) with a precomputed 96-word subkey array
 * already in decryption order: D(K3), then E(K2), then D(K1).
 *
 * The key schedule is this JavaScript; the block loop runs as WebAssembly where the runtime
 * compiles it (./cipher.wat, the same steps with the same tables), as the JavaScript here where it
 * does not (Cloudflare Workers). In a fresh process the JavaScript runs in V8's interpreter: a
 * legacy file's key bag (about 1,200 bytes: 7,400 round functions) took 2–3.5 ms CPU there.
 *
 * @module
 */
import { wasmCbcDecrypt } from "./cipher.ts";

/** The eight S-boxes, row by row (FIPS 46-3). */
const S = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
  ],
];

/** The P permutation of the round function (1-based bit numbers, MSB first). */
const P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];

/** Permuted choice 1: the 56 key bits that matter, as C (28) then D (28). */
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];

/** Permuted choice 2: the 48 subkey bits, taken from C||D. */
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];

/** Left rotations of C and D before each round. */
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

/** Where P moves each bit: input bit P[j] (1-based, MSB first) becomes output bit j (0-based). */
const P_TO = new Int32Array(33);
for (let j = 0; j < 32; j++) P_TO[P[j]!] = j;

/**
 * SP[64 i + x]: S-box i+1 applied to the 6-bit input x, placed in its nibble, run through P, and
 * rotated left by one bit (the halves are kept in that rotated form). Each of the S-box output's
 * four bits is moved where P sends it (2,048 steps for the eight tables). Running P over all 32
 * bits of every entry instead (16,384 steps) made TurboFan compile this loading code twice,
 * normally and on-stack (`--trace-opt`), and loading the module cost a fresh process 2.8 / 3.0 /
 * 4.3 ms CPU instead of 1.1 / 0.9 / 2.1 on Node 20 / 22 / 24 (medians of 11; issue 16).
 *
 * Built at the first JavaScript decryption, not when the module loads: where WebAssembly runs
 * (Node, Deno, Bun), ./cipher.wat holds the same tables in its data and this JavaScript never runs.
 */
function spTables(): Int32Array {
  const table = new Int32Array(512);
  for (let i = 0; i < 8; i++) {
    const box = S[i]!;
    for (let x = 0; x < 64; x++) {
      const s = box[(x & 0x20) | ((x & 1) << 4) | ((x >>> 1) & 15)]!; // row = outer bits (×16), column = inner 4
      let post = 0;
      for (let k = 0; k < 4; k++) if ((s >>> (3 - k)) & 1) post |= 1 << (31 - P_TO[4 * i + k + 1]!); // s's bit k (MSB first) is input bit 4i+k+1
      table[64 * i + x] = (post << 1) | (post >>> 31);
    }
  }
  return table;
}

/** The SP tables, once the JavaScript has needed them. */
let SP: Int32Array | undefined;

/**
 * The 16 round keys of one DES key, in encryption order, two words per round packed for the
 * rotated round function: word 0 holds the 6-bit groups for S2, S4, S6, S8 (bits 29–24, 21–16,
 * 13–8, 5–0), word 1 those for S1, S3, S5, S7.
 */
function subkeys(key: Uint8Array, off: number): Int32Array {
  // C || D after PC1, one bit per byte.
  const cd = new Uint8Array(56);
  for (let i = 0; i < 56; i++) {
    const p = PC1[i]! - 1;
    cd[i] = (key[off + (p >>> 3)]! >>> (7 - (p & 7))) & 1;
  }
  const out = new Int32Array(32);
  let shift = 0;
  for (let round = 0; round < 16; round++) {
    shift += SHIFTS[round]!; // C and D are each rotated left by `shift` bits in all.
    let w0 = 0;
    let w1 = 0;
    for (let group = 0; group < 8; group++) {
      let g = 0;
      for (let j = 6 * group; j < 6 * group + 6; j++) {
        const q = PC2[j]! - 1;
        g = (g << 1) | (q < 28 ? cd[(q + shift) % 28]! : cd[28 + ((q - 28 + shift) % 28)]!);
      }
      const at = (3 - (group >>> 1)) * 8; // groups 0,1 → bits 24..29; 2,3 → 16..21; …
      if (group & 1) w0 |= g << at;
      else w1 |= g << at;
    }
    out[2 * round] = w0;
    out[2 * round + 1] = w1;
  }
  return out;
}

/** The block being permuted, as two 32-bit halves (the decryption is synchronous: one block at a time). */
const H = new Int32Array(2);

/**
 * One swap-and-mask step of the initial / final permutation: exchanges the bits of half `i`
 * selected by `mask << n` with the bits of the other half selected by `mask`.
 */
function swapMove(i: 0 | 1, n: number, mask: number): void {
  const t = ((H[i]! >>> n) ^ H[1 - i]!) & mask;
  H[1 - i]! ^= t;
  H[i]! ^= t << n;
}

/** The round function f(x, subkey) of DES round `k / 2`, on the rotated half `x` (see {@link spTables}). */
function feistel(sp: Int32Array, x: number, sk: Int32Array, k: number): number {
  const a = x ^ sk[k]!;
  const b = ((x << 28) | (x >>> 4)) ^ sk[k + 1]!;
  return (
    sp[448 + (a & 63)]! ^
    sp[320 + ((a >>> 8) & 63)]! ^
    sp[192 + ((a >>> 16) & 63)]! ^
    sp[64 + ((a >>> 24) & 63)]! ^
    sp[384 + (b & 63)]! ^
    sp[256 + ((b >>> 8) & 63)]! ^
    sp[128 + ((b >>> 16) & 63)]! ^
    sp[(b >>> 24) & 63]!
  );
}

/** The big-endian 32-bit word at `b[o..o+4)`. */
const be32 = (b: Uint8Array, o: number) => (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;

/** Writes `v` big-endian at `b[o..o+4)`. */
function putBe32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}

/**
 * Decrypts `data` with DES-EDE3 in CBC mode and returns the raw plaintext (padding is NOT
 * removed). Decryption of a block is D_K1(E_K2(D_K3(c))) XOR the previous ciphertext block.
 *
 * @param key 24 bytes (K1 || K2 || K3), or 16 bytes for two-key Triple DES (K3 = K1). Parity
 *   bits are ignored.
 * @param iv the 8-byte initialization vector.
 * @param data the ciphertext, a multiple of 8 bytes.
 * @throws RangeError (a caller's mistake: pbe.ts and encrypted-key.ts check what comes from a file first) for a key that is not 16 or 24 bytes, an IV that is not 8 bytes, or data
 *   whose length is not a multiple of 8.
 */
export function des3CbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length !== 24 && key.length !== 16) throw new RangeError(`Triple DES key must be 16 or 24 bytes, got ${key.length}`);
  if (iv.length !== 8) throw new RangeError(`Triple DES IV must be 8 bytes, got ${iv.length}`);
  if (data.length % 8 !== 0) throw new RangeError(`Triple DES ciphertext length must be a multiple of 8, got ${data.length}`);
  const k1 = subkeys(key, 0);
  const k2 = subkeys(key, 8);
  const k3 = key.length === 24 ? subkeys(key, 16) : k1;
  // Decryption order: K3's round keys backwards, K2's forwards, K1's backwards.
  const sk = new Int32Array(96);
  for (let r = 0; r < 16; r++) {
    sk[2 * r] = k3[30 - 2 * r]!;
    sk[2 * r + 1] = k3[31 - 2 * r]!;
    sk[32 + 2 * r] = k2[2 * r]!;
    sk[33 + 2 * r] = k2[2 * r + 1]!;
    sk[64 + 2 * r] = k1[30 - 2 * r]!;
    sk[65 + 2 * r] = k1[31 - 2 * r]!;
  }
  // WebAssembly where it runs (the same steps: ./cipher.wat), else the JavaScript below.
  const fast = wasmCbcDecrypt("des3", sk, iv, data);
  if (fast) return fast;
  const sp = (SP ??= spTables());
  const out = new Uint8Array(data.length);
  let p0 = be32(iv, 0);
  let p1 = be32(iv, 4);
  for (let o = 0; o < data.length; o += 8) {
    const c0 = be32(data, o);
    const c1 = be32(data, o + 4);
    // Initial permutation; leaves both halves rotated left by one bit.
    H[0] = c0;
    H[1] = c1;
    swapMove(0, 4, 0x0f0f0f0f);
    swapMove(0, 16, 0x0000ffff);
    swapMove(1, 2, 0x33333333);
    swapMove(1, 8, 0x00ff00ff);
    let r = (H[1]! << 1) | (H[1]! >>> 31);
    let l = H[0]!;
    let t = (l ^ r) & 0xaaaaaaaa;
    r ^= t;
    l ^= t;
    l = (l << 1) | (l >>> 31);
    // 48 rounds, two per iteration. Each DES pass ends without the final half swap, so the
    // next pass starts with the halves exchanged.
    for (let k = 0; k < 96; k += 4) {
      if (k === 32 || k === 64) {
        t = l;
        l = r;
        r = t;
      }
      l ^= feistel(sp, r, sk, k);
      r ^= feistel(sp, l, sk, k + 2);
    }
    // Final permutation (the inverse of the steps above) of R || L.
    let x = (r << 31) | (r >>> 1);
    let y = l;
    t = (x ^ y) & 0xaaaaaaaa;
    x ^= t;
    y ^= t;
    H[0] = x;
    H[1] = (y << 31) | (y >>> 1);
    swapMove(1, 8, 0x00ff00ff);
    swapMove(1, 2, 0x33333333);
    swapMove(0, 16, 0x0000ffff);
    swapMove(0, 4, 0x0f0f0f0f);
    putBe32(out, o, H[0]! ^ p0);
    putBe32(out, o + 4, H[1]! ^ p1);
    p0 = c0;
    p1 = c1;
  }
  return out;
}
