/**
 * The PKCS#12 containers as src/certificate/pkcs12.ts walks them on asn1js's tree (RFC 7292 §4,
 * RFC 5652 §3 and §8): every shape the walk checks, built here byte by byte around a real key
 * and certificate, refused with ERR_CERT_MALFORMED and a message naming the part — and the BER
 * forms other exporters write (indefinite lengths, a constructed encryptedContent, an absent
 * iterations field) still load.
 */
import { CertificateError, parseCertificate } from "../src/core.ts";
import { equal, match, ok, rejects } from "./assert.ts";
import { bmpPassword, hmac, pkcs12Kdf } from "../src/certificate/pkcs12-crypto/kdf.ts";
import { test } from "./harness.ts";
import { fixture, fixtureBytes, fixtureText, passwordOf } from "./support/fixtures.ts";
import { certBag, concat, encodeOid, encryptPkcs8, int, parseTree, pemBlocks, serialize, shroudedKeyBag, tlv } from "./support/fuzz.ts";

const PASSWORD = "Fixture-P@ss1";
const DATA = "1.2.840.113549.1.7.1";
const ENCRYPTED_DATA = "1.2.840.113549.1.7.6";
const SIGNED_DATA = "1.2.840.113549.1.7.2";
const SHA256 = "2.16.840.1.101.3.4.2.1";

const oid = (dotted: string) => tlv(0x06, encodeOid(dotted));
const seq = (...parts: Uint8Array[]) => tlv(0x30, concat(parts));
const explicit0 = (inner: Uint8Array) => tlv(0xa0, inner);
const octets = (content: Uint8Array) => tlv(0x04, content);
/** BER indefinite length: the parts, then end-of-contents. */
const indefinite = (ident: number, ...parts: Uint8Array[]) => concat([Uint8Array.of(ident, 0x80), ...parts, Uint8Array.of(0, 0)]);

const main = fixture("pem-pkcs8");
const text = fixtureText(main.file);
const pkcs8 = pemBlocks(text).find((b) => b.label === "PRIVATE KEY")!.der;
const cert = pemBlocks(text).find((b) => b.label === "CERTIFICATE")!.der;

/** A data ContentInfo holding `content` in an OCTET STRING. */
const dataInfo = (content: Uint8Array) => seq(oid(DATA), explicit0(octets(content)));

/**
 * The parts of a PFX (no MAC) whose AuthenticatedSafe holds a plain SafeContents with the key
 * (shrouded) and a PBES2-encrypted SafeContents with the certificate, the EncryptedData built from
 * `encryptedData` so each test can break one element of it.
 */
async function parts() {
  const keyBag = shroudedKeyBag(await encryptPkcs8(pkcs8, PASSWORD, 1000));
  // PBES2 over the certificate's SafeContents: encryptPkcs8 encrypts any bytes; its
  // EncryptedPrivateKeyInfo is SEQUENCE { algorithm, OCTET STRING ciphertext }.
  const epki = parseTree(await encryptPkcs8(seq(certBag(cert)), PASSWORD, 1000))!;
  const alg = serialize(epki.children![0]!);
  const ct = epki.children![1]!.content!;
  const encryptedData = (content = tlv(0x80, ct), version = int(0), type = oid(DATA), extra: Uint8Array[] = []) =>
    seq(oid(ENCRYPTED_DATA), explicit0(seq(tlv(0x02, version), seq(type, alg, content), ...extra)));
  const plain = dataInfo(seq(keyBag));
  const pfx = (authSafe: Uint8Array, version = int(3), more: Uint8Array[] = []) => seq(tlv(0x02, version), dataInfo(authSafe), ...more);
  return { keyBag, alg, ct, encryptedData, plain, pfx };
}

async function refused(data: Uint8Array, message: RegExp, what: string): Promise<void> {
  const e = await rejects(parseCertificate({ certificate: data, certificatePassword: PASSWORD }), { name: "CertificateError" }, what);
  equal((e as unknown as CertificateError).code, "ERR_CERT_MALFORMED", `${what}: ${e.message}`);
  match(e.message, message, what);
}

async function loads(data: Uint8Array, what: string): Promise<void> {
  const parsed = await parseCertificate({ certificate: data, certificatePassword: PASSWORD });
  equal(parsed.sha1Thumbprint, main.sha1, what);
}

test("pkcs12 structure: the PFX built here loads as built (a plain and an encrypted SafeContents), and the same with BER forms: indefinite lengths, a constructed [0] encryptedContent in segments, nested segments", async () => {
  const p = await parts();
  await loads(p.pfx(seq(p.plain, p.encryptedData())), "DER, primitive [0] encryptedContent");
  const half = p.ct.length >> 1;
  await loads(p.pfx(seq(p.plain, p.encryptedData(tlv(0xa0, concat([octets(p.ct.subarray(0, half)), octets(p.ct.subarray(half))]))))), "constructed [0] encryptedContent, two segments");
  await loads(p.pfx(seq(p.plain, p.encryptedData(indefinite(0xa0, octets(p.ct.subarray(0, 5)), tlv(0x24, concat([octets(p.ct.subarray(5, half)), octets(p.ct.subarray(half))])))))), "indefinite constructed [0] with a nested constructed segment");
  // keytool-style BER: every constructed element of the outer PFX with an indefinite length.
  const authSafe = seq(p.plain, p.encryptedData());
  await loads(indefinite(0x30, tlv(0x02, int(3)), indefinite(0x30, oid(DATA), indefinite(0xa0, octets(authSafe)))), "indefinite PFX, ContentInfo and [0]");
});

test("pkcs12 structure: a PFX whose version is not 3, whose first element is not an INTEGER, or that has a fourth element is refused as malformed", async () => {
  const p = await parts();
  const authSafe = seq(p.plain, p.encryptedData());
  for (const [version, what] of [[int(2), "version 2"], [int(4), "version 4"], [int(0), "version 0"], [Uint8Array.of(0xff), "version -1"], [int(2n ** 64n + 3n), "version 2^64 + 3"]] as const) {
    await refused(p.pfx(authSafe, version), /a PFX is version 3/, what);
  }
  await loads(p.pfx(authSafe), "version 3");
  await refused(seq(octets(int(3)), dataInfo(authSafe)), /neither PEM nor a valid PFX/, "version as an OCTET STRING");
  await refused(p.pfx(authSafe, int(3), [octets(new Uint8Array(1)), octets(new Uint8Array(1))]), /neither PEM nor a valid PFX/, "four elements");
  await refused(seq(tlv(0x02, int(3))), /neither PEM nor a valid PFX/, "no authSafe");
});

test("pkcs12 structure: an authSafe that is not a data ContentInfo with its [0] EXPLICIT OCTET STRING is refused (signedData is unsupported, not malformed)", async () => {
  const p = await parts();
  const authSafe = seq(p.plain, p.encryptedData());
  const pfxWith = (info: Uint8Array) => seq(tlv(0x02, int(3)), info);
  await refused(pfxWith(seq(oid(DATA))), /the PFX authSafe is invalid/, "no [0] content");
  await refused(pfxWith(seq(oid(DATA), octets(authSafe))), /the PFX authSafe is invalid/, "content without its [0] tag");
  await refused(pfxWith(seq(oid(DATA), tlv(0xa1, octets(authSafe)))), /the PFX authSafe is invalid/, "[1] instead of [0]");
  await refused(pfxWith(seq(oid(DATA), tlv(0x80, octets(authSafe)))), /the PFX authSafe is invalid/, "[0] primitive (IMPLICIT) instead of EXPLICIT");
  await refused(pfxWith(seq(oid(DATA), explicit0(concat([octets(authSafe), octets(authSafe)])))), /the PFX authSafe is invalid/, "two elements in [0]");
  await refused(pfxWith(seq(octets(encodeOid(DATA)), explicit0(octets(authSafe)))), /the PFX authSafe is invalid/, "contentType not an OID");
  await refused(pfxWith(seq(oid(DATA), explicit0(octets(authSafe)), octets(new Uint8Array(1)))), /the PFX authSafe is invalid/, "a third element");
  await refused(pfxWith(seq(oid(DATA), explicit0(seq(octets(authSafe))))), /the PFX content is invalid/, "the content a SEQUENCE, not an OCTET STRING");
  const signed = await rejects(parseCertificate({ certificate: pfxWith(seq(oid(SIGNED_DATA), explicit0(seq()))), certificatePassword: PASSWORD }), { name: "CertificateError" });
  equal((signed as unknown as CertificateError).code, "ERR_CERT_UNSUPPORTED_ALGORITHM", "public-key integrity mode");
});

test("pkcs12 structure: a MacData that is not { DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 } is refused; without iterations the count is 1", async () => {
  // The MAC is checked only when its shape is right, so shapes are told apart before any key derivation.
  const file = fixture("pfx-openssl3-default");
  const real = fixtureBytes(file.file);
  const p = await parts();
  const authSafe = seq(dataInfo(seq(p.keyBag, certBag(cert))));
  const digestInfo = seq(seq(oid(SHA256), Uint8Array.of(0x05, 0x00)), octets(new Uint8Array(32)));
  const salt = octets(new Uint8Array(8));
  const withMac = (mac: Uint8Array) => p.pfx(authSafe, int(3), [mac]);
  await refused(withMac(seq(digestInfo)), /the PFX MacData is invalid/, "no macSalt");
  await refused(withMac(seq(digestInfo, tlv(0x02, int(8)))), /the PFX MacData is invalid/, "macSalt an INTEGER");
  await refused(withMac(seq(digestInfo, salt, octets(int(2048)))), /the PFX MacData is invalid/, "iterations an OCTET STRING");
  await refused(withMac(seq(digestInfo, salt, tlv(0x02, int(2048)), tlv(0x02, int(1)))), /the PFX MacData is invalid/, "a fourth element");
  await refused(withMac(seq(seq(oid(SHA256)), salt)), /the PFX MacData is invalid/, "DigestInfo without its digest");
  await refused(withMac(seq(seq(seq(oid(SHA256)), tlv(0x02, int(1))), salt)), /the PFX MacData is invalid/, "digest an INTEGER");
  await refused(withMac(seq(seq(seq(oid(SHA256), Uint8Array.of(0x05, 0x00), Uint8Array.of(0x05, 0x00)), octets(new Uint8Array(32))), salt)), /the PFX MacData is invalid/, "AlgorithmIdentifier with three elements");
  await refused(withMac(seq(seq(octets(new Uint8Array(32)), octets(new Uint8Array(32))), salt)), /the PFX MacData is invalid/, "AlgorithmIdentifier an OCTET STRING");
  await refused(withMac(octets(new Uint8Array(4))), /the PFX MacData is invalid/, "MacData an OCTET STRING");
  // A well-shaped MAC that does not verify is a bad password, not malformed.
  const bad = await rejects(parseCertificate({ certificate: withMac(seq(digestInfo, salt, tlv(0x02, int(1)))), certificatePassword: PASSWORD }), { name: "CertificateError" });
  equal((bad as unknown as CertificateError).code, "ERR_CERT_BAD_PASSWORD", "a MAC that does not verify");
  // A MAC made with one iteration verifies when iterations is absent (DEFAULT 1), not when the file says 2.
  const saltBytes = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const key = pkcs12Kdf("SHA-256", bmpPassword(PASSWORD), saltBytes, 3, 1, 32);
  const mac = hmac("SHA-256", key, authSafe);
  const macData = (...more: Uint8Array[]) => seq(seq(seq(oid(SHA256), Uint8Array.of(0x05, 0x00)), octets(mac)), octets(saltBytes), ...more);
  await loads(withMac(macData()), "iterations absent: one iteration");
  await loads(withMac(macData(tlv(0x02, int(1)))), "iterations 1");
  // A negative count (two's complement 0x8001, not 32,769) is refused before any derivation.
  const negative = await rejects(parseCertificate({ certificate: withMac(macData(tlv(0x02, Uint8Array.of(0x80, 0x01)))), certificatePassword: PASSWORD }), { name: "CertificateError" });
  // (A damaged file: every count is at least 1 — not one to re-export with fewer, attack review of session 11.)
  equal((negative as unknown as CertificateError).code, "ERR_CERT_MALFORMED", "a negative iteration count");
  match(negative.message, /-32767 iterations, and every count is a whole number of at least 1/);
  const two = await rejects(parseCertificate({ certificate: withMac(macData(tlv(0x02, int(2)))), certificatePassword: PASSWORD }), { name: "CertificateError" });
  equal((two as unknown as CertificateError).code, "ERR_CERT_BAD_PASSWORD", "iterations 2: not the count the MAC was made with");
  // And the real file still loads.
  equal((await parseCertificate({ certificate: real, certificatePassword: passwordOf(file) })).sha1Thumbprint, file.sha1);
});

test("pkcs12 structure: an AuthenticatedSafe or SafeContents that is not a SEQUENCE, or is followed by bytes, is refused", async () => {
  const p = await parts();
  await refused(p.pfx(tlv(0x31, p.plain)), /the PFX AuthenticatedSafe is invalid/, "AuthenticatedSafe a SET");
  await refused(p.pfx(concat([seq(p.plain), Uint8Array.of(0)])), /the PFX AuthenticatedSafe is invalid/, "a byte after the AuthenticatedSafe");
  await refused(p.pfx(concat([seq(p.plain), seq()])), /the PFX AuthenticatedSafe is invalid/, "a second AuthenticatedSafe after the first");
  await refused(p.pfx(seq(octets(new Uint8Array(3)))), /a PFX content block is invalid/, "a content block that is not a ContentInfo");
  await refused(p.pfx(seq(seq(oid(DATA), explicit0(octets(concat([seq(p.keyBag), Uint8Array.of(0x05, 0x00)])))))), /a PFX SafeContents is invalid/, "bytes after a SafeContents");
  await refused(p.pfx(seq(dataInfo(tlv(0x31, p.keyBag)))), /a PFX SafeContents is invalid/, "SafeContents a SET");
});

test("pkcs12 structure: an EncryptedData with a wrong version, a missing or wrongly tagged [0] encryptedContent, or an encryptedContent not made of OCTET STRINGs is refused", async () => {
  const p = await parts();
  const withEncrypted = (encrypted: Uint8Array) => p.pfx(seq(p.plain, encrypted));
  await refused(withEncrypted(p.encryptedData(tlv(0x80, p.ct), int(1))), /EncryptedData block is invalid \(version 1\)/, "version 1");
  await refused(withEncrypted(p.encryptedData(tlv(0x80, p.ct), int(2))), /EncryptedData block is invalid \(version 2\)/, "version 2 without unprotectedAttrs");
  await refused(withEncrypted(p.encryptedData(new Uint8Array(0))), /EncryptedData block is invalid \(no encrypted content\)/, "no encryptedContent");
  await refused(withEncrypted(p.encryptedData(tlv(0x81, p.ct))), /EncryptedData block is invalid \(no encrypted content\)/, "[1] instead of [0]");
  await refused(withEncrypted(p.encryptedData(octets(p.ct))), /EncryptedData block is invalid \(no encrypted content\)/, "a universal OCTET STRING instead of [0] IMPLICIT");
  await refused(withEncrypted(p.encryptedData(tlv(0xa0, concat([octets(p.ct.subarray(0, 8)), tlv(0x02, p.ct.subarray(8))])))), /EncryptedData block is invalid/, "a constructed [0] with an INTEGER segment");
  await refused(withEncrypted(p.encryptedData(tlv(0x80, p.ct), int(0), octets(encodeOid(DATA)))), /EncryptedData block is invalid/, "contentType not an OID");
  await refused(withEncrypted(seq(oid(ENCRYPTED_DATA), explicit0(seq(tlv(0x02, int(0)))))), /EncryptedData block is invalid/, "no EncryptedContentInfo");
  for (const [tag, what] of [[0xa2, "[2]"], [0x81, "[1] primitive"], [0x31, "a SET"]] as const) {
    await refused(withEncrypted(seq(oid(ENCRYPTED_DATA), explicit0(seq(tlv(0x02, int(2)), seq(oid(DATA), p.alg, tlv(0x80, p.ct)), tlv(tag, seq()))))), /EncryptedData block is invalid/, `a third element that is ${what}, not [1] unprotectedAttrs`);
  }
  // version 2 with unprotectedAttrs (RFC 5652 §8) is what the RFC says: it loads.
  await loads(withEncrypted(seq(oid(ENCRYPTED_DATA), explicit0(seq(tlv(0x02, int(2)), seq(oid(DATA), p.alg, tlv(0x80, p.ct)), tlv(0xa1, seq(oid(DATA), tlv(0x31, octets(new Uint8Array(1))))))))), "version 2 with unprotectedAttrs");
});

test("pkcs12 structure: a BMPString or UniversalString over 4 KiB (asn1js decodes them as it reads, at 60–80 bytes of memory per byte) is refused before asn1js parses, wherever it sits; a friendly name of normal length loads", async () => {
  const p = await parts();
  const friendly = (chars: number, tag = 0x1e) =>
    tlv(0x31, seq(oid("1.2.840.113549.1.9.20"), tlv(0x31, tlv(tag, new Uint8Array(chars * (tag === 0x1e ? 2 : 4)).map((_, i) => (i % 2 ? 0x41 : 0))))));
  // A key bag with a friendlyName attribute: SafeBag { bagId, [0] bagValue, bagAttributes }.
  const namedKeyBag = (attrs: Uint8Array) => seq(...[...parseTree(p.keyBag)!.children!.map((c) => serialize(c)), attrs]);
  await loads(p.pfx(seq(dataInfo(seq(namedKeyBag(friendly(64)))), p.encryptedData())), "a 64-character friendly name");
  const started = Date.now();
  for (const [data, what] of [
    [p.pfx(seq(dataInfo(seq(namedKeyBag(friendly(1_000_000)))), p.encryptedData())), "a friendly name of 1,000,000 BMP characters"],
    [p.pfx(seq(dataInfo(seq(namedKeyBag(friendly(300_000, 0x1c)))), p.encryptedData())), "a UniversalString of 300,000 characters"],
    [p.pfx(seq(p.plain, p.encryptedData()), int(3), [tlv(0x1e, new Uint8Array(2_000_000))]), "a BMPString after the authSafe"],
  ] as const) {
    await refused(data, /a BMP\/Universal string is implausibly long/, what);
  }
  ok(Date.now() - started < 2_000, `refused in ${Date.now() - started} ms`);
});

test("pkcs12 structure: malformed encryption parameters are ERR_CERT_MALFORMED even with the right password (not 'the password is wrong'); a MAC iteration count past 2^53 is named as such", async () => {
  const p = await parts();
  // The EncryptedData's PBES2 algorithm with its parameters broken: missing, NULL, an empty SEQUENCE.
  const pbes2 = "1.2.840.113549.1.5.13";
  for (const [alg, what] of [
    [seq(oid(pbes2)), "no parameters"],
    [seq(oid(pbes2), Uint8Array.of(0x05, 0x00)), "NULL parameters"],
    [seq(oid(pbes2), seq()), "an empty parameter SEQUENCE"],
  ] as const) {
    const encrypted = seq(oid(ENCRYPTED_DATA), explicit0(seq(tlv(0x02, int(0)), seq(oid(DATA), alg, tlv(0x80, p.ct)))));
    const e = await rejects(parseCertificate({ certificate: p.pfx(seq(p.plain, encrypted)), certificatePassword: PASSWORD }), { name: "CertificateError" }, what);
    equal((e as unknown as CertificateError).code, "ERR_CERT_MALFORMED", `${what}: ${e.message}`);
  }
  // MacData { DigestInfo { SHA-256, digest }, salt, iterations = 2^53 + 1 }
  const authSafe = seq(p.plain, p.encryptedData());
  const mac = seq(seq(seq(oid(SHA256), Uint8Array.of(0x05, 0x00)), octets(new Uint8Array(32))), octets(new Uint8Array(8)), tlv(0x02, int(2n ** 53n + 1n)));
  const e = await rejects(parseCertificate({ certificate: p.pfx(authSafe, int(3), [mac]), certificatePassword: PASSWORD }), { name: "CertificateError" });
  match(e.message, /asks for more than 9007199254740991 iterations; at most/);
});
