/**
 * Decrypt-only RC2 (RFC 2268) in CBC mode, for legacy PKCS#12 files (`pbeWithSHAAnd40BitRC2-CBC`
 * is what old Windows and OpenSSL versions used for the certificate bag). WebCrypto has no RC2.
 *
 * The 64 expanded key words live in an `Int32Array`; each block is decrypted with the 16-bit
 * words held in locals, masking after every subtraction and rotation.
 *
 * @module
 */
import { wasmCbcDecrypt } from "./cipher.ts";

/** PITABLE (RFC 2268 §2): a permutation of 0..255 derived from the digits of π. */
const PITABLE = new Uint8Array([
  0xd9, 0x78, 0xf9, 0xc4, 0x19, 0xdd, 0xb5, 0xed, 0x28, 0xe9, 0xfd, 0x79, 0x4a, 0xa0, 0xd8, 0x9d,
  0xc6, 0x7e, 0x37, 0x83, 0x2b, 0x76, 0x53, 0x8e, 0x62, 0x4c, 0x64, 0x88, 0x44, 0x8b, 0xfb, 0xa2,
  0x17, 0x9a, 0x59, 0xf5, 0x87, 0xb3, 0x4f, 0x13, 0x61, 0x45, 0x6d, 0x8d, 0x09, 0x81, 0x7d, 0x32,
  0xbd, 0x8f, 0x40, 0xeb, 0x86, 0xb7, 0x7b, 0x0b, 0xf0, 0x95, 0x21, 0x22, 0x5c, 0x6b, 0x4e, 0x82,
  0x54, 0xd6, 0x65, 0x93, 0xce, 0x60, 0xb2, 0x1c, 0x73, 0x56, 0xc0, 0x14, 0xa7, 0x8c, 0xf1, 0xdc,
  0x12, 0x75, 0xca, 0x1f, 0x3b, 0xbe, 0xe4, 0xd1, 0x42, 0x3d, 0xd4, 0x30, 0xa3, 0x3c, 0xb6, 0x26,
  0x6f, 0xbf, 0x0e, 0xda, 0x46, 0x69, 0x07, 0x57, 0x27, 0xf2, 0x1d, 0x9b, 0xbc, 0x94, 0x43, 0x03,
  0xf8, 0x11, 0xc7, 0xf6, 0x90, 0xef, 0x3e, 0xe7, 0x06, 0xc3, 0xd5, 0x2f, 0xc8, 0x66, 0x1e, 0xd7,
  0x08, 0xe8, 0xea, 0xde, 0x80, 0x52, 0xee, 0xf7, 0x84, 0xaa, 0x72, 0xac, 0x35, 0x4d, 0x6a, 0x2a,
  0x96, 0x1a, 0xd2, 0x71, 0x5a, 0x15, 0x49, 0x74, 0x4b, 0x9f, 0xd0, 0x5e, 0x04, 0x18, 0xa4, 0xec,
  0xc2, 0xe0, 0x41, 0x6e, 0x0f, 0x51, 0xcb, 0xcc, 0x24, 0x91, 0xaf, 0x50, 0xa1, 0xf4, 0x70, 0x39,
  0x99, 0x7c, 0x3a, 0x85, 0x23, 0xb8, 0xb4, 0x7a, 0xfc, 0x02, 0x36, 0x5b, 0x25, 0x55, 0x97, 0x31,
  0x2d, 0x5d, 0xfa, 0x98, 0xe3, 0x8a, 0x92, 0xae, 0x05, 0xdf, 0x29, 0x10, 0x67, 0x6c, 0xba, 0xc9,
  0xd3, 0x00, 0xe6, 0xcf, 0xe1, 0x9e, 0xa8, 0x2c, 0x63, 0x16, 0x01, 0x3f, 0x58, 0xe2, 0x89, 0xa9,
  0x0d, 0x38, 0x34, 0x1b, 0xab, 0x33, 0xff, 0xb0, 0xbb, 0x48, 0x0c, 0x5f, 0xb9, 0xb1, 0xcd, 0x2e,
  0xc5, 0xf3, 0xdb, 0x47, 0xe5, 0xa5, 0x9c, 0x77, 0x0a, 0xa6, 0x20, 0x68, 0xfe, 0x7f, 0xc1, 0xad,
]);

/** Key expansion (RFC 2268 §2): the 64 16-bit key words K[0..63]. */
function expandKey(key: Uint8Array, effectiveBits: number): Int32Array {
  const l = new Uint8Array(128);
  const t = key.length;
  l.set(key);
  for (let i = t; i < 128; i++) l[i] = PITABLE[(l[i - 1]! + l[i - t]!) & 255]!;
  const t8 = (effectiveBits + 7) >>> 3;
  const tm = 255 >>> (8 * t8 - effectiveBits);
  l[128 - t8] = PITABLE[l[128 - t8]! & tm]!;
  for (let i = 127 - t8; i >= 0; i--) l[i] = PITABLE[l[i + 1]! ^ l[i + t8]!]!;
  const k = new Int32Array(64);
  for (let i = 0; i < 64; i++) k[i] = l[2 * i]! | (l[2 * i + 1]! << 8);
  return k;
}

/**
 * Decrypts `data` with RC2 in CBC mode and returns the raw plaintext (padding is NOT removed).
 *
 * @param key the key, 1 to 128 bytes.
 * @param effectiveBits the effective key length in bits, 1 to 1024 (RFC 2268's T1). PKCS#12's
 *   `pbeWithSHAAnd40BitRC2-CBC` uses 40 with a 5-byte key, `…128BitRC2-CBC` 128 with 16 bytes.
 * @param iv the 8-byte initialization vector.
 * @param data the ciphertext, a multiple of 8 bytes.
 * @throws RangeError (a caller's mistake: pbe.ts and encrypted-key.ts check what comes from a file first) for a key that is empty or longer than 128 bytes, effective bits outside
 *   1–1024, an IV that is not 8 bytes, or data whose length is not a multiple of 8.
 */
export function rc2CbcDecrypt(key: Uint8Array, effectiveBits: number, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length < 1 || key.length > 128) throw new RangeError(`RC2 key must be 1 to 128 bytes, got ${key.length}`);
  if (!Number.isInteger(effectiveBits) || effectiveBits < 1 || effectiveBits > 1024) {
    throw new RangeError(`RC2 effective key bits must be an integer from 1 to 1024, got ${String(effectiveBits)}`);
  }
  if (iv.length !== 8) throw new RangeError(`RC2 IV must be 8 bytes, got ${iv.length}`);
  if (data.length % 8 !== 0) throw new RangeError(`RC2 ciphertext length must be a multiple of 8, got ${data.length}`);
  const k = expandKey(key, effectiveBits);
  // WebAssembly where it runs (the same steps: ./cipher.wat), else the JavaScript below.
  const fast = wasmCbcDecrypt("rc2", k, iv, data);
  if (fast) return fast;
  const out = new Uint8Array(data.length);
  let p0 = iv[0]! | (iv[1]! << 8);
  let p1 = iv[2]! | (iv[3]! << 8);
  let p2 = iv[4]! | (iv[5]! << 8);
  let p3 = iv[6]! | (iv[7]! << 8);
  for (let o = 0; o < data.length; o += 8) {
    const c0 = data[o]! | (data[o + 1]! << 8);
    const c1 = data[o + 2]! | (data[o + 3]! << 8);
    const c2 = data[o + 4]! | (data[o + 5]! << 8);
    const c3 = data[o + 6]! | (data[o + 7]! << 8);
    let r0 = c0;
    let r1 = c1;
    let r2 = c2;
    let r3 = c3;
    // Five r-mixing rounds, an r-mashing round, six r-mixing rounds, an r-mashing round, five
    // r-mixing rounds (RFC 2268 §4.5), consuming K[63] down to K[0].
    for (let j = 63; j >= 0; j -= 4) {
      r3 = ((r3 >>> 5) | (r3 << 11)) & 0xffff;
      r3 = (r3 - k[j]! - (r2 & r1) - (~r2 & r0)) & 0xffff;
      r2 = ((r2 >>> 3) | (r2 << 13)) & 0xffff;
      r2 = (r2 - k[j - 1]! - (r1 & r0) - (~r1 & r3)) & 0xffff;
      r1 = ((r1 >>> 2) | (r1 << 14)) & 0xffff;
      r1 = (r1 - k[j - 2]! - (r0 & r3) - (~r0 & r2)) & 0xffff;
      r0 = ((r0 >>> 1) | (r0 << 15)) & 0xffff;
      r0 = (r0 - k[j - 3]! - (r3 & r2) - (~r3 & r1)) & 0xffff;
      if (j === 47 || j === 23) {
        r3 = (r3 - k[r2 & 63]!) & 0xffff;
        r2 = (r2 - k[r1 & 63]!) & 0xffff;
        r1 = (r1 - k[r0 & 63]!) & 0xffff;
        r0 = (r0 - k[r3 & 63]!) & 0xffff;
      }
    }
    r0 ^= p0;
    r1 ^= p1;
    r2 ^= p2;
    r3 ^= p3;
    out[o] = r0;
    out[o + 1] = r0 >>> 8;
    out[o + 2] = r1;
    out[o + 3] = r1 >>> 8;
    out[o + 4] = r2;
    out[o + 5] = r2 >>> 8;
    out[o + 6] = r3;
    out[o + 7] = r3 >>> 8;
    p0 = c0;
    p1 = c1;
    p2 = c2;
    p3 = c3;
  }
  return out;
}
