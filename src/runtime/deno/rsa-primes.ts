/**
 * Deno's check of a private key before its WebCrypto signs with it: p and q prime. Deno 2.9's RSA
 * signing (the Rust rsa crate's, which checks its result) panics on a key whose p or q is composite
 * and whose numbers otherwise fit, and the panic ends the whole process — no exception to catch,
 * in a Worker too (review 13, M2). Node signs such a key wrongly (Entra refuses the signature) and
 * Bun and workerd refuse to sign, so only this adapter checks, and only its code carries this.
 *
 * @module
 */
import { hex } from "../../lib/bytes.ts";
import { CertificateError } from "../../certificate/error.ts";
import { child, decode, readOctets, readUnsigned, TAG } from "../../certificate/der.ts";

/** `base ** exponent % modulus`, four bits of the exponent at a time (BigInt). */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  const table = [1n];
  for (let i = 1; i < 16; i++) table.push((table[i - 1]! * base) % modulus);
  let r = 1n;
  for (const digit of exponent.toString(16)) {
    r = (r * r) % modulus;
    r = (r * r) % modulus;
    r = (r * r) % modulus;
    r = (r * r) % modulus;
    if (digit !== "0") r = (r * table[parseInt(digit, 16)]!) % modulus;
  }
  return r;
}

/** A random base in [2, n − 2] (n is over 2¹⁰⁰ here: the bytes of n's size, reduced). */
function randomBase(n: bigint): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(n.toString(16).length / 2)));
  return (BigInt(`0x0${hex(bytes)}`) % (n - 3n)) + 2n;
}

/**
 * Whether odd `n` > 3 is a strong probable prime to base 2 and to a random base (two Miller–Rabin
 * rounds; RFC 8017 leaves the primality to the key's maker). Base 2 alone let a composite built to
 * pass it through — p = (4⁵²¹ + 1) / 5, a base-2 strong pseudoprime (second attack review of
 * session 10); a random base is not known to the key's maker, and a composite passes it with a
 * chance of at most 1/4 (for most, far less).
 */
function strongProbablePrime(n: bigint): boolean {
  if (n < 5n || (n & 1n) === 0n) return false;
  return millerRabin(n, 2n) && millerRabin(n, randomBase(n));
}

function millerRabin(n: bigint, base: bigint): boolean {
  const m = n - 1n;
  let d = m;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  let x = modPow(base, d, n);
  if (x === 1n || x === m) return true;
  for (let i = 1; i < s; i++) {
    x = (x * x) % n;
    if (x === m) return true;
    if (x === 1n) return false;
  }
  return false;
}

/**
 * Refuses a two-prime RSA key (PKCS#8) whose p or q is not prime: a strong probable-prime test to
 * base 2 and a random base on each, ~2 ms per 1024-bit prime. Such a key passes the loader's check that its numbers
 * fit together (n = pq, and the exponents invert e as if p and q were prime) but signs wrongly, and
 * Deno 2.9's WebCrypto aborts the process when it signs with one. A key made by any RSA key
 * generator passes; what fails is a key built to be broken, or damaged where it still fits.
 *
 * @example
 * ```ts
 * const adapter: RuntimeAdapter = { name: "Deno", checkSigningKey: refuseCompositePrimes };
 * ```
 */
export function refuseCompositePrimes(pkcs8: Uint8Array): void {
  const info = decode(pkcs8, "a private key");
  const key = decode(readOctets(child(info, 2, TAG.OCTET_STRING, "the private key"), "the private key"), "an RSA private key");
  const [p, q] = [4, 5].map((i) => BigInt(`0x0${hex(readUnsigned(child(key, i, TAG.INTEGER, "an RSA private key field")))}`));
  if (!strongProbablePrime(p!) || !strongProbablePrime(q!)) {
    throw new CertificateError("ERR_CERT_MALFORMED", "The private key is not a valid RSA key (its primes p and q are not both prime): export the certificate and its key again.");
  }
}
