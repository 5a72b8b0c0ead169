/**
 * Real files from other projects: every one of the 102 PKCS#12 / PEM / JKS files in
 * test/fixtures/external (pyca/cryptography, golang/crypto, SSLMate go-pkcs12 with the RFC 9579
 * vectors, forge, Bouncy Castle, netty, rust-openssl, MSAL for Python, the Azure SDKs for Python,
 * JavaScript and Go) goes through parseCertificate on every runtime — as exact bytes, as views into
 * larger buffers, as Node Buffers where the runtime has node:buffer, and as base64 text — and must
 * give the outcome manifest.json expects: the SHA-1 thumbprint and key size of the usable pair,
 * or one of the listed CertificateError codes. Where a file holds more than one certificate, the
 * chain must be the leaf and its issuers only, in path order (EXPECTED_CHAINS). A sample gets a
 * real token from the emulator through ClientCertificateCredential.
 */
import { CertificateError, ClientCertificateCredential, parseCertificate, type ParsedCertificate } from "../src/core.ts";
import { deepEqual, equal, ok } from "./assert.ts";
import { externalFiles } from "./generated/external.ts";
import { test } from "./harness.ts";
import { fromBase64 as decode, pemBlock, toBase64 } from "./support/fuzz.ts";
import { ARM, FAST_RETRY } from "./support/helpers.ts";
import { externalBytes, externalManifest, sha1Hex, type ExternalEntry } from "./support/external.ts";
import { byteForms } from "./support/views.ts";

/**
 * The chain (SHA-1 thumbprints, leaf first) of every file whose usable pair comes with other
 * certificates, worked out with OpenSSL, not with this library: `openssl x509 -subject_hash
 * -issuer_hash -ext subjectKeyIdentifier,authorityKeyIdentifier` for the links, `openssl verify
 * -show_chain -untrusted` where the chain verifies. Files not listed have a chain of the leaf alone.
 */
export const EXPECTED_CHAINS: Record<string, string[]> = {
  // leaf → INTERIM-CN (whose issuer is not in the file)
  "azure-python-certificate.pem": ["A7DA045A4C46A6A5E7308B307F1CD43C19F031D6", "0322480A588982C868532EC8C210A79874B49C08"],
  // two self-signed identities (CN=Bar 1024-bit, CN=Foo 2048-bit): the other one is not in the chain
  "bc-PKCS12StorePBETest-ks.p12": ["A3F506E826378E1FD253DA8DB83F74112E6F54BC"],
  // A ← C ← B ← A: a cycle, cut where it would repeat A
  "bc-certChainCycle.p12": ["4C061ABF5CAE4DF90F31B8B4C45C92B27C0E7206", "6187E3B0AA7E33D1802F43D06B2E3E13610C30FF", "74C8092F321DC7A27300A00B0107D24CC8AC019D"],
  // persona certificate → VeriSign Class 1 CA → VeriSign root (bags in another order)
  "bc-pkcs12-hello-world.p12": ["A11C309EFDF2864B1641F43A7A5B5019EB4CB816", "2E5DEC036985A4028351FD8DF3532E49D7B34049", "CC7ED077F0F292595A8166B01709E20C0884A5F8"],
  "bc-pkcs12StorageIssue.p12": ["F65FDFA6D3B4DB8E81030A436884DC2213A4019B", "5808E03269151EE523859CB89456883409D28943"],
  "bc-pkcs12nopass-zero-length.p12": ["BD83E5E6ABFF01E3AD855857DA2D677FAE517139", "A9952C6A78301D6A03E8959F330EFD27A5A59145"],
  // two identities sharing a CA chain, each CA twice: the first pair's chain, once, without the other leaf
  "forge-p12encmixed.p12": ["79C66EF164076452909A98AC25B24EC41DA2521B", "89AFBCC896CFC5919950EB947546762718065C5E", "60EB12FA3EEB16E0134EDA16DD4C4C480E3E90CE"],
  "netty-mutual_auth_client.p12": ["A30823510CA2DB2E44368BEC8E58BD789AD65476", "E7C5C9A22A232DCCE2ACA030DC6CCD3DFE66B118", "3B04C7A9C6DFECFDD9199DB4E91DCC093474ABDF"],
  "netty-mutual_auth_invalid_client.p12": ["E898901E7DAC289F0E7C9A1546DA02192CD0A490", "0F0E1F7EBDA4485ECBF65A3069DC42FCE3051107", "3B04C7A9C6DFECFDD9199DB4E91DCC093474ABDF"],
  "netty-mutual_auth_server.p12": ["70E4FAFFE3F82E2DB1C949282BF86A7C17348838", "3B04C7A9C6DFECFDD9199DB4E91DCC093474ABDF"],
  // the same certificate in two bags: once
  "netty-rsaValidations-server-keystore.p12": ["6058D868AD0FAC3BF5AB810916FA2DC3BAE766BD"],
  "rust-openssl-identity.p12": ["59172D9313E84459BCFF27F967E79E6E9217E584", "C0CBDF7CDD03C9773E5468E1F6D2DA7D5CBB1875"],
};

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Checks one outcome against the manifest; returns a description of it. */
async function judge(e: ExternalEntry, form: string, outcome: ParsedCertificate | unknown): Promise<string> {
  const expected = e.expected;
  const where = `${e.file} as ${form}`;
  if (outcome instanceof Error) {
    ok(outcome instanceof CertificateError, `${where}: a CertificateError, not ${outcome.name}: ${outcome.message}`);
    const codes = [...list(expected.error), ...list(expected.orError)];
    ok(codes.includes(outcome.code), `${where}: ${outcome.code} (${outcome.message}) — the manifest expects ${expected.sha1 ? `thumbprint ${list(expected.sha1).join(" or ")}` : codes.join(" or ")}`);
    ok(outcome.message.length > 20, `${where}: the message explains`);
    return outcome.code;
  }
  const c = outcome as ParsedCertificate;
  const prints = list(expected.sha1);
  ok(prints.length > 0, `${where}: loaded (${c.sha1Thumbprint}), but the manifest expects ${list(expected.error).join(" or ")}`);
  const index = prints.indexOf(c.sha1Thumbprint);
  ok(index !== -1, `${where}: thumbprint ${c.sha1Thumbprint}, expected ${prints.join(" or ")}`);
  equal(c.keySize, list(expected.keyBits)[index] ?? list(expected.keyBits)[0], `${where}: key size`);
  const chain = await Promise.all(c.chain.map(sha1Hex));
  deepEqual(chain, EXPECTED_CHAINS[e.file] ?? [c.sha1Thumbprint], `${where}: the chain is the leaf and its issuers, in order`);
  equal(c.privateKey.extractable, false);
  return `${c.sha1Thumbprint.slice(0, 8)}… ${c.keySize} bits, chain ${chain.length}`;
}

test(`external: the manifest lists the ${Object.keys(externalFiles).length - 1} files, each with an expected outcome`, () => {
  equal(externalManifest.length, 102);
  for (const e of externalManifest) {
    ok(externalFiles[e.file] !== undefined, `${e.file} is in test/fixtures/external`);
    ok(list(e.expected.sha1).length > 0 || list(e.expected.error).length > 0, `${e.file} has an expectation`);
  }
  equal(Object.keys(externalFiles).length, externalManifest.length + 1);
});

for (const e of externalManifest) {
  test(`external: ${e.file} (${e.source.split(":")[0]}) → ${e.expected.sha1 ? "loads" : list(e.expected.error).join("/")} as bytes, views, Node Buffers and base64`, async () => {
    const bytes = externalBytes(e.file);
    const password = e.password ?? undefined;
    const forms: { name: string; certificate: Uint8Array | string }[] = [...byteForms(bytes).map((f) => ({ name: f.name, certificate: f.data })), { name: "base64 text", certificate: toBase64(bytes) }];
    const seen = new Set<string>();
    for (const form of forms) {
      const outcome = await parseCertificate({ certificate: form.certificate, certificatePassword: password }).catch((err: unknown) => err);
      seen.add(await judge(e, form.name, outcome));
    }
    equal(seen.size, 1, `${e.file}: every form gives the same outcome (${[...seen].join(" | ")})`);
  }, { timeoutMs: 60_000 });
}

/** Files with a usable pair valid for years to come, of every kind: PEM, encrypted PEM, OpenSSL 3, legacy, keytool, Windows, a chain, two keys. */
const TOKEN_SAMPLE = [
  "azure-js-fake-cert-password.pem",
  "azure-python-certificate.pem",
  "msal-python-certificate-with-password.pfx",
  "bc-PKCS12StorePBETest-ks.p12",
  "netty-mutual_auth_client.p12",
  "rust-openssl-keystore-empty-chain.p12",
  "sslmate-aes128-cbc.pfx",
  "pyca-pkits-ValidCertificatePathTest1EE.p12",
];

const pemOf = (der: Uint8Array) => pemBlock("CERTIFICATE", der);

test(`external: ${TOKEN_SAMPLE.length} of the files get a token from the emulator through ClientCertificateCredential (held as Node Buffers / views; x5c = the expected chain)`, async (t) => {
  for (const file of TOKEN_SAMPLE) {
    const e = externalManifest.find((x) => x.file === file)!;
    const bytes = externalBytes(file);
    const password = e.password ?? undefined;
    const parsed = await parseCertificate({ certificate: bytes, certificatePassword: password });
    const tenantId = t.id("tenant");
    const clientId = t.id("client");
    await t.emulator.addApp({ tenantId, clientId, certificates: [pemOf(parsed.chain[0]!)] });
    const forms = byteForms(bytes);
    const form = forms[forms.length - 1]!; // a Node Buffer where the runtime has them, else a Buffer-like view
    const cred = new ClientCertificateCredential(tenantId, clientId, { certificate: form.data, certificatePassword: password }, { authorityHost: t.emulatorUrl, retryOptions: FAST_RETRY, sendCertificateChain: true });
    const token = await cred.getToken(ARM);
    equal((await t.emulator.verifyAccessToken(token.token)).appid, clientId, file);
    const request = (await t.emulator.requests()).filter((r) => r.clientId === clientId).pop()!;
    equal(request.status, 200, file);
    const x5c = request.assertion!.header.x5c as string[];
    deepEqual(await Promise.all(x5c.map((c) => sha1Hex(decode(c)))), EXPECTED_CHAINS[file] ?? [parsed.sha1Thumbprint], `${file}: x5c (${form.name})`);
  }
}, { timeoutMs: 60_000 });
