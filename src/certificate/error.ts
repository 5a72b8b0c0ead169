/**
 * `CertificateError`, in a module of its own: the certificate parsers that load lazily (PKCS#12,
 * the legacy ciphers) import it from here, so that `errors.ts` — which every credential imports —
 * is not part of the lazily loaded module graph (a bundler would then wrap it in a lazy
 * initialiser, bytes every app pays for). `errors.ts` re-exports it.
 *
 * @module
 */
import type { CertificateErrorCode } from "../types.ts";

/**
 * The certificate input cannot be used. `code` says why.
 *
 * @example
 * ```ts
 * try {
 *   await parseCertificate({ certificate: pfxBase64, certificatePassword: password });
 * } catch (e) {
 *   if (e instanceof CertificateError && e.code === "ERR_CERT_BAD_PASSWORD") console.error("Wrong PFX password");
 * }
 * ```
 */
export class CertificateError extends Error {
  override name = "CertificateError" as const;
  readonly code: CertificateErrorCode;

  constructor(code: CertificateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
