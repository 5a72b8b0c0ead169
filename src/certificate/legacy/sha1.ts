/**
 * Synchronous SHA-1 (FIPS 180-4), for the legacy PKCS#12 key derivation and MAC.
 *
 * WebCrypto only hashes asynchronously, and the PKCS#12 KDF hashes thousands of times in a row,
 * so this module does it synchronously: 64-byte blocks, a preallocated message schedule, no
 * allocation per block. SHA-1 is used here only to open legacy files, never to sign anything.
 *
 * @module
 */

/** Incremental SHA-1. One instance can be reused: {@link Sha1.digestInto} resets it. */
export class Sha1 {
  /** Block size in bytes. */
  readonly blockLen = 64;
  /** Digest size in bytes. */
  readonly outputLen = 20;
  private readonly state = new Int32Array(5);
  private readonly w = new Int32Array(80);
  private readonly buf = new Uint8Array(64);
  private pos = 0;
  private length = 0;

  constructor() {
    this.reset();
  }

  /** Forgets everything hashed so far. */
  reset(): this {
    const s = this.state;
    s[0] = 0x67452301;
    s[1] = 0xefcdab89 | 0;
    s[2] = 0x98badcfe | 0;
    s[3] = 0x10325476;
    s[4] = 0xc3d2e1f0 | 0;
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

  /** Writes the 20-byte digest to `out` at `offset`, then resets. */
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
    for (let i = 0; i < 5; i++) {
      const v = s[i]!;
      out[offset++] = v >>> 24;
      out[offset++] = v >>> 16;
      out[offset++] = v >>> 8;
      out[offset++] = v;
    }
    this.reset();
  }

  /** Returns the 20-byte digest and resets. */
  digest(): Uint8Array {
    const out = new Uint8Array(20);
    this.digestInto(out, 0);
    return out;
  }
}

/** Processes the 64-byte block at `b[o..o+64)`. */
function compress(s: Int32Array, w: Int32Array, b: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++, o += 4) {
    w[i] = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
  }
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = s[0]!;
  let b1 = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  let e = s[4]!;
  let i = 0;
  // The round constants are written as signed 32-bit values so that the sums stay int32.
  for (; i < 20; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b1 & c) | (~b1 & d)) + e + w[i]! + 0x5a827999) | 0;
    e = d;
    d = c;
    c = (b1 << 30) | (b1 >>> 2);
    b1 = a;
    a = t;
  }
  for (; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b1 ^ c ^ d) + e + w[i]! + 0x6ed9eba1) | 0;
    e = d;
    d = c;
    c = (b1 << 30) | (b1 >>> 2);
    b1 = a;
    a = t;
  }
  for (; i < 60; i++) {
    // 0x8f1bbcdc
    const t = (((a << 5) | (a >>> 27)) + ((b1 & c) | (b1 & d) | (c & d)) + e + w[i]! - 1894007588) | 0;
    e = d;
    d = c;
    c = (b1 << 30) | (b1 >>> 2);
    b1 = a;
    a = t;
  }
  for (; i < 80; i++) {
    // 0xca62c1d6
    const t = (((a << 5) | (a >>> 27)) + (b1 ^ c ^ d) + e + w[i]! - 899497514) | 0;
    e = d;
    d = c;
    c = (b1 << 30) | (b1 >>> 2);
    b1 = a;
    a = t;
  }
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b1) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
  s[4] = (s[4]! + e) | 0;
}

const shared = new Sha1();

/** SHA-1 of `data` (20 bytes). */
export function sha1(data: Uint8Array): Uint8Array {
  return shared.reset().update(data).digest();
}
