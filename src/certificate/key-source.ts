/**
 * Keys that stay where they are: a public certificate with a WebCrypto `CryptoKey` (non-extractable
 * is fine) or with a `sign` callback (Key Vault, a KMS, an HSM). The certificate text is parsed
 * here (PEM, base64 DER, DER bytes — a chain allowed); the key is checked against it once, at the
 * first use, by signing a random probe and verifying it with each certificate's public key: the
 * certificate it verifies with is the leaf, and none is `ERR_CERT_KEY_MISMATCH`.
 *
 * @module
 */
import { base64url, copyOf, fromUtf8, isBytes } from "../lib/bytes.ts";
import { MAX_CERTIFICATES, MAX_INPUT_BYTES, MIN_RSA_BITS } from "../lib/limits.ts";
import type { AssertionAlgorithm, AssertionSigner, CertificateWithKey, CertificateWithSigner, PublicCertificate } from "../types.ts";
import { CertificateError, malformed } from "./error.ts";
import { decodeBase64, isPemText, parsePem } from "./pem.ts";
import { parseX509, type RsaPublic, type X509 } from "./x509.ts";

/** A source whose key is not in the certificate input. */
export type KeySource = CertificateWithKey | CertificateWithSigner;

/** What the credential signs with. */
interface KeySigner {
  /** The leaf, then its issuers (as given, leaf moved first). */
  chain: X509[];
  /** Signs with the assertion algorithm (a `sign` callback is told the attempt's signal). */
  sign(data: Uint8Array, abortSignal?: AbortSignal): Promise<Uint8Array>;
  /** A deterministic RS256 signature (for the shared cache's key), when the key can make one. */
  signRs256?(data: Uint8Array): Promise<Uint8Array>;
}

const PARAMS = {
  RS256: { name: "RSASSA-PKCS1-v1_5" },
  PS256: { name: "RSA-PSS", saltLength: 32 },
} as const;

/** Is `source` one of the key-that-stays forms? */
export function isKeySource(source: unknown): source is KeySource {
  return typeof source === "object" && source !== null && ("privateKey" in source || "sign" in source);
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey === "function" ? value instanceof CryptoKey : typeof value === "object" && value !== null && "algorithm" in value && "usages" in value;
}

/** The algorithm a CryptoKey signs: RS256 for RSASSA-PKCS1-v1_5, PS256 for RSA-PSS (SHA-256 only). */
function keyAlgorithm(name: string, key: CryptoKey): AssertionAlgorithm {
  const algorithm = key.algorithm as RsaHashedKeyAlgorithm;
  const hash = typeof algorithm.hash === "object" ? algorithm.hash?.name : undefined;
  const usable = key.type === "private" && key.usages.includes("sign");
  if (!usable) throw new TypeError(`${name}: privateKey must be a private key with the "sign" usage (got a ${key.type} key for ${key.usages.join(", ") || "nothing"}).`);
  if ((algorithm.name !== "RSASSA-PKCS1-v1_5" && algorithm.name !== "RSA-PSS") || hash !== "SHA-256") {
    throw new TypeError(
      `${name}: privateKey must be an RSA key for SHA-256 — RSASSA-PKCS1-v1_5 (RS256) or RSA-PSS (PS256) — not ${algorithm.name}${hash ? `/${hash}` : ""}. Entra client assertions are RSA.`,
    );
  }
  if (typeof algorithm.modulusLength === "number" && algorithm.modulusLength < MIN_RSA_BITS) {
    throw new TypeError(`${name}: the RSA key has ${algorithm.modulusLength} bits; Entra needs ${MIN_RSA_BITS} bits or more.`);
  }
  return algorithm.name === "RSA-PSS" ? "PS256" : "RS256";
}

/**
 * Checks a key source synchronously (constructor errors are TypeErrors) and returns the assertion
 * algorithm: the one asked for, or the CryptoKey's (`RSA-PSS` → PS256), else RS256.
 */
export function validateKeySource(name: string, source: KeySource, asked: AssertionAlgorithm | undefined): AssertionAlgorithm {
  const s = source as unknown as Record<string, unknown>;
  if ("privateKey" in s && "sign" in s) throw new TypeError(`${name}: pass one of privateKey and sign, not both.`);
  for (const key of ["certificatePath", "certificatePassword", "certificateThumbprint", "certificateFriendlyName"]) {
    if (s[key] !== undefined) throw new TypeError(`${name}: ${key} does not go with ${"sign" in s ? "sign" : "privateKey"}: pass the public certificate as certificate (PEM, base64 DER or DER bytes).`);
  }
  const c = s.certificate;
  if (!(typeof c === "string" || isBytes(c)) || (typeof c === "string" ? c.trim() === "" : c.byteLength === 0)) {
    throw new TypeError(`${name}: certificate must be the public certificate: PEM text (the chain may follow), base64 of the DER, or DER bytes.`);
  }
  if ("sign" in s) {
    if (typeof s.sign !== "function") throw new TypeError(`${name}: sign must be a function (data, algorithm) => Promise<Uint8Array> (e.g. keyVaultSigner({ keyId, credential })).`);
    return asked ?? "RS256";
  }
  if (!isCryptoKey(s.privateKey)) throw new TypeError(`${name}: privateKey must be a WebCrypto CryptoKey (e.g. from crypto.subtle.importKey or generateKey; non-extractable is fine).`);
  const own = keyAlgorithm(name, s.privateKey);
  if (asked !== undefined && asked !== own) {
    throw new TypeError(`${name}: assertionAlgorithm is ${asked} but privateKey is a ${s.privateKey.algorithm.name} key, which signs ${own}: import the key for ${asked === "PS256" ? "RSA-PSS" : "RSASSA-PKCS1-v1_5"}, or leave assertionAlgorithm out.`);
  }
  return own;
}

/** The byte length of the DER element at `at` (tag, length, content), or -1 when it is not one. */
function elementLength(bytes: Uint8Array, at: number): number {
  if (bytes[at] !== 0x30 || at + 2 > bytes.length) return -1;
  const first = bytes[at + 1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || at + 2 + n > bytes.length) return -1;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + bytes[at + 2 + i]!;
  return 2 + n + length;
}

/** DER bytes of one or more concatenated certificates. */
function splitDer(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = elementLength(bytes, at);
    if (length < 0 || at + length > bytes.length) throw malformed("the certificate is neither PEM text nor DER (a certificate's SEQUENCE)");
    out.push(bytes.subarray(at, at + length));
    at += length;
    if (out.length > MAX_CERTIFICATES) break;
  }
  return out;
}

function tooLarge(size: number): CertificateError {
  return new CertificateError("ERR_CERT_MALFORMED", `The certificate input is ${size} bytes; at most ${MAX_INPUT_BYTES} are accepted. Pass only the certificate and its chain.`);
}

/** The certificates of a public certificate input, in input order. */
function readCertificates(input: PublicCertificate): X509[] {
  const bytes = typeof input === "string" ? undefined : input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  if ((bytes?.length ?? (input as string).length) > MAX_INPUT_BYTES) throw tooLarge(bytes?.length ?? (input as string).length);
  // DER starts with a SEQUENCE of over 127 bytes (30 81..84); text may start with a "0" too
  // (`openssl x509 -text`'s notes, s_client's " 0 s:CN=…": attack review of session 11).
  const text = typeof input === "string" ? input : !(bytes![0] === 0x30 && bytes![1]! >= 0x81 && bytes![1]! <= 0x84) ? fromUtf8(bytes!) : undefined;
  let ders: Uint8Array[];
  const skipped: string[] = [];
  if (text !== undefined && isPemText(text)) {
    const blocks = parsePem(text, skipped);
    // (An OpenSSH or PGP private key too, which the loader does not read: second attack review of session 11.)
    if (blocks.some((b) => b.label.endsWith("PRIVATE KEY")) || skipped.some((label) => label.includes("PRIVATE KEY"))) {
      throw new CertificateError("ERR_CERT_MALFORMED", "The certificate input holds a private key: with privateKey or sign, pass only the public certificate (and its chain).");
    }
    ders = blocks.filter((b) => b.label === "CERTIFICATE" || b.label === "X509 CERTIFICATE").map((b) => b.der);
  } else if (text !== undefined) {
    ders = splitDer(decodeBase64(text, "the certificate (neither PEM text nor base64 of a DER certificate)"));
  } else {
    ders = splitDer(bytes!);
  }
  if (ders.length === 0) {
    throw new CertificateError("ERR_CERT_NO_CERTIFICATE", `The certificate input holds no certificate (a CERTIFICATE block, or DER)${skipped.length ? `; its BEGIN lines: ${skipped.map((l) => `-----BEGIN ${l}-----`).join(", ")}` : ""}.`);
  }
  if (ders.length > MAX_CERTIFICATES) throw new CertificateError("ERR_CERT_MALFORMED", `The certificate input holds more than ${MAX_CERTIFICATES} certificates. Pass only the certificate and its chain.`);
  // Copies: the caller's bytes (a pooled Node Buffer) are not kept.
  return ders.map((der) => parseX509(new Uint8Array(der)));
}

/** Strips leading zero bytes (JWK integers are unsigned, minimal). */
function minimal(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

function verifyKey(rsa: RsaPublic, algorithm: AssertionAlgorithm): Promise<CryptoKey> {
  const jwk: JsonWebKey = { kty: "RSA", n: base64url(minimal(rsa.modulus)), e: base64url(minimal(rsa.exponent)), ext: true };
  return crypto.subtle.importKey("jwk", jwk, { name: PARAMS[algorithm].name, hash: "SHA-256" }, false, ["verify"]);
}

/** What a signer returned, as bytes of its own (copied: any view works, also one into a larger shared buffer). */
function signatureBytes(value: unknown, name: string): Uint8Array {
  // copyOf gives back what it could not copy (a detached buffer) as it is.
  const bytes = isBytes(value) ? copyOf(value) : undefined;
  if (bytes instanceof Uint8Array && bytes !== value) return bytes;
  throw new TypeError(`${name}: sign must resolve to the signature bytes (a Uint8Array), got ${value === null ? "null" : bytes ? "a detached buffer" : typeof value}.`);
}

/**
 * The signer for a key source: the leaf found by a probe signature (once, here), the chain in
 * input order after it. Throws `ERR_CERT_KEY_MISMATCH` when no certificate's key verifies it.
 */
export async function loadKeySigner(name: string, source: KeySource, algorithm: AssertionAlgorithm): Promise<KeySigner> {
  const certs = readCertificates(source.certificate);
  let sign: (data: Uint8Array, alg: AssertionAlgorithm, abortSignal?: AbortSignal) => Promise<Uint8Array>;
  let rs256: KeySigner["signRs256"];
  if ("privateKey" in source) {
    const key = source.privateKey;
    sign = async (data, alg) => new Uint8Array(await crypto.subtle.sign(PARAMS[alg], key, data as Uint8Array<ArrayBuffer>));
    if (algorithm === "RS256") rs256 = (data) => sign(data, "RS256");
  } else {
    const callback: AssertionSigner = source.sign;
    sign = async (data, alg, abortSignal) => signatureBytes(await callback(new Uint8Array(data), alg, abortSignal && { abortSignal }), name);
    rs256 = (data) => sign(data, "RS256");
  }
  const probe = crypto.getRandomValues(new Uint8Array(32));
  const signature = await sign(probe, algorithm);
  let leaf: X509 | undefined;
  for (const cert of certs) {
    if (!cert.rsa) continue;
    const ok = await crypto.subtle.verify(PARAMS[algorithm], await verifyKey(cert.rsa, algorithm), signature as Uint8Array<ArrayBuffer>, probe);
    if (ok) {
      leaf = cert;
      break;
    }
  }
  if (!leaf) {
    if (!certs.some((c) => c.rsa)) throw new CertificateError("ERR_CERT_UNSUPPORTED_KEY", "The certificate's key is not RSA; Entra client assertions need an RSA certificate.");
    throw new CertificateError(
      "ERR_CERT_KEY_MISMATCH",
      `The ${"privateKey" in source ? "privateKey" : "sign callback's key"} does not match the certificate: a ${algorithm} signature it made does not verify with the public key of any of the ${certs.length} certificate(s). Pass the certificate of this key (for Key Vault: the certificate's own key, the same version).`,
    );
  }
  const chain = [leaf, ...certs.filter((c) => c !== leaf)];
  const signer: KeySigner = { chain, sign: (data, abortSignal) => sign(data, algorithm, abortSignal) };
  if (rs256) signer.signRs256 = rs256;
  return signer;
}
