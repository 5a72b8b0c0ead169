/**
 * `CertificateError` and the few refusals every certificate module shares (malformed input, a
 * wrong password, an unsupported encryption) — one vocabulary from the DER decoder to the PKCS#12
 * ciphers. In a module of its own: the parsers that load lazily (pkcs12.ts, pkcs12-crypto/)
 * import it from here, so that lib/errors.ts — which every credential imports — is not part of
 * the lazily loaded module graph (a bundler would then wrap it in a lazy initialiser, bytes every
 * app pays for).
 *
 * @module
 */
import { ClientAuthenticationError } from "../lib/error-base.ts";
import type { CertificateErrorCode } from "../types.ts";

/**
 * The certificate input cannot be used. `code` says why.
 *
 * @example
 * ```ts
 * import { CertificateError, parseCertificate } from "entra-edge";
 *
 * try {
 *   await parseCertificate({ certificate: process.env.PFX_BASE64!, certificatePassword: process.env.PFX_PASSWORD });
 * } catch (e) {
 *   if (e instanceof CertificateError && e.code === "ERR_CERT_BAD_PASSWORD") console.error("Wrong PFX password");
 * }
 * ```
 */
export class CertificateError extends ClientAuthenticationError {
  /** `"CertificateError"`. */
  override name = "CertificateError" as const;
  /** The class's name, also in minified bundles. */
  static override get name(): string {
    return "CertificateError";
  }
  /** Why the input was refused (`ERR_CERT_BAD_PASSWORD`, `ERR_CERT_NO_PRIVATE_KEY`, …). */
  readonly code: CertificateErrorCode;

  /** Made by the certificate readers; construct one yourself only in tests of your error handling. */
  constructor(code: CertificateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * ERR_CERT_MALFORMED: "The certificate input is malformed: {what}." (`cause`: the parser's own error).
 *
 * @example
 * ```ts
 * throw malformed("a BIT STRING is invalid");
 * ```
 */
export function malformed(what: string, cause?: unknown): CertificateError {
  return new CertificateError("ERR_CERT_MALFORMED", `The certificate input is malformed: ${what}.`, cause === undefined ? undefined : { cause });
}

/**
 * ERR_CERT_BAD_PASSWORD for an encrypted key that does not decrypt (the padding or the structure
 * did not check out).
 *
 * @example
 * ```ts
 * if (!plain) throw badPassword();
 * ```
 */
export function badPassword(): CertificateError {
  return new CertificateError("ERR_CERT_BAD_PASSWORD", "The certificate password is wrong: the private key could not be decrypted with it.");
}

/**
 * ERR_CERT_UNSUPPORTED_ALGORITHM for a key encrypted with `what`, with the command that re-encrypts it.
 *
 * @example
 * ```ts
 * throw unsupportedEncryption("pbeWithSHAAnd128BitRC4 (1.2.840.113549.1.12.1.1)");
 * ```
 */
export function unsupportedEncryption(what: string): CertificateError {
  return new CertificateError(
    "ERR_CERT_UNSUPPORTED_ALGORITHM",
    `The private key is encrypted with ${what}, which is not supported. Re-encrypt it with PBES2/AES (openssl pkcs8 -topk8 -v2 aes-256-cbc) or export the PFX with OpenSSL 3 defaults.`,
  );
}

/** What to do about an iteration count over the cap (MAX_ITERATIONS): the same advice everywhere. */
export const FEWER = "Re-export it with fewer (OpenSSL's default is 2048): openssl pkcs12 -export -iter 2048 …, or openssl pkcs8 -topk8 -iter 2048 … for a PEM key.";

/** Said when certificatePassword is there but undefined (read from an environment variable that is unset, most likely; review 13). */
export const UNSET_PASSWORD = "certificatePassword is given but undefined: is the environment variable or setting that should hold it unset?";
