/**
 * `parseCertificate`: the loader as a public function, so an app can check its certificate at
 * start-up (thumbprints as the Entra portal shows them, subject, validity, chain, key).
 *
 * @module
 */
import { copyOf, isBytes } from "../lib/bytes.ts";
import { noRuntime, type RuntimeAdapter } from "../lib/runtime.ts";
import type { AssertionAlgorithm, CertificateSource, ParseCertificateSource, ParsedCertificate } from "../types.ts";
import { CertificateError } from "./error.ts";
import { loadCertificate, validateSource } from "./load.ts";
import { rsaJwkOfPkcs8 } from "./pkcs8.ts";
import { thumbprints } from "./x509.ts";

/** Imports the PKCS#8 key, not extractable, for one signature algorithm (as a JWK where it is a plain RSA key: see {@link rsaJwkOfPkcs8}). */
export async function importSigningKey(pkcs8: Uint8Array, algorithm: AssertionAlgorithm): Promise<CryptoKey> {
  const params = algorithm === "PS256" ? { name: "RSA-PSS", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  try {
    const jwk = rsaJwkOfPkcs8(pkcs8);
    // A JWK this runtime refuses is imported as the PKCS#8 it came from: the outcome is never worse.
    const key = jwk && (await crypto.subtle.importKey("jwk", jwk, params, false, ["sign"]).catch(() => undefined));
    if (key) return key;
    return await crypto.subtle.importKey("pkcs8", pkcs8 as Uint8Array<ArrayBuffer>, params, false, ["sign"]);
  } catch {
    throw new CertificateError("ERR_CERT_MALFORMED", "The private key could not be imported (it is not a valid RSA key).");
  }
}

/** The source as loadCertificate takes it, its bytes copied at the call (see {@link copyOf}). */
function toSource(name: string, source: ParseCertificateSource): CertificateSource {
  if (isBytes(source)) return { certificate: copyOf(source) as Uint8Array };
  validateSource(name, source);
  return typeof source === "object" && "certificate" in source ? { ...source, certificate: copyOf(source.certificate) as Uint8Array } : source;
}

export async function parseCertificateWith(runtime: RuntimeAdapter, source: ParseCertificateSource, password?: string): Promise<ParsedCertificate> {
  // `{ password }` or a number was taken for a wrong password ("The certificate password is wrong").
  if (password !== undefined && typeof password !== "string") throw new TypeError(`parseCertificate: the password (second argument) must be a string, not ${password === null ? "null" : typeof password}.`);
  const material = await loadCertificate(toSource("parseCertificate", source), runtime, password);
  const leaf = material.chain[0]!;
  const [prints, privateKey] = await Promise.all([thumbprints(leaf.der), importSigningKey(material.pkcs8, "RS256")]);
  const parsed: ParsedCertificate = {
    subject: leaf.subject,
    issuer: leaf.issuer,
    serialNumber: leaf.serialNumber,
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    keySize: material.keyBits,
    ...prints,
    chain: material.chain.map((c) => c.der),
    privateKey,
  };
  if (material.friendlyName !== undefined) parsed.friendlyName = material.friendlyName;
  return parsed;
}

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
 * import { parseCertificate } from "entra-edge/core";
 *
 * const pfxBase64 = "MIIKYQIBAzCCCi…"; // a PFX file, base64 (as Key Vault and Worker secrets hold it)
 * const cert = await parseCertificate({ certificate: pfxBase64, certificatePassword: "the PFX password" });
 * console.log(cert.sha1Thumbprint, cert.notAfter.toISOString());
 * ```
 */
export function parseCertificate(source: ParseCertificateSource, password?: string): Promise<ParsedCertificate> {
  return parseCertificateWith(noRuntime, source, password);
}
