/**
 * The parts of an X.509 certificate the credential needs: subject and issuer names, validity,
 * serial number, the RSA public key (to match the private key and to find the leaf) and the
 * subject / authority key identifiers (to find each certificate's issuer in the chain).
 *
 * @module
 */
import { base64url, hex } from "../lib/bytes.ts";
import type { ParsedCertificate } from "../types.ts";
import { child, decode, readOctets, readOid, readString, readTime, readUnsigned, TAG, type Der } from "./der.ts";
import { malformed } from "./error.ts";

export const OID_RSA = "1.2.840.113549.1.1.1";

export interface RsaPublic {
  modulus: Uint8Array;
  exponent: Uint8Array;
}

export interface X509 {
  der: Uint8Array;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** OID of the public key's algorithm. */
  keyAlgorithm: string;
  /** The RSA public key, when the key is RSA. */
  rsa?: RsaPublic;
  /** The subject key identifier extension, hex. */
  subjectKeyId?: string;
  /** The key identifier of the authority key identifier extension, hex. */
  authorityKeyId?: string;
}

const OID_SUBJECT_KEY_ID = "2.5.29.14";
const OID_AUTHORITY_KEY_ID = "2.5.29.35";

/**
 * The key identifiers among the extensions (`[3] EXPLICIT SEQUENCE OF Extension`). They only help
 * to order the chain, so an extension we cannot read is skipped rather than refused.
 */
function keyIds(extensions: Der | undefined, out: X509): void {
  const list = extensions?.children[0];
  if (!list || list.cls !== 0 || list.tag !== TAG.SEQUENCE) return;
  for (const extension of list.children) {
    try {
      const oid = readOid(child(extension, 0, TAG.OID, "an extension id"));
      if (oid !== OID_SUBJECT_KEY_ID && oid !== OID_AUTHORITY_KEY_ID) continue;
      const value = decode(readOctets(child(extension, extension.children.length - 1, TAG.OCTET_STRING, "an extension value"), "an extension value"), "an extension value");
      if (oid === OID_SUBJECT_KEY_ID && value.cls === 0 && value.tag === TAG.OCTET_STRING && !value.constructed) out.subjectKeyId = hex(value.content);
      if (oid === OID_AUTHORITY_KEY_ID && value.cls === 0 && value.tag === TAG.SEQUENCE) {
        const id = value.children.find((c) => c.cls === 2 && c.tag === 0 && !c.constructed); // [0] IMPLICIT KeyIdentifier
        if (id) out.authorityKeyId = hex(id.content);
      }
    } catch {
      // not a key identifier we can use
    }
  }
}

const NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "STREET",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.42": "GN",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "emailAddress",
};

function escapeValue(v: string): string {
  return v
    .replace(/([,+"\\<>;])/g, "\\$1")
    .replace(/^([ #])/, "\\$1")
    .replace(/ $/, "\\ ");
}

/** An X.500 name in RFC 4514 order (most specific first), e.g. `CN=app,O=Contoso`. */
function formatName(name: Der): string {
  const rdns: string[] = [];
  for (const rdn of name.children) {
    const parts: string[] = [];
    for (const atv of rdn.children) {
      const oid = readOid(child(atv, 0, TAG.OID, "an attribute type"));
      const value = child(atv, 1, undefined, "an attribute value");
      parts.push(`${NAMES[oid] ?? oid}=${escapeValue(readString(value))}`);
    }
    rdns.push(parts.join("+"));
  }
  return rdns.reverse().join(",");
}

/** Reads an RSAPublicKey (PKCS#1) SEQUENCE { modulus, publicExponent }. */
function readRsaPublic(bytes: Uint8Array): RsaPublic {
  const seq = decode(bytes, "an RSA public key");
  return { modulus: readUnsigned(child(seq, 0, TAG.INTEGER, "the modulus")), exponent: readUnsigned(child(seq, 1, TAG.INTEGER, "the exponent")) };
}

/** Parses a DER certificate. */
export function parseX509(der: Uint8Array): X509 {
  const cert = decode(der, "a certificate");
  if (cert.cls !== 0 || cert.tag !== TAG.SEQUENCE || cert.children.length !== 3) throw malformed("a CERTIFICATE is not an X.509 certificate");
  const tbs = child(cert, 0, TAG.SEQUENCE, "tbsCertificate");
  let i = 0;
  if (tbs.children[0]?.cls === 2 && tbs.children[0].tag === 0) i = 1; // [0] version
  const serial = readUnsigned(child(tbs, i, TAG.INTEGER, "the serial number"));
  const issuer = child(tbs, i + 2, TAG.SEQUENCE, "the issuer");
  const validity = child(tbs, i + 3, TAG.SEQUENCE, "the validity");
  const subject = child(tbs, i + 4, TAG.SEQUENCE, "the subject");
  const spki = child(tbs, i + 5, TAG.SEQUENCE, "the public key");
  const keyAlgorithm = readOid(child(child(spki, 0, TAG.SEQUENCE, "the key algorithm"), 0, TAG.OID, "the key algorithm"));
  const bits = child(spki, 1, TAG.BIT_STRING, "the public key bits");
  const result: X509 = {
    der,
    subject: formatName(subject),
    issuer: formatName(issuer),
    serialNumber: hex(serial),
    notBefore: readTime(child(validity, 0, undefined, "notBefore")),
    notAfter: readTime(child(validity, 1, undefined, "notAfter")),
    keyAlgorithm,
  };
  if (keyAlgorithm === OID_RSA) result.rsa = readRsaPublic(bits.content);
  keyIds(tbs.children.find((c, k) => k > i + 5 && c.cls === 2 && c.tag === 3 && c.constructed), result);
  return result;
}

/**
 * The thumbprints of a DER certificate: SHA-1 and SHA-256, in hex as the Entra portal shows them
 * and base64url as `x5t` / `x5t#S256` carry them.
 *
 * @example
 * ```ts
 * const { sha1Thumbprint, x5t } = await thumbprints(leaf.der);
 * ```
 */
export async function thumbprints(der: Uint8Array): Promise<Pick<ParsedCertificate, "sha1Thumbprint" | "sha256Thumbprint" | "x5t" | "x5tS256">> {
  const [sha1, sha256] = await Promise.all([digestOf("SHA-1", der), digestOf("SHA-256", der)]);
  return { sha1Thumbprint: hex(sha1), sha256Thumbprint: hex(sha256), x5t: base64url(sha1), x5tS256: base64url(sha256) };
}

/**
 * What an assertion's header needs of the leaf: its SHA-1 thumbprint (hex, for messages) and
 * `x5t`, and `x5t#S256` for PS256 only — an RS256 credential computes one digest, not two (a
 * WebCrypto job less on the first token).
 *
 * @example
 * ```ts
 * const { x5t, sha1Thumbprint } = await assertionThumbprints(leaf.der, "RS256");
 * ```
 */
export async function assertionThumbprints(der: Uint8Array, algorithm: "RS256" | "PS256"): Promise<{ sha1Thumbprint: string; x5t: string; x5tS256?: string }> {
  if (algorithm === "RS256") {
    const sha1 = await digestOf("SHA-1", der);
    return { sha1Thumbprint: hex(sha1), x5t: base64url(sha1) };
  }
  const { sha1Thumbprint, x5t, x5tS256 } = await thumbprints(der);
  return { sha1Thumbprint, x5t, x5tS256 };
}

async function digestOf(hash: "SHA-1" | "SHA-256", der: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, der as Uint8Array<ArrayBuffer>));
}
