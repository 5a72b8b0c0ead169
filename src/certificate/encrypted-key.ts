/**
 * Encrypted private keys: EncryptedPrivateKeyInfo and the PKCS#12 bags — PBES2 (PBKDF2 + AES-CBC
 * through WebCrypto, or DES-EDE3-CBC through our own module) and the PKCS#12 legacy PBE schemes —
 * with the key-derivation allowance of a load. A module of its own, loaded only when an input holds
 * an encrypted key or is a PFX: a plain PEM key never loads it (the split Worker's PEM token does
 * not carry it; bench/budgets.ts).
 *
 * @module
 */
import { unpad, utf8 } from "../lib/bytes.ts";
import { MAX_DECRYPTIONS, MAX_ITERATIONS, MAX_KDF_WORK } from "../lib/limits.ts";
import { badPassword, CertificateError, FEWER, malformed, unsupportedEncryption } from "./error.ts";
import { child, decode, readOctets, readOid, readSmallInt, TAG, type Der } from "./der.ts";

const OID_PBES2 = "1.2.840.113549.1.5.13";
const OID_PBKDF2 = "1.2.840.113549.1.5.12";
export const PRF: Record<string, string> = {
  "1.2.840.113549.2.7": "SHA-1",
  "1.2.840.113549.2.9": "SHA-256",
  "1.2.840.113549.2.10": "SHA-384",
  "1.2.840.113549.2.11": "SHA-512",
};
const AES: Record<string, number> = {
  "2.16.840.1.101.3.4.1.2": 16,
  "2.16.840.1.101.3.4.1.22": 24,
  "2.16.840.1.101.3.4.1.42": 32,
};
const OID_DES_EDE3_CBC = "1.2.840.113549.3.7";

/** The PKCS#12 PBE schemes (RFC 7292 Appendix C), decrypted by pkcs12-crypto/pbe.ts. */
const PKCS12_PBE = /^1\.2\.840\.113549\.1\.12\.1\.[1-6]$/;
const PBE_3DES = "1.2.840.113549.1.12.1.3";

/**
 * A key derivation's iteration count that is not taken: over `MAX_ITERATIONS` a file to re-export
 * with fewer; under 1 (or not a whole number) a damaged file — every count is at least 1, and
 * "re-export it with fewer" said of 0 contradicted itself (attack review of session 11).
 *
 * @example
 * ```ts
 * if (!(n >= 1 && n <= MAX_ITERATIONS)) throw iterationsRefused("the PFX MAC", n);
 * ```
 */
export function iterationsRefused(what: string, n: number): CertificateError {
  if (n > MAX_ITERATIONS) {
    const asked = Number.isSafeInteger(n) ? `${n}` : `more than ${Number.MAX_SAFE_INTEGER}`;
    return new CertificateError("ERR_CERT_UNSUPPORTED_ALGORITHM", `${what[0]!.toUpperCase()}${what.slice(1)} asks for ${asked} iterations; at most ${MAX_ITERATIONS} are accepted. ${FEWER}`);
  }
  return malformed(`${what} asks for ${Number.isFinite(n) ? n : "an invalid number of"} iterations, and every count is a whole number of at least 1`);
}

function checkIterations(n: number): void {
  if (!(Number.isInteger(n) && n >= 1 && n <= MAX_ITERATIONS)) throw iterationsRefused("the key derivation", n);
}

/**
 * What one iteration of each key-derivation path costs, per output block, in units of 100 ns of
 * hashing on the slowest runtime — so {@link MAX_KDF_WORK} units are that many × 100 ns at most.
 * Measured (ns per iteration and output block, 200,000 iterations; noble 50,000; the best of two
 * runs) on Node 20 / Deno 2.9 / Bun 1.4 / workerd 2026-04, on a 2-core machine shared with other
 * work, when the SHA-1/SHA-256 loops were rolled (issue 12):
 *
 * | path                                   | Node | Deno | Bun  | workerd | weight |
 * |----------------------------------------|------|------|------|---------|--------|
 * | ours, PKCS#12 KDF SHA-1                |  386 |  257 |  297 |     290 | 4      |
 * | ours, PKCS#12 KDF SHA-256              |  387 |  382 |  417 |     440 | 4      |
 * | noble, PKCS#12 KDF SHA-384             | 1860 | 1634 | 2555 |    1940 | 26     |
 * | noble, PKCS#12 KDF SHA-512             | 1910 | 1570 | 1908 |    1900 | 19     |
 * | WebCrypto PBKDF2-HMAC-SHA-1            |  218 |  120 |  107 |     105 | 2      |
 * | WebCrypto PBKDF2-HMAC-SHA-256          |  215 |  127 |  110 |     110 | 2      |
 * | WebCrypto PBKDF2-HMAC-SHA-384          |  593 |  527 |  548 |     470 | 6      |
 * | WebCrypto PBKDF2-HMAC-SHA-512          |  543 |  513 |  468 |     480 | 5      |
 *
 * Weight: the slowest runtime's figure / 100, rounded. (The unrolled SHA-1/SHA-256 of before were
 * 1.5–2× faster per iteration once warm, but 3–6× slower in a fresh process for a real file's 2048
 * iterations — what a first PFX token pays — so the loops are rolled.)
 */
export const KDF_COST = {
  /** The PKCS#12 KDF (pkcs12-crypto/kdf.ts): the PBE schemes (SHA-1) and the MACs (any). */
  pkcs12: { "SHA-1": 4, "SHA-256": 4, "SHA-384": 26, "SHA-512": 19 } as Record<string, number>,
  webcrypto: { "SHA-1": 2, "SHA-256": 2, "SHA-384": 6, "SHA-512": 5 } as Record<string, number>,
} as const;

/**
 * What one certificate load has spent on key derivation, and the PBKDF2 password keys it imported
 * (one per password, not one per encrypted item); shared by every step of the load.
 */
export class KdfBudget {
  private work = 0;
  private decryptions = 0;
  private keys?: Map<string, Promise<CryptoKey>>;

  /**
   * The password (UTF-8) as a WebCrypto PBKDF2 key: imported at its first use in the load, then
   * shared — an OpenSSL 3 PFX derives two keys (the certificates' bag, the key's bag) from one
   * password; each import cost 0.02–0.05 ms of CPU on Node 20 / 22.
   */
  passwordKey(password: string): Promise<CryptoKey> {
    this.keys ??= new Map();
    let key = this.keys.get(password);
    if (!key) this.keys.set(password, (key = crypto.subtle.importKey("raw", utf8(password), "PBKDF2", false, ["deriveBits"])));
    return key;
  }

  /**
   * Accounts a derivation before it runs (`weight`: the path's {@link KDF_COST}); refuses it when
   * the load's allowance would be exceeded.
   */
  spend(iterations: number, blocks: number, weight: number): void {
    this.work += iterations * blocks * weight;
    if (this.work > MAX_KDF_WORK) {
      throw new CertificateError(
        "ERR_CERT_UNSUPPORTED_ALGORITHM",
        `The certificate asks for more key-derivation work than is accepted (its iteration counts, weighed by each hash's cost, add up to over ${MAX_KDF_WORK} units). Re-export it with fewer iterations (OpenSSL's default is 2048).`,
      );
    }
  }

  /** Accounts one decryption attempt. */
  decryption(): void {
    if (++this.decryptions > MAX_DECRYPTIONS) {
      throw new CertificateError("ERR_CERT_MALFORMED", `The certificate input holds more encrypted items than are accepted (at most ${MAX_DECRYPTIONS} decryptions): pass only the certificate, its key and its chain.`);
    }
  }
}

/** Output size of each PBKDF2 PRF, for the work accounting. */
export const PRF_BYTES: Record<string, number> = { "SHA-1": 20, "SHA-256": 32, "SHA-384": 48, "SHA-512": 64 };

const subtle = () => crypto.subtle;
const buf = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

let legacyModule: Promise<typeof import("./pkcs12-crypto/pbe.ts")> | undefined;

/** The legacy ciphers (pkcs12-crypto/pbe.ts), imported at their first use and then reused (a failed import is not kept). */
function legacyCiphers(): Promise<typeof import("./pkcs12-crypto/pbe.ts")> {
  return (legacyModule ??= import("./pkcs12-crypto/pbe.ts").catch((e: unknown) => {
    legacyModule = undefined;
    throw e;
  }));
}

/** PBES2 (RFC 8018): PBKDF2 (of the password as UTF-8) then AES-CBC or DES-EDE3-CBC. */
async function pbes2Decrypt(params: Der, data: Uint8Array, password: string, budget: KdfBudget): Promise<Uint8Array> {
  const kdf = child(params, 0, TAG.SEQUENCE, "the key derivation function");
  const kdfOid = readOid(child(kdf, 0, TAG.OID, "the key derivation function"));
  if (kdfOid !== OID_PBKDF2) throw unsupportedEncryption(`the key derivation ${kdfOid}`);
  const kdfParams = child(kdf, 1, TAG.SEQUENCE, "the PBKDF2 parameters");
  const salt = readOctets(child(kdfParams, 0, TAG.OCTET_STRING, "the PBKDF2 salt"), "the PBKDF2 salt");
  const iterations = readSmallInt(child(kdfParams, 1, TAG.INTEGER, "the PBKDF2 iteration count"), "the PBKDF2 iteration count");
  checkIterations(iterations);
  let prf = "SHA-1";
  for (const extra of kdfParams.children.slice(2)) {
    if (extra.cls === 0 && extra.tag === TAG.SEQUENCE) {
      const oid = readOid(child(extra, 0, TAG.OID, "the PBKDF2 PRF"));
      const name = PRF[oid];
      if (!name) throw unsupportedEncryption(`the PBKDF2 PRF ${oid}`);
      prf = name;
    }
  }
  const scheme = child(params, 1, TAG.SEQUENCE, "the encryption scheme");
  const cipherOid = readOid(child(scheme, 0, TAG.OID, "the encryption scheme"));
  // The cipher first: another one's parameters need not be an IV (RC2-CBC's are a SEQUENCE).
  const keyLength = AES[cipherOid] ?? (cipherOid === OID_DES_EDE3_CBC ? 24 : undefined);
  if (keyLength === undefined) throw unsupportedEncryption(`the cipher ${cipherOid === "1.2.840.113549.3.2" ? "RC2-CBC (1.2.840.113549.3.2)" : cipherOid}`);
  const iv = readOctets(child(scheme, 1, TAG.OCTET_STRING, "the IV"), "the IV");
  if (iv.length !== (cipherOid === OID_DES_EDE3_CBC ? 8 : 16)) throw malformed("the IV has the wrong length");
  budget.spend(iterations, Math.ceil(keyLength / PRF_BYTES[prf]!), KDF_COST.webcrypto[prf]!);

  const base = await budget.passwordKey(password);
  let bits: ArrayBuffer;
  try {
    bits = await subtle().deriveBits({ name: "PBKDF2", hash: prf, salt: buf(salt), iterations }, base, keyLength * 8);
  } catch (e) {
    throw unsupportedEncryption(`PBKDF2-${prf} with ${iterations} iterations (this runtime's WebCrypto refused it: ${e instanceof Error ? e.message : e})`);
  }
  const key = new Uint8Array(bits);
  if (cipherOid === OID_DES_EDE3_CBC) {
    // No WebCrypto has 3DES: our own decrypt-only module, loaded only when needed — through pbe.ts,
    // so the legacy ciphers are one lazily loaded file, not two.
    const { des3CbcDecrypt } = await legacyCiphers();
    if (data.length === 0 || data.length % 8 !== 0) throw malformed(`the encrypted data is not whole 8-byte blocks (${data.length} bytes)`);
    const plain = unpad(des3CbcDecrypt(key, iv, data), 8);
    if (!plain) throw badPassword();
    return plain;
  }
  if (data.length === 0 || data.length % 16 !== 0) throw malformed(`the encrypted data is not whole 16-byte blocks (${data.length} bytes)`);
  let aesKey: CryptoKey;
  try {
    aesKey = await subtle().importKey("raw", buf(key), "AES-CBC", false, ["decrypt"]);
  } catch {
    throw unsupportedEncryption(`AES-${keyLength * 8}-CBC (this runtime's WebCrypto does not offer it)`);
  }
  try {
    return new Uint8Array(await subtle().decrypt({ name: "AES-CBC", iv: buf(iv) }, aesKey, buf(data)));
  } catch {
    throw badPassword(); // the padding did not check out
  }
}

/**
 * Decrypts data encrypted under a password-based AlgorithmIdentifier (PBES2 or a PKCS#12 PBE),
 * as found in EncryptedPrivateKeyInfo, shrouded key bags and PKCS#12 EncryptedData.
 * `password` undefined means "no password" (RFC 7292), which PBES2 treats as empty.
 */
export async function pbeDecrypt(algorithm: Der, data: Uint8Array, password: string | undefined, budget = new KdfBudget()): Promise<Uint8Array> {
  budget.decryption();
  const oid = readOid(child(algorithm, 0, TAG.OID, "the encryption algorithm"));
  const params = child(algorithm, 1, TAG.SEQUENCE, "the encryption parameters");
  if (oid === OID_PBES2) return pbes2Decrypt(params, data, password ?? "", budget);
  if (PKCS12_PBE.test(oid)) {
    // Legacy PKCS#12 PBE (3DES / RC2 with the RFC 7292 key derivation): loaded only when needed.
    // One module (bmpPassword comes with it): each lazily loaded file costs a module load.
    const { pkcs12PbeDecrypt, bmpPassword } = await legacyCiphers();
    const salt = readOctets(child(params, 0, TAG.OCTET_STRING, "the PBE salt"), "the PBE salt");
    const iterations = readSmallInt(child(params, 1, TAG.INTEGER, "the PBE iteration count"), "the PBE iteration count");
    checkIterations(iterations);
    budget.spend(iterations, oid === PBE_3DES ? 3 : 2, KDF_COST.pkcs12["SHA-1"]!); // SHA-1 blocks: the key (2 for 3-key 3DES), the IV
    return pkcs12PbeDecrypt(oid, salt, iterations, bmpPassword(password), data);
  }
  throw unsupportedEncryption(`the scheme ${oid}`);
}

/** Decrypts an EncryptedPrivateKeyInfo into a PKCS#8 PrivateKeyInfo. */
export async function decryptPkcs8(der: Uint8Array, password: string | undefined, budget = new KdfBudget()): Promise<Uint8Array> {
  const info = decode(der, "an encrypted private key");
  const algorithm = child(info, 0, TAG.SEQUENCE, "the encryption algorithm");
  const data = readOctets(child(info, 1, TAG.OCTET_STRING, "the encrypted key"), "the encrypted key");
  const plain = await pbeDecrypt(algorithm, data, password, budget);
  // A wrong password can pass the padding check by chance; then the result is not a key.
  try {
    decode(plain, "a decrypted private key");
  } catch {
    throw badPassword();
  }
  return plain;
}
