/** ClientCertificateCredential and parseCertificate on every fixture, against the emulator. */
import { CertificateError, ClientCertificateCredential, CredentialUnavailableError, EnvironmentCredential, parseCertificate, type ClientCertificateCredentialOptions } from "../src/core.ts";
import { deepEqual, equal, match, notIncludes, ok, rejects, throws } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";
import { badFixtures, fixture, fixtureBase64, fixtureBytes, fixtureText, goodFixtures, hexToBase64Url, passwordOf, type FixtureEntry } from "./support/fixtures.ts";
import { sha1Hex } from "./support/external.ts";
import { ARM, collectLogs, everyText, FAST_RETRY, tokenRequests } from "./support/helpers.ts";

async function certApp(t: TestContext, e: FixtureEntry): Promise<{ tenantId: string; clientId: string }> {
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, certificates: [fixtureText(e.leaf!)] });
  return { tenantId, clientId };
}

function certCredential(t: TestContext, app: { tenantId: string; clientId: string }, e: FixtureEntry, options: ClientCertificateCredentialOptions = {}) {
  return new ClientCertificateCredential(
    app.tenantId,
    app.clientId,
    { certificate: fixtureBytes(e.file), certificatePassword: passwordOf(e) },
    { authorityHost: t.emulatorUrl, retryOptions: FAST_RETRY, ...options },
  );
}

for (const e of goodFixtures) {
  test(`certificate: ${e.name} gets a token (the emulator verified the RS256 assertion)`, async (t) => {
    const app = await certApp(t, e);
    const token = await certCredential(t, app, e).getToken(ARM);
    const claims = await t.emulator.verifyAccessToken(token.token);
    equal(claims.appid, app.clientId);
    const [r] = await t.emulator.requests();
    equal(r!.status, 200);
    equal(r!.clientAuth, "assertion");
    const { header, payload } = r!.assertion!;
    deepEqual(Object.keys(header).sort(), ["alg", "typ", "x5t"]);
    equal(header.alg, "RS256");
    equal(header.typ, "JWT");
    equal(header.x5t, hexToBase64Url(e.sha1!));
    equal(payload.aud, `${t.emulatorUrl}/${app.tenantId}/oauth2/v2.0/token`);
    equal(payload.iss, app.clientId);
    equal(payload.sub, app.clientId);
    match(String(payload.jti), /^[0-9a-f-]{36}$/);
    equal(payload.nbf, payload.iat);
    equal(Number(payload.exp) - Number(payload.iat), 600);
  });

  test(`certificate: parseCertificate(${e.name}) matches what openssl says`, async () => {
    const c = await parseCertificate({ certificate: fixtureBytes(e.file), certificatePassword: passwordOf(e) });
    equal(c.sha1Thumbprint, e.sha1);
    equal(c.sha256Thumbprint, e.sha256);
    equal(c.x5t, hexToBase64Url(e.sha1!));
    equal(c.x5tS256, hexToBase64Url(e.sha256!));
    equal(c.subject, e.subject);
    equal(c.notBefore.getTime(), Date.parse(e.notBefore!));
    equal(c.notAfter.getTime(), Date.parse(e.notAfter!));
    equal(c.keySize, e.keyBits);
    equal(c.chain.length, e.chainLength);
    equal(c.privateKey.extractable, false);
    equal(c.privateKey.type, "private");
    await rejects(crypto.subtle.exportKey("pkcs8", c.privateKey), {}, "the key is not extractable");
  });
}

for (const e of badFixtures) {
  test(`certificate: ${e.name} → CertificateError ${e.expect}, no request`, async (t) => {
    const good = fixture("pem-pkcs8");
    const app = await certApp(t, good);
    const { events, logger } = collectLogs();
    const cred = certCredential(t, app, e, { logger });
    const err = await rejects(cred.getToken(ARM), { name: "CertificateError", code: e.expect });
    ok(err instanceof CertificateError);
    ok(err.message.length > 20, "the message explains");
    equal(await tokenRequests(t), 0);
    await rejects(parseCertificate({ certificate: fixtureBytes(e.file), certificatePassword: passwordOf(e) }), { name: "CertificateError", code: e.expect });
    notIncludes(everyText(err) + JSON.stringify(events), "Fixture-P@ss1", "the password");
  });
}

test("certificate: a legacy (RC2/3DES) PFX as a base64 string — how a Worker secret holds it — gets a token", async (t) => {
  for (const name of ["pfx-legacy", "pfx-3des-sha1", "pfx-rc2-128", "pfx-openssl3-default"]) {
    const e = fixture(name);
    const app = await certApp(t, e);
    const cred = new ClientCertificateCredential(app.tenantId, app.clientId, { certificate: fixtureBase64(e.file), certificatePassword: passwordOf(e) }, { authorityHost: t.emulatorUrl });
    equal((await cred.getToken(ARM)).tokenType, "Bearer");
  }
});

test("certificate: PEM text as a string, and PEM bytes, are detected", async (t) => {
  const e = fixture("pem-chain-shuffled");
  const app = await certApp(t, e);
  const fromText = new ClientCertificateCredential(app.tenantId, app.clientId, { certificate: fixtureText(e.file) }, { authorityHost: t.emulatorUrl });
  await fromText.getToken(ARM);
  const c = await parseCertificate(fixtureText(e.file));
  equal(c.sha1Thumbprint, e.sha1);
  const d = await parseCertificate(fixtureBytes(e.file));
  equal(d.sha256Thumbprint, e.sha256);
  const buf = fixtureBytes(e.file).slice().buffer;
  equal((await parseCertificate({ certificate: buf })).sha1Thumbprint, e.sha1);
});

/**
 * The chain of the chain fixtures, worked out with OpenSSL (`openssl x509 -fingerprint -sha1
 * -subject` of each certificate in the file): leaf, intermediate CA, root CA — whatever order the
 * file holds them in (bags root-first, the PEM shuffled).
 */
const FIXTURE_CHAIN = ["99DA8483A266B3B16B95E6FE1979E88257AA164A", "F854100438C9F6993D43EE488AC984FA77F93A10", "DD5EE6930E81E4C79A537B4BE2F440943DA43AAC"];

test("certificate: a boolean option given as a string or number — sendCertificateChain, getToken's enableCae, AZURE_CLIENT_SEND_CERTIFICATE_CHAIN=yes — is refused, saying true or false; they were silently false (review 13, L4)", async (t) => {
  const e = fixture("pem-chain-shuffled");
  const app = await certApp(t, e);
  for (const value of ["true", 1, "yes"] as const) {
    const built = throws(() => certCredential(t, app, e, { sendCertificateChain: value as unknown as boolean }), { name: "TypeError" });
    equal(built.message, `ClientCertificateCredential: sendCertificateChain must be true or false, not a ${typeof value}.`);
    const asked = await rejects(certCredential(t, app, e).getToken(ARM, { enableCae: value as unknown as boolean }), { name: "TypeError" });
    equal(asked.message, `ClientCertificateCredential: getToken's enableCae must be true or false, not a ${typeof value}.`);
  }
  const env = { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId, AZURE_CLIENT_CERTIFICATE: fixtureText(e.file), AZURE_AUTHORITY_HOST: t.emulatorUrl };
  for (const value of ["yes", "on", "2"]) {
    const refused = await rejects(new EnvironmentCredential({ env: { ...env, AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: value } }).getToken(ARM), { name: "CredentialUnavailableError" }, value);
    ok(refused instanceof CredentialUnavailableError);
    equal(refused.message, `EnvironmentCredential is unavailable: AZURE_CLIENT_SEND_CERTIFICATE_CHAIN must be true or false (or 1 or 0), not "${value}".`);
  }
  // what @azure/identity takes still works, a trailing newline too (a value from a file)
  for (const [value, sent] of [["TRUE", 3], ["1\n", 3], ["false", undefined], ["0", undefined], ["", undefined]] as const) {
    await new EnvironmentCredential({ env: { ...env, AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: value }, retryOptions: FAST_RETRY }).getToken(`https://x${value.trim() || "empty"}.example/.default`);
    const rs = await t.emulator.requests();
    equal((rs[rs.length - 1]!.assertion!.header.x5c as string[] | undefined)?.length, sent, JSON.stringify(value));
  }
  equal((await certCredential(t, app, e, { sendCertificateChain: false }).getToken(ARM, { enableCae: false })).tokenType, "Bearer");
});

test("certificate: a misspelt variable in EnvironmentCredential's env object (AZURE_AUTORITY_HOST, AZURE_TENANTID) is refused, naming the one meant — the token request went to the public cloud (review 13, L5); other AZURE_ variables are left alone", async (t) => {
  const e = fixture("pem-pkcs8");
  const app = await certApp(t, e);
  const env = { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId, AZURE_CLIENT_CERTIFICATE: fixtureText(e.file) };
  let sent = 0;
  const fetch = () => (sent++, Promise.reject(new Error("nothing should be sent")));
  for (const [typo, meant, base] of [
    ["AZURE_AUTORITY_HOST", "AZURE_AUTHORITY_HOST", env],
    ["AZURE_AUTHORITYHOST", "AZURE_AUTHORITY_HOST", env],
    ["AZURE_TENANTID", "AZURE_TENANT_ID", { AZURE_CLIENT_ID: app.clientId, AZURE_CLIENT_SECRET: "s" }],
  ] as const) {
    const refused = await rejects(new EnvironmentCredential({ env: { ...base, [typo]: t.emulatorUrl }, fetch }).getToken(ARM), { name: "CredentialUnavailableError" }, typo);
    equal(refused.message, `EnvironmentCredential is unavailable: the env object has ${typo}, which is not a variable it reads: did you mean ${meant}?`);
  }
  equal(sent, 0, "nothing sent");
  // the variable meant is set too: the look-alike is someone else's; unrelated AZURE_ variables too
  const ok = new EnvironmentCredential({ env: { ...env, AZURE_AUTHORITY_HOST: t.emulatorUrl, AZURE_AUTORITY_HOST: "x", AZURE_SUBSCRIPTION_ID: "s", AZURE_LOG_LEVEL: "info", AZURE_USERNAME: "u" }, retryOptions: FAST_RETRY });
  equal((await ok.getToken(ARM)).tokenType, "Bearer");
});

test("certificate: sendCertificateChain sends x5c of 3 — the leaf, its intermediate, its root — for the chain fixtures", async (t) => {
  for (const name of ["pem-chain-shuffled", "pfx-chain", "pfx-chain-legacy", "pfx-chain-java"]) {
    const e = fixture(name);
    const app = await certApp(t, e);
    await certCredential(t, app, e, { sendCertificateChain: true }).getToken(ARM);
    const rs = await t.emulator.requests();
    const x5c = rs[rs.length - 1]!.assertion!.header.x5c as string[];
    equal(x5c.length, 3, name);
    const parsed = await parseCertificate({ certificate: fixtureBytes(e.file), certificatePassword: passwordOf(e) });
    const b64 = (d: Uint8Array) => btoa(String.fromCharCode(...d));
    deepEqual(x5c, parsed.chain.map(b64), `${name}: x5c is the chain in order`);
    equal(x5c[0], b64(parsed.chain[0]!), "leaf first");
    const leafText = fixtureText(e.leaf!).replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    equal(x5c[0], leafText);
    deepEqual(await Promise.all(parsed.chain.map(sha1Hex)), FIXTURE_CHAIN, `${name}: the chain OpenSSL sees, in path order`);
  }
});

test("certificate: assertionAlgorithm PS256 signs with x5t#S256", async (t) => {
  for (const name of ["pem-pkcs8", "pfx-legacy"]) {
    const e = fixture(name);
    const app = await certApp(t, e);
    await certCredential(t, app, e, { assertionAlgorithm: "PS256" }).getToken(ARM);
    const rs = await t.emulator.requests();
    const header = rs[rs.length - 1]!.assertion!.header;
    equal(header.alg, "PS256");
    equal(header["x5t#S256"], hexToBase64Url(e.sha256!));
    equal(header.x5t, undefined);
  }
});

test("certificate: an unregistered certificate is refused by the emulator with AADSTS700027", async (t) => {
  const registered = fixture("pem-pkcs8");
  const other = fixture("pfx-3des-sha1");
  const app = await certApp(t, registered);
  const e = await rejects(certCredential(t, app, other).getToken(ARM), { name: "AuthenticationError", message: /AADSTS700027/ });
  equal(e.statusCode, 401);
  match(e.message, /thumbprint/);
});

test("certificate: concurrent first calls load the key once and share one request", async (t) => {
  const e = fixture("pfx-legacy");
  const app = await certApp(t, e);
  await t.emulator.setDelay(100);
  const cred = certCredential(t, app, e);
  const tokens = await Promise.all(Array.from({ length: 50 }, () => cred.getToken(ARM)));
  equal(new Set(tokens.map((x) => x.token)).size, 1);
  equal(await tokenRequests(t), 1);
});

test("certificate: each new assertion has a fresh jti; none expires within a minute", async (t) => {
  // A recording transport (the emulator's clock is not moved by advanceClock inside workerd).
  const sent: Record<string, unknown>[] = [];
  const e = fixture("pem-pkcs8");
  const cred = new ClientCertificateCredential("tenant-j", "client-j", { certificate: fixtureBytes(e.file) }, {
    authorityHost: t.emulatorUrl,
    fetch: async (_url, init) => {
      const assertion = new URLSearchParams(String(init.body)).get("client_assertion")!;
      const payload = assertion.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/");
      sent.push(JSON.parse(atob(payload + "=".repeat((4 - (payload.length % 4)) % 4))));
      return new Response(JSON.stringify({ token_type: "Bearer", expires_in: 3600, access_token: `token-${sent.length}` }), { headers: { "content-type": "application/json" } });
    },
  });
  await cred.getToken(ARM);
  await cred.getToken("https://graph.microsoft.com/.default");
  t.advanceClock(545_000); // the first assertion has 55 s left: a new one is made
  await cred.getToken("https://vault.azure.net/.default");
  equal(sent.length, 3);
  equal(sent[0]!.jti, sent[1]!.jti, "an assertion with more than a minute left is reused");
  ok(sent[2]!.jti !== sent[0]!.jti, "a new assertion has a new jti");
  ok(Number(sent[2]!.exp) * 1000 - Date.now() > 590_000);
});

test("certificate: caller mistakes are synchronous TypeErrors", (t) => {
  const o = { authorityHost: t.emulatorUrl };
  throws(() => new ClientCertificateCredential("t", "c", "", o), { name: "TypeError" });
  throws(() => new ClientCertificateCredential("t", "c", {} as never, o), { name: "TypeError", message: /neither/ });
  throws(() => new ClientCertificateCredential("t", "c", { certificatePath: "a.pem", certificate: "x" } as never, o), { name: "TypeError", message: /both/ });
  throws(() => new ClientCertificateCredential("t", "c", { certificate: 42 } as never, o), { name: "TypeError" });
  throws(() => new ClientCertificateCredential("t", "c", { certificate: "x", certificatePassword: 1 } as never, o), { name: "TypeError" });
  throws(() => new ClientCertificateCredential("t", "c", { certificate: "x" }, { ...o, assertionAlgorithm: "ES256" as never }), { name: "TypeError" });
  throws(() => new ClientCertificateCredential("common", "c", { certificate: "x" }, o), { name: "TypeError" });
});

test("certificate: a path without file access (entra-edge/core) is CredentialUnavailableError", async (t) => {
  const cred = new ClientCertificateCredential("t", "c", "/nonexistent/cert.pem", { authorityHost: t.emulatorUrl });
  await rejects(cred.getToken(ARM), { name: "CredentialUnavailableError", message: /certificate contents/ });
  await rejects(parseCertificate({ certificatePath: "/x.pfx" }), { name: "CredentialUnavailableError" });
});

test("certificate: no key material, password or assertion in errors, logs, JSON.stringify or inspect", async (t) => {
  const e = fixture("pem-pkcs8");
  const app = await certApp(t, e);
  const { events, logger } = collectLogs();
  const cred = certCredential(t, app, e, { logger });
  await cred.getToken(ARM);
  await t.emulator.injectFault({ kind: "status", status: 500, times: 4 });
  const err = await rejects(cred.getToken("https://graph.microsoft.com/.default"));
  const keyBody = fixtureText(e.file).split("-----BEGIN PRIVATE KEY-----")[1]!.split("-----")[0]!.replace(/\s+/g, "");
  const texts = [everyText(err), JSON.stringify(events), everyText(events), JSON.stringify(cred), everyText(cred)];
  if (t.inspect) texts.push(t.inspect(cred));
  const all = texts.join("\n");
  notIncludes(all, keyBody.slice(0, 64), "private key");
  notIncludes(all, keyBody.slice(-64), "private key");
  ok(!/eyJ[A-Za-z0-9_-]{10,}\.eyJ/.test(all), "no JWT (assertion or token)");
  const bad = new ClientCertificateCredential(app.tenantId, app.clientId, { certificate: fixtureBytes("pfx-openssl3-default.pfx"), certificatePassword: "not-the-Fixture-P@ss1" }, { authorityHost: t.emulatorUrl });
  const perr = await rejects(bad.getToken(ARM), { code: "ERR_CERT_BAD_PASSWORD" });
  notIncludes(everyText(perr), "not-the-Fixture-P@ss1");
});

test("certificate: parseCertificate's password must be a string — { password }, a number or null is a TypeError, not 'the password is wrong' (review 5)", async () => {
  const pfx = fixtureBytes(fixture("pfx-legacy").file);
  for (const bad of [{ password: "x" }, 123, null, ["x"]]) {
    await rejects(parseCertificate(pfx, bad as unknown as string), { name: "TypeError", message: /parseCertificate: the password \(second argument\) must be a string/ });
  }
  ok((await parseCertificate(pfx, passwordOf(fixture("pfx-legacy")))).sha1Thumbprint, "a string password still opens it");
});

test("certificate: the private key is imported from a JWK of its PKCS#8 fields (Node 20's PKCS#8 import took 0.6 ms), signing exactly what the PKCS#8 import signs; any other key goes to WebCrypto as PKCS#8", async () => {
  const { rsaJwkOfPkcs8 } = await import("../src/certificate/pkcs8.ts");
  const { createTestCertificate } = await import("../src/testing/x509.ts");
  const { decode, encode } = await import("../src/certificate/der.ts");
  const { fromBase64 } = await import("../src/lib/bytes.ts");
  const RS = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
  const der = (pem: string) => Uint8Array.from(atob(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  const data = new TextEncoder().encode("header.payload");
  const signs = async (key: CryptoKey) => [...new Uint8Array(await crypto.subtle.sign(RS, key, data))].join();
  // The fixture key and fresh ones: RSA fields with and without a leading zero octet.
  const keys = [der(fixtureText("pem-pkcs8.pem").match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)![0])];
  for (let i = 0; i < 3; i++) keys.push(der((await createTestCertificate()).privateKeyPem));
  for (const pkcs8 of keys) {
    const jwk = rsaJwkOfPkcs8(pkcs8);
    ok(jwk, "a plain RSA PKCS#8 key gets a JWK");
    deepEqual(Object.keys(jwk), ["kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"], "with every RSA field");
    for (const name of ["n", "d", "p", "q", "dp", "dq", "qi"] as const) {
      ok(/^[A-Za-z0-9_-]+$/.test(jwk[name]!) && fromBase64(jwk[name]!)[0] !== 0, `${name} is base64url without leading zero octets`);
    }
    const viaPkcs8 = await crypto.subtle.importKey("pkcs8", pkcs8 as Uint8Array<ArrayBuffer>, RS, false, ["sign"]);
    equal(await signs(await crypto.subtle.importKey("jwk", jwk, RS, false, ["sign"])), await signs(viaPkcs8), "the JWK is the same key");
  }
  // parseCertificate's key is that key.
  const e = fixture("pfx-openssl3-default");
  const parsed = await parseCertificate(fixtureBytes(e.file), passwordOf(e));
  const pemKey = await crypto.subtle.importKey("pkcs8", keys[0]!, RS, false, ["sign"]);
  equal(await signs(parsed.privateKey), await signs(pemKey), "parseCertificate's privateKey signs what the PKCS#8 import of the same key signs");
  // Anything else is left to WebCrypto's PKCS#8 import.
  const info = decode(keys[1]!);
  const rsa = decode(info.children[2]!.content);
  const tlv = (tag: number, ...parts: Uint8Array[]) => encode(tag, Uint8Array.from(parts.flatMap((p) => [...p])));
  const withKey = (fields: Uint8Array[], version = info.children[0]!.raw) => tlv(0x30, version, info.children[1]!.raw, tlv(0x04, tlv(0x30, ...fields)));
  const fields = rsa.children.map((c) => c.raw);
  equal(rsaJwkOfPkcs8(withKey(fields)) !== undefined, true, "the rebuilt key still converts");
  for (const [bytes, what] of [
    [der(fixtureText("bad-ec.pem").match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)?.[0] ?? "MA=="), "an EC key"],
    [withKey([Uint8Array.of(2, 1, 1), ...fields.slice(1), tlv(0x30)]), "a multi-prime RSAPrivateKey (version 1, otherPrimeInfos)"],
    [withKey(fields, Uint8Array.of(2, 1, 1)), "a PrivateKeyInfo of version 1"],
    [withKey([...fields.slice(0, 2), Uint8Array.of(2, 1, 0xff), ...fields.slice(3)]), "a negative public exponent"],
    [withKey(fields.slice(0, 8)), "a missing field"],
    [tlv(0x30, ...info.children.map((c) => c.raw), tlv(0xa0, tlv(0x30))), "a PrivateKeyInfo with attributes"],
    [Uint8Array.of(0x30, 0x03, 0x02, 0x01), "truncated DER"],
  ] as const) {
    equal(rsaJwkOfPkcs8(bytes), undefined, what);
  }
});
