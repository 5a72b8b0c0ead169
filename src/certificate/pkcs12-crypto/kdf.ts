/**
 * The PKCS#12 password-based key derivation (RFC 7292 Appendix B.2) and a synchronous HMAC
 * (RFC 2104): the keys and IVs of the `pbeWithSHAAnd…` schemes (Appendix C) and the key of a PFX's
 * integrity MAC — with SHA-256 for every OpenSSL 3 default file, SHA-1 for legacy ones. No
 * library offers the PKCS#12 KDF; WebCrypto's digest is asynchronous, far too slow a thousand
 * times in a row.
 *
 * Everything is synchronous and allocation-light: the iterated hash reuses one hasher and one
 * output buffer, so a 2048-iteration derivation costs a few thousand block compressions and
 * nothing else. SHA-1 and SHA-256 are ours (./sha.ts); a caller may pass any other hash of the
 * same shape (pkcs12.ts passes noble's SHA-384 / SHA-512 for the rare MACs that use them).
 *
 * @module
 */
import { Sha } from "./sha.ts";

/** The hash functions this module has itself. */
export type Pkcs12Hash = "SHA-1" | "SHA-256";

/**
 * What the KDF and HMAC need from a hash: {@link Sha}'s shape.
 *
 * @example
 * ```ts
 * const make = (): Hasher => new Sha("SHA-256");
 * pkcs12Kdf(make, bmpPassword("pw"), salt, 3, 2048, 32);
 * ```
 */
export interface Hasher {
  readonly blockLen: number;
  readonly outputLen: number;
  update(data: Uint8Array): Hasher;
  /** Writes the digest and resets the hasher. */
  digestInto(out: Uint8Array, offset?: number): void;
  /** Replaces a digest with its own hash, `count` times over. */
  iterate(data: Uint8Array, count: number): void;
}

/** A hasher: ours by name, or what `make` builds. */
function hasher(hash: Pkcs12Hash | (() => Hasher)): Hasher {
  if (typeof hash === "function") return hash();
  if (hash === "SHA-1" || hash === "SHA-256") return new Sha(hash);
  throw new RangeError(`unsupported hash ${JSON.stringify(hash)} (expected "SHA-1" or "SHA-256")`);
}

/**
 * Encodes a password as PKCS#12 wants it (RFC 7292 Appendix B.1): UTF-16 big-endian followed by
 * a two-byte zero terminator. `undefined` means "no password" and gives an empty array; `""`
 * gives just the terminator. Characters outside the BMP become surrogate pairs, as OpenSSL does.
 *
 * @example
 * ```ts
 * bmpPassword("a"); // Uint8Array [0x00, 0x61, 0x00, 0x00]
 * ```
 */
export function bmpPassword(password: string | undefined): Uint8Array {
  if (password === undefined) return new Uint8Array(0);
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[2 * i] = c >>> 8;
    out[2 * i + 1] = c;
  }
  return out;
}

/** Fills `dst[from, from + len)` with `src` repeated. */
function repeatInto(dst: Uint8Array, from: number, len: number, src: Uint8Array): void {
  for (let i = 0; i < len; i++) dst[from + i] = src[i % src.length]!;
}

/**
 * Derives `length` bytes with the PKCS#12 KDF (RFC 7292 Appendix B.2).
 *
 * @param hash the hash function (`"SHA-1"` for the legacy PBE schemes; PKCS#12 MACs may use any),
 *   or a function that makes a hasher of another one.
 * @param password the password as {@link bmpPassword} encodes it (empty for "no password").
 * @param salt the salt from the file.
 * @param id 1 for a cipher key, 2 for an IV, 3 for a MAC key.
 * @param iterations the iteration count (an integer ≥ 1). This function sets no upper bound:
 *   callers taking the count from a file should cap it (`MAX_ITERATIONS`, lib/limits.ts).
 * @param length how many bytes to derive.
 * @throws RangeError for an unknown hash, an id other than 1–3, or a bad iteration count or length.
 *
 * @example
 * ```ts
 * const macKey = pkcs12Kdf("SHA-256", bmpPassword(password), macSalt, 3, 2048, 32);
 * ```
 */
export function pkcs12Kdf(
  hash: Pkcs12Hash | (() => Hasher),
  password: Uint8Array,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
): Uint8Array {
  const h = hasher(hash);
  if (id !== 1 && id !== 2 && id !== 3) throw new RangeError(`PKCS#12 KDF id must be 1, 2 or 3, got ${String(id)}`);
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new RangeError(`PKCS#12 KDF iteration count must be a positive integer, got ${String(iterations)}`);
  }
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`PKCS#12 KDF output length must be a non-negative integer, got ${String(length)}`);
  }
  const u = h.outputLen;
  const v = h.blockLen;
  const d = new Uint8Array(v).fill(id);
  const sLen = v * Math.ceil(salt.length / v);
  const pLen = v * Math.ceil(password.length / v);
  const data = new Uint8Array(sLen + pLen); // I = S || P
  repeatInto(data, 0, sLen, salt);
  repeatInto(data, sLen, pLen, password);
  const out = new Uint8Array(length);
  const a = new Uint8Array(u);
  for (let off = 0; off < length; off += u) {
    h.update(d).update(data).digestInto(a); // A = H(D || I) …
    h.iterate(a, iterations - 1); // … then A = H(A): `iterations` hashes in all (RFC 7292's H^r).
    const take = Math.min(u, length - off);
    for (let i = 0; i < take; i++) out[off + i] = a[i]!;
    if (off + u < length) {
      // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block I_j, where B is A repeated to v bytes.
      for (let j = 0; j < data.length; j += v) {
        let carry = 1;
        for (let k = v - 1; k >= 0; k--) {
          carry += data[j + k]! + a[k % u]!;
          data[j + k] = carry;
          carry >>>= 8;
        }
      }
    }
  }
  return out;
}

/**
 * HMAC (RFC 2104) of `data` under `key`, synchronously. Used to verify a PKCS#12 file's MAC,
 * whose key comes from {@link pkcs12Kdf} with id 3.
 *
 * @throws RangeError for an unknown hash.
 *
 * @example
 * ```ts
 * const ok = sameBytes(hmac("SHA-256", macKey, authSafeContent), expectedMac);
 * ```
 */
export function hmac(hash: Pkcs12Hash | (() => Hasher), key: Uint8Array, data: Uint8Array): Uint8Array {
  const h = hasher(hash);
  const bl = h.blockLen;
  const k = new Uint8Array(bl);
  if (key.length > bl) h.update(key).digestInto(k);
  else k.set(key);
  const pad = new Uint8Array(bl);
  for (let i = 0; i < bl; i++) pad[i] = k[i]! ^ 0x36;
  const inner = new Uint8Array(h.outputLen);
  h.update(pad).update(data).digestInto(inner);
  for (let i = 0; i < bl; i++) pad[i] = k[i]! ^ 0x5c;
  const out = new Uint8Array(h.outputLen);
  h.update(pad).update(inner).digestInto(out);
  return out;
}
