/**
 * PEM text: certificate and key blocks in any order, with CRLF line ends, a BOM, headers and any
 * text around them (as `openssl pkcs12 -nodes` or `x509 -text` print).
 *
 * @module
 */
import { CertificateError } from "../errors.ts";
import { malformed } from "./der.ts";

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Decodes standard base64 (whitespace ignored); throws a CertificateError on anything else. */
export function decodeBase64(text: string, what: string): Uint8Array {
  const clean = text.replace(/[\s]+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw malformed(`${what} is not valid base64`);
  let bin: string;
  try {
    bin = atob(clean);
  } catch (e) {
    throw malformed(`${what} is not valid base64`, e);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function isPemText(text: string): boolean {
  return text.includes("-----BEGIN ");
}

/** Every PEM block of the text, in order. */
export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.replace(/^\uFEFF/, "").matchAll(BLOCK)) {
    const label = m[1]!;
    let body = m[2]!;
    if (/^(Proc-Type|DEK-Info):/m.test(body)) {
      throw new CertificateError(
        "ERR_CERT_UNSUPPORTED_ALGORITHM",
        `The ${label} block uses OpenSSL's legacy PEM encryption (Proc-Type/DEK-Info). Convert it to PKCS#8 first: openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key-pkcs8.pem`,
      );
    }
    // RFC 1421 style headers ("Name: value" lines before a blank line) are skipped.
    body = body.replace(/^(?:[ \t]*[A-Za-z-]+:[^\n]*\r?\n)+\r?\n/, "");
    blocks.push({ label, der: decodeBase64(body, `the ${label} block`) });
  }
  if (blocks.length === 0 && /-----BEGIN /.test(text)) throw malformed("a PEM block has no matching END line");
  return blocks;
}
