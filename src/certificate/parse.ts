/**
 * `parseCertificate`: the loader as a public function, so an app can check its certificate at
 * start-up (thumbprints as the Entra portal shows them, subject, validity, chain, key).
 *
 * @module
 */
import type { RuntimeAdapter } from "../adapter.ts";
import { CertificateError } from "./error.ts";
import { base64url, digest } from "./encoding.ts";
import { hex } from "./der.ts";
import { loadCertificate, validateSource, type CertificateSource } from "./load.ts";

/** What `parseCertificate` returns. */
export interface ParsedCertificate {
  /** The leaf's subject, RFC 4514 style (e.g. `CN=my-app,O=Contoso`). */
  subject: string;
  /** The leaf's issuer. */
  issuer: string;
  /** Serial number, upper-case hex. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** RSA key size in bits. */
  keySize: number;
  /** SHA-1 thumbprint of the leaf, upper-case hex — what the Entra portal shows. */
  sha1Thumbprint: string;
  /** SHA-256 thumbprint of the leaf, upper-case hex. */
  sha256Thumbprint: string;
  /** base64url SHA-1 thumbprint: the `x5t` header of RS256 assertions. */
  x5t: string;
  /** base64url SHA-256 thumbprint: the `x5t#S256` header of PS256 assertions. */
  x5tS256: string;
  /** DER certificates: the leaf, then its issuers in path order (what `x5c` sends, base64-encoded). */
  chain: Uint8Array[];
  /** The PKCS#12 friendlyName of the entry (the alias Windows and keytool show), when the PFX has one. */
  friendlyName?: string;
  /** The private key, imported for RS256 (RSASSA-PKCS1-v1_5 / SHA-256), not extractable. */
  privateKey: CryptoKey;
}

/** Source forms `parseCertificate` accepts: a credential source, bare PEM text, or PFX/PEM bytes. */
export type ParseCertificateSource = CertificateSource | Uint8Array | ArrayBuffer;

export type AssertionAlgorithm = "RS256" | "PS256";

/** Imports the PKCS#8 key, not extractable, for one signature algorithm. */
export async function importSigningKey(pkcs8: Uint8Array, algorithm: AssertionAlgorithm): Promise<CryptoKey> {
  const params = algorithm === "PS256" ? { name: "RSA-PSS", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  try {
    return await crypto.subtle.importKey("pkcs8", pkcs8 as Uint8Array<ArrayBuffer>, params, false, ["sign"]);
  } catch {
    throw new CertificateError("ERR_CERT_MALFORMED", "The private key could not be imported (it is not a valid RSA key).");
  }
}

/** Thumbprints of a DER certificate. */
export async function thumbprints(der: Uint8Array): Promise<Pick<ParsedCertificate, "sha1Thumbprint" | "sha256Thumbprint" | "x5t" | "x5tS256">> {
  const [sha1, sha256] = await Promise.all([digest("SHA-1", der), digest("SHA-256", der)]);
  return { sha1Thumbprint: hex(sha1), sha256Thumbprint: hex(sha256), x5t: base64url(sha1), x5tS256: base64url(sha256) };
}

export function toSource(name: string, source: ParseCertificateSource): CertificateSource {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return { certificate: source };
  validateSource(name, source);
  return source;
}

export async function parseCertificateWith(runtime: RuntimeAdapter, source: ParseCertificateSource, password?: string): Promise<ParsedCertificate> {
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
