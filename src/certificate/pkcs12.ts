/**
 * PKCS#12 / PFX, read with our DER/BER walker (./der.ts), loaded only when a PFX is parsed: PFX →
 * AuthenticatedSafe → ContentInfo / EncryptedData → SafeContents → bags, each structure decoded
 * once, in linear time, under der.ts's caps. The MAC is verified with the RFC 7292 key derivation
 * (pkcs12-crypto/kdf.ts, with noble's SHA-384/512 for the MACs that use them) or, for PBMAC1 files
 * (RFC 9579), with PBKDF2 + HMAC through WebCrypto; bags are decrypted with PBES2 or the legacy
 * PKCS#12 PBE schemes (3DES, RC2). Each key and certificate comes with its friendlyName and
 * localKeyId bag attributes, so the loader can pair and select them.
 *
 * @module
 */
import { sha384, sha512 } from "@noble/hashes/sha2.js";
import { hex, sameBytes, utf8 } from "../lib/bytes.ts";
import { MAX_ATTRIBUTE_LENGTH, MAX_ITERATIONS, MAX_PBMAC1_KEY_BYTES, MIN_PBMAC1_KEY_BYTES } from "../lib/limits.ts";
import { CertificateError, malformed } from "./error.ts";
import { child, decode, readOctets, readOid, readSmallInt, readString, TAG, toDer, type Der } from "./der.ts";
import { bmpPassword, hmac, pkcs12Kdf, type Hasher, type Pkcs12Hash } from "./pkcs12-crypto/kdf.ts";
import { KDF_COST, KdfBudget, pbeDecrypt, PRF, PRF_BYTES } from "./pkcs8.ts";

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

/**
 * noble's SHA-384 / SHA-512 in the shape the PKCS#12 KDF
 * takes, for the rare MACs that use them (OpenSSL's `-macalg sha512`). Each hash restarts from a
 * copy of a fresh state (`_cloneInto`), so the iterated hash allocates nothing per round.
 */
function nobleHasher(fn: typeof sha384): () => Hasher {
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

/** The hash of a PKCS#12 MAC: ours for SHA-1 and SHA-256, noble's for SHA-384 and SHA-512. */
const MAC_HASHERS: Record<string, Pkcs12Hash | (() => Hasher)> = {
  "SHA-1": "SHA-1",
  "SHA-256": "SHA-256",
  "SHA-384": nobleHasher(sha384),
  "SHA-512": nobleHasher(sha512),
};

/** The passwords the bags are decrypted with once the MAC accepted one (undefined when none does). */
type MacMatch = Candidate[] | undefined;

/**
 * An INTEGER as a number, Infinity when it has more than 6 content bytes (an iteration count no
 * cap accepts), so that the refusal names the cap rather than the encoding.
 */
function readCount(node: Der, what: string): number {
  if (node.cls === 0 && node.tag === TAG.INTEGER && !node.constructed && node.content.length > 6 && !(node.content[0]! & 0x80)) return Infinity;
  return readSmallInt(node, what);
}

/** Which of the candidate passwords the MAC accepts. */
async function verifyMac(macData: Der, content: Uint8Array, candidates: Candidate[], budget: KdfBudget): Promise<MacMatch> {
  const digestInfo = child(macData, 0, TAG.SEQUENCE, "the PFX MAC");
  const algorithm = child(digestInfo, 0, TAG.SEQUENCE, "the PFX MAC algorithm");
  const oid = readOid(child(algorithm, 0, TAG.OID, "the PFX MAC algorithm"));
  const expected = readOctets(child(digestInfo, 1, TAG.OCTET_STRING, "the PFX MAC value"), "the PFX MAC value");
  if (oid === PBMAC1) return verifyPbmac1(algorithm, content, expected, candidates, budget);
  const hash = MAC_HASHES[oid];
  if (!hash) {
    throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `The PFX integrity MAC uses ${oid}, which is not supported. Export it with OpenSSL 3 defaults (SHA-256 MAC).`);
  }
  const count = macData.children[2];
  const iterations = count ? readCount(count, "the PFX MAC iteration count") : 1;
  if (iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `The PFX MAC asks for ${iterations} iterations; at most ${MAX_ITERATIONS} are accepted.`);
  }
  const salt = readOctets(child(macData, 1, TAG.OCTET_STRING, "the PFX MAC salt"), "the PFX MAC salt");
  const hasher = MAC_HASHERS[hash.name]!;
  for (const password of candidates) {
    // One block: the MAC key is as long as the hash.
    budget.spend(iterations, 1, KDF_COST.pkcs12[hash.name]!);
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
async function verifyPbmac1(algorithm: Der, content: Uint8Array, expected: Uint8Array, candidates: Candidate[], budget: KdfBudget): Promise<MacMatch> {
  const params = algorithm.children[1];
  if (!params || params.cls !== 0 || params.tag !== TAG.SEQUENCE) throw malformed("the PFX's PBMAC1 parameters are invalid");
  const kdf = child(params, 0, TAG.SEQUENCE, "the PBMAC1 key derivation");
  const kdfOid = readOid(child(kdf, 0, TAG.OID, "the PBMAC1 key derivation"));
  if (kdfOid !== PBKDF2) throw pbmac1Unsupported(`the key derivation ${kdfOid}`);
  const kdfParams = child(kdf, 1, TAG.SEQUENCE, "the PBKDF2 parameters");
  const saltNode = kdfParams.children[0];
  if (!saltNode || saltNode.cls !== 0 || saltNode.tag !== TAG.OCTET_STRING) throw pbmac1Unsupported("a salt that is not an OCTET STRING");
  const salt = readOctets(saltNode, "the PBKDF2 salt");
  const iterations = readSmallInt(child(kdfParams, 1, TAG.INTEGER, "the PBKDF2 iteration count"), "the PBKDF2 iteration count");
  if (iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `The PFX PBMAC1 MAC asks for ${iterations} iterations; at most ${MAX_ITERATIONS} are accepted.`);
  }
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
      const base = await subtle.importKey("raw", utf8(text), "PBKDF2", false, ["deriveBits"]);
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

/** Decrypts with the first candidate that works; a wrong password is ERR_CERT_BAD_PASSWORD / _REQUIRED. */
async function decryptWithAny(algorithm: Uint8Array, data: Uint8Array, candidates: Candidate[], given: boolean, budget: KdfBudget): Promise<Uint8Array> {
  const alg = decode(algorithm, "an encryption algorithm");
  let last: unknown;
  for (const password of candidates) {
    try {
      const plain = await pbeDecrypt(alg, data, password, budget);
      decode(plain, "decrypted PFX contents"); // a wrong password that passes the padding check by chance
      return plain;
    } catch (e) {
      if (!(e instanceof CertificateError) || (e.code !== "ERR_CERT_BAD_PASSWORD" && e.code !== "ERR_CERT_MALFORMED")) throw e;
      last = e;
    }
  }
  if (!given) throw new CertificateError("ERR_CERT_PASSWORD_REQUIRED", "The PFX is encrypted: pass its password (certificatePassword).");
  if (last instanceof CertificateError && last.code === "ERR_CERT_MALFORMED") {
    throw new CertificateError("ERR_CERT_BAD_PASSWORD", "The certificate password is wrong: the PFX contents could not be decrypted with it.");
  }
  throw last;
}

/** The content of a ContentInfo's `[0] EXPLICIT` field. */
function explicit(node: Der, index: number, what: string): Der {
  const tagged = node.children[index];
  if (!tagged || tagged.cls !== 2 || tagged.tag !== 0 || !tagged.constructed || tagged.children.length !== 1) throw malformed(`${what} is missing or of the wrong type`);
  return tagged.children[0]!;
}

/** A bag's friendlyName (BMPString) and localKeyId (OCTET STRING, as hex); unreadable ones are ignored. */
function attributesOf(bag: Der): Pick<Pkcs12Item, "friendlyName" | "localKeyId"> {
  const out: Pick<Pkcs12Item, "friendlyName" | "localKeyId"> = {};
  const set = bag.children[2];
  if (!set || set.cls !== 0 || set.tag !== TAG.SET) return out;
  for (const attribute of set.children) {
    try {
      const type = readOid(child(attribute, 0, TAG.OID));
      const node = child(attribute, 1, TAG.SET).children[0];
      if (!node || node.cls !== 0) continue;
      if (type === FRIENDLY_NAME && out.friendlyName === undefined && (node.tag === TAG.BMP_STRING || node.tag === TAG.UTF8_STRING) && !node.constructed) {
        out.friendlyName = readString(node).slice(0, MAX_ATTRIBUTE_LENGTH);
      } else if (type === LOCAL_KEY_ID && out.localKeyId === undefined && node.tag === TAG.OCTET_STRING) {
        out.localKeyId = hex(readOctets(node, "a local key id").subarray(0, MAX_ATTRIBUTE_LENGTH));
      }
    } catch {
      // an attribute that is not what RFC 7292 says is ignored: it only names the entry
    }
  }
  return out;
}

async function readBags(bytes: Uint8Array, out: Pkcs12Contents, candidates: Candidate[], given: boolean, depth: number, budget: KdfBudget): Promise<void> {
  const contents = decode(bytes, "a PFX SafeContents");
  if (contents.cls !== 0 || contents.tag !== TAG.SEQUENCE) throw malformed("a PFX SafeContents is invalid");
  await readSafeBags(contents, out, candidates, given, depth, budget);
}

async function readSafeBags(contents: Der, out: Pkcs12Contents, candidates: Candidate[], given: boolean, depth: number, budget: KdfBudget): Promise<void> {
  for (const bag of contents.children) {
    if (bag.cls !== 0 || bag.tag !== TAG.SEQUENCE) throw malformed("a PFX SafeBag is invalid");
    const bagId = readOid(child(bag, 0, TAG.OID, "a PFX SafeBag's type"));
    const value = explicit(bag, 1, "a PFX SafeBag's value");
    switch (bagId) {
      case KEY_BAG:
        if (value.cls !== 0 || value.tag !== TAG.SEQUENCE) throw malformed("a PFX key bag is invalid");
        out.keys.push({ der: toDer(value), ...attributesOf(bag) });
        break;
      case SHROUDED_KEY_BAG: {
        const algorithm = child(value, 0, TAG.SEQUENCE, "a shrouded key's encryption algorithm");
        const data = readOctets(child(value, 1, TAG.OCTET_STRING, "a shrouded key"), "a shrouded key");
        out.keys.push({ der: await decryptWithAny(algorithm.raw, data, candidates, given, budget), ...attributesOf(bag) });
        break;
      }
      case CERT_BAG: {
        if (readOid(child(value, 0, TAG.OID, "a PFX certificate bag's type")) === X509_CERT) {
          const cert = explicit(value, 1, "a PFX certificate bag's value");
          out.certs.push({ der: readOctets(cert, "a PFX certificate"), ...attributesOf(bag) });
        }
        break;
      }
      case SAFE_CONTENTS_BAG:
        if (value.cls !== 0 || value.tag !== TAG.SEQUENCE) throw malformed("a PFX SafeContents is invalid");
        if (depth < 4) await readSafeBags(value, out, candidates, given, depth + 1, budget);
        break;
      default:
        break; // CRL and secret bags carry nothing we need
    }
  }
}

/** An EncryptedData's algorithm (DER) and ciphertext (RFC 5652 §8: encryptedContent is `[0] IMPLICIT OCTET STRING`). */
function encryptedParts(encrypted: Der): { algorithm: Uint8Array; data: Uint8Array } {
  if (encrypted.cls !== 0 || encrypted.tag !== TAG.SEQUENCE) throw malformed("a PFX EncryptedData block is invalid");
  const info = child(encrypted, 1, TAG.SEQUENCE, "a PFX EncryptedContentInfo");
  const algorithm = child(info, 1, TAG.SEQUENCE, "a PFX content encryption algorithm");
  const content = info.children[2];
  if (!content || content.cls !== 2 || content.tag !== 0) throw malformed("a PFX EncryptedData block has no encrypted content");
  // The IMPLICIT tag replaces OCTET STRING's: read it as one (primitive, or BER segments).
  const data = readOctets({ ...content, cls: 0, tag: TAG.OCTET_STRING }, "a PFX encrypted content");
  return { algorithm: algorithm.raw, data };
}

/**
 * Reads a PFX. `password` undefined means none was given: the MAC and the bags are tried with the
 * empty password (both encodings RFC 7292 allows) before ERR_CERT_PASSWORD_REQUIRED.
 */
export async function readPkcs12(bytes: Uint8Array, password: string | undefined, budget = new KdfBudget()): Promise<Pkcs12Contents> {
  let pfx: Der;
  let authSafe: Der;
  try {
    pfx = decode(bytes, "the PFX");
    if (pfx.cls !== 0 || pfx.tag !== TAG.SEQUENCE) throw malformed("not a SEQUENCE");
    child(pfx, 0, TAG.INTEGER, "the PFX version");
    authSafe = child(pfx, 1, TAG.SEQUENCE, "the PFX AuthenticatedSafe");
  } catch (e) {
    throw malformed("the data is neither PEM nor a valid PFX/PKCS#12 file", e);
  }
  const authSafeType = readOid(child(authSafe, 0, TAG.OID, "the PFX content type"));
  if (authSafeType !== DATA) {
    throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", "The PFX uses public-key integrity mode, which is not supported; export it with a password.");
  }
  let content: Uint8Array;
  try {
    content = readOctets(explicit(authSafe, 1, "the PFX content"), "the PFX content");
  } catch (e) {
    throw malformed("the PFX content is invalid", e);
  }
  const given = password !== undefined;
  let candidates: Candidate[] = password === undefined || password === "" ? ["", undefined] : [password];
  const macData = pfx.children[2];
  if (macData) {
    if (macData.cls !== 0 || macData.tag !== TAG.SEQUENCE) throw malformed("the PFX MacData is invalid");
    const match = await verifyMac(macData, content, candidates, budget);
    if (!match?.length) {
      throw given && password !== ""
        ? new CertificateError("ERR_CERT_BAD_PASSWORD", "The certificate password is wrong: the PFX integrity check (MAC) failed with it.")
        : new CertificateError("ERR_CERT_PASSWORD_REQUIRED", "The PFX is protected by a password: pass it as certificatePassword.");
    }
    candidates = match;
  }
  const safes = decode(content, "the PFX AuthenticatedSafe");
  if (safes.cls !== 0 || safes.tag !== TAG.SEQUENCE) throw malformed("the PFX AuthenticatedSafe is invalid");
  const out: Pkcs12Contents = { keys: [], certs: [] };
  for (const info of safes.children) {
    if (info.cls !== 0 || info.tag !== TAG.SEQUENCE) throw malformed("a PFX content block is invalid");
    const type = readOid(child(info, 0, TAG.OID, "a PFX content block's type"));
    if (type === DATA) {
      await readBags(readOctets(explicit(info, 1, "a PFX content block"), "a PFX content block"), out, candidates, given, 0, budget);
    } else if (type === ENCRYPTED_DATA) {
      const { algorithm, data } = encryptedParts(explicit(info, 1, "a PFX EncryptedData block"));
      await readBags(await decryptWithAny(algorithm, data, candidates, given, budget), out, candidates, given, 0, budget);
    } else {
      throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `The PFX holds a content block of type ${type} (public-key privacy mode), which is not supported.`);
    }
  }
  return out;
}
