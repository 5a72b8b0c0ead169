/**
 * Loading a certificate from any input form: a path, PEM text, base64 of a PFX, or bytes (PFX or
 * PEM). The format is detected; the leaf is the certificate whose public key matches the private
 * key, and the chain is the leaf followed by the rest (issuers first, in path order).
 *
 * @module
 */
import { readFileWith, type RuntimeAdapter } from "../adapter.ts";
import { CredentialUnavailableError } from "../errors.ts";
import { CertificateError } from "./error.ts";
import { malformed } from "./der.ts";
import { decodeBase64, isPemText, parsePem } from "./pem.ts";
import { decryptPkcs8, KdfBudget, pkcs1ToPkcs8, rsaOfPkcs8, unsupportedKey } from "./pkcs8.ts";
import { parseX509, type RsaPublic, type X509 } from "./x509.ts";

/** A certificate file's path, read through the runtime (not available inside Workers). */
export interface CertificatePath {
  certificatePath: string;
  certificatePassword?: string;
}

/**
 * The certificate itself: PEM text, base64 of a PFX (how Key Vault and Worker secrets hold one),
 * or the bytes of a PFX (or of PEM text).
 */
export interface CertificateContents {
  certificate: string | Uint8Array | ArrayBuffer;
  certificatePassword?: string;
}

/** Where a certificate comes from: a path, `{ certificatePath }` or `{ certificate }`. */
export type CertificateSource = string | CertificatePath | CertificateContents;

/** The loaded key material (the PKCS#8 bytes never leave the loader's caller). */
export interface CertificateMaterial {
  pkcs8: Uint8Array;
  /** Leaf first. */
  chain: X509[];
  /** Modulus length of the RSA key, in bits. */
  keyBits: number;
}

/** Checks the shape of a source synchronously (constructor errors are TypeErrors). */
export function validateSource(name: string, source: unknown): void {
  if (typeof source === "string") {
    if (source === "") throw new TypeError(`${name}: the certificate path is empty.`);
    return;
  }
  if (typeof source !== "object" || source === null) {
    throw new TypeError(`${name}: pass a certificate path, { certificatePath, certificatePassword } or { certificate, certificatePassword }.`);
  }
  const s = source as Record<string, unknown>;
  const hasPath = s.certificatePath !== undefined;
  const hasContents = s.certificate !== undefined;
  if (hasPath === hasContents) {
    throw new TypeError(`${name}: pass exactly one of certificatePath and certificate (got ${hasPath ? "both" : "neither"}).`);
  }
  if (hasPath && (typeof s.certificatePath !== "string" || s.certificatePath === "")) throw new TypeError(`${name}: certificatePath must be a non-empty string.`);
  if (hasContents && !(typeof s.certificate === "string" || s.certificate instanceof Uint8Array || s.certificate instanceof ArrayBuffer)) {
    throw new TypeError(`${name}: certificate must be PEM text, base64 of a PFX, or the bytes of a PFX (Uint8Array).`);
  }
  if (s.certificatePassword !== undefined && typeof s.certificatePassword !== "string") throw new TypeError(`${name}: certificatePassword must be a string.`);
}

function looksLikePem(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  // PEM starts with a BEGIN line or with text before it; DER starts with a SEQUENCE tag.
  return bytes[i] !== 0x30 && new TextDecoder().decode(bytes.subarray(0, 64 * 1024)).includes("-----BEGIN ");
}

async function sourceInput(source: CertificateSource, runtime: RuntimeAdapter): Promise<{ text?: string; bytes?: Uint8Array; password?: string }> {
  if (typeof source === "string") {
    if (isPemText(source)) return { text: source };
    return { bytes: await readPath(source, runtime) };
  }
  const password = source.certificatePassword;
  if ("certificatePath" in source && source.certificatePath !== undefined) return { bytes: await readPath(source.certificatePath, runtime), password };
  const c = (source as CertificateContents).certificate;
  if (typeof c === "string") {
    if (isPemText(c)) return { text: c, password };
    if (c.trim() === "") throw malformed("the certificate is an empty string");
    return { bytes: decodeBase64(c, "the certificate (neither PEM text nor base64 of a PFX)"), password };
  }
  return { bytes: c instanceof ArrayBuffer ? new Uint8Array(c) : c, password };
}

async function readPath(path: string, runtime: RuntimeAdapter): Promise<Uint8Array> {
  try {
    return await readFileWith(runtime, path);
  } catch (e) {
    if (e instanceof CredentialUnavailableError || e instanceof CertificateError) throw e;
    const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new CredentialUnavailableError(`Cannot read the certificate file "${path}" (${detail}). Check the path and that this program may read it.`);
  }
}

async function fromPem(text: string, password: string | undefined, budget: KdfBudget): Promise<{ keys: Uint8Array[]; certs: Uint8Array[] }> {
  const blocks = parsePem(text);
  if (blocks.length === 0) throw malformed("the text holds no PEM blocks (-----BEGIN CERTIFICATE----- / -----BEGIN PRIVATE KEY-----)");
  const keys: Uint8Array[] = [];
  const certs: Uint8Array[] = [];
  for (const { label, der } of blocks) {
    switch (label) {
      case "CERTIFICATE":
      case "X509 CERTIFICATE":
        certs.push(der);
        break;
      case "PRIVATE KEY":
        keys.push(der);
        break;
      case "RSA PRIVATE KEY":
        keys.push(pkcs1ToPkcs8(der));
        break;
      case "ENCRYPTED PRIVATE KEY":
        if (password === undefined) {
          throw new CertificateError("ERR_CERT_PASSWORD_REQUIRED", "The private key is encrypted (ENCRYPTED PRIVATE KEY): pass its password as certificatePassword.");
        }
        keys.push(await decryptPkcs8(der, password, budget));
        break;
      case "EC PRIVATE KEY":
        throw unsupportedKey("1.2.840.10045.2.1");
      case "DSA PRIVATE KEY":
        throw unsupportedKey("1.2.840.10040.4.1");
      default:
        break; // public keys, parameters, CSRs: not needed
    }
  }
  return { keys, certs };
}

async function fromDer(bytes: Uint8Array, password: string | undefined, budget: KdfBudget): Promise<{ keys: Uint8Array[]; certs: Uint8Array[] }> {
  if (bytes.length === 0) throw malformed("the certificate file is empty");
  if (bytes[0] !== 0x30) throw malformed("the data is neither PEM text nor a PFX/PKCS#12 file");
  // pkijs is heavy: it is loaded only here, when a PFX is parsed.
  const { readPkcs12 } = await import("./pkcs12.ts");
  try {
    return await readPkcs12(bytes, password, budget);
  } catch (e) {
    if (e instanceof CertificateError && e.code === "ERR_CERT_MALFORMED") {
      let cert: X509 | undefined;
      try {
        cert = parseX509(bytes);
      } catch {
        // not a lone certificate either
      }
      if (cert) throw new CertificateError("ERR_CERT_NO_PRIVATE_KEY", "The data is a DER certificate without its private key; pass a PFX or PEM that holds the key too.");
    }
    throw e;
  }
}

function bitLength(modulus: Uint8Array): number {
  const top = modulus[0] ?? 0;
  return modulus.length === 0 ? 0 : (modulus.length - 1) * 8 + (32 - Math.clz32(top));
}

/** Bytes as a string, to key a Map or Set. */
function bytesKey(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x2000) s += String.fromCharCode(...b.subarray(i, i + 0x2000));
  return s;
}

/** An RSA public key as a Map key (length-prefixed, so no two keys collide). */
const rsaKey = (k: RsaPublic) => `${k.modulus.length}:${bytesKey(k.modulus)}${bytesKey(k.exponent)}`;

/** Orders the chain: the leaf, then each issuer in turn, then whatever is left. */
function orderChain(leaf: X509, all: X509[]): X509[] {
  // De-duplicated through a Set: comparing every pair took seconds for a file of 1,000 certificates.
  const seen = new Set([bytesKey(leaf.der)]);
  const unique: X509[] = [];
  for (const c of all) {
    const k = bytesKey(c.der);
    if (!seen.has(k)) {
      seen.add(k);
      unique.push(c);
    }
  }
  const chain = [leaf];
  let current = leaf;
  while (current.issuer !== current.subject) {
    const i = unique.findIndex((c) => c.subject === current.issuer);
    if (i === -1) break;
    current = unique.splice(i, 1)[0]!;
    chain.push(current);
  }
  return chain.concat(unique);
}

async function loadUnchecked(source: CertificateSource, runtime: RuntimeAdapter, passwordOverride: string | undefined): Promise<CertificateMaterial> {
  const input = await sourceInput(source, runtime);
  const password = passwordOverride ?? input.password;
  const text = input.text ?? (input.bytes && looksLikePem(input.bytes) ? new TextDecoder().decode(input.bytes) : undefined);
  // One allowance of key-derivation work for the whole load (MAC, every encrypted item, every password tried).
  const budget = new KdfBudget();
  const { keys, certs } = text !== undefined ? await fromPem(text, password, budget) : await fromDer(input.bytes ?? new Uint8Array(0), password, budget);
  if (keys.length === 0) {
    throw new CertificateError(
      "ERR_CERT_NO_PRIVATE_KEY",
      certs.length ? "The certificate input holds certificates but no private key; include the key (PEM: a PRIVATE KEY block; PFX: export with the key)." : "The certificate input holds no private key.",
    );
  }
  if (certs.length === 0) {
    throw new CertificateError("ERR_CERT_NO_CERTIFICATE", "The certificate input holds a private key but no certificate; include the certificate (a CERTIFICATE block, or a PFX with it).");
  }
  const parsed = certs.map((der) => parseX509(der));
  // The first certificate for each RSA public key (a lookup, not a scan per key).
  const byKey = new Map<string, X509>();
  for (const c of parsed) {
    const k = c.rsa && rsaKey(c.rsa);
    if (k && !byKey.has(k)) byKey.set(k, c);
  }
  for (const pkcs8 of keys) {
    const rsa = rsaOfPkcs8(pkcs8);
    const leaf = byKey.get(rsaKey(rsa));
    if (leaf) return { pkcs8, chain: orderChain(leaf, parsed), keyBits: bitLength(rsa.modulus) };
  }
  throw new CertificateError(
    "ERR_CERT_KEY_MISMATCH",
    `None of the ${parsed.length} certificate(s) matches the private key; the key and the certificate must be a pair (check you combined the right files).`,
  );
}

/**
 * Loads key and chain from a source. Every failure is a CertificateError (or a
 * CredentialUnavailableError for a file that cannot be read); nothing else escapes.
 */
export async function loadCertificate(source: CertificateSource, runtime: RuntimeAdapter, passwordOverride?: string): Promise<CertificateMaterial> {
  try {
    return await loadUnchecked(source, runtime, passwordOverride);
  } catch (e) {
    if (e instanceof CertificateError || e instanceof CredentialUnavailableError) throw e;
    // Keep the parser's words for debugging, without anything that could be encoded key material.
    const detail = e instanceof Error ? `${e.name}: ${e.message}`.replace(/[A-Za-z0-9+/=_-]{16,}/g, "…").slice(0, 160) : "unknown error";
    throw malformed("it could not be parsed", new Error(detail));
  }
}
