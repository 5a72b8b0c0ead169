import { noRuntime } from "../adapter.ts";
import { parseCertificateWith, type ParseCertificateSource, type ParsedCertificate } from "./parse.ts";

/**
 * Loads a certificate the way `ClientCertificateCredential` does and describes it: thumbprints
 * (hex as the Entra portal shows them, base64url as sent in `x5t`), subject, validity, chain and a
 * non-extractable private key. Use it to validate configuration at start-up.
 *
 * This build has no file access (`entra-edge/core`): pass contents, not paths; the runtime entries
 * (`entra-edge`) also read paths.
 *
 * @param password Wins over a `certificatePassword` inside `source`.
 * @throws CertificateError with a `code` when the input cannot be used.
 *
 * @example
 * ```ts
 * const cert = await parseCertificate({ certificate: pfxBase64, certificatePassword: password });
 * console.log(cert.sha1Thumbprint, cert.notAfter.toISOString());
 * ```
 */
export function parseCertificate(source: ParseCertificateSource, password?: string): Promise<ParsedCertificate> {
  return parseCertificateWith(noRuntime, source, password);
}
