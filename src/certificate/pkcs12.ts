/**
 * PKCS#12 / PFX, loaded only when a PFX is parsed. asn1js decodes every byte (BER, including the
 * indefinite lengths Java keytool writes), each buffer once and without its speculative parse of
 * what OCTET STRINGs hold (`parseEmbedded: false`); this module then walks asn1js's tree and checks
 * every element it reads against the ASN.1 of RFC 7292 and RFC 5652 — the PFX (version 3), its
 * ContentInfos ([0] EXPLICIT content), MacData (iterations DEFAULT 1), the AuthenticatedSafe, each
 * EncryptedData (version, [0] IMPLICIT encryptedContent primitive or BER-constructed) and the
 * SafeContents' bags — and refuses anything else, and bytes after any element, as
 * ERR_CERT_MALFORMED naming the part. Each walk is linear in the elements asn1js produced.
 * Nested SafeContents are used as parsed. The MAC is verified with the RFC 7292 key derivation (pkcs12-crypto/kdf.ts,
 * with noble's SHA-384/512, loaded only for the MACs that use them) or, for PBMAC1 files (RFC 9579), with
 * PBKDF2 + HMAC through WebCrypto; bags are decrypted with PBES2 or the legacy PKCS#12 PBE schemes
 * (3DES, RC2), which no WebCrypto has. Each key and certificate comes with
 * its friendlyName and localKeyId bag attributes, so the loader can pair and select them.
 *
 * @module
 */
import * as asn1js from "asn1js";
import { concat, hex, ownBuffer, sameBytes } from "../lib/bytes.ts";
import { MAX_ASN1JS_NODES, MAX_ATTRIBUTE_LENGTH, MAX_ITERATIONS, MAX_OID_BYTES_FOR_ASN1JS, MAX_TEXT_BYTES_FOR_ASN1JS, MAX_PBMAC1_KEY_BYTES, MIN_PBMAC1_KEY_BYTES } from "../lib/limits.ts";
import { CertificateError, malformed } from "./error.ts";
import { child, decode, readOctets, readOid, readSmallInt, readString, TAG, type Der } from "./der.ts";
import { bmpPassword, hmac, pkcs12Kdf, type Hasher, type Pkcs12Hash } from "./pkcs12-crypto/kdf.ts";
import { iterationsRefused, KDF_COST, KdfBudget, pbeDecrypt, PRF, PRF_BYTES } from "./encrypted-key.ts";

const DATA = "1.2.840.113549.1.7.1";
const ENCRYPTED_DATA = "1.2.840.113549.1.7.6";
const KEY_BAG = "1.2.840.113549.1.12.10.1.1";
const SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2";
const CERT_BAG = "1.2.840.113549.1.12.10.1.3";
const SAFE_CONTENTS_BAG = "1.2.840.113549.1.12.10.1.6";
const X509_CERT = "1.2.840.113549.1.9.22.1";
const FRIENDLY_NAME = "1.2.840.113549.1.9.20";
const LOCAL_KEY_ID = "1.2.840.113549.1.9.21";
const PBMAC1 = "1.2.840.113549.1.5.14";
const PBKDF2 = "1.2.840.113549.1.5.12";
const MAC_HASHES: Record<string, { name: "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512"; length: number }> = {
  "1.3.14.3.2.26": { name: "SHA-1", length: 20 },
  "2.16.840.1.101.3.4.2.1": { name: "SHA-256", length: 32 },
  "2.16.840.1.101.3.4.2.2": { name: "SHA-384", length: 48 },
  "2.16.840.1.101.3.4.2.3": { name: "SHA-512", length: 64 },
};

/** A key or certificate of a PFX with the bag attributes that name it. */
interface Pkcs12Item {
  /** PKCS#8 PrivateKeyInfo (keys) or X.509 DER (certificates). */
  der: Uint8Array;
  /** The friendlyName attribute (what Windows and keytool call the entry). */
  friendlyName?: string;
  /** The localKeyId attribute, hex: equal on a key and its certificate. */
  localKeyId?: string;
}

interface Pkcs12Contents {
  /** Every key bag, in file order. */
  keys: Pkcs12Item[];
  /** Every X.509 certificate bag, in file order. */
  certs: Pkcs12Item[];
}

type Candidate = string | undefined;

type NobleHash = (typeof import("@noble/hashes/sha2.js"))["sha384"];

/**
 * noble's SHA-384 / SHA-512 in the shape the PKCS#12 KDF takes, for the rare MACs that use them
 * (OpenSSL's `-macalg sha512`). Each hash restarts from a copy of a fresh state (`_cloneInto`),
 * so the iterated hash allocates nothing per round.
 */
function nobleHasher(fn: NobleHash): () => Hasher {
  return () => {
    const fresh = fn.create();
    let h = fn.create();
    const hasher: Hasher = {
      blockLen: fn.blockLen,
      outputLen: fn.outputLen,
      update(data) {
        h.update(data);
        return hasher;
      },
      digestInto(out) {
        h.digestInto(out);
        h = fresh._cloneInto(h);
      },
      iterate(data, count) {
        for (let r = 0; r < count; r++) {
          h = fresh._cloneInto(h);
          h.update(data).digestInto(data);
        }
        h = fresh._cloneInto(h);
      },
    };
    return hasher;
  };
}

/**
 * The hash of a PKCS#12 MAC: ours for SHA-1 and SHA-256, noble's for SHA-384 and SHA-512 —
 * imported only when such a MAC is met: noble's SHA-2 (about 12 KB with its helpers) in the
 * PKCS#12 chunk cost every first PFX load about 1.5 ms CPU to load (Node 20 / 22 / 24, fresh
 * processes, medians of 11; issue 16).
 */
async function macHasher(name: string): Promise<Pkcs12Hash | (() => Hasher)> {
  if (name === "SHA-1" || name === "SHA-256") return name;
  const { sha384, sha512 } = await import("@noble/hashes/sha2.js");
  return nobleHasher(name === "SHA-384" ? sha384 : sha512);
}

/** The passwords the bags are decrypted with once the MAC accepted one (undefined when none does). */
type MacMatch = Candidate[] | undefined;

/** Which of the candidate passwords the MAC accepts. */
async function verifyMac(mac: MacData, content: Uint8Array, candidates: Candidate[], budget: KdfBudget): Promise<MacMatch> {
  const oid = mac.algorithm.oid;
  const expected = mac.digest;
  if (oid === PBMAC1) return verifyPbmac1(mac.algorithm.params, content, expected, candidates, budget);
  const hash = MAC_HASHES[oid];
  if (!hash) {
    throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `The PFX integrity MAC uses ${oid}, which is not supported. Export it with OpenSSL 3 defaults (SHA-256 MAC).`);
  }
  const iterations = mac.iterations;
  if (!(iterations >= 1 && iterations <= MAX_ITERATIONS)) throw iterationsRefused("the PFX MAC", iterations);
  const salt = mac.salt;
  let hasher: Pkcs12Hash | (() => Hasher) | undefined;
  for (const password of candidates) {
    // One block: the MAC key is as long as the hash.
    budget.spend(iterations, 1, KDF_COST.pkcs12[hash.name]!);
    hasher ??= await macHasher(hash.name);
    const key = pkcs12Kdf(hasher, bmpPassword(password), salt, 3, iterations, hash.length);
    if (sameBytes(hmac(hasher, key, content), expected)) return [password];
  }
  return undefined;
}

/** The HMACs PBMAC1 may name (RFC 8018 Appendix B.1), by OID. */
const HMACS = PRF;

function pbmac1Unsupported(what: string): CertificateError {
  return new CertificateError(
    "ERR_CERT_UNSUPPORTED_ALGORITHM",
    `The PFX integrity MAC is PBMAC1 (RFC 9579) with ${what}, which is not accepted. Re-export it with OpenSSL 3 defaults (openssl pkcs12 -export, SHA-256 MAC) or with -pbmac1_pbkdf2 (PBKDF2-HMAC-SHA256, 32-byte key).`,
  );
}

/**
 * RFC 9579 PBMAC1: the MAC key is PBKDF2 of the UTF-8 password with the parameters inside the
 * algorithm identifier (MacData's macSalt and iterations are ignored), the MAC an HMAC. The key
 * length must be given and be at least 20 octets; WebCrypto does the derivation and the HMAC.
 */
async function verifyPbmac1(algorithmParams: asn1js.BaseBlock | undefined, content: Uint8Array, expected: Uint8Array, candidates: Candidate[], budget: KdfBudget): Promise<MacMatch> {
  let params: Der;
  try {
    params = decode(encodingOf(algorithmParams!), "the PBMAC1 parameters");
  } catch {
    throw malformed("the PFX's PBMAC1 parameters are invalid");
  }
  const kdf = child(params, 0, TAG.SEQUENCE, "the PBMAC1 key derivation");
  const kdfOid = readOid(child(kdf, 0, TAG.OID, "the PBMAC1 key derivation"));
  if (kdfOid !== PBKDF2) throw pbmac1Unsupported(`the key derivation ${kdfOid}`);
  const kdfParams = child(kdf, 1, TAG.SEQUENCE, "the PBKDF2 parameters");
  const saltNode = kdfParams.children[0];
  if (!saltNode || saltNode.cls !== 0 || saltNode.tag !== TAG.OCTET_STRING) throw pbmac1Unsupported("a salt that is not an OCTET STRING");
  const salt = readOctets(saltNode, "the PBKDF2 salt");
  const iterations = readSmallInt(child(kdfParams, 1, TAG.INTEGER, "the PBKDF2 iteration count"), "the PBKDF2 iteration count");
  if (iterations < 1 || iterations > MAX_ITERATIONS) throw iterationsRefused("the PFX PBMAC1 MAC", iterations);
  let keyLength: number | undefined;
  let prf = "SHA-1";
  for (const extra of kdfParams.children.slice(2)) {
    if (extra.cls === 0 && extra.tag === TAG.INTEGER && keyLength === undefined) keyLength = readSmallInt(extra, "the PBKDF2 key length");
    else if (extra.cls === 0 && extra.tag === TAG.SEQUENCE) {
      const prfOid = readOid(child(extra, 0, TAG.OID, "the PBKDF2 PRF"));
      const name = PRF[prfOid];
      if (!name) throw pbmac1Unsupported(`the PBKDF2 PRF ${prfOid}`);
      prf = name;
    } else throw malformed("the PBKDF2 parameters of the PBMAC1 MAC are invalid");
  }
  // RFC 9579 §4 (and its negative test vectors): keyLength is required, and short keys are refused.
  if (keyLength === undefined) throw pbmac1Unsupported("no keyLength in its PBKDF2 parameters (RFC 9579 requires it)");
  if (keyLength < MIN_PBMAC1_KEY_BYTES) throw pbmac1Unsupported(`a ${keyLength}-octet key (at least ${MIN_PBMAC1_KEY_BYTES} are required)`);
  if (keyLength > MAX_PBMAC1_KEY_BYTES) throw pbmac1Unsupported(`a ${keyLength}-octet key (at most ${MAX_PBMAC1_KEY_BYTES})`);
  const macOid = readOid(child(child(params, 1, TAG.SEQUENCE, "the PBMAC1 MAC scheme"), 0, TAG.OID, "the PBMAC1 MAC scheme"));
  const macHash = HMACS[macOid];
  if (!macHash) throw pbmac1Unsupported(`the MAC ${macOid}`);
  const subtle = crypto.subtle;
  // PBMAC1 takes the password as UTF-8, where "no password" and "" are the same octets: try it once,
  // and keep both for the bags (legacy PBE bags tell them apart).
  const tried = new Set<string>();
  for (const password of candidates) {
    const text = password ?? "";
    if (tried.has(text)) continue;
    tried.add(text);
    budget.spend(iterations, Math.ceil(keyLength / PRF_BYTES[prf]!), KDF_COST.webcrypto[prf]!);
    let mac: Uint8Array;
    try {
      const base = await budget.passwordKey(text);
      const bits = await subtle.deriveBits({ name: "PBKDF2", hash: prf, salt: salt as Uint8Array<ArrayBuffer>, iterations }, base, keyLength * 8);
      const key = await subtle.importKey("raw", bits, { name: "HMAC", hash: macHash }, false, ["sign"]);
      mac = new Uint8Array(await subtle.sign("HMAC", key, content as Uint8Array<ArrayBuffer>));
    } catch (e) {
      throw pbmac1Unsupported(`PBKDF2-${prf} and HMAC-${macHash} (this runtime's WebCrypto refused them: ${e instanceof Error ? e.name : "error"})`);
    }
    if (sameBytes(mac, expected)) return text === "" ? candidates.filter((c) => (c ?? "") === "") : [password];
  }
  return undefined;
}

/**
 * Decrypts with the first candidate that works; a wrong password is ERR_CERT_BAD_PASSWORD / _REQUIRED,
 * naming `what` was encrypted (a shrouded key bag's key, or the encrypted contents with the certificates).
 */
async function decryptWithAny(algorithm: Uint8Array, data: Uint8Array, candidates: Candidate[], given: boolean, budget: KdfBudget, what: "the private key" | "the PFX contents"): Promise<Uint8Array> {
  const alg = decode(algorithm, "an encryption algorithm");
  let last: unknown;
  for (const password of candidates) {
    // Malformed parameters (pbeDecrypt's ERR_CERT_MALFORMED) are the file's fault whatever the
    // password: reported as they are, never as a wrong password.
    const plain = await pbeDecrypt(alg, data, password, budget).catch((e: unknown) => {
      if (!(e instanceof CertificateError) || e.code !== "ERR_CERT_BAD_PASSWORD") throw e;
      last = e;
      return undefined;
    });
    if (!plain) continue;
    try {
      decode(plain, "decrypted PFX contents"); // a wrong password that passes the padding check by chance
      return plain;
    } catch (e) {
      last = e;
    }
  }
  if (!given) throw new CertificateError("ERR_CERT_PASSWORD_REQUIRED", "The PFX is encrypted: pass its password (certificatePassword).");
  // The padding (ERR_CERT_BAD_PASSWORD) or the structure (ERR_CERT_MALFORMED) did not check out.
  if (last instanceof CertificateError) throw new CertificateError("ERR_CERT_BAD_PASSWORD", `The certificate password is wrong: ${what} could not be decrypted with it.`);
  throw last;
}


/**
 * Whether BER `bytes`, read as asn1js reads them here (`parseEmbedded: false`: the content of a
 * primitive OCTET or BIT STRING is not parsed), hold an element asn1js handles badly when long: an
 * object identifier over {@link MAX_OID_BYTES_FOR_ASN1JS} bytes (asn1js is quadratic in its
 * length: 70,000 arcs took about a second), or a BMPString / UniversalString over
 * {@link MAX_TEXT_BYTES_FOR_ASN1JS} (asn1js decodes it as it reads, at 60–80 bytes of memory per
 * byte). Such input is refused before asn1js sees it; a PFX's parts are parsed one by one, each
 * screened when it is parsed — so this walk does not enter a primitive OCTET STRING's content (the
 * AuthenticatedSafe, a certificate, an encrypted bag) that asn1js does not parse now: it walked
 * each PFX's AuthenticatedSafe twice and its certificate for nothing. Visits a superset of what
 * asn1js parses; legitimate files hold no OID over 64 bytes and no such string over a few hundred.
 */
function oversized(b: Uint8Array, depth = 0): boolean {
  if (depth > 100) return false; // asn1js stops at depth 100
  let at = 0;
  while (at + 2 <= b.length) {
    const first = b[at]!;
    let p = at + 1;
    if ((first & 0x1f) === 0x1f) {
      while (p < b.length && b[p]! & 0x80) p++;
      p++;
    }
    if (p >= b.length) return false;
    let length = b[p++]!;
    const indefinite = length === 0x80;
    if (length > 0x80) {
      const n = length & 0x7f;
      if (n > 8 || p + n > b.length) return false;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + b[p++]!;
    }
    const end = indefinite ? b.length : Math.min(p + length, b.length);
    if (first === 0x06 && !indefinite && length > MAX_OID_BYTES_FOR_ASN1JS && p + length <= b.length) return true;
    if ((first === 0x1e || first === 0x1c) && !indefinite && length > MAX_TEXT_BYTES_FOR_ASN1JS && p + length <= b.length) return true;
    if (first & 0x20 && oversized(b.subarray(p, end), depth + 1)) return true;
    if (indefinite) return false;
    at = p + length;
  }
  return false;
}

function screen(bytes: Uint8Array): void {
  if (oversized(bytes)) throw malformed("an object identifier or a BMP/Universal string is implausibly long");
}

/**
 * One BER element from `bytes`, parsed by asn1js once: screened first (a CertificateError), and
 * without asn1js's speculative parse of every OCTET and BIT STRING's content (each is parsed when
 * it is used). asn1js's refusal is an Error for the caller to word.
 */
function parseBer(bytes: Uint8Array): asn1js.AsnType {
  screen(bytes);
  const parsed = asn1js.fromBER(ownBuffer(bytes), { parseEmbedded: false, copyInput: false, maxNodes: MAX_ASN1JS_NODES });
  if (parsed.offset === -1 && /node count/.test(parsed.result.error)) throw malformed(`a part of the PFX holds more than ${MAX_ASN1JS_NODES} ASN.1 elements`);
  if (parsed.offset === -1) throw new Error(parsed.result.error);
  if (parsed.offset !== bytes.length) throw new Error(`${bytes.length - parsed.offset} bytes follow the ASN.1 element`);
  return parsed.result;
}

/** {@link parseBer}, with asn1js's refusal (or trailing bytes) as ERR_CERT_MALFORMED saying `what`. */
function parsed(bytes: Uint8Array, what: string): Element {
  try {
    return parseBer(bytes);
  } catch (e) {
    if (e instanceof CertificateError) throw e;
    throw malformed(what, e);
  }
}

type Element = asn1js.AsnType;

/**
 * The bytes of an element as they are in the file (asn1js keeps a view of them), where our DER
 * reader (der.ts) or WebCrypto reads an element further: algorithm parameters, attribute values,
 * an unencrypted key. Re-encoding the element (`toBER`) gave the same bytes for DER and the same
 * elements for BER, but ran asn1js's encoder — code nothing else uses, that a fresh process
 * compiled for these few calls: a first parse of an OpenSSL 3 or legacy file cost 1–3 ms more
 * CPU with it (installed tarball, medians of 11, Node 20 / 22 / 24; issue 16).
 */
function encodingOf(node: asn1js.BaseBlock): Uint8Array {
  return node.valueBeforeDecodeView;
}

/** The children of a constructed element (a SEQUENCE, SET or context tag). */
function childrenOf(node: Element | undefined, what: string): Element[] {
  const value = (node as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
  if (!Array.isArray(value) || !(node as asn1js.BaseBlock).idBlock.isConstructed) throw malformed(what);
  return value as Element[];
}

/** The dotted form of an OBJECT IDENTIFIER element. */
function oidOf(node: Element | undefined, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) throw malformed(what);
  return node.valueBlock.toString();
}

/** The element inside an `[0] EXPLICIT` tag. */
function explicit(node: Element | undefined, what: string): Element {
  const block = node as asn1js.BaseBlock | undefined;
  if (!block || block.idBlock.tagClass !== 3 || block.idBlock.tagNumber !== 0) throw malformed(what);
  const inner = childrenOf(node, what);
  if (inner.length !== 1) throw malformed(what);
  return inner[0]!;
}

/** The SafeContents in `bytes` (a SEQUENCE OF SafeBag). */
function safeContents(bytes: Uint8Array): Element[] {
  return sequenceOf(parsed(bytes, "a PFX SafeContents is invalid"), "a PFX SafeContents is invalid");
}


/** A bag's friendlyName (BMPString) and localKeyId (OCTET STRING, as hex); unreadable ones are ignored. */
function attributesOf(bag: Element[]): Pick<Pkcs12Item, "friendlyName" | "localKeyId"> {
  const out: Pick<Pkcs12Item, "friendlyName" | "localKeyId"> = {};
  if (!(bag[2] instanceof asn1js.Set)) return out;
  for (const attribute of bag[2].valueBlock.value) {
    try {
      const [id, values] = childrenOf(attribute, "a bag attribute");
      const type = oidOf(id, "a bag attribute");
      const value = childrenOf(values, "a bag attribute")[0] as asn1js.BaseBlock | undefined;
      if (!value || (type !== FRIENDLY_NAME && type !== LOCAL_KEY_ID)) continue;
      const node = decode(encodingOf(value), "a bag attribute");
      if (type === FRIENDLY_NAME && out.friendlyName === undefined && node.cls === 0 && (node.tag === TAG.BMP_STRING || node.tag === TAG.UTF8_STRING)) {
        out.friendlyName = readString(node).slice(0, MAX_ATTRIBUTE_LENGTH);
      } else if (type === LOCAL_KEY_ID && out.localKeyId === undefined && node.cls === 0 && node.tag === TAG.OCTET_STRING) {
        out.localKeyId = hex(readOctets(node, "a local key id").subarray(0, MAX_ATTRIBUTE_LENGTH));
      }
    } catch {
      // an attribute that is not what RFC 7292 says is ignored: it only names the entry
    }
  }
  return out;
}

async function readBags(contents: Element[], out: Pkcs12Contents, candidates: Candidate[], given: boolean, depth: number, budget: KdfBudget): Promise<void> {
  for (const element of contents) {
    const bag = childrenOf(element, "a PFX SafeBag is invalid");
    const bagId = oidOf(bag[0], "a PFX SafeBag is invalid");
    const value = explicit(bag[1], "a PFX SafeBag is invalid");
    switch (bagId) {
      case KEY_BAG:
        if (!(value instanceof asn1js.Sequence)) throw malformed("a PFX key bag is invalid");
        out.keys.push({ der: encodingOf(value).slice(), ...attributesOf(bag) });
        break;
      case SHROUDED_KEY_BAG: {
        const [algorithm, data] = childrenOf(value, "a PFX shrouded key bag is invalid");
        if (!(algorithm instanceof asn1js.Sequence)) throw malformed("a PFX shrouded key bag is invalid");
        const encrypted = octetsOf(data, "a PFX shrouded key bag is invalid");
        out.keys.push({ der: await decryptWithAny(encodingOf(algorithm), encrypted, candidates, given, budget, "the private key"), ...attributesOf(bag) });
        break;
      }
      case CERT_BAG: {
        const cert = childrenOf(value, "a PFX certificate bag is invalid");
        if (oidOf(cert[0], "a PFX certificate bag is invalid") === X509_CERT) {
          out.certs.push({ der: octetsOf(explicit(cert[1], "a PFX certificate bag is invalid"), "a PFX certificate bag is invalid"), ...attributesOf(bag) });
        }
        break;
      }
      case SAFE_CONTENTS_BAG:
        // Nested SafeContents: used as parsed, not encoded and parsed again.
        if (depth < 4) await readBags(childrenOf(value, "a PFX SafeContents is invalid"), out, candidates, given, depth + 1, budget);
        break;
      default:
        break; // CRL and secret bags carry nothing we need
    }
  }
}

/** asn1js's tag classes. */
const UNIVERSAL = 1;
const CONTEXT = 3;

/** Whether `node` is a universal element with tag number `tag`. */
function isUniversal(node: Element | undefined, tag: number): node is asn1js.BaseBlock {
  const id = (node as asn1js.BaseBlock | undefined)?.idBlock;
  return id !== undefined && id.tagClass === UNIVERSAL && id.tagNumber === tag;
}

/** The children of a SEQUENCE (constructed, universal 16) with `min` to `max` of them. */
function sequenceOf(node: Element | undefined, what: string, min = 0, max = Infinity): Element[] {
  if (!isUniversal(node, TAG.SEQUENCE)) throw malformed(what);
  const children = childrenOf(node, what);
  if (children.length < min || children.length > max) throw malformed(what);
  return children;
}

/**
 * A primitive INTEGER as a number: exact up to 6 bytes (far above every count a file may use),
 * ±Infinity beyond, so the caller's range check words the refusal.
 */
function integerOf(node: Element | undefined, what: string): number {
  if (!(node instanceof asn1js.Integer) || node.idBlock.isConstructed) throw malformed(what);
  const b = node.valueBlock.valueHexView;
  if (b.length === 0) throw malformed(what);
  const negative = (b[0]! & 0x80) !== 0;
  if (b.length > 6) return negative ? -Infinity : Infinity;
  let n = 0;
  for (const byte of b) n = n * 256 + byte;
  return negative ? n - 2 ** (8 * b.length) : n;
}

/** The octets of an OCTET STRING element, primitive or BER-constructed (its segments joined, each an OCTET STRING). */
function octetsOf(node: Element | undefined, what: string): Uint8Array {
  if (!(node instanceof asn1js.OctetString)) throw malformed(what);
  return segments(node, what);
}

/**
 * The content of a primitive element, or of a BER-constructed one the segments joined: each
 * segment an OCTET STRING, itself primitive or constructed (X.690 §8.7.3), read iteratively.
 */
function segments(node: asn1js.BaseBlock, what: string): Uint8Array {
  if (!node.idBlock.isConstructed) return (node as unknown as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView.slice();
  const parts: Uint8Array[] = [];
  const stack: Element[] = [...childrenOf(node, what)].reverse();
  while (stack.length) {
    const segment = stack.pop();
    if (!(segment instanceof asn1js.OctetString)) throw malformed(what);
    if (segment.idBlock.isConstructed) for (const inner of [...childrenOf(segment, what)].reverse()) stack.push(inner);
    else parts.push(segment.valueBlock.valueHexView);
  }
  return concat(parts);
}

/** An AlgorithmIdentifier: SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }. */
function algorithmOf(node: Element | undefined, what: string): { oid: string; params?: asn1js.BaseBlock; node: asn1js.BaseBlock } {
  const [oid, params] = sequenceOf(node, what, 1, 2);
  return { oid: oidOf(oid, what), params: params as asn1js.BaseBlock | undefined, node: node as asn1js.BaseBlock };
}

/** A ContentInfo (RFC 5652 §3): SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }. */
function contentInfoOf(node: Element | undefined, what: string): { type: string; content: Element } {
  const [type, content] = sequenceOf(node, what, 2, 2);
  return { type: oidOf(type, what), content: explicit(content, what) };
}

/** The MacData of a PFX (RFC 7292 §4): SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }. */
interface MacData {
  algorithm: ReturnType<typeof algorithmOf>;
  digest: Uint8Array;
  salt: Uint8Array;
  iterations: number;
}

function macDataOf(node: Element): MacData {
  const what = "the PFX MacData is invalid";
  const [mac, salt, iterations] = sequenceOf(node, what, 2, 3);
  const [algorithm, digest] = sequenceOf(mac, what, 2, 2);
  return { algorithm: algorithmOf(algorithm, what), digest: octetsOf(digest, what), salt: octetsOf(salt, what), iterations: iterations === undefined ? 1 : integerOf(iterations, what) };
}

/**
 * The PFX (RFC 7292 §4): SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData MacData
 * OPTIONAL }, checked element by element as asn1js decoded it.
 */
function pfxOf(root: Element): { authSafe: { type: string; content: Element }; macData?: MacData } {
  const what = "the data is neither PEM nor a valid PFX/PKCS#12 file";
  const [version, authSafe, macData] = sequenceOf(root, what, 2, 3);
  if (integerOf(version, what) !== 3) throw malformed(`${what} (a PFX is version 3)`);
  return { authSafe: contentInfoOf(authSafe, "the PFX authSafe is invalid"), ...(macData === undefined ? {} : { macData: macDataOf(macData) }) };
}

/**
 * An EncryptedData (RFC 5652 §8): SEQUENCE { version INTEGER (0, or 2 with unprotectedAttrs),
 * encryptedContentInfo SEQUENCE { contentType OBJECT IDENTIFIER, contentEncryptionAlgorithm
 * AlgorithmIdentifier, encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL }, unprotectedAttrs
 * [1] IMPLICIT SET OPTIONAL }. The encrypted content may be primitive or BER-constructed.
 */
function encryptedDataOf(node: Element): { algorithm: Uint8Array; data: Uint8Array } {
  const what = "a PFX EncryptedData block is invalid";
  const [version, info, attributes] = sequenceOf(node, what, 2, 3);
  const v = integerOf(version, what);
  if (attributes !== undefined) {
    const id = (attributes as asn1js.BaseBlock).idBlock;
    if (id.tagClass !== CONTEXT || id.tagNumber !== 1 || !id.isConstructed) throw malformed(what);
  }
  if (v !== (attributes === undefined ? 0 : 2)) throw malformed(`${what} (version ${v})`);
  const [type, algorithm, content] = sequenceOf(info, what, 2, 3);
  oidOf(type, what);
  const alg = algorithmOf(algorithm, what);
  const block = content as asn1js.BaseBlock | undefined;
  if (!block || block.idBlock.tagClass !== CONTEXT || block.idBlock.tagNumber !== 0) throw malformed(`${what} (no encrypted content)`);
  return { algorithm: encodingOf(alg.node), data: segments(block, what) };
}

/**
 * Reads a PFX. `password` undefined means none was given: the MAC and the bags are tried with the
 * empty password (both encodings RFC 7292 allows) before ERR_CERT_PASSWORD_REQUIRED.
 */
export async function readPkcs12(bytes: Uint8Array, password: string | undefined, budget = new KdfBudget()): Promise<Pkcs12Contents> {
  const pfx = pfxOf(parsed(bytes, "the data is neither PEM nor a valid PFX/PKCS#12 file"));
  if (pfx.authSafe.type !== DATA) {
    throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", "The PFX uses public-key integrity mode, which is not supported; export it with a password.");
  }
  const content = octetsOf(pfx.authSafe.content, "the PFX content is invalid");
  const given = password !== undefined;
  let candidates: Candidate[] = password === undefined || password === "" ? ["", undefined] : [password];
  if (pfx.macData) {
    const match = await verifyMac(pfx.macData, content, candidates, budget);
    if (!match?.length) {
      throw given && password !== ""
        ? new CertificateError("ERR_CERT_BAD_PASSWORD", "The certificate password is wrong: the PFX integrity check (MAC) failed with it.")
        : new CertificateError("ERR_CERT_PASSWORD_REQUIRED", "The PFX is protected by a password: pass it as certificatePassword.");
    }
    candidates = match;
  }
  // The AuthenticatedSafe (SEQUENCE OF ContentInfo) from the content the MAC covered.
  const authSafe = sequenceOf(parsed(content, "the PFX AuthenticatedSafe is invalid"), "the PFX AuthenticatedSafe is invalid");
  const out: Pkcs12Contents = { keys: [], certs: [] };
  for (const element of authSafe) {
    const info = contentInfoOf(element, "a PFX content block is invalid");
    if (info.type === DATA) {
      await readBags(safeContents(octetsOf(info.content, "a PFX content block is invalid")), out, candidates, given, 0, budget);
    } else if (info.type === ENCRYPTED_DATA) {
      const { algorithm, data } = encryptedDataOf(info.content);
      await readBags(safeContents(await decryptWithAny(algorithm, data, candidates, given, budget, "the PFX contents")), out, candidates, given, 0, budget);
    } else {
      throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `The PFX holds a content block of type ${info.type} (public-key privacy mode), which is not supported.`);
    }
  }
  return out;
}
