/**
 * Decryption for the PKCS#12 legacy password-based encryption schemes (RFC 7292 Appendix C):
 * `pbeWithSHAAnd3-KeyTripleDES-CBC`, `…2-KeyTripleDES-CBC`, `…128BitRC2-CBC` and
 * `…40BitRC2-CBC`. Key and IV come from the PKCS#12 KDF with SHA-1 (id 1 and id 2); the padding
 * is checked, which is how a wrong password shows up. pkijs only handles PBES2, and WebCrypto
 * has neither Triple DES nor RC2, hence this module.
 *
 * The RC4 schemes of the same family (`…128BitRC4`, `…40BitRC4`) are recognised by name but not
 * supported.
 *
 * @module
 */
import { MAX_ITERATIONS } from "../../lib/limits.ts";
import { des3CbcDecrypt } from "./des3.ts";
import { pkcs12Kdf } from "./pkcs12-kdf.ts";
import { rc2CbcDecrypt } from "./rc2.ts";

/** Thrown when the decrypted data does not end in valid PKCS#7 padding: usually a wrong password. */
export class BadPaddingError extends Error {
  override name = "BadPaddingError" as const;
  constructor(message = "bad padding after decryption (wrong password?)") {
    super(message);
  }
}

/** Thrown for an encryption scheme this module does not implement. */
export class UnsupportedPbeError extends Error {
  override name = "UnsupportedPbeError" as const;
  /** The scheme's object identifier. */
  readonly oid: string;
  constructor(oid: string) {
    const name = pkcs12PbeName(oid);
    super(`unsupported password-based encryption scheme ${name ? `${name} (${oid})` : oid}`);
    this.oid = oid;
  }
}

interface Scheme {
  name: string;
  cipher: "3des" | "rc2";
  keyLength: number;
}

/** RFC 7292 Appendix C (names as in its ASN.1 module, Appendix D). */
const SCHEMES: Record<string, Scheme> = {
  "1.2.840.113549.1.12.1.3": { name: "pbeWithSHAAnd3-KeyTripleDES-CBC", cipher: "3des", keyLength: 24 },
  "1.2.840.113549.1.12.1.4": { name: "pbeWithSHAAnd2-KeyTripleDES-CBC", cipher: "3des", keyLength: 16 },
  "1.2.840.113549.1.12.1.5": { name: "pbeWithSHAAnd128BitRC2-CBC", cipher: "rc2", keyLength: 16 },
  "1.2.840.113549.1.12.1.6": { name: "pbewithSHAAnd40BitRC2-CBC", cipher: "rc2", keyLength: 5 },
};

/** Names of the PKCS#12 schemes that are recognised but not supported. */
const UNSUPPORTED_NAMES: Record<string, string> = {
  "1.2.840.113549.1.12.1.1": "pbeWithSHAAnd128BitRC4",
  "1.2.840.113549.1.12.1.2": "pbeWithSHAAnd40BitRC4",
};

/** The object identifiers {@link pkcs12PbeDecrypt} supports. */
export const PKCS12_PBE_OIDS: readonly string[] = Object.freeze(Object.keys(SCHEMES));

/**
 * The RFC 7292 name of a PKCS#12 PBE object identifier (e.g. `"pbeWithSHAAnd3-KeyTripleDES-CBC"`),
 * including the unsupported RC4 ones; `undefined` for any other identifier.
 */
export function pkcs12PbeName(oid: string): string | undefined {
  return Object.hasOwn(SCHEMES, oid) ? SCHEMES[oid]!.name : Object.hasOwn(UNSUPPORTED_NAMES, oid) ? UNSUPPORTED_NAMES[oid] : undefined;
}

/**
 * Decrypts data encrypted with a PKCS#12 legacy PBE scheme and removes its padding.
 *
 * @param oid the scheme's object identifier (one of {@link PKCS12_PBE_OIDS}).
 * @param salt the salt from the scheme's parameters.
 * @param iterations the iteration count from the scheme's parameters (1 to {@link MAX_ITERATIONS}).
 * @param password the password as `bmpPassword()` encodes it.
 * @param data the ciphertext.
 * @returns the plaintext without padding.
 * @throws UnsupportedPbeError for an unknown or unsupported scheme.
 * @throws RangeError for an iteration count out of range, or ciphertext whose length is not a
 *   multiple of 8.
 * @throws BadPaddingError when the padding is wrong (normally: a wrong password).
 */
export function pkcs12PbeDecrypt(oid: string, salt: Uint8Array, iterations: number, password: Uint8Array, data: Uint8Array): Uint8Array {
  const scheme = Object.hasOwn(SCHEMES, oid) ? SCHEMES[oid]! : undefined;
  if (!scheme) throw new UnsupportedPbeError(oid);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new RangeError(`PBE iteration count must be an integer from 1 to ${MAX_ITERATIONS}, got ${String(iterations)}`);
  }
  if (data.length % 8 !== 0) throw new RangeError(`PBE ciphertext length must be a multiple of 8, got ${data.length}`);
  const key = pkcs12Kdf("SHA-1", password, salt, 1, iterations, scheme.keyLength);
  const iv = pkcs12Kdf("SHA-1", password, salt, 2, iterations, 8);
  const plain = scheme.cipher === "3des" ? des3CbcDecrypt(key, iv, data) : rc2CbcDecrypt(key, scheme.keyLength * 8, iv, data);
  return unpad(plain);
}

/** Removes PKCS#7 padding for 8-byte blocks, checking every padding byte. */
function unpad(plain: Uint8Array): Uint8Array {
  const n = plain.length === 0 ? 0 : plain[plain.length - 1]!;
  if (n < 1 || n > 8 || n > plain.length) throw new BadPaddingError();
  let bad = 0;
  for (let i = plain.length - n; i < plain.length; i++) bad |= plain[i]! ^ n;
  if (bad !== 0) throw new BadPaddingError();
  return plain.slice(0, plain.length - n);
}
