/**
 * Synchronous SHA-1 (FIPS 180-4), for the legacy PKCS#12 key derivation and MAC.
 *
 * WebCrypto only hashes asynchronously, and the PKCS#12 KDF hashes thousands of times in a row,
 * so this module does it synchronously: 64-byte blocks straight from the input (only a partial
 * block is buffered), a fully unrolled compression function, no allocation per block. SHA-1 is
 * used here only to open legacy files, never to sign anything.
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
      compress(this.state, buf, 0);
      pos = 0;
    }
    while (n - off >= 64) {
      compress(this.state, data, off);
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
      compress(this.state, buf, 0);
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
    compress(this.state, buf, 0);
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

  /**
   * Replaces `data` (exactly 20 bytes, one digest) with its own hash, `count` times over: the
   * iterated hash of the PKCS#12 KDF. The padded one-block message is laid out once and each
   * round only reloads the initial state, compresses, and writes the digest back into the block,
   * so no round allocates or pads. The hasher is reset before and after.
   */
  iterate(data: Uint8Array, count: number): void {
    if (data.length !== 20) throw new RangeError(`iterate() needs exactly 20 bytes, got ${data.length}`);
    const buf = this.buf;
    const s = this.state;
    for (let i = 0; i < 20; i++) buf[i] = data[i]!;
    buf[20] = 0x80;
    for (let i = 21; i < 62; i++) buf[i] = 0;
    buf[62] = 0; // message length: 160 bits
    buf[63] = 160;
    for (let r = 0; r < count; r++) {
      this.reset();
      compress(s, buf, 0);
      for (let i = 0, o = 0; i < 5; i++) {
        const v = s[i]!;
        buf[o++] = v >>> 24;
        buf[o++] = v >>> 16;
        buf[o++] = v >>> 8;
        buf[o++] = v;
      }
    }
    for (let i = 0; i < 20; i++) data[i] = buf[i]!;
    this.reset();
  }

  /** Returns the 20-byte digest and resets. */
  digest(): Uint8Array {
    const out = new Uint8Array(20);
    this.digestInto(out, 0);
    return out;
  }
}

/**
 * Processes the 64-byte block at `m[o..o+64)`.
 *
 * Fully unrolled: the 16-word window of the message schedule lives in locals (`w0`–`w15`, each
 * overwritten in place by W[t] = rotl1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16])) that the JIT keeps in
 * registers, and the five working variables rotate by renaming rather than by moves. On V8 and
 * JavaScriptCore this is about twice as fast as a loop over an 80-word `Int32Array`. The round
 * constants above 2^31 are written as signed 32-bit values so every sum stays an int32.
 */
function compress(st: Int32Array, m: Uint8Array, o: number): void {
  let w0 = (m[o + 0]! << 24) | (m[o + 1]! << 16) | (m[o + 2]! << 8) | m[o + 3]!;
  let w1 = (m[o + 4]! << 24) | (m[o + 5]! << 16) | (m[o + 6]! << 8) | m[o + 7]!;
  let w2 = (m[o + 8]! << 24) | (m[o + 9]! << 16) | (m[o + 10]! << 8) | m[o + 11]!;
  let w3 = (m[o + 12]! << 24) | (m[o + 13]! << 16) | (m[o + 14]! << 8) | m[o + 15]!;
  let w4 = (m[o + 16]! << 24) | (m[o + 17]! << 16) | (m[o + 18]! << 8) | m[o + 19]!;
  let w5 = (m[o + 20]! << 24) | (m[o + 21]! << 16) | (m[o + 22]! << 8) | m[o + 23]!;
  let w6 = (m[o + 24]! << 24) | (m[o + 25]! << 16) | (m[o + 26]! << 8) | m[o + 27]!;
  let w7 = (m[o + 28]! << 24) | (m[o + 29]! << 16) | (m[o + 30]! << 8) | m[o + 31]!;
  let w8 = (m[o + 32]! << 24) | (m[o + 33]! << 16) | (m[o + 34]! << 8) | m[o + 35]!;
  let w9 = (m[o + 36]! << 24) | (m[o + 37]! << 16) | (m[o + 38]! << 8) | m[o + 39]!;
  let w10 = (m[o + 40]! << 24) | (m[o + 41]! << 16) | (m[o + 42]! << 8) | m[o + 43]!;
  let w11 = (m[o + 44]! << 24) | (m[o + 45]! << 16) | (m[o + 46]! << 8) | m[o + 47]!;
  let w12 = (m[o + 48]! << 24) | (m[o + 49]! << 16) | (m[o + 50]! << 8) | m[o + 51]!;
  let w13 = (m[o + 52]! << 24) | (m[o + 53]! << 16) | (m[o + 54]! << 8) | m[o + 55]!;
  let w14 = (m[o + 56]! << 24) | (m[o + 57]! << 16) | (m[o + 58]! << 8) | m[o + 59]!;
  let w15 = (m[o + 60]! << 24) | (m[o + 61]! << 16) | (m[o + 62]! << 8) | m[o + 63]!;
  let a = st[0]!;
  let b = st[1]!;
  let c = st[2]!;
  let d = st[3]!;
  let e = st[4]!;
  let x = 0;
  // Rounds 0–19: Ch(b, c, d), K = 0x5a827999.
  e = (e + ((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + w0 + 0x5a827999) | 0;
  b = (b << 30) | (b >>> 2);
  d = (d + ((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + w1 + 0x5a827999) | 0;
  a = (a << 30) | (a >>> 2);
  c = (c + ((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + w2 + 0x5a827999) | 0;
  e = (e << 30) | (e >>> 2);
  b = (b + ((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + w3 + 0x5a827999) | 0;
  d = (d << 30) | (d >>> 2);
  a = (a + ((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + w4 + 0x5a827999) | 0;
  c = (c << 30) | (c >>> 2);
  e = (e + ((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + w5 + 0x5a827999) | 0;
  b = (b << 30) | (b >>> 2);
  d = (d + ((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + w6 + 0x5a827999) | 0;
  a = (a << 30) | (a >>> 2);
  c = (c + ((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + w7 + 0x5a827999) | 0;
  e = (e << 30) | (e >>> 2);
  b = (b + ((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + w8 + 0x5a827999) | 0;
  d = (d << 30) | (d >>> 2);
  a = (a + ((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + w9 + 0x5a827999) | 0;
  c = (c << 30) | (c >>> 2);
  e = (e + ((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + w10 + 0x5a827999) | 0;
  b = (b << 30) | (b >>> 2);
  d = (d + ((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + w11 + 0x5a827999) | 0;
  a = (a << 30) | (a >>> 2);
  c = (c + ((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + w12 + 0x5a827999) | 0;
  e = (e << 30) | (e >>> 2);
  b = (b + ((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + w13 + 0x5a827999) | 0;
  d = (d << 30) | (d >>> 2);
  a = (a + ((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + w14 + 0x5a827999) | 0;
  c = (c << 30) | (c >>> 2);
  e = (e + ((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + w15 + 0x5a827999) | 0;
  b = (b << 30) | (b >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0;
  w0 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + w0 + 0x5a827999) | 0;
  a = (a << 30) | (a >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1;
  w1 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + w1 + 0x5a827999) | 0;
  e = (e << 30) | (e >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2;
  w2 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + w2 + 0x5a827999) | 0;
  d = (d << 30) | (d >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3;
  w3 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + w3 + 0x5a827999) | 0;
  c = (c << 30) | (c >>> 2);
  // Rounds 20–39: Parity, K = 0x6ed9eba1.
  x = w1 ^ w12 ^ w6 ^ w4;
  w4 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + w4 + 0x6ed9eba1) | 0;
  b = (b << 30) | (b >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5;
  w5 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + w5 + 0x6ed9eba1) | 0;
  a = (a << 30) | (a >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6;
  w6 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + w6 + 0x6ed9eba1) | 0;
  e = (e << 30) | (e >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7;
  w7 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + w7 + 0x6ed9eba1) | 0;
  d = (d << 30) | (d >>> 2);
  x = w5 ^ w0 ^ w10 ^ w8;
  w8 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + w8 + 0x6ed9eba1) | 0;
  c = (c << 30) | (c >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9;
  w9 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + w9 + 0x6ed9eba1) | 0;
  b = (b << 30) | (b >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10;
  w10 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + w10 + 0x6ed9eba1) | 0;
  a = (a << 30) | (a >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11;
  w11 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + w11 + 0x6ed9eba1) | 0;
  e = (e << 30) | (e >>> 2);
  x = w9 ^ w4 ^ w14 ^ w12;
  w12 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + w12 + 0x6ed9eba1) | 0;
  d = (d << 30) | (d >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13;
  w13 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + w13 + 0x6ed9eba1) | 0;
  c = (c << 30) | (c >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14;
  w14 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + w14 + 0x6ed9eba1) | 0;
  b = (b << 30) | (b >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15;
  w15 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + w15 + 0x6ed9eba1) | 0;
  a = (a << 30) | (a >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0;
  w0 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + w0 + 0x6ed9eba1) | 0;
  e = (e << 30) | (e >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1;
  w1 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + w1 + 0x6ed9eba1) | 0;
  d = (d << 30) | (d >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2;
  w2 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + w2 + 0x6ed9eba1) | 0;
  c = (c << 30) | (c >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3;
  w3 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + w3 + 0x6ed9eba1) | 0;
  b = (b << 30) | (b >>> 2);
  x = w1 ^ w12 ^ w6 ^ w4;
  w4 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + w4 + 0x6ed9eba1) | 0;
  a = (a << 30) | (a >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5;
  w5 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + w5 + 0x6ed9eba1) | 0;
  e = (e << 30) | (e >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6;
  w6 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + w6 + 0x6ed9eba1) | 0;
  d = (d << 30) | (d >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7;
  w7 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + w7 + 0x6ed9eba1) | 0;
  c = (c << 30) | (c >>> 2);
  // Rounds 40–59: Maj, K = 0x8f1bbcdc (as int32: -1894007588).
  x = w5 ^ w0 ^ w10 ^ w8;
  w8 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + w8 - 1894007588) | 0;
  b = (b << 30) | (b >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9;
  w9 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) + w9 - 1894007588) | 0;
  a = (a << 30) | (a >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10;
  w10 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) + w10 - 1894007588) | 0;
  e = (e << 30) | (e >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11;
  w11 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) + w11 - 1894007588) | 0;
  d = (d << 30) | (d >>> 2);
  x = w9 ^ w4 ^ w14 ^ w12;
  w12 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) + w12 - 1894007588) | 0;
  c = (c << 30) | (c >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13;
  w13 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + w13 - 1894007588) | 0;
  b = (b << 30) | (b >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14;
  w14 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) + w14 - 1894007588) | 0;
  a = (a << 30) | (a >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15;
  w15 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) + w15 - 1894007588) | 0;
  e = (e << 30) | (e >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0;
  w0 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) + w0 - 1894007588) | 0;
  d = (d << 30) | (d >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1;
  w1 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) + w1 - 1894007588) | 0;
  c = (c << 30) | (c >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2;
  w2 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + w2 - 1894007588) | 0;
  b = (b << 30) | (b >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3;
  w3 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) + w3 - 1894007588) | 0;
  a = (a << 30) | (a >>> 2);
  x = w1 ^ w12 ^ w6 ^ w4;
  w4 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) + w4 - 1894007588) | 0;
  e = (e << 30) | (e >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5;
  w5 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) + w5 - 1894007588) | 0;
  d = (d << 30) | (d >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6;
  w6 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) + w6 - 1894007588) | 0;
  c = (c << 30) | (c >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7;
  w7 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + w7 - 1894007588) | 0;
  b = (b << 30) | (b >>> 2);
  x = w5 ^ w0 ^ w10 ^ w8;
  w8 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) + w8 - 1894007588) | 0;
  a = (a << 30) | (a >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9;
  w9 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) + w9 - 1894007588) | 0;
  e = (e << 30) | (e >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10;
  w10 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) + w10 - 1894007588) | 0;
  d = (d << 30) | (d >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11;
  w11 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) + w11 - 1894007588) | 0;
  c = (c << 30) | (c >>> 2);
  // Rounds 60–79: Parity, K = 0xca62c1d6 (as int32: -899497514).
  x = w9 ^ w4 ^ w14 ^ w12;
  w12 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + w12 - 899497514) | 0;
  b = (b << 30) | (b >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13;
  w13 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + w13 - 899497514) | 0;
  a = (a << 30) | (a >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14;
  w14 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + w14 - 899497514) | 0;
  e = (e << 30) | (e >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15;
  w15 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + w15 - 899497514) | 0;
  d = (d << 30) | (d >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0;
  w0 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + w0 - 899497514) | 0;
  c = (c << 30) | (c >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1;
  w1 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + w1 - 899497514) | 0;
  b = (b << 30) | (b >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2;
  w2 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + w2 - 899497514) | 0;
  a = (a << 30) | (a >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3;
  w3 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + w3 - 899497514) | 0;
  e = (e << 30) | (e >>> 2);
  x = w1 ^ w12 ^ w6 ^ w4;
  w4 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + w4 - 899497514) | 0;
  d = (d << 30) | (d >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5;
  w5 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + w5 - 899497514) | 0;
  c = (c << 30) | (c >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6;
  w6 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + w6 - 899497514) | 0;
  b = (b << 30) | (b >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7;
  w7 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + w7 - 899497514) | 0;
  a = (a << 30) | (a >>> 2);
  x = w5 ^ w0 ^ w10 ^ w8;
  w8 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + w8 - 899497514) | 0;
  e = (e << 30) | (e >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9;
  w9 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + w9 - 899497514) | 0;
  d = (d << 30) | (d >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10;
  w10 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + w10 - 899497514) | 0;
  c = (c << 30) | (c >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11;
  w11 = (x << 1) | (x >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + w11 - 899497514) | 0;
  b = (b << 30) | (b >>> 2);
  x = w9 ^ w4 ^ w14 ^ w12;
  w12 = (x << 1) | (x >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + w12 - 899497514) | 0;
  a = (a << 30) | (a >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13;
  w13 = (x << 1) | (x >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + w13 - 899497514) | 0;
  e = (e << 30) | (e >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14;
  w14 = (x << 1) | (x >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + w14 - 899497514) | 0;
  d = (d << 30) | (d >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15;
  w15 = (x << 1) | (x >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + w15 - 899497514) | 0;
  c = (c << 30) | (c >>> 2);
  st[0] = (st[0]! + a) | 0;
  st[1] = (st[1]! + b) | 0;
  st[2] = (st[2]! + c) | 0;
  st[3] = (st[3]! + d) | 0;
  st[4] = (st[4]! + e) | 0;
}

const shared = new Sha1();

/** SHA-1 of `data` (20 bytes). */
export function sha1(data: Uint8Array): Uint8Array {
  return shared.reset().update(data).digest();
}
