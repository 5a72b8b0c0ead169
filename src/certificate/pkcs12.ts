/**
 * PKCS#12 / PFX through pkijs (with an explicit WebCrypto engine), loaded only when a PFX is
 * parsed. pkijs reads the container (PFX → AuthenticatedSafe → ContentInfo / EncryptedData →
 * SafeContents → bags); the MAC is verified with the RFC 7292 key derivation, and bags are
 * decrypted with PBES2 or the legacy PKCS#12 PBE schemes (3DES, RC2), which pkijs cannot decrypt.
 *
 * @module
 */
import * as pkijs from "pkijs";
import { CertificateError } from "./error.ts";
import { decode, malformed } from "./der.ts";
import { hmac, pkcs12Kdf, bmpPassword } from "./legacy/pkcs12-kdf.ts";
import { KdfBudget, MAX_ITERATIONS, pbeDecrypt } from "./pkcs8.ts";

const DATA = "1.2.840.113549.1.7.1";
const ENCRYPTED_DATA = "1.2.840.113549.1.7.6";
const KEY_BAG = "1.2.840.113549.1.12.10.1.1";
const SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2";
const CERT_BAG = "1.2.840.113549.1.12.10.1.3";
const SAFE_CONTENTS_BAG = "1.2.840.113549.1.12.10.1.6";
const X509_CERT = "1.2.840.113549.1.9.22.1";
const MAC_HASHES: Record<string, { name: "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512"; length: number }> = {
  "1.3.14.3.2.26": { name: "SHA-1", length: 20 },
  "2.16.840.1.101.3.4.2.1": { name: "SHA-256", length: 32 },
  "2.16.840.1.101.3.4.2.2": { name: "SHA-384", length: 48 },
  "2.16.840.1.101.3.4.2.3": { name: "SHA-512", length: 64 },
};

export interface Pkcs12Contents {
  /** PKCS#8 PrivateKeyInfo of every key bag. */
  keys: Uint8Array[];
  /** DER of every X.509 certificate bag, in file order. */
  certs: Uint8Array[];
}

type Candidate = string | undefined;

const ab = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

function engine(): pkijs.CryptoEngine {
  return new pkijs.CryptoEngine({ name: "webcrypto", crypto: globalThis.crypto });
}

/**
 * SHA-384/512 MACs go through pkijs's derivation, about 7× slower per iteration than ours (1M
 * iterations: 1.8 s), so they get a lower cap (60,000). OpenSSL's `-macalg sha512` uses 2048.
 */
const MAX_PKIJS_MAC_ITERATIONS = MAX_ITERATIONS / 10;

/** Which of the candidate passwords the MAC accepts (undefined when none does). */
async function verifyMac(pfx: pkijs.PFX, content: Uint8Array, candidates: Candidate[], budget: KdfBudget): Promise<{ password: Candidate } | undefined> {
  const mac = pfx.macData!;
  const oid = mac.mac.digestAlgorithm.algorithmId;
  const hash = MAC_HASHES[oid];
  if (!hash) {
    throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `The PFX integrity MAC uses ${oid}, which is not supported. Export it with OpenSSL 3 defaults (SHA-256 MAC).`);
  }
  const iterations = mac.iterations ?? 1;
  if (iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `The PFX MAC asks for ${iterations} iterations; at most ${MAX_ITERATIONS} are accepted.`);
  }
  const ours = hash.name === "SHA-1" || hash.name === "SHA-256";
  if (!ours && iterations > MAX_PKIJS_MAC_ITERATIONS) {
    throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `The PFX ${hash.name} MAC asks for ${iterations} iterations; at most ${MAX_PKIJS_MAC_ITERATIONS} are accepted for it.`);
  }
  const salt = new Uint8Array(mac.macSalt.valueBlock.valueHexView);
  const expected = new Uint8Array(mac.mac.digest.valueBlock.valueHexView);
  for (const password of candidates) {
    if (hash.name === "SHA-1" || hash.name === "SHA-256") {
      budget.spend(iterations, 1);
      const key = pkcs12Kdf(hash.name, bmpPassword(password), salt, 3, iterations, hash.length);
      if (sameBytes(hmac(hash.name, key, content), expected)) return { password };
    } else if (password !== undefined) {
      // SHA-384/512 MACs (rare): pkijs's engine implements the same RFC 7292 derivation.
      budget.spend(iterations, 8);
      const ok = await engine().verifyDataStampedWithPassword({
        password: ab(new TextEncoder().encode(password)),
        hashAlgorithm: hash.name,
        salt: ab(salt),
        iterationCount: iterations,
        contentToVerify: ab(content),
        signatureToVerify: ab(expected),
      });
      if (ok) return { password };
    }
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

/** Object identifiers longer than this (in content bytes) make asn1js slow: refused before it parses. */
const MAX_OID_BYTES_FOR_ASN1JS = 4096;

/**
 * Whether BER `bytes`, read as asn1js would (including its speculative parse of DER held in OCTET
 * and BIT STRINGs), hold an object identifier over {@link MAX_OID_BYTES_FOR_ASN1JS} bytes. asn1js
 * takes time quadratic in an OID's length (70,000 arcs: about a second, and a PFX is parsed up to
 * three times), so such input is refused before pkijs sees it. Visits a superset of what asn1js
 * would parse; legitimate files hold no OID over 64 bytes.
 */
function hasHugeOid(b: Uint8Array, depth = 0): boolean {
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
    if ((first & 0x20 || first === 0x04 || first === 0x03) && hasHugeOid(b.subarray(first === 0x03 ? p + 1 : p, end), depth + 1)) return true;
    if (indefinite) return false;
    at = p + length;
  }
  return false;
}

function screen(bytes: Uint8Array): void {
  if (hasHugeOid(bytes)) throw malformed("an object identifier is implausibly long");
}

function safeContents(bytes: Uint8Array): pkijs.SafeContents {
  screen(bytes);
  try {
    return pkijs.SafeContents.fromBER(ab(bytes));
  } catch (e) {
    throw malformed("a PFX SafeContents is invalid", e);
  }
}

async function readBags(contents: pkijs.SafeContents, out: Pkcs12Contents, candidates: Candidate[], given: boolean, depth: number, budget: KdfBudget): Promise<void> {
  for (const bag of contents.safeBags) {
    switch (bag.bagId) {
      case KEY_BAG:
        out.keys.push(new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER(false)));
        break;
      case SHROUDED_KEY_BAG: {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        const algorithm = new Uint8Array(shrouded.encryptionAlgorithm.toSchema().toBER(false));
        const data = new Uint8Array(shrouded.encryptedData.getValue());
        out.keys.push(await decryptWithAny(algorithm, data, candidates, given, budget));
        break;
      }
      case CERT_BAG: {
        const cert = bag.bagValue as pkijs.CertBag;
        if (cert.certId === X509_CERT) out.certs.push(new Uint8Array((cert.certValue as unknown as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView));
        break;
      }
      case SAFE_CONTENTS_BAG:
        if (depth < 4) await readBags(safeContents(new Uint8Array((bag.bagValue as pkijs.SafeContents).toSchema().toBER(false))), out, candidates, given, depth + 1, budget);
        break;
      default:
        break; // CRL and secret bags carry nothing we need
    }
  }
}

/**
 * Reads a PFX. `password` undefined means none was given: the MAC and the bags are tried with the
 * empty password (both encodings RFC 7292 allows) before ERR_CERT_PASSWORD_REQUIRED.
 */
export async function readPkcs12(bytes: Uint8Array, password: string | undefined, budget = new KdfBudget()): Promise<Pkcs12Contents> {
  let pfx: pkijs.PFX;
  screen(bytes);
  try {
    pfx = pkijs.PFX.fromBER(ab(bytes));
  } catch (e) {
    throw malformed("the data is neither PEM nor a valid PFX/PKCS#12 file", e);
  }
  if (pfx.authSafe.contentType !== DATA) {
    throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", "The PFX uses public-key integrity mode, which is not supported; export it with a password.");
  }
  let content: Uint8Array;
  try {
    content = new Uint8Array((pfx.authSafe.content as { getValue(): ArrayBuffer }).getValue());
  } catch (e) {
    throw malformed("the PFX content is invalid", e);
  }
  const given = password !== undefined;
  let candidates: Candidate[] = password === undefined || password === "" ? ["", undefined] : [password];
  if (pfx.macData) {
    const match = await verifyMac(pfx, content, candidates, budget);
    if (!match) {
      throw given && password !== ""
        ? new CertificateError("ERR_CERT_BAD_PASSWORD", "The certificate password is wrong: the PFX integrity check (MAC) failed with it.")
        : new CertificateError("ERR_CERT_PASSWORD_REQUIRED", "The PFX is protected by a password: pass it as certificatePassword.");
    }
    candidates = [match.password];
  }
  try {
    await pfx.parseInternalValues({ checkIntegrity: false, password: new ArrayBuffer(0) }, engine());
  } catch (e) {
    throw malformed("the PFX AuthenticatedSafe is invalid", e);
  }
  const out: Pkcs12Contents = { keys: [], certs: [] };
  const authSafe = pfx.parsedValue?.authenticatedSafe;
  if (!authSafe) throw malformed("the PFX has no AuthenticatedSafe");
  for (const info of authSafe.safeContents) {
    if (info.contentType === DATA) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array((info.content as { getValue(): ArrayBuffer }).getValue());
      } catch (e) {
        throw malformed("a PFX content block is invalid", e);
      }
      await readBags(safeContents(bytes), out, candidates, given, 0, budget);
    } else if (info.contentType === ENCRYPTED_DATA) {
      let algorithm: Uint8Array;
      let data: Uint8Array;
      try {
        const encrypted = new pkijs.EncryptedData({ schema: info.content });
        algorithm = new Uint8Array(encrypted.encryptedContentInfo.contentEncryptionAlgorithm.toSchema().toBER(false));
        data = new Uint8Array(encrypted.encryptedContentInfo.getEncryptedContent());
      } catch (e) {
        throw malformed("a PFX EncryptedData block is invalid", e);
      }
      await readBags(safeContents(await decryptWithAny(algorithm, data, candidates, given, budget)), out, candidates, given, 0, budget);
    } else {
      throw new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `The PFX holds a content block of type ${info.contentType} (public-key privacy mode), which is not supported.`);
    }
  }
  return out;
}
