/**
 * Loading a certificate from any input form: a path, PEM text, base64 of a PFX, or bytes (PFX or
 * PEM). The format is detected. Each key is paired with the certificate holding its public key
 * (preferring the one with its localKeyId, in a PFX); of several pairs the first usable one (RSA
 * of 2048 bits or more) in file order is taken, unless the source names one by thumbprint or
 * friendly name. The chain is the leaf followed by its issuers only, in path order.
 *
 * @module
 */
import { readFileWith, type RuntimeAdapter } from "../lib/runtime.ts";
import { CredentialUnavailableError } from "../lib/errors.ts";
import { CertificateError, malformed } from "./error.ts";
import { binary, copyOf, fromUtf8, isBytes } from "../lib/bytes.ts";
import { MAX_CERTIFICATES, MAX_INPUT_BYTES, MIN_RSA_BITS } from "../lib/limits.ts";
import type { CertificateContents, CertificatePath, CertificateSelector } from "../types.ts";

/** The sources holding their private key (a path, PEM, PFX): the ones loaded here (key-source.ts has the others). */
type CertificateSource = string | CertificatePath | CertificateContents;
import { contentsHint, showPath } from "./path.ts";
import { decodeBase64, isPemText, parsePem } from "./pem.ts";
import type { KdfBudget } from "./encrypted-key.ts";
import { pkcs1ToPkcs8, rsaOfPkcs8, unsupportedKey } from "./pkcs8.ts";
import { parseX509, thumbprints, type RsaPublic, type X509 } from "./x509.ts";

/** The loaded key material (the PKCS#8 bytes never leave the loader's caller). */
interface CertificateMaterial {
  pkcs8: Uint8Array;
  /** The leaf, then its issuers. */
  chain: X509[];
  /** Modulus length of the RSA key, in bits. */
  keyBits: number;
  /** The entry's friendlyName, when the PFX gives one. */
  friendlyName?: string;
}

/**
 * @internal A source's hint for a "path" that holds certificate contents: where to put them
 * instead (EnvironmentCredential: AZURE_CLIENT_CERTIFICATE). Not part of the public API.
 */
export const CONTENTS_INSTEAD: unique symbol = Symbol("entra-edge: pass contents as");

/** A thumbprint as copied from a portal or a certificate dialog, without case, colons, spaces or direction marks. */
function normalizeThumbprint(value: string): string {
  return value.replace(/[\s:\u200e\u200f\ufeff]/g, "").toUpperCase();
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
  if (hasContents && !(typeof s.certificate === "string" || isBytes(s.certificate))) {
    throw new TypeError(`${name}: certificate must be PEM text, base64 of a PFX, or the bytes of a PFX (Uint8Array).`);
  }
  if (s.certificatePassword !== undefined && typeof s.certificatePassword !== "string") throw new TypeError(`${name}: certificatePassword must be a string.`);
  if (s.certificateThumbprint !== undefined && (typeof s.certificateThumbprint !== "string" || !/^[0-9A-F]{40}$/.test(normalizeThumbprint(s.certificateThumbprint)))) {
    throw new TypeError(`${name}: certificateThumbprint must be a certificate's SHA-1 thumbprint in hex (40 digits, as the Entra portal shows it).`);
  }
  if (s.certificateFriendlyName !== undefined && (typeof s.certificateFriendlyName !== "string" || s.certificateFriendlyName === "")) {
    throw new TypeError(`${name}: certificateFriendlyName must be a non-empty string.`);
  }
}

/**
 * The text of bytes that are PEM (decoded once), else undefined. PEM: they hold a BEGIN line anywhere (the input is at most 4 MiB), no
 * NUL byte but at their end (DER always has some inside: a NULL, a zero length byte or a leading
 * zero; a Java key store, UTF-16 text too), and do not start as
 * DER does — a SEQUENCE of over 127 bytes (30 81..84) or of BER's indefinite length (30 80), which
 * a PFX and a certificate always are. Text may start with a "0" (0x30, the SEQUENCE tag) followed
 * by text: `openssl pkcs12 -info` prints "0 Bag Attributes", `openssl s_client -showcerts`
 * " 0 s:CN=…" (attack review of session 11: such bytes, and a text over 64 KiB before its blocks,
 * were "neither PEM nor PFX" where the same string loaded). A PFX or DER file with a byte after it
 * stays DER, and is refused for that byte: as PEM, a BEGIN line inside it (a certificate extension's
 * text) was read instead (second attack review of session 11).
 */
function pemText(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x30 && bytes[1]! >= 0x80 && bytes[1]! <= 0x84) return undefined;
  // (NUL bytes at the end are a C string's terminator, written with the text by some tools.)
  let n = bytes.length;
  while (n > 0 && bytes[n - 1] === 0) n--;
  if (bytes.subarray(0, n).includes(0)) return undefined;
  const text = fromUtf8(bytes);
  return text.includes("-----BEGIN ") ? text : undefined;
}

function tooLarge(size: number | undefined, unit: string): CertificateError {
  return new CertificateError(
    "ERR_CERT_MALFORMED",
    `The certificate ${size === undefined ? `file is larger than ${MAX_INPUT_BYTES} bytes (read no further)` : `input is ${size} ${unit}`}; at most ${MAX_INPUT_BYTES} are accepted (a PFX or PEM with its key and chain is a few KB). Pass only the certificate, its key and its chain.`,
  );
}

function checkedText(text: string): string {
  if (text.length > MAX_INPUT_BYTES) throw tooLarge(text.length, "characters");
  return text;
}

/** A file's bytes: the runtime read at most one byte past the limit. */
function checkedFile(bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_INPUT_BYTES) throw tooLarge(undefined, "bytes");
  return bytes;
}

function checkedBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_INPUT_BYTES) throw tooLarge(bytes.length, "bytes");
  return bytes;
}

async function sourceInput(source: CertificateSource, runtime: RuntimeAdapter): Promise<{ text?: string; bytes?: Uint8Array; password?: string }> {
  if (typeof source === "string") {
    if (isPemText(source)) return { text: checkedText(source) };
    return fileInput(checkedFile(await readPath(source, runtime)));
  }
  const password = source.certificatePassword;
  if ("certificatePath" in source && source.certificatePath !== undefined) {
    const instead = (source as { [CONTENTS_INSTEAD]?: unknown })[CONTENTS_INSTEAD];
    return { ...fileInput(checkedFile(await readPath(source.certificatePath, runtime, typeof instead === "string" ? instead : undefined))), password };
  }
  const c = (source as CertificateContents).certificate;
  if (typeof c === "string") {
    if (isPemText(c)) return { text: checkedText(c), password };
    if (c.trim() === "") throw malformed("the certificate is an empty string");
    if (c.includes("\0")) throw (await diagnosis()).binaryText();
    if (c.length > Math.ceil(MAX_INPUT_BYTES / 3) * 4 * 1.1) throw tooLarge(c.length, "characters of base64");
    return { bytes: checkedBytes(decodeBase64(c, "the certificate (neither PEM text nor base64 of a PFX)")), password };
  }
  // Bytes are the caller's, copied as a Uint8Array of this realm where they came in (copyOf).
  return { bytes: checkedBytes(c instanceof Uint8Array ? c : (copyOf(c) as Uint8Array)), password };
}

/**
 * A file's bytes as the certificate: PEM as its text (decoded once, see {@link pemText}); a text file
 * of base64 (a PFX as Key Vault or a CI secret holds it, what `entra-edge cert` calls "base64 PFX
 * text") decoded; anything else as read.
 */
function fileInput(bytes: Uint8Array): { text?: string; bytes?: Uint8Array } {
  const text = pemText(bytes);
  if (text !== undefined) return { text };
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || (bytes[i]! >= 0x09 && bytes[i]! <= 0x0d))) i++;
  if (i === bytes.length || (i === 0 && bytes[0] === 0x30)) return { bytes };
  const base64 = fromUtf8(bytes).replace(/\s+/g, "");
  return { bytes: /^[A-Za-z0-9+/]+={0,2}$/.test(base64) ? decodeBase64(base64, "the certificate file (base64 text)") : bytes };
}

/**
 * Reads a certificate file. A failure quotes the path only when it is short and plain: a "path"
 * holding the certificate itself (PEM text or base64 given where a path belongs) is described,
 * never quoted, with what to pass instead — and the runtime's own error, which quotes the path,
 * is then not repeated.
 */
async function readPath(path: string, runtime: RuntimeAdapter, instead = "{ certificate: value } (PEM text, base64 of a PFX, or the PFX bytes)"): Promise<Uint8Array> {
  try {
    return await readFileWith(runtime, path);
  } catch (e) {
    throw readFailure(e, path, runtime, instead);
  }
}

/** The error a failed read of the certificate file throws: apart from readPath, so a read that works does not compile it. */
function readFailure(e: unknown, path: string, runtime: RuntimeAdapter, instead: string): unknown {
  const hint = contentsHint(path, instead);
  if (hint) return new CredentialUnavailableError(`Cannot read the certificate file. ${hint}`);
  const shown = showPath(path);
  const quoted = shown.startsWith('"');
  if (e instanceof CertificateError || (e instanceof CredentialUnavailableError && quoted)) return e;
  if (e instanceof CredentialUnavailableError || !runtime.readFile) {
    return new CredentialUnavailableError(
      `Cannot read the certificate file ${shown}: ${runtime.readFile ? `${runtime.name} may not read it` : `${runtime.name} has no file access`}. Check the path, or pass the certificate contents instead: { certificate: pemText | pfxBytes | base64Pfx, certificatePassword }.`,
    );
  }
  // The runtime's message quotes the path: keep it only when the path may be shown.
  const code = (e as { code?: unknown }).code;
  const detail = quoted ? (e instanceof Error ? `${e.name}: ${e.message}` : String(e)) : `${e instanceof Error ? e.name : "error"}${typeof code === "string" && /^[A-Z][A-Z0-9_]{0,31}$/.test(code) ? ` ${code}` : ""}`;
  // A path read from a file or a secret with its line break (`$(cat path.txt)`, a .env value): said so, as no path shown shows it.
  const edge = /^\s|\s$/.test(path) ? ` The path ${/\s$/.test(path) ? "ends" : "starts"} with white space (a line break?): trim it.` : "";
  return new CredentialUnavailableError(`Cannot read the certificate file ${shown} (${detail}). Check the path and that this program may read it.${edge}`);
}

/** A key (PKCS#8) or certificate (DER) of the input, with the PFX bag attributes that name it. */
interface Item {
  der: Uint8Array;
  friendlyName?: string;
  localKeyId?: string;
}

type Diagnosis = typeof import("./diagnose.ts");
let diagnoseModule: Promise<Diagnosis> | undefined;

/**
 * The words of a refusal that depends on what the input is (diagnose.ts), imported only when one
 * is made: an input that loads never loads them. When it cannot be loaded (a split Worker uploaded
 * without its lazy modules), the refusal keeps its code in fewer words (second attack review of
 * session 11: it was "could not be parsed"), and the next refusal tries the import again.
 */
function diagnosis(): Promise<Diagnosis> {
  return (diagnoseModule ??= import("./diagnose.ts").catch(() => {
    diagnoseModule = undefined;
    const none = (what: string) => `The certificate input holds no ${what}.`;
    return {
      notPemOrPfx: () => new CertificateError("ERR_CERT_MALFORMED", none("PEM text or PFX")),
      binaryText: () => new CertificateError("ERR_CERT_MALFORMED", none("PEM text or base64")),
      noBlocks: () => new CertificateError("ERR_CERT_MALFORMED", none("PEM block of a certificate or private key")),
      missingPart: (hasKey: boolean) => (hasKey ? new CertificateError("ERR_CERT_NO_CERTIFICATE", none("certificate")) : new CertificateError("ERR_CERT_NO_PRIVATE_KEY", none("private key"))),
      // Its own module missing, most likely with the one the load needed (a PFX's).
      explained: (e: unknown) => (e instanceof CertificateError ? e : undefined),
    };
  }));
}

let encryptedKeyModule: Promise<typeof import("./encrypted-key.ts")> | undefined;

/**
 * The decryption of encrypted keys (encrypted-key.ts), imported at the first ENCRYPTED PRIVATE KEY
 * and then reused (the PFX reader imports it too): a plain PEM key never loads it. A failed import
 * is not kept.
 */
function encryptedKeys(): Promise<typeof import("./encrypted-key.ts")> {
  return (encryptedKeyModule ??= import("./encrypted-key.ts").catch((e: unknown) => {
    encryptedKeyModule = undefined;
    throw e;
  }));
}

async function fromPem(text: string, password: string | undefined): Promise<{ keys: Item[]; certs: Item[]; skipped: string[] }> {
  const skipped: string[] = [];
  const blocks = parsePem(text, skipped);
  // One allowance of key-derivation work for every encrypted key of the text (and every password tried).
  let budget: KdfBudget | undefined;
  if (blocks.length === 0) throw (await diagnosis()).noBlocks(skipped);
  const keys: Item[] = [];
  const certs: Item[] = [];
  for (const { label, der } of blocks) {
    switch (label) {
      case "CERTIFICATE":
      case "X509 CERTIFICATE":
        certs.push({ der });
        break;
      case "PRIVATE KEY":
        keys.push({ der });
        break;
      case "RSA PRIVATE KEY":
        keys.push({ der: pkcs1ToPkcs8(der) });
        break;
      case "ENCRYPTED PRIVATE KEY":
        if (password === undefined) {
          throw new CertificateError("ERR_CERT_PASSWORD_REQUIRED", "The private key is encrypted (ENCRYPTED PRIVATE KEY): pass its password as certificatePassword.");
        }
        {
          const { decryptPkcs8, KdfBudget } = await encryptedKeys();
          keys.push({ der: await decryptPkcs8(der, password, (budget ??= new KdfBudget())) });
        }
        break;
      case "EC PRIVATE KEY":
        throw unsupportedKey("1.2.840.10045.2.1");
      case "DSA PRIVATE KEY":
        throw unsupportedKey("1.2.840.10040.4.1");
    }
  }
  return { keys, certs, skipped };
}

/** The size of the DER element `bytes` starts with (header included), or `undefined` for a BER indefinite length. */
function derSize(bytes: Uint8Array): number | undefined {
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4) return undefined;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + (bytes[2 + i] ?? 0);
  return 2 + n + length;
}

let pkcs12Module: Promise<typeof import("./pkcs12.ts")> | undefined;

/**
 * The PKCS#12 reader, imported at the first PFX and then reused: import() of a module already
 * loaded still goes through the runtime's module loader (about 0.02 ms a parse on Node 20). A
 * failed import is not kept, so the next load tries again. A function of its own, like encrypted-key.ts's
 * legacyCiphers: one shared helper called at module level (`const x = importOnce(…)`, even marked
 * pure) kept the certificate code in secret-only bundles (Node app, Worker +18 B: tried).
 */
function pkcs12Reader(): Promise<typeof import("./pkcs12.ts")> {
  return (pkcs12Module ??= import("./pkcs12.ts").catch((e: unknown) => {
    pkcs12Module = undefined;
    throw e;
  }));
}

async function fromDer(bytes: Uint8Array, password: string | undefined): Promise<{ keys: Item[]; certs: Item[] }> {
  if (bytes.length === 0) throw malformed("the certificate file is empty");
  if (bytes[0] !== 0x30) throw (await diagnosis()).notPemOrPfx(bytes);
  const size = derSize(bytes);
  if (size !== undefined && bytes.length > size) {
    throw malformed(
      `${bytes.length - size} bytes follow the ${size}-byte PFX/DER structure: the data holds more than one file (a view's .buffer can be a whole shared pool, as Node's 8 KiB one is: pass the view itself)`,
    );
  }
  // The PKCS#12 reader and asn1js are loaded only here, when a PFX is parsed.
  const { readPkcs12 } = await pkcs12Reader();
  try {
    // One allowance of key-derivation work for the whole file (MAC, every encrypted item, every password tried).
    return await readPkcs12(bytes, password);
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

/** An RSA public key as a Map key (length-prefixed, so no two keys collide). */
const rsaKey = (k: RsaPublic) => `${k.modulus.length}:${binary(k.modulus)}${binary(k.exponent)}`;

/** Self-signed: its own issuer by name, and by key identifier where both are given (a self-issued key-rollover certificate is not). */
const selfSigned = (c: X509) => c.issuer === c.subject && (c.authorityKeyId === undefined || c.subjectKeyId === undefined || c.authorityKeyId === c.subjectKeyId);

/**
 * The chain: the leaf, then its issuer, that one's issuer, … — each found through an index by
 * subject name, and by key identifier where both certificates carry one, so the work is linear in
 * the number of certificates. It stops at a self-signed certificate, at one whose issuer is not in
 * the input, and where it would repeat a certificate (a cycle). Certificates that are not the
 * leaf's issuers — another identity's, an unrelated CA — are left out: `x5c` sends this chain only.
 */
function orderChain(leaf: X509, all: X509[]): X509[] {
  // A lone certificate is its own chain (the common PFX): no keys to build (binary() of a
  // certificate is about 0.05 ms on Node 20, a tenth of a repeat parse's own work outside hashing).
  if (all.length === 1 && all[0] === leaf) return [leaf];
  const bySubject = new Map<string, { cert: X509; key: string }[]>();
  const seen = new Set<string>();
  let leafKey: string | undefined;
  for (const cert of all) {
    const key = binary(cert.der);
    if (cert === leaf) leafKey = key;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = bySubject.get(cert.subject);
    if (list) list.push({ cert, key });
    else bySubject.set(cert.subject, [{ cert, key }]);
  }
  const chain = [leaf];
  const used = new Set([leafKey ?? binary(leaf.der)]);
  for (let current = leaf; !selfSigned(current); ) {
    const aki = current.authorityKeyId;
    const next = bySubject.get(current.issuer)?.find((c) => !used.has(c.key) && (aki === undefined || c.cert.subjectKeyId === undefined || c.cert.subjectKeyId === aki));
    if (!next) break;
    used.add(next.key);
    chain.push(next.cert);
    current = next.cert;
  }
  return chain;
}

/** A key with the certificate holding its public key. */
interface Pair {
  key: Item;
  cert: X509;
  keyBits: number;
  friendlyName?: string;
}

const usable = (p: Pair) => p.keyBits >= MIN_RSA_BITS;

/**
 * Every key paired with its certificate, in key order: a certificate with the key's public key,
 * the one with the key's localKeyId when there is one. Keys that are not RSA, or whose
 * certificate is missing, form no pair; when no pair is left, the first such problem is thrown.
 */
/** A key that could not be used (not RSA, say), with the friendly name it had: a selector naming it gets its reason. */
interface Skipped {
  friendlyName?: string;
  problem: unknown;
}

function pairsOf(keys: Item[], items: Item[], certs: X509[], skipped: Skipped[] = []): Pair[] {
  const byKey = new Map<string, number[]>();
  certs.forEach((c, i) => {
    if (!c.rsa) return;
    const k = rsaKey(c.rsa);
    const list = byKey.get(k);
    if (list) list.push(i);
    else byKey.set(k, [i]);
  });
  const pairs: Pair[] = [];
  let problem: unknown;
  for (const key of keys) {
    let rsa: RsaPublic;
    try {
      rsa = rsaOfPkcs8(key.der);
    } catch (e) {
      problem ??= e;
      skipped.push({ friendlyName: key.friendlyName, problem: e });
      continue;
    }
    const matches = byKey.get(rsaKey(rsa));
    if (!matches) continue;
    const index = (key.localKeyId === undefined ? undefined : matches.find((i) => items[i]!.localKeyId === key.localKeyId)) ?? matches[0]!;
    pairs.push({ key, cert: certs[index]!, keyBits: bitLength(rsa.modulus), friendlyName: key.friendlyName ?? items[index]!.friendlyName });
  }
  if (pairs.length === 0) {
    throw (
      problem ??
      new CertificateError(
        "ERR_CERT_KEY_MISMATCH",
        `None of the ${certs.length} certificate(s) matches the private key; the key and the certificate must be a pair (check you combined the right files).`,
      )
    );
  }
  return pairs;
}

/**
 * The pair to use: the one the selector names; without a selector the first usable pair (RSA ≥
 * 2048 bits) in file order, else the first pair (the credential then says why it cannot be used).
 */
async function choose(pairs: Pair[], selector: CertificateSelector, skipped: Skipped[] = []): Promise<Pair> {
  const thumbprint = selector.certificateThumbprint === undefined ? undefined : normalizeThumbprint(selector.certificateThumbprint);
  const name = selector.certificateFriendlyName;
  if (thumbprint === undefined && name === undefined) return pairs.find(usable) ?? pairs[0]!;
  const prints = await Promise.all(pairs.map(async (p) => (await thumbprints(p.cert.der)).sha1Thumbprint));
  const found = pairs.find((p, i) => (thumbprint === undefined || prints[i] === thumbprint) && (name === undefined || p.friendlyName === name));
  if (found) return found;
  // The named entry is there, but its key cannot be used: say why, not that it is missing.
  const unusable = name !== undefined && thumbprint === undefined ? skipped.find((s) => s.friendlyName === name) : undefined;
  if (unusable) throw unusable.problem;
  const wanted = [thumbprint && `the SHA-1 thumbprint ${thumbprint}`, name !== undefined && `the friendly name ${JSON.stringify(name.slice(0, 100))}`].filter(Boolean).join(" and ");
  const available = pairs.map((p, i) => `${prints[i]}${p.friendlyName === undefined ? "" : ` (friendly name ${JSON.stringify(p.friendlyName)})`}, RSA ${p.keyBits} bits`).join("; ");
  throw new CertificateError(
    "ERR_CERT_NOT_FOUND",
    `No key/certificate pair of the certificate input has ${wanted}. It holds ${pairs.length}: ${available}. Pass one of these as certificateThumbprint (or certificateFriendlyName).`,
  );
}

async function loadUnchecked(source: CertificateSource, runtime: RuntimeAdapter, passwordOverride: string | undefined): Promise<CertificateMaterial> {
  const input = await sourceInput(source, runtime);
  const password = passwordOverride ?? input.password;
  const text = input.text ?? (input.bytes && pemText(input.bytes));
  const read: { keys: Item[]; certs: Item[]; skipped?: string[] } = text !== undefined ? await fromPem(text, password) : await fromDer(input.bytes ?? new Uint8Array(0), password);
  const { keys, certs } = read;
  if (keys.length === 0 || certs.length === 0) throw (await diagnosis()).missingPart(keys.length > 0, certs.length, read.skipped ?? []);
  if (certs.length > MAX_CERTIFICATES) {
    throw new CertificateError("ERR_CERT_MALFORMED", `The certificate input holds ${certs.length} certificates; at most ${MAX_CERTIFICATES} are accepted. Pass only the certificate and its chain.`);
  }
  const parsed = certs.map((c) => parseX509(c.der));
  const skipped: Skipped[] = [];
  const pair = await choose(pairsOf(keys, certs, parsed, skipped), typeof source === "string" ? {} : source, skipped);
  // The runtime's own check of the key its WebCrypto will sign with (Deno's: p and q prime), once per load.
  runtime.checkSigningKey?.(pair.key.der);
  const material: CertificateMaterial = { pkcs8: pair.key.der, chain: orderChain(pair.cert, parsed), keyBits: pair.keyBits };
  if (pair.friendlyName !== undefined) material.friendlyName = pair.friendlyName;
  return material;
}

/**
 * Loads key and chain from a source. Every failure is a CertificateError (or a
 * CredentialUnavailableError for a file that cannot be read); nothing else escapes.
 */
export async function loadCertificate(source: CertificateSource, runtime: RuntimeAdapter, passwordOverride?: string): Promise<CertificateMaterial> {
  try {
    return await loadUnchecked(source, runtime, passwordOverride);
  } catch (e) {
    if (e instanceof CredentialUnavailableError) throw e;
    // The error as thrown, or with what diagnose.ts adds (a password with white space, …); none: a lazy module that was not deployed.
    throw (await diagnosis()).explained(e, source, passwordOverride) ?? new CredentialUnavailableError("A module of entra-edge this certificate needs could not be loaded: deploy every module of the build.");
  }
}
