/**
 * Private keys: PKCS#8 PrivateKeyInfo (what WebCrypto imports) and PKCS#1 RSAPrivateKey (wrapped
 * into PKCS#8), with the checks of their fields. Encrypted keys are encrypted-key.ts's, loaded only
 * when an input holds one.
 *
 * @module
 */
import { base64url, hex } from "../lib/bytes.ts";
import { MAX_RSA_BITS } from "../lib/limits.ts";
import { CertificateError } from "./error.ts";
import { child, decode, encode, readOctets, readOid, readSmallInt, readUnsigned, TAG } from "./der.ts";
import { OID_RSA, type RsaPublic } from "./x509.ts";

const KEY_NAMES: Record<string, string> = {
  "1.2.840.10045.2.1": "an EC key",
  "1.3.101.112": "an Ed25519 key",
  "1.3.101.113": "an Ed448 key",
  "1.2.840.10040.4.1": "a DSA key",
  "1.2.840.113549.1.1.10": "an RSA-PSS-only key",
};

export function unsupportedKey(oid: string): CertificateError {
  return new CertificateError(
    "ERR_CERT_UNSUPPORTED_KEY",
    `The private key is ${KEY_NAMES[oid] ?? `of type ${oid}`}; Entra client assertions need an RSA key (2048 bits or more). Create the certificate with an RSA key.`,
  );
}

/** Reads the RSA public part of a PKCS#8 PrivateKeyInfo, refusing non-RSA keys. */
export function rsaOfPkcs8(pkcs8: Uint8Array): RsaPublic {
  const info = decode(pkcs8, "a private key");
  const algorithm = readOid(child(child(info, 1, TAG.SEQUENCE, "the key algorithm"), 0, TAG.OID, "the key algorithm"));
  if (algorithm !== OID_RSA) throw unsupportedKey(algorithm);
  return rsaOfPkcs1(readOctets(child(info, 2, TAG.OCTET_STRING, "the private key"), "the private key"));
}

function rsaOfPkcs1(pkcs1: Uint8Array): RsaPublic {
  const key = decode(pkcs1, "an RSA private key");
  const [n, e, d, p, q, dp, dq, qi] = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => readUnsigned(child(key, i, TAG.INTEGER, "an RSA private key field")));
  // A multi-prime key (version 1, RFC 8017 §A.1.2): Node signs with it, Bun refuses it at import,
  // Deno imports it and then cannot sign — refused here alike on every runtime (review 12).
  if (readSmallInt(child(key, 0, TAG.INTEGER, "the key's version"), "the key's version") !== 0) {
    throw new CertificateError(
      "ERR_CERT_UNSUPPORTED_KEY",
      `The private key is a multi-prime RSA key (${key.children.length > 9 ? key.children[9]!.children.length + 2 : "more than 2"} primes), which not every runtime's WebCrypto signs with. Create a two-prime key (openssl genrsa's default) and its certificate.`,
    );
  }
  if (n!.length * 8 > MAX_RSA_BITS) {
    throw new CertificateError(
      "ERR_CERT_UNSUPPORTED_KEY",
      `The RSA key has about ${n!.length * 8} bits; keys over ${MAX_RSA_BITS} bits are refused (signing each assertion would take seconds). Create the certificate with a 2048-, 3072- or 4096-bit key.`,
    );
  }
  if (!consistent(n!, e!, d!, p!, q!, dp!, dq!, qi!)) {
    throw new CertificateError("ERR_CERT_MALFORMED", "The private key is not a valid RSA key (its modulus, primes and exponents do not agree): export the certificate and its key again.");
  }
  return { modulus: n!, exponent: e! };
}

/**
 * Whether a two-prime RSAPrivateKey's numbers (RFC 8017 §A.1.2) fit together: n = pq, and d, dP,
 * dQ invert e modulo p − 1 and q − 1, and qInv · q ≡ 1 (mod p). The runtimes differ on a key that
 * does not: Bun and workerd refuse it at import, Node signs with d, Deno imports it and then cannot
 * sign; checked here, every runtime refuses it when the file is read (a few BigInt products, µs).
 */
function consistent(...fields: Uint8Array[]): boolean {
  const [n, e, d, p, q, dp, dq, qi] = fields.map((b) => BigInt(`0x0${hex(b)}`)) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  if (p < 2n || q < 2n || n !== p * q) return false;
  const p1 = p - 1n;
  const q1 = q - 1n;
  return (e * d) % p1 === 1n % p1 && (e * d) % q1 === 1n % q1 && (e * dp) % p1 === 1n % p1 && (e * dq) % q1 === 1n % q1 && (qi * q) % p === 1n % p;
}

/** RSAPrivateKey's fields after the version (RFC 8017 A.1.2), as JWK names them (RFC 7518 §6.3). */
const JWK_FIELDS = ["n", "e", "d", "p", "q", "dp", "dq", "qi"] as const;

/**
 * A PKCS#8 RSA key as a private JWK (RFC 7518 §6.3), for WebCrypto to import: Node 20's OpenSSL 3
 * imported PKCS#8 through its decoder framework, about 0.6 ms CPU a key where the same key as a
 * JWK took 0.08 (Bun 0.15 / 0.01, Node 22 and 24 and Deno within 0.01 ms of each other; warm,
 * 100 imports). `undefined` for anything but a two-prime RSAPrivateKey of version 0 whose fields
 * are positive INTEGERs, spanning the PrivateKeyInfo exactly: the caller imports the PKCS#8 as it
 * is then, and WebCrypto decides as before.
 *
 * @example
 * ```ts
 * const jwk = rsaJwkOfPkcs8(pkcs8);
 * const key = jwk ? await crypto.subtle.importKey("jwk", jwk, params, false, ["sign"]) : await crypto.subtle.importKey("pkcs8", pkcs8, params, false, ["sign"]);
 * ```
 */
export function rsaJwkOfPkcs8(pkcs8: Uint8Array): JsonWebKey | undefined {
  try {
    const info = decode(pkcs8, "a private key");
    if (info.children.length !== 3 || readSmallInt(child(info, 0, TAG.INTEGER), "the version") !== 0) return undefined;
    const algorithm = child(info, 1, TAG.SEQUENCE);
    if (readOid(child(algorithm, 0, TAG.OID)) !== OID_RSA) return undefined;
    const key = decode(readOctets(child(info, 2, TAG.OCTET_STRING), "the private key"), "an RSA private key");
    if (key.children.length !== 9 || readSmallInt(child(key, 0, TAG.INTEGER), "the version") !== 0) return undefined;
    const jwk: JsonWebKey = { kty: "RSA" };
    for (let i = 0; i < JWK_FIELDS.length; i++) {
      const field = child(key, i + 1, TAG.INTEGER);
      const c = field.content;
      if (c.length === 0 || (c[0]! & 0x80) !== 0) return undefined; // not a positive INTEGER
      jwk[JWK_FIELDS[i]!] = base64url(readUnsigned(field));
    }
    return jwk;
  } catch {
    return undefined;
  }
}

/** Wraps a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo (what WebCrypto imports). */
export function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  rsaOfPkcs1(pkcs1); // validates the structure first
  const key = encode(0x04, pkcs1); // privateKey OCTET STRING
  const info = new Uint8Array(RSA_PKCS8_PREFIX.length + key.length);
  info.set(RSA_PKCS8_PREFIX);
  info.set(key, RSA_PKCS8_PREFIX.length);
  return encode(0x30, info);
}

/** PrivateKeyInfo's first two fields: version INTEGER 0, AlgorithmIdentifier { rsaEncryption (OID_RSA), NULL }. */
const RSA_PKCS8_PREFIX = Uint8Array.of(0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00);
