/**
 * Making X.509 certificates with WebCrypto and a small DER writer — no openssl at run time, so it
 * works in every runtime, a Worker included. Used for the emulator's throwaway TLS CA and server
 * certificate (`entra-edge emulator --tls`), the certificate published with its token-signing key,
 * and `createTestCertificate()` for app certificates in tests (RSA 2048, SHA-256).
 *
 * @module
 */
import { encode } from "../certificate/der.ts";
import { toMillis, type EmulatorTime } from "./clock.ts";
import { concat } from "../lib/bytes.ts";
import { digest, toBase64Url, toHex, toPem, utf8 } from "./encoding.ts";

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) } as const;

const seq = (...parts: Uint8Array[]) => encode(0x30, concat(parts));
const set = (...parts: Uint8Array[]) => encode(0x31, concat(parts));
const octets = (bytes: Uint8Array) => encode(0x04, bytes);
const explicit = (n: number, inner: Uint8Array) => encode(0xa0 | n, inner);
const bool = (value: boolean) => encode(0x01, new Uint8Array([value ? 0xff : 0]));
const NULL = new Uint8Array([0x05, 0x00]);

/** An unsigned big-endian INTEGER (a leading zero keeps it positive). */
function integer(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return encode(0x02, (trimmed[0] ?? 0) & 0x80 ? concat([new Uint8Array([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Uint8Array {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const out = [a * 40 + b];
  for (const n of rest) {
    const digits = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) digits.unshift((v & 0x7f) | 0x80);
    out.push(...digits);
  }
  return encode(0x06, new Uint8Array(out));
}

/** A BIT STRING of whole bytes (no unused bits). */
const bits = (bytes: Uint8Array) => encode(0x03, concat([new Uint8Array([0]), bytes]));

/** KeyUsage bits (bit 0 = digitalSignature … bit 6 = cRLSign) as a DER BIT STRING. */
function keyUsage(...bitNumbers: number[]): Uint8Array {
  let byte = 0;
  for (const b of bitNumbers) byte |= 0x80 >> b;
  let unused = 0;
  while (unused < 7 && !(byte & (1 << unused))) unused++;
  return encode(0x03, new Uint8Array([unused, byte]));
}

function time(ms: number): Uint8Array {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString(); // 2026-01-01T00:00:00.000Z
  const year = Number(iso.slice(0, 4));
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "");
  return year >= 1950 && year < 2050 ? encode(0x17, utf8(`${digits.slice(2)}Z`)) : encode(0x18, utf8(`${digits}Z`));
}

/** A Name with a CN (and an O when given). */
function name(commonName: string, organization?: string): Uint8Array {
  const rdn = (type: string, value: string) => set(seq(oid(type), encode(0x0c, utf8(value))));
  return seq(...(organization ? [rdn("2.5.4.10", organization)] : []), rdn("2.5.4.3", commonName));
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

/** The bytes of an IPv4 or IPv6 literal; `undefined` for a DNS name. */
function ipBytes(host: string): Uint8Array | undefined {
  const h = host.replace(/^\[|\]$/g, "");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(h)) return new Uint8Array(h.split(".").map(Number));
  if (!h.includes(":")) return undefined;
  const [head = "", tail = ""] = h.split("::");
  const groups = (s: string) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = h.includes("::") ? groups(tail) : [];
  const all = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  return new Uint8Array(all.flatMap((g) => [g >> 8, g & 0xff]));
}

function subjectAltName(hosts: readonly string[]): Uint8Array {
  return seq(
    ...hosts.map((host) => {
      const ip = ipBytes(host);
      return ip ? encode(0x87, ip) : encode(0x82, utf8(host));
    }),
  );
}

/**
 * Options of {@link createTestCertificate}.
 *
 * @example
 * ```ts
 * import type { TestCertificateOptions } from "entra-edge/testing";
 *
 * const options: TestCertificateOptions = { subject: "my-app", notAfter: "2020-01-01T00:00:00Z" };
 * ```
 */
export interface TestCertificateOptions {
  /** The subject's common name (default `entra-edge test certificate`). */
  subject?: string;
  /** Start of validity (default: an hour ago). */
  notBefore?: EmulatorTime;
  /** End of validity (default: 30 days after `notBefore`). */
  notAfter?: EmulatorTime;
  /** The CA that signs it (default: self-signed). */
  issuer?: TestCertificate;
  /** Make a CA certificate (basicConstraints CA, keyCertSign), to sign others with. */
  isCA?: boolean;
  /** Make a TLS server certificate for these DNS names and IP addresses (subjectAltName, serverAuth). */
  hosts?: readonly string[];
}

/**
 * A certificate made by {@link createTestCertificate}, with its RSA private key. The key is kept
 * out of `JSON.stringify` and enumeration: read it with `privateKeyPem` or `pem`.
 *
 * @example
 * ```ts
 * import { createTestCertificate } from "entra-edge/testing";
 *
 * const cert = await createTestCertificate();
 * cert.certificatePem; // -----BEGIN CERTIFICATE-----
 * cert.pem;            // the certificate and its PRIVATE KEY, as ClientCertificateCredential reads it
 * cert.sha1Thumbprint; // as the Entra portal shows it
 * ```
 */
export class TestCertificate {
  /** The certificate, DER. */
  readonly der: Uint8Array;
  /** The certificate, PEM. */
  readonly certificatePem: string;
  /** SHA-1 of the DER, upper-case hex (the portal's thumbprint). */
  readonly sha1Thumbprint: string;
  /** SHA-256 of the DER, upper-case hex. */
  readonly sha256Thumbprint: string;
  /** `x5t`: SHA-1 thumbprint, base64url. */
  readonly x5t: string;
  /** `x5t#S256`: SHA-256 thumbprint, base64url. */
  readonly x5tS256: string;
  /** The subject, e.g. `CN=entra-edge test`. */
  readonly subject: string;
  /** Start of validity. */
  readonly notBefore: Date;
  /** End of validity. */
  readonly notAfter: Date;
  readonly #keyPem: string;
  readonly #key: CryptoKey;
  readonly #publicKey: CryptoKey;
  /** @internal */
  readonly keyId: Uint8Array;

  /** @internal Use {@link createTestCertificate}. */
  constructor(fields: { der: Uint8Array; sha1: Uint8Array; sha256: Uint8Array; subject: string; notBefore: number; notAfter: number; keyPem: string; key: CryptoKey; publicKey: CryptoKey; keyId: Uint8Array }) {
    this.der = fields.der;
    this.certificatePem = toPem(fields.der, "CERTIFICATE");
    this.sha1Thumbprint = toHex(fields.sha1).toUpperCase();
    this.sha256Thumbprint = toHex(fields.sha256).toUpperCase();
    this.x5t = toBase64Url(fields.sha1);
    this.x5tS256 = toBase64Url(fields.sha256);
    this.subject = fields.subject;
    this.notBefore = new Date(fields.notBefore);
    this.notAfter = new Date(fields.notAfter);
    this.#keyPem = fields.keyPem;
    this.#key = fields.key;
    this.#publicKey = fields.publicKey;
    this.keyId = fields.keyId;
  }

  /** The private key, PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  get privateKeyPem(): string {
    return this.#keyPem;
  }

  /** The certificate and its private key in one PEM text (what `ClientCertificateCredential` and MSAL read). */
  get pem(): string {
    return this.certificatePem + this.#keyPem;
  }

  /** The public parts (what `JSON.stringify` shows: never the key). */
  toJSON(): Record<string, unknown> {
    const { subject, notBefore, notAfter, sha1Thumbprint, sha256Thumbprint, x5t, x5tS256, certificatePem } = this;
    return { subject, notBefore, notAfter, sha1Thumbprint, sha256Thumbprint, x5t, x5tS256, certificatePem };
  }

  /** @internal The signing key (a CA signs the certificates it issues with it). */
  get signingKey(): CryptoKey {
    return this.#key;
  }

  /** @internal The public key. */
  get verifyingKey(): CryptoKey {
    return this.#publicKey;
  }
}

/**
 * Makes an RSA-2048 certificate and its private key with WebCrypto (no openssl): by default a
 * self-signed certificate valid from an hour ago for 30 days, usable as an app's client
 * certificate. `notBefore` / `notAfter` make expired or not-yet-valid ones; `isCA` and `issuer`
 * make a chain; `hosts` makes a TLS server certificate.
 *
 * @example
 * ```ts
 * import { createTestCertificate, EntraEmulator } from "entra-edge/testing";
 * import { ClientCertificateCredential } from "entra-edge";
 *
 * const cert = await createTestCertificate({ subject: "my-app" });
 * const emulator = new EntraEmulator();
 * emulator.addApp({ tenantId: "contoso", clientId: "app", certificates: [cert.certificatePem] });
 * const credential = new ClientCertificateCredential("contoso", "app", { certificate: cert.pem }, {
 *   authorityHost: "http://127.0.0.1",
 *   fetch: emulator.fetch,
 * });
 *
 * const expired = await createTestCertificate({ notBefore: "2020-01-01T00:00:00Z", notAfter: "2021-01-01T00:00:00Z" });
 * const ca = await createTestCertificate({ subject: "Test CA", isCA: true });
 * const server = await createTestCertificate({ issuer: ca, hosts: ["localhost", "127.0.0.1"] });
 * ```
 */
export async function createTestCertificate(options: TestCertificateOptions = {}): Promise<TestCertificate> {
  const known = new Set(["subject", "notBefore", "notAfter", "issuer", "isCA", "hosts"]);
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`createTestCertificate: unknown option '${key}' (known: ${[...known].join(", ")})`);
  const subject = options.subject ?? "entra-edge test certificate";
  const notBefore = options.notBefore === undefined ? Date.now() - 3_600_000 : toMillis(options.notBefore, "notBefore");
  const notAfter = options.notAfter === undefined ? notBefore + 30 * 86_400_000 : toMillis(options.notAfter, "notAfter");
  if (notAfter < notBefore) throw new TypeError("createTestCertificate: notAfter is before notBefore");
  const pair = (await crypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as CryptoKeyPair;
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  const keyId = await digest("SHA-1", spki);
  const issuer = options.issuer;
  const signer = issuer?.signingKey ?? pair.privateKey;
  const extensions: Uint8Array[] = [];
  if (options.isCA) {
    extensions.push(extension("2.5.29.19", true, seq(bool(true))), extension("2.5.29.15", true, keyUsage(5, 6)));
  } else {
    extensions.push(extension("2.5.29.19", true, seq()));
    if (options.hosts?.length) {
      extensions.push(
        extension("2.5.29.15", true, keyUsage(0, 2)),
        extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))),
        extension("2.5.29.17", false, subjectAltName(options.hosts)),
      );
    } else {
      extensions.push(extension("2.5.29.15", true, keyUsage(0)), extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.2"))));
    }
  }
  extensions.push(extension("2.5.29.14", false, octets(keyId)), extension("2.5.29.35", false, seq(encode(0x80, issuer?.keyId ?? keyId))));
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const algorithm = seq(oid("1.2.840.113549.1.1.11"), NULL); // sha256WithRSAEncryption
  const tbs = seq(
    explicit(0, integer(new Uint8Array([2]))),
    integer(serial),
    algorithm,
    name(issuer?.subject ?? subject, "entra-edge tests"),
    seq(time(notBefore), time(notAfter)),
    name(subject, "entra-edge tests"),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = new Uint8Array(await crypto.subtle.sign(RSA.name, signer, tbs as Uint8Array<ArrayBuffer>));
  const der = seq(tbs, algorithm, bits(signature));
  const [sha1, sha256] = await Promise.all([digest("SHA-1", der), digest("SHA-256", der)]);
  return new TestCertificate({
    der,
    sha1,
    sha256,
    subject,
    notBefore: Math.floor(notBefore / 1000) * 1000,
    notAfter: Math.floor(notAfter / 1000) * 1000,
    keyPem: toPem(pkcs8, "PRIVATE KEY"),
    key: pair.privateKey,
    publicKey: pair.publicKey,
    keyId,
  });
}

/**
 * A throwaway CA and a TLS server certificate it signs, for `localhost`, `127.0.0.1` and `::1`
 * (plus `hosts`): what `entra-edge emulator --tls` serves with.
 *
 * @example
 * ```ts
 * import { createTlsCertificates, serveEmulator } from "entra-edge/testing";
 *
 * const { ca, server } = await createTlsCertificates();
 * await serveEmulator(emulator, { tls: { cert: server.certificatePem, key: server.privateKeyPem } });
 * // clients trust ca.certificatePem (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, SSL_CERT_FILE, DENO_CERT)
 * ```
 */
export async function createTlsCertificates(hosts: readonly string[] = []): Promise<{ ca: TestCertificate; server: TestCertificate }> {
  const ca = await createTestCertificate({ subject: "entra-edge emulator throwaway CA", isCA: true });
  const server = await createTestCertificate({ subject: "localhost", issuer: ca, hosts: [...new Set(["localhost", "127.0.0.1", "::1", ...hosts])] });
  return { ca, server };
}
