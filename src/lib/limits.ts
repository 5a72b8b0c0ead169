/**
 * Every bound the library puts on what it is given or answered — sizes, counts, iteration counts
 * and the longest waits and lifetimes it takes at the other side's word — each with why it is
 * that number: here, and the token core's in token/limits.ts (a module of its own, so that the
 * client-secret path shares no module with the lazily loaded PFX parsers). The code that
 * enforces a limit imports it from one of the two.
 *
 * @module
 */

// ── Certificates ─────────────────────────────────────────────────────────────────────────────

/**
 * Inputs larger than this are refused before they are parsed: a PFX or PEM with its key and chain
 * is a few KB, a whole CA bundle a few hundred. (40,000 certificates, 37 MB, took 12 s to order.)
 */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/** Certificates one input may hold (a chain has a handful; a CA bundle about 150). */
export const MAX_CERTIFICATES = 2_000;

/** Entra client assertions need RSA keys of 2048 bits or more. */
export const MIN_RSA_BITS = 2048;

/**
 * The largest RSA key taken, in bits. Signing costs grow with the cube of the size: an 8192-bit
 * key signs in ~0.2 s, a 32768-bit one in ~11 s of CPU per token (review 13: a 31 KB PEM made every
 * getToken spin, and each timed-out attempt's signature still held a thread of Node's pool).
 */
export const MAX_RSA_BITS = 8192;

/** Deepest ASN.1 nesting our DER decoder reads (certificates and keys nest about 10 deep). */
export const MAX_DER_DEPTH = 32;
/** Most ASN.1 elements one DER decode reads. */
export const MAX_DER_NODES = 20_000;
/**
 * ASN.1 elements asn1js may decode in one part of a PFX (its own default, 10,000, refused a single
 * SafeContents of about 1,600 certificates): {@link MAX_CERTIFICATES} bags with two attributes each
 * are under 50,000.
 */
export const MAX_ASN1JS_NODES = 50_000;

/**
 * PBKDF2 and PKCS#12 iteration counts above this are refused: a file must not make us spin for
 * minutes. Real files use 2048 (OpenSSL), 2000 (Windows), 10,000 (keytool); 600,000 is OWASP's
 * PBKDF2-SHA256 figure for password storage, the most a careful exporter would pick. One
 * derivation at the cap takes 0.06–0.2 s on Node, Deno, Bun and workerd. One number for every
 * derivation: PBKDF2, the PKCS#12 MAC and the PKCS#12 PBE schemes.
 */
export const MAX_ITERATIONS = 600_000;

/**
 * Key-derivation work one certificate load may ask for, in units of 100 ns of hashing on the
 * slowest runtime (see `KDF_COST` in certificate/encrypted-key.ts: iteration count × output blocks × the
 * path's weight, summed over the MAC, every encrypted item and every password tried): 0.8 s. An
 * OpenSSL 3 default PFX with every count at {@link MAX_ITERATIONS} (SHA-256 MAC tried with both
 * empty-password encodings, PBKDF2-SHA-256 certificates and key: 7.2 M units) fits, as do two
 * PBKDF2-SHA-512 keys at the cap (6 M); four (12 M; accepted before the weights: 1.4 s here, 2.5 s
 * in the review that found it) do not, nor does a SHA-512 MAC at the cap (11.4 M), nor a file that
 * repeats encrypted items at high counts, which the per-derivation cap alone would let run for
 * minutes.
 */
export const MAX_KDF_WORK = 8_000_000;

/** Decryptions (encrypted items × passwords tried) one load may attempt; real files need 2–6. */
export const MAX_DECRYPTIONS = 64;

/** RFC 9579: a PBMAC1 key shorter than this is refused (a 1-octet key makes the MAC forgeable). */
export const MIN_PBMAC1_KEY_BYTES = 20;
/** Longer PBMAC1 keys than any HMAC needs are refused (they would only be more derivation work). */
export const MAX_PBMAC1_KEY_BYTES = 512;

/** Object identifiers longer than this (in content bytes) make asn1js slow: refused before it parses. */
export const MAX_OID_BYTES_FOR_ASN1JS = 4 * 1024;
/**
 * BMPStrings and UniversalStrings longer than this (content bytes) are refused before asn1js
 * parses: it decodes them as it reads them, at 60–80 bytes of memory per input byte (a 4 MiB PFX of
 * one BMPString took 350 MB). A PFX's texts are friendly names and DN parts of a few dozen characters.
 */
export const MAX_TEXT_BYTES_FOR_ASN1JS = 4 * 1024;

/** Longest PFX friendly name / local key id kept (real ones are a few dozen characters). */
export const MAX_ATTRIBUTE_LENGTH = 256;

/** Paths longer than this are not quoted in messages (real ones are far shorter; contents are far longer). */
export const MAX_QUOTED_PATH = 100;

// ── The shared token cache ───────────────────────────────────────────────────────────────────

/**
 * The shortest `tokenCacheOptions.encryptionKey` accepted, in bytes (128 bits). Whoever can compute
 * the key can plant a token in the store that `getToken` then returns: an empty string, an empty
 * array or a short word must not be a key.
 *
 * @example
 * ```ts
 * const encryptionKey = crypto.getRandomValues(new Uint8Array(MIN_ENCRYPTION_KEY_BYTES * 2)); // kept in your secret store
 * ```
 */
export const MIN_ENCRYPTION_KEY_BYTES = 16;
