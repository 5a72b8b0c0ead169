/**
 * The repeat-parse shortcuts of the certificate loader, on every runtime: the private key imported
 * as a JWK (importKey("jwk") instead of "pkcs8") gives the same CryptoKey — algorithm, modulus,
 * exponent, not extractable, "sign" only, the same RS256 signatures — for every fixture and every
 * external file with a key; any key outside the plain two-prime form (attributes, a non-minimal
 * integer, a multi-prime version, CRT values that do not check out) is imported as PKCS#8 as
 * before, with the outcome PKCS#8 has on that runtime. The PFX reader's synchronous SHA-1 /
 * SHA-256 gives the thumbprints WebCrypto gives; one PBKDF2 password key serves every item of a load.
 */
import { CertificateError, parseCertificate } from "../src/core.ts";
import { loadCertificate } from "../src/certificate/load.ts";
import { importSigningKey } from "../src/certificate/parse.ts";
import { KdfBudget, pkcs1ToPkcs8, rsaJwkOfPkcs8 } from "../src/certificate/pkcs8.ts";
import { digest } from "../src/certificate/pkcs12.ts";
import { thumbprints } from "../src/certificate/x509.ts";
import { decode, encode } from "../src/certificate/der.ts";
import { concat } from "../src/lib/bytes.ts";
import { noRuntime } from "../src/lib/runtime.ts";
import { atLeast, deepEqual, equal, ok } from "./assert.ts";
import { test } from "./harness.ts";
import { externalBytes, externalManifest } from "./support/external.ts";
import { fixture, fixtureBytes, goodFixtures, passwordOf } from "./support/fixtures.ts";

const RS = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const PS = { name: "RSA-PSS", hash: "SHA-256" } as const;
const DATA = new TextEncoder().encode("header.payload of an assertion");

const buf = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

/** What a CryptoKey shows of itself (publicExponent as plain numbers, so it compares). */
function shape(key: CryptoKey): unknown {
  const a = key.algorithm as RsaHashedKeyAlgorithm;
  return { type: key.type, extractable: key.extractable, usages: [...key.usages], name: a.name, hash: a.hash.name, modulusLength: a.modulusLength, publicExponent: [...a.publicExponent] };
}

/** importSigningKey's outcome for `pkcs8`, and PKCS#8 import's (the way every key was imported before), side by side. */
async function outcomes(pkcs8: Uint8Array): Promise<{ ours: unknown; pkcs8: unknown }> {
  // Deno reads a PKCS#8 key only when it signs: a refusal there is an outcome too.
  const signed = (key: CryptoKey) => crypto.subtle.sign(RS, key, DATA).then((s) => Array.from(new Uint8Array(s)), () => "sign refused");
  const ours = await importSigningKey(pkcs8, "RS256").then(
    async (key) => ({ key: shape(key), signature: await signed(key) }),
    (e: unknown) => (e instanceof CertificateError ? e.code : `not a CertificateError: ${e}`),
  );
  const reference = await crypto.subtle.importKey("pkcs8", buf(pkcs8), RS, false, ["sign"]).then(
    async (key) => ({ key: shape(key), signature: await signed(key) }),
    () => "ERR_CERT_MALFORMED", // what importSigningKey makes of a refused import
  );
  return { ours, pkcs8: reference };
}

/** Every key source with a usable pair: the fixtures and the external files whose manifest expects a thumbprint. */
function sources(): { name: string; source: { certificate: Uint8Array; certificatePassword?: string } }[] {
  const out: { name: string; source: { certificate: Uint8Array; certificatePassword?: string } }[] = [];
  for (const e of goodFixtures) out.push({ name: e.name, source: { certificate: fixtureBytes(e.file), certificatePassword: passwordOf(e) } });
  for (const e of externalManifest) {
    if (e.expected.sha1 === undefined || e.file.endsWith(".jks")) continue;
    out.push({ name: e.file, source: { certificate: externalBytes(e.file), certificatePassword: e.password ?? undefined } });
  }
  return out;
}

test("certificate import: the key imported as a JWK is the key PKCS#8 import gives — same algorithm, size, exponent, not extractable, sign only, same RS256 signature — for every fixture and external file", async () => {
  let viaJwk = 0;
  let total = 0;
  for (const { name, source } of sources()) {
    let pkcs8: Uint8Array;
    try {
      pkcs8 = (await loadCertificate(source, noRuntime)).pkcs8;
    } catch {
      continue; // the file's pair is refused before any import (external.test.ts checks the code)
    }
    total++;
    // Every key in these files is in the plain form, but for PKCS#8 attributes (Windows, Bouncy Castle and forge write some).
    const plain = decode(pkcs8).children.length === 3;
    equal(rsaJwkOfPkcs8(pkcs8) !== undefined, plain, `${name}: imported as a JWK exactly when it has no attributes`);
    if (plain) viaJwk++;
    const { ours, pkcs8: reference } = await outcomes(pkcs8);
    deepEqual(ours, reference, name);
    ok(typeof ours === "object", `${name}: imported`);
  }
  atLeast(total, goodFixtures.length + 40, "keys compared");
  atLeast(viaJwk, total - 3, "keys imported as JWK");
});

test("certificate import: parseCertificate's and PS256's keys from the JWK path are non-extractable and sign verifiably with the certificate's public key", async () => {
  for (const name of ["pfx-openssl3-default", "pfx-legacy", "pem-pkcs1-key-first", "pem-encrypted-aes256"]) {
    const e = fixture(name);
    const source = { certificate: fixtureBytes(e.file), certificatePassword: passwordOf(e) };
    const material = await loadCertificate(source, noRuntime);
    ok(rsaJwkOfPkcs8(material.pkcs8), `${name}: a JWK`);
    const parsed = await parseCertificate(source);
    const rsa = material.chain[0]!.rsa!;
    const n = btoa(String.fromCharCode(...rsa.modulus)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const ex = btoa(String.fromCharCode(...rsa.exponent)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    for (const [alg, params, sign] of [
      ["RS256", RS, RS],
      ["PS256", PS, { name: "RSA-PSS", saltLength: 32 }],
    ] as const) {
      const key = alg === "RS256" ? parsed.privateKey : await importSigningKey(material.pkcs8, alg);
      equal(key.extractable, false, `${name} ${alg}`);
      deepEqual([...key.usages], ["sign"], `${name} ${alg}`);
      equal(key.algorithm.name, params.name, `${name} ${alg}`);
      equal((key.algorithm as RsaHashedKeyAlgorithm).modulusLength, parsed.keySize, `${name} ${alg}`);
      const signature = await crypto.subtle.sign(sign, key, DATA);
      const pub = await crypto.subtle.importKey("jwk", { kty: "RSA", n, e: ex }, params, false, ["verify"]);
      ok(await crypto.subtle.verify(sign, pub, signature, DATA), `${name} ${alg}: verifies with the certificate's key`);
    }
  }
});

/** The contents of the nine INTEGERs of a fixture's RSAPrivateKey. */
async function fixtureKeyParts(): Promise<Uint8Array[]> {
  const e = fixture("pem-pkcs8");
  const { pkcs8 } = await loadCertificate({ certificate: fixtureBytes(e.file) }, noRuntime);
  const info = decode(pkcs8);
  return decode(info.children[2]!.content).children.map((c) => c.content);
}

/** A PKCS#8 of an RSAPrivateKey of these INTEGERs (the first replaced by `version`). */
function rsaKey(parts: Uint8Array[], version = 0): Uint8Array {
  return pkcs1ToPkcs8(encode(0x30, concat([Uint8Array.of(version), ...parts.slice(1)].map((c) => encode(0x02, c)))));
}

test("certificate import: a key outside the plain two-prime form is imported as PKCS#8, with the outcome PKCS#8 import has on this runtime", async () => {
  const parts = await fixtureKeyParts();
  const plain = rsaKey(parts);
  ok(rsaJwkOfPkcs8(plain), "the rebuilt key is in the plain form");
  const flip = (index: number) => parts.map((c, i) => (i === index ? Uint8Array.from(c, (b, k) => (k === c.length - 1 ? b ^ 1 : b)) : c));
  // PrivateKeyInfo's fields, then attributes: [0] IMPLICIT SET OF Attribute, empty.
  const withAttributes = encode(0x30, concat([...decode(plain).children.map((c) => c.raw), Uint8Array.of(0xa0, 0x00)]));
  const variants: [string, Uint8Array][] = [
    ["CRT exponent dp off by one bit", rsaKey(flip(6))],
    ["CRT coefficient qi off by one bit", rsaKey(flip(8))],
    ["private exponent d off by one bit", rsaKey(flip(3))],
    ["p and q swapped (qi no longer q⁻¹ mod p)", rsaKey(parts.map((c, i) => (i === 4 ? parts[5]! : i === 5 ? parts[4]! : c)))],
    ["the exponent with a needless leading zero", rsaKey(parts.map((c, i) => (i === 2 ? Uint8Array.of(0, ...c) : c)))],
    ["RSAPrivateKey version 1 (multi-prime) without other primes", rsaKey(parts, 1)],
    ["PKCS#8 with an attributes field", withAttributes],
  ];
  for (const [name, pkcs8] of variants) {
    equal(rsaJwkOfPkcs8(pkcs8), undefined, `${name}: not taken as a JWK`);
    const { ours, pkcs8: reference } = await outcomes(pkcs8);
    deepEqual(ours, reference, name);
  }
});

test("certificate import: the PFX reader's synchronous SHA-1 / SHA-256 gives WebCrypto's digests and thumbprints", async () => {
  for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000]) {
    const data = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 255);
    for (const hash of ["SHA-1", "SHA-256"] as const) {
      deepEqual([...digest(hash, data)], [...new Uint8Array(await crypto.subtle.digest(hash, data))], `${hash} of ${length} bytes`);
    }
  }
  const e = fixture("pfx-chain");
  const { chain } = await loadCertificate({ certificate: fixtureBytes(e.file), certificatePassword: passwordOf(e) }, noRuntime);
  for (const cert of chain) deepEqual(await thumbprints(cert.der, digest), await thumbprints(cert.der));
  const parsed = await parseCertificate({ certificate: fixtureBytes(e.file), certificatePassword: passwordOf(e) });
  equal(parsed.sha1Thumbprint, e.sha1!.toUpperCase());
  equal(parsed.sha256Thumbprint, e.sha256!.toUpperCase());
});

test("certificate import: one load imports each password once as a PBKDF2 key, and keeps passwords apart", async () => {
  const budget = new KdfBudget();
  const a = budget.passwordKey("Fixture-P@ss1");
  equal(budget.passwordKey("Fixture-P@ss1"), a, "the same password: the same key");
  const b = budget.passwordKey("");
  ok(b !== a, "another password: another key");
  equal((await a).algorithm.name, "PBKDF2");
  equal((await a).extractable, false);
  ok(new KdfBudget().passwordKey("Fixture-P@ss1") !== a, "another load: its own key");
  // The key derives what a fresh import derives.
  const salt = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const fresh = await crypto.subtle.importKey("raw", new TextEncoder().encode("Fixture-P@ss1"), "PBKDF2", false, ["deriveBits"]);
  const derive = (key: CryptoKey) => crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 10 }, key, 256).then((x) => [...new Uint8Array(x)]);
  deepEqual(await derive(await a), await derive(fresh));
});
