/**
 * Decryption for the PKCS#12 password-based encryption schemes (RFC 7292 Appendix C):
 * `pbeWithSHAAnd3-KeyTripleDES-CBC`, `…2-KeyTripleDES-CBC`, `…128BitRC2-CBC` and
 * `…40BitRC2-CBC` — what `openssl pkcs12 -legacy`, Windows and old Java write. Key and IV come
 * from the PKCS#12 KDF with SHA-1 (id 1 and id 2); the padding is checked, which is how a wrong
 * password shows up. WebCrypto has neither Triple DES nor RC2, hence
 * this module. The RC4 schemes of the same family are recognised by name but not supported.
 *
 * Every refusal is a `CertificateError`: a scheme we do not decrypt, a count over the cap, data
 * that is not whole blocks, or (for a wrong password) padding that does not check out.
 *
 * @module
 */
import { unpad } from "../../lib/bytes.ts";
import { MAX_ITERATIONS } from "../../lib/limits.ts";
import { badPassword, malformed, unsupportedEncryption } from "../error.ts";
import { des3CbcDecrypt } from "./des3.ts";
import { pkcs12Kdf } from "./kdf.ts";
import { rc2CbcDecrypt } from "./rc2.ts";

/** The PKCS#12 password encoding and Triple DES, for callers that load this module lazily (one module instead of three). */
export { bmpPassword } from "./kdf.ts";
export { des3CbcDecrypt } from "./des3.ts";

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

/**
 * The object identifiers {@link pkcs12PbeDecrypt} supports.
 *
 * @example
 * ```ts
 * PKCS12_PBE_OIDS.includes("1.2.840.113549.1.12.1.3"); // true
 * ```
 */
export const PKCS12_PBE_OIDS: readonly string[] = Object.freeze(Object.keys(SCHEMES));

/**
 * The RFC 7292 name of a PKCS#12 PBE object identifier (e.g. `"pbeWithSHAAnd3-KeyTripleDES-CBC"`),
 * including the unsupported RC4 ones; `undefined` for any other identifier.
 *
 * @example
 * ```ts
 * pkcs12PbeName("1.2.840.113549.1.12.1.6"); // "pbewithSHAAnd40BitRC2-CBC"
 * ```
 */
export function pkcs12PbeName(oid: string): string | undefined {
  return Object.hasOwn(SCHEMES, oid) ? SCHEMES[oid]!.name : Object.hasOwn(UNSUPPORTED_NAMES, oid) ? UNSUPPORTED_NAMES[oid] : undefined;
}

/**
 * Decrypts data encrypted with a PKCS#12 legacy PBE scheme and removes its padding.
 *
 * @param oid the scheme's object identifier (one of {@link PKCS12_PBE_OIDS}).
 * @param salt the salt from the scheme's parameters.
 * @param iterations the iteration count from the scheme's parameters (1 to `MAX_ITERATIONS`).
 * @param password the password as `bmpPassword()` encodes it.
 * @param data the ciphertext.
 * @returns the plaintext without padding.
 * @throws CertificateError `ERR_CERT_UNSUPPORTED_ALGORITHM` for an unknown or unsupported scheme
 *   or an iteration count out of range, `ERR_CERT_MALFORMED` for ciphertext that is not whole
 *   8-byte blocks, `ERR_CERT_BAD_PASSWORD` when the padding is wrong (normally: a wrong password).
 *
 * @example
 * ```ts
 * const pkcs8 = pkcs12PbeDecrypt("1.2.840.113549.1.12.1.3", salt, 2048, bmpPassword(password), encrypted);
 * ```
 */
export function pkcs12PbeDecrypt(oid: string, salt: Uint8Array, iterations: number, password: Uint8Array, data: Uint8Array): Uint8Array {
  const scheme = Object.hasOwn(SCHEMES, oid) ? SCHEMES[oid]! : undefined;
  if (!scheme) {
    const name = pkcs12PbeName(oid);
    throw unsupportedEncryption(name ? `${name} (${oid})` : `the scheme ${oid}`);
  }
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    // (Under 1 or not whole: a damaged file, not one to re-export with fewer.)
    if (!(iterations > MAX_ITERATIONS)) throw malformed(`${scheme.name} asks for ${String(iterations)} iterations, and every count is a whole number of at least 1`);
    throw unsupportedEncryption(`${scheme.name} with ${String(iterations)} iterations (at most ${MAX_ITERATIONS} are accepted)`);
  }
  if (data.length === 0 || data.length % 8 !== 0) throw malformed(`the encrypted data is not whole 8-byte blocks (${data.length} bytes)`);
  const key = pkcs12Kdf("SHA-1", password, salt, 1, iterations, scheme.keyLength);
  const iv = pkcs12Kdf("SHA-1", password, salt, 2, iterations, 8);
  const plain = unpad(scheme.cipher === "3des" ? des3CbcDecrypt(key, iv, data) : rc2CbcDecrypt(key, scheme.keyLength * 8, iv, data), 8);
  if (!plain) throw badPassword();
  return plain;
}
