/**
 * Synchronous SHA-256 (FIPS 180-4), for the PKCS#12 key derivation and MAC with SHA-256.
 *
 * WebCrypto only hashes asynchronously, and the PKCS#12 KDF hashes thousands of times in a row,
 * so this module does it synchronously: 64-byte blocks, a preallocated message schedule, no
 * allocation per block.
 *
 * @module
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** Incremental SHA-256. One instance can be reused: {@link Sha256.digestInto} resets it. */
export class Sha256 {
  /** Block size in bytes. */
  readonly blockLen = 64;
  /** Digest size in bytes. */
  readonly outputLen = 32;
  private readonly state = new Int32Array(8);
  private readonly w = new Int32Array(64);
  private readonly buf = new Uint8Array(64);
  private pos = 0;
  private length = 0;

  constructor() {
    this.reset();
  }

  /** Forgets everything hashed so far. */
  reset(): this {
    this.state.set(IV);
    this.pos = 0;
    this.length = 0;
    return this;
  }

  /** Hashes `data` (appends it to the message). */
  update(data: Uint8Array): this {
    const n = data.length;
    const buf = this.buf;
    let off = 0;
    let pos = this.pos;
    this.length += n;
    if (pos > 0) {
      while (pos < 64 && off < n) buf[pos++] = data[off++]!;
      if (pos < 64) {
        this.pos = pos;
        return this;
      }
      compress(this.state, this.w, buf, 0);
      pos = 0;
    }
    while (n - off >= 64) {
      compress(this.state, this.w, data, off);
      off += 64;
    }
    while (off < n) buf[pos++] = data[off++]!;
    this.pos = pos;
    return this;
  }

  /** Writes the 32-byte digest to `out` at `offset`, then resets. */
  digestInto(out: Uint8Array, offset = 0): void {
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = 0x80;
    if (pos > 56) {
      while (pos < 64) buf[pos++] = 0;
      compress(this.state, this.w, buf, 0);
      pos = 0;
    }
    while (pos < 56) buf[pos++] = 0;
    const hi = Math.floor(this.length / 0x20000000);
    const lo = this.length << 3;
    buf[56] = hi >>> 24;
    buf[57] = hi >>> 16;
    buf[58] = hi >>> 8;
    buf[59] = hi;
    buf[60] = lo >>> 24;
    buf[61] = lo >>> 16;
    buf[62] = lo >>> 8;
    buf[63] = lo;
    compress(this.state, this.w, buf, 0);
    const s = this.state;
    for (let i = 0; i < 8; i++) {
      const v = s[i]!;
      out[offset++] = v >>> 24;
      out[offset++] = v >>> 16;
      out[offset++] = v >>> 8;
      out[offset++] = v;
    }
    this.reset();
  }

  /** Returns the 32-byte digest and resets. */
  digest(): Uint8Array {
    const out = new Uint8Array(32);
    this.digestInto(out, 0);
    return out;
  }
}

/** Processes the 64-byte block at `b[o..o+64)`. */
function compress(s: Int32Array, w: Int32Array, b: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++, o += 4) {
    w[i] = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (s1 + w[i - 7]! + s0 + w[i - 16]!) | 0;
  }
  let a = s[0]!;
  let b1 = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  let e = s[4]!;
  let f = s[5]!;
  let g = s[6]!;
  let h = s[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b1) ^ (a & c) ^ (b1 & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b1;
    b1 = a;
    a = (t1 + t2) | 0;
  }
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b1) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
  s[4] = (s[4]! + e) | 0;
  s[5] = (s[5]! + f) | 0;
  s[6] = (s[6]! + g) | 0;
  s[7] = (s[7]! + h) | 0;
}

const shared = new Sha256();

/** SHA-256 of `data` (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  return shared.reset().update(data).digest();
}
