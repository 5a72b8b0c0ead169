/**
 * Bytes and text, written once for the whole library: UTF-8, base64 and base64url, hex, a
 * binary string, a constant-time comparison, PKCS#7 unpadding in constant time, and the copy that
 * makes a caller's bytes safe to hand to code that reads a whole `ArrayBuffer`. Web-standard APIs
 * only (`TextEncoder`, `btoa`/`atob`): no runtime's buffers.
 *
 * @module
 */

/**
 * `text` as UTF-8 bytes (a lone surrogate becomes U+FFFD, as `fetch` would send it).
 *
 * @example
 * ```ts
 * utf8("é"); // Uint8Array [0xc3, 0xa9]
 * ```
 */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  // No module-level encoder: this module is also reached through the lazy certificate imports,
  // and a module with top-level state would be wrapped in a lazy initialiser in every bundle.
  return new TextEncoder().encode(text);
}

/**
 * UTF-8 bytes as text (invalid sequences become U+FFFD).
 *
 * @example
 * ```ts
 * fromUtf8(Uint8Array.of(0xc3, 0xa9)); // "é"
 * ```
 */
export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/**
 * Each byte as one character (code 0–255): what `btoa` takes, and a Map key for bytes. Built in
 * chunks, so large inputs do not overflow the argument list of `String.fromCharCode`.
 *
 * @example
 * ```ts
 * binary(Uint8Array.of(72, 105)); // "Hi"
 * ```
 */
export function binary(bytes: Uint8Array): string {
  let s = "";
  // `apply`, not a spread: spreading a typed array runs its iterator (256 bytes: 9 µs on Node 20, 1.4 with apply).
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  return s;
}

/**
 * Standard base64 with padding (what `x5c` and a base64 PFX use).
 *
 * @example
 * ```ts
 * base64(Uint8Array.of(0xfb, 0xff)); // "+/8="
 * ```
 */
export function base64(bytes: Uint8Array): string {
  return btoa(binary(bytes));
}

/**
 * base64url without padding (RFC 4648 §5: what `x5t` and JWTs use).
 *
 * @example
 * ```ts
 * base64url(Uint8Array.of(0xfb, 0xff)); // "-_8"
 * ```
 */
export function base64url(bytes: Uint8Array): string {
  return base64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decodes base64 or base64url, padded or not (as `atob` reads it: ASCII white space is skipped).
 * Throws (a `DOMException`) on anything else; callers that take untrusted text check its
 * alphabet first or turn the throw into their own error.
 *
 * @example
 * ```ts
 * fromBase64("-_8"); // Uint8Array [0xfb, 0xff]
 * ```
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Upper-case hex, as the Entra portal shows thumbprints.
 *
 * @example
 * ```ts
 * hex(Uint8Array.of(0x0a, 0xff)); // "0AFF"
 * ```
 */
export function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s.toUpperCase();
}

/**
 * Whether `a` and `b` hold the same bytes, in time that depends only on their length (for MACs).
 *
 * @example
 * ```ts
 * sameBytes(computedMac, expectedMac);
 * ```
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/**
 * `bytes` in an `ArrayBuffer` of their own. A caller's Uint8Array may be a view into a larger
 * buffer — a Node Buffer from the 8 KiB pool is, and `Buffer#slice` returns another view, not a
 * copy — so code that reads a whole buffer (asn1js, `.buffer`) gets this copy instead.
 *
 * @example
 * ```ts
 * asn1js.fromBER(ownBuffer(pooledNodeBuffer)); // only the PFX's bytes, not the pool
 * ```
 */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

/**
 * Whether `c` is bytes: a view of any kind (Uint8Array, Buffer, DataView, …), an ArrayBuffer or a SharedArrayBuffer,
 * from any realm — Jest's test environment and node:vm have their own Uint8Array, which
 * `instanceof` would refuse.
 *
 * @example
 * ```ts
 * isBytes(fs.readFileSync("app.pfx")); // true
 * ```
 */
export function isBytes(c: unknown): c is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(c) || /^\[object (Shared)?ArrayBuffer\]$/.test({}.toString.call(c));
}

/**
 * A copy of certificate bytes a caller handed over (a view of any kind, or an ArrayBuffer, of any
 * realm: {@link isBytes}), as a Uint8Array of this realm, made at once: the caller may wipe or
 * reuse its buffer before they are read, as WebCrypto copies its inputs at the call. Anything else
 * (text, undefined) is returned as it is.
 *
 * @example
 * ```ts
 * const mine = copyOf(buffer); // buffer.fill(0) afterwards changes nothing
 * ```
 */
export function copyOf<T>(c: T): T | Uint8Array {
  try {
    if (ArrayBuffer.isView(c)) return new Uint8Array(c.buffer, c.byteOffset, c.byteLength).slice();
    if (isBytes(c)) return new Uint8Array(c as ArrayBuffer).slice();
  } catch {
    // A detached buffer: left as it is, for the loader to refuse (ERR_CERT_MALFORMED).
  }
  return c;
}

/**
 * `plain` without its PKCS#7 padding for `blockSize`-byte blocks, or undefined when the padding
 * is wrong (after a decryption: usually a wrong password). Every byte of the last block is
 * examined whatever the padding says, so the time taken does not tell how much of it was right.
 *
 * @example
 * ```ts
 * unpad(Uint8Array.of(1, 2, 3, 5, 5, 5, 5, 5), 8); // Uint8Array [1, 2, 3]
 * ```
 */
export function unpad(plain: Uint8Array, blockSize: number): Uint8Array | undefined {
  const length = plain.length;
  const n = length === 0 ? 0 : plain[length - 1]!;
  let bad = n < 1 || n > blockSize || n > length ? 1 : 0;
  for (let i = Math.max(0, length - blockSize); i < length; i++) bad |= (i >= length - n ? 1 : 0) & (plain[i] !== n ? 1 : 0);
  return bad ? undefined : plain.subarray(0, length - n);
}

/**
 * `parts` joined into one array.
 *
 * @example
 * ```ts
 * concat([new Uint8Array([1]), new Uint8Array([2, 3])]); // Uint8Array [1, 2, 3]
 * ```
 */
export function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
