/**
 * Keys that stay where they are (ClientCertificateCredential's `{ certificate, privateKey }` and
 * `{ certificate, sign }`, and `keyVaultSigner`) against the emulator, on every runtime: x5t,
 * x5t#S256, x5c, PS256 and the shared cache's key derivation with each; the key checked against
 * the certificate once, at the first use; Key Vault's `sign` REST operation as the fake in
 * test/support/key-vault-sign.ts checks it; nothing of the key in JSON, inspect or errors.
 */
import { CertificateError, ClientCertificateCredential, ClientSecretCredential, keyVaultSigner, memoryTokenCache, type AssertionAlgorithm } from "../src/core.ts";
import { createTestCertificate, type TestCertificate } from "../src/testing/x509.ts";
import { deepEqual, equal, match, notIncludes, ok, rejects, throws } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";
import { ARM, FAST_RETRY, secretApp, tokenRequests } from "./support/helpers.ts";
import { fakeKeyVault } from "./support/key-vault-sign.ts";
import { endlessAnswer, within } from "./support/endless.ts";
import { formsOf, leakOf } from "./support/sentinels.ts";
import { fixtureText } from "./support/fixtures.ts";

const RS = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const PS = { name: "RSA-PSS", hash: "SHA-256" } as const;

function pemDer(pem: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

/** The certificate's key as a non-extractable CryptoKey (what a Worker holding its key has). */
function nonExtractable(cert: TestCertificate, params: typeof RS | typeof PS = RS): Promise<CryptoKey> {
  return crypto.subtle.importKey("pkcs8", pemDer(cert.privateKeyPem), params, false, ["sign"]);
}

/** A view into a larger buffer at an offset, like a pooled Node Buffer. */
function pooled(bytes: Uint8Array): Uint8Array {
  const pool = new Uint8Array(bytes.length + 100).fill(0x30);
  pool.set(bytes, 37);
  return pool.subarray(37, 37 + bytes.length);
}

async function app(t: TestContext, cert: TestCertificate): Promise<{ tenantId: string; clientId: string }> {
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, certificates: [cert.certificatePem] });
  return { tenantId, clientId };
}

const lastAssertion = async (t: TestContext) => (await t.emulator.requests()).filter((r) => r.clientAuth === "assertion").at(-1)!.assertion!;

test("keys that stay: { certificate, privateKey } with a non-extractable CryptoKey gets tokens (RS256 + x5t; PEM, base64 DER, pooled DER bytes; x5c leaf first from a shuffled chain)", async (t) => {
  const ca = await createTestCertificate({ subject: "keys CA", isCA: true });
  const leaf = await createTestCertificate({ subject: "keys leaf", issuer: ca });
  const a = await app(t, leaf);
  const privateKey = await nonExtractable(leaf);
  equal(privateKey.extractable, false);
  const forms: [string, string | Uint8Array][] = [
    ["PEM", leaf.certificatePem],
    ["base64 DER", btoa(String.fromCharCode(...leaf.der))],
    ["pooled DER bytes", pooled(leaf.der)],
    // PEM bytes whose first line starts with "0" (0x30, DER's SEQUENCE tag) were read as DER (attack review of session 11)
    ["pooled PEM bytes after s_client's ' 0 s:CN=' line", pooled(new TextEncoder().encode(`0 s:CN = keys leaf\n${leaf.certificatePem}`))],
  ];
  for (const [form, certificate] of forms) {
    const credential = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate, privateKey }, { authorityHost: t.emulatorUrl, retryOptions: FAST_RETRY });
    const token = await credential.getToken(ARM);
    equal((await t.emulator.verifyAccessToken(token.token)).appid, a.clientId, form);
    const { header, payload } = await lastAssertion(t);
    deepEqual(header, { alg: "RS256", typ: "JWT", x5t: leaf.x5t }, form);
    equal(payload.aud, `${t.emulatorUrl}/${a.tenantId}/oauth2/v2.0/token`);
    equal(payload.iss, a.clientId);
    equal(payload.sub, a.clientId);
    equal((payload.exp as number) - (payload.iat as number), 600);
  }
  // The chain given CA first: the leaf is the certificate the key verifies with, and x5c starts with it.
  const chained = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: ca.certificatePem + leaf.certificatePem, privateKey }, {
    authorityHost: t.emulatorUrl,
    sendCertificateChain: true,
  });
  await chained.getToken(ARM);
  const { header } = await lastAssertion(t);
  const b64 = (der: Uint8Array) => btoa(String.fromCharCode(...der));
  deepEqual(header.x5c, [b64(leaf.der), b64(ca.der)]);
  equal(header.x5t, leaf.x5t);
  // A private key beside the public certificate is refused, also one the loader does not read (OpenSSH's, second attack review of session 11)
  for (const [what, key] of [["PKCS#8", leaf.privateKeyPem], ["OpenSSH", fixtureText("openssh-rsa.key")]]) {
    const e = await rejects(Promise.resolve().then(() => new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: key + leaf.certificatePem, privateKey }, { authorityHost: t.emulatorUrl }).getToken(ARM)), { name: "CertificateError" }, what);
    equal(e.code, "ERR_CERT_MALFORMED", e.message);
    match(e.message, /holds a private key: with privateKey or sign, pass only the public certificate/, what);
  }
  // DER bytes of two concatenated certificates work too
  const both = new Uint8Array([...ca.der, ...leaf.der]);
  await new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: pooled(both), privateKey }, { authorityHost: t.emulatorUrl }).getToken(ARM);
  equal((await lastAssertion(t)).header.x5t, leaf.x5t);
});

test("keys that stay: an RSA-PSS CryptoKey signs PS256 with x5t#S256; assertionAlgorithm that the key cannot sign, a public key, an EC key or a non-key are TypeErrors", async (t) => {
  const cert = await createTestCertificate();
  const a = await app(t, cert);
  const pssKey = await nonExtractable(cert, PS);
  const credential = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, privateKey: pssKey }, { authorityHost: t.emulatorUrl });
  await credential.getToken(ARM);
  deepEqual((await lastAssertion(t)).header, { alg: "PS256", typ: "JWT", "x5t#S256": cert.x5tS256 });
  throws(() => new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, privateKey: pssKey }, { assertionAlgorithm: "RS256" }), {
    name: "TypeError",
    message: /assertionAlgorithm is RS256 but privateKey is a RSA-PSS key, which signs PS256/,
  });
  const rsKey = await nonExtractable(cert);
  throws(() => new ClientCertificateCredential("t", "c", { certificate: cert.certificatePem, privateKey: rsKey }, { assertionAlgorithm: "PS256" }), { name: "TypeError", message: /import the key for RSA-PSS/ });
  const ec = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as CryptoKeyPair;
  throws(() => new ClientCertificateCredential("t", "c", { certificate: cert.certificatePem, privateKey: ec.privateKey }), { name: "TypeError", message: /RSA key for SHA-256/ });
  const rsPair = (await crypto.subtle.generateKey({ ...RS, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, false, ["sign", "verify"])) as CryptoKeyPair;
  throws(() => new ClientCertificateCredential("t", "c", { certificate: cert.certificatePem, privateKey: rsPair.publicKey }), { name: "TypeError", message: /private key with the "sign" usage/ });
  throws(() => new ClientCertificateCredential("t", "c", { certificate: cert.certificatePem, privateKey: cert.privateKeyPem as unknown as CryptoKey }), { name: "TypeError", message: /must be a WebCrypto CryptoKey/ });
  throws(() => new ClientCertificateCredential("t", "c", { certificate: cert.certificatePem, privateKey: rsKey, sign: async () => new Uint8Array() } as never), { name: "TypeError", message: /one of privateKey and sign/ });
  throws(() => new ClientCertificateCredential("t", "c", { certificate: cert.certificatePem, privateKey: rsKey, certificatePassword: "x" } as never), { name: "TypeError", message: /certificatePassword does not go with privateKey/ });
  throws(() => new ClientCertificateCredential("t", "c", { certificate: "", privateKey: rsKey }), { name: "TypeError", message: /the public certificate/ });
  throws(() => new ClientCertificateCredential("t", "c", { certificate: cert.certificatePem, sign: "no" as never }), { name: "TypeError", message: /sign must be a function/ });
});

test("keys that stay: the key is checked against the certificate once, at the first use — a mismatch is ERR_CERT_KEY_MISMATCH before any token request; a PEM with the private key in it is refused", async (t) => {
  const cert = await createTestCertificate();
  const other = await createTestCertificate();
  const a = await app(t, cert);
  const credential = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, privateKey: await nonExtractable(other) }, { authorityHost: t.emulatorUrl });
  await rejects(credential.getToken(ARM), { name: "CertificateError", code: "ERR_CERT_KEY_MISMATCH", message: /does not verify with the public key of any of the 1 certificate/ });
  let calls = 0;
  const wrongSigner = new ClientCertificateCredential(a.tenantId, a.clientId, {
    certificate: cert.certificatePem,
    sign: async (data) => (calls++, new Uint8Array(await crypto.subtle.sign(RS, await nonExtractable(other), data as Uint8Array<ArrayBuffer>))),
  }, { authorityHost: t.emulatorUrl });
  const e = await rejects(wrongSigner.getToken(ARM), { name: "CertificateError", code: "ERR_CERT_KEY_MISMATCH" });
  ok(e instanceof CertificateError);
  equal(calls, 1, "one probe signature");
  equal(await tokenRequests(t), 0, "nothing was sent to Entra");
  await rejects(new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.pem, privateKey: await nonExtractable(cert) }).getToken(ARM), { name: "CertificateError", message: /holds a private key/ });
  await rejects(new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: "not a certificate", privateKey: await nonExtractable(cert) }).getToken(ARM), { name: "CertificateError", code: "ERR_CERT_MALFORMED" });
  // A signer that resolves to something other than bytes
  await rejects(new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, sign: async () => "c2ln" as never }).getToken(ARM), { name: "TypeError", message: /resolve to the signature bytes/ });
  // … or to bytes that are gone (a detached buffer): the signer's mistake, not a key mismatch (review 9, L3)
  const detached = () => {
    const view = new Uint8Array(256);
    structuredClone(view.buffer, { transfer: [view.buffer] });
    return view;
  };
  for (const gone of [() => detached().buffer, () => detached()]) {
    await rejects(new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, sign: async () => gone() as Uint8Array }).getToken(ARM), { name: "TypeError", message: /resolve to the signature bytes \(a Uint8Array\), got a detached buffer\.$/ });
  }
});

for (const algorithm of ["RS256", "PS256"] as const) {
  test(`keys that stay: { certificate, sign } — a remote signer gets the JWS signing input, is asked once for the probe and once per assertion, ${algorithm}`, async (t) => {
    const cert = await createTestCertificate();
    const a = await app(t, cert);
    const key = await nonExtractable(cert, algorithm === "PS256" ? PS : RS);
    const seen: { text: string; algorithm: AssertionAlgorithm }[] = [];
    const sign = async (data: Uint8Array, alg: AssertionAlgorithm) => {
      seen.push({ text: new TextDecoder().decode(data), algorithm: alg });
      // a Node-Buffer-like answer: a view at an offset into a larger buffer
      return pooled(new Uint8Array(await crypto.subtle.sign(alg === "PS256" ? { name: "RSA-PSS", saltLength: 32 } : RS, key, data as Uint8Array<ArrayBuffer>)));
    };
    const credential = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, sign }, { authorityHost: t.emulatorUrl, assertionAlgorithm: algorithm, sendCertificateChain: true });
    await credential.getToken(ARM);
    await credential.getToken("https://vault.azure.net/.default");
    const { header } = await lastAssertion(t);
    deepEqual(Object.keys(header).sort(), ["alg", "typ", algorithm === "PS256" ? "x5t#S256" : "x5t", "x5c"].sort());
    equal(header.alg, algorithm);
    equal(seen.length, 2, "the probe, then one assertion (reused for the second scope while it is fresh)");
    ok(seen.every((s) => s.algorithm === algorithm));
    const [h, p] = seen[1]!.text.split(".");
    deepEqual(JSON.parse(atob(h!.replace(/-/g, "+").replace(/_/g, "/"))), header);
    equal(JSON.parse(atob(p!.replace(/-/g, "+").replace(/_/g, "/"))).sub, a.clientId);
  });
}

test("keyVaultSigner: Key Vault's sign operation (POST {kid}/sign?api-version, { alg, value: base64url(SHA-256) }, a vault token) signs RS256 and PS256 assertions Entra accepts; its refusals say what to check", async (t) => {
  const cert = await createTestCertificate();
  const a = await app(t, cert);
  const vaultApp = await secretApp(t, { tenantId: a.tenantId });
  const vaultCredential = new ClientSecretCredential(vaultApp.tenantId, vaultApp.clientId, vaultApp.secret, { authorityHost: t.emulatorUrl });
  const vault = await fakeKeyVault({ emulator: t.emulator, tenantId: a.tenantId, keyPem: cert.privateKeyPem });
  for (const [algorithm, apiVersion] of [["RS256", "7.4"], ["PS256", "7.5"]] as const) {
    const sign = keyVaultSigner({ keyId: vault.keyId, credential: vaultCredential, fetch: vault.fetch, apiVersion });
    const credential = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, sign }, { authorityHost: t.emulatorUrl, assertionAlgorithm: algorithm });
    const token = await credential.getToken(ARM);
    equal((await t.emulator.verifyAccessToken(token.token)).appid, a.clientId, algorithm);
    equal((await lastAssertion(t)).header.alg, algorithm);
  }
  const path = new URL(vault.keyId).pathname + "/sign";
  deepEqual(
    vault.requests.map((r) => [r.method, r.path, r.query, r.alg, r.status]),
    [
      ["POST", path, "?api-version=7.4", "RS256", 200],
      ["POST", path, "?api-version=7.4", "RS256", 200],
      ["POST", path, "?api-version=7.5", "PS256", 200],
      ["POST", path, "?api-version=7.5", "PS256", 200],
    ],
    "a probe and an assertion per credential",
  );
  ok(vault.requests.every((r) => /^[A-Za-z0-9_-]{43}$/.test(r.digest!)));
  const vaultTokens = (await t.emulator.requests()).filter((r) => r.clientId === vaultApp.clientId);
  equal(vaultTokens.length, 1, "one vault token, cached by its credential");
  equal(vaultTokens[0]!.scope, "https://vault.azure.net/.default");

  // Refusals: no permission (403), another key version (404), the vault's tenant (401)
  vault.forbid(true);
  const forbidden = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, sign: keyVaultSigner({ keyId: vault.keyId, credential: vaultCredential, fetch: vault.fetch }) }, { authorityHost: t.emulatorUrl });
  await rejects(forbidden.getToken(ARM), { name: "CredentialUnavailableError", message: /Key Vault refused to sign with contoso\.vault\.azure\.net\/keys\/app-cert\/[0-9a-f]{32} \(HTTP 403 Forbidden: .*keys sign permission.*'Key Vault Crypto User' role/ });
  vault.forbid(false);
  const otherVersion = vault.keyId.replace(/[0-9a-f]{32}$/, "0".repeat(32));
  await rejects(
    new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, sign: keyVaultSigner({ keyId: otherVersion, credential: vaultCredential, fetch: vault.fetch }) }, { authorityHost: t.emulatorUrl }).getToken(ARM),
    { name: "CredentialUnavailableError", message: /HTTP 404 KeyNotFound.*Check the key's name and version/ },
  );
  const foreign = await secretApp(t);
  const foreignCredential = new ClientSecretCredential(foreign.tenantId, foreign.clientId, foreign.secret, { authorityHost: t.emulatorUrl });
  await rejects(
    new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, sign: keyVaultSigner({ keyId: vault.keyId, credential: foreignCredential, fetch: vault.fetch }) }, { authorityHost: t.emulatorUrl }).getToken(ARM),
    { name: "CredentialUnavailableError", message: /HTTP 401 Unauthorized.*the credential's tenant is the vault's/ },
  );
  // Caller mistakes are TypeErrors at once
  for (const [keyId, why] of [
    ["https://contoso.vault.azure.net/keys/app-cert", "no version"],
    ["https://contoso.vault.azure.net/secrets/app-cert/0123456789abcdef0123456789abcdef", "a secret"],
    ["http://contoso.vault.azure.net/keys/app-cert/0123456789abcdef0123456789abcdef", "http"],
    [42, "not a string"],
  ] as const) {
    throws(() => keyVaultSigner({ keyId: keyId as string, credential: vaultCredential }), { name: "TypeError", message: /keyId must be|https: URL/ }, why);
  }
  throws(() => keyVaultSigner({ keyId: vault.keyId, credential: {} as never }), { name: "TypeError", message: /TokenCredential/ });
  throws(() => keyVaultSigner({ keyId: vault.keyId, credential: vaultCredential, apiVersion: "7.0" as never }), { name: "TypeError", message: /apiVersion/ });
});

test("keyVaultSigner: a refusal that echoes the request (a WAF quoting the Authorization header) never quotes the vault token, in any encoding or part of it", async (t) => {
  const cert = await createTestCertificate();
  const a = await app(t, cert);
  const vaultToken = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ2YXVsdCJ9.Sg7LpQw2ZxVbN4kRt9YmHc3JdQ";
  const credential = { getToken: async () => ({ token: vaultToken, tokenType: "Bearer" as const, expiresOnTimestamp: Date.now() + 3_600_000, refreshAfterTimestamp: Date.now() + 1_800_000 }) };
  const forms = formsOf(vaultToken, 8);
  const echoes: [string, (bearer: string) => string][] = [
    ["raw", (b) => `Caller ${b} is not authorized`],
    ["URI-encoded", (b) => `Caller ${encodeURIComponent(b)} is not authorized`],
    ["base64", (b) => `Caller ${btoa(b)} is not authorized`],
    ["cut short", (b) => `Caller ${b.slice(0, 30)}...`],
  ];
  for (const [how, echo] of echoes) {
    const fetch = async (_url: string | URL | Request, init?: RequestInit) =>
      Response.json({ error: { code: "Forbidden", message: echo(new Headers(init?.headers).get("authorization")!) } }, { status: 403 });
    const sign = keyVaultSigner({ keyId: "https://contoso.vault.azure.net/keys/app/0123456789abcdef0123456789abcdef", credential, fetch });
    const cred = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, sign }, { authorityHost: t.emulatorUrl });
    const error = await cred.getToken(ARM).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    ok(error, how);
    match(error.message, /Key Vault refused to sign .*HTTP 403 Forbidden: Caller .*'Key Vault Crypto User'/, how);
    const texts = [error.message, JSON.stringify(error), t.inspect?.(error) ?? "", String((error as { cause?: unknown }).cause ?? "")];
    for (const text of texts) equal(leakOf(text, forms), undefined, `${how}: the vault token in ${text.slice(0, 200)}`);
  }
});

test("keyVaultSigner: a keyId on a host that is not a vault's gets no vault token unless scope says where it may go", async (t) => {
  const credential = { getToken: async () => ({ token: "vault-token", tokenType: "Bearer" as const, expiresOnTimestamp: Date.now() + 3_600_000, refreshAfterTimestamp: Date.now() + 1_800_000 }) };
  for (const keyId of [
    "https://attacker.example/keys/app/0123456789abcdef0123456789abcdef",
    "https://contoso.vault.azure.net.attacker.example/keys/app/0123456789abcdef0123456789abcdef",
    "https://vault.azure.net.example/keys/app/0123456789abcdef0123456789abcdef",
  ]) {
    throws(() => keyVaultSigner({ keyId, credential }), { name: "TypeError", message: /is not a Key Vault or Managed HSM host .*pass its token scope as scope/ }, keyId);
  }
  // A vault of a known cloud, a loopback test vault, and any host given an explicit scope are accepted.
  const seen: string[] = [];
  const fetch = async (url: string | URL | Request) => {
    seen.push(String(url));
    return Response.json({ kid: "k", value: "AQID" });
  };
  for (const [keyId, scope] of [
    ["https://contoso.vault.azure.cn/keys/app/0123456789abcdef0123456789abcdef", undefined],
    ["https://contoso.managedhsm.azure.net/keys/app/0123456789abcdef0123456789abcdef", undefined],
    ["http://127.0.0.1:8443/keys/app/0123456789abcdef0123456789abcdef", undefined],
    ["https://vault.local.azurestack.external/keys/app/0123456789abcdef0123456789abcdef", "https://vault.local.azurestack.external/.default"],
  ] as const) {
    const sign = keyVaultSigner({ keyId, credential, fetch, ...(scope ? { scope } : {}) });
    deepEqual([...(await sign(new Uint8Array([1]), "RS256"))], [1, 2, 3], keyId);
  }
  equal(seen.length, 4);
  void t;
});

test("keys that stay: the shared token cache's key is derived with a CryptoKey, a sign callback and keyVaultSigner (a second instance reads the store, not Entra); an RSA-PSS CryptoKey needs encryptionKey", async (t) => {
  const cert = await createTestCertificate();
  const vaultApp = await secretApp(t);
  const vaultCredential = new ClientSecretCredential(vaultApp.tenantId, vaultApp.clientId, vaultApp.secret, { authorityHost: t.emulatorUrl });
  const vault = await fakeKeyVault({ emulator: t.emulator, tenantId: vaultApp.tenantId, keyPem: cert.privateKeyPem });
  const key = await nonExtractable(cert);
  const keyPss = await nonExtractable(cert, PS);
  const sign = async (d: Uint8Array, alg: AssertionAlgorithm) =>
    new Uint8Array(await (alg === "RS256" ? crypto.subtle.sign(RS, key, d as Uint8Array<ArrayBuffer>) : crypto.subtle.sign({ name: "RSA-PSS", saltLength: 32 }, keyPss, d as Uint8Array<ArrayBuffer>)));
  const sources = {
    privateKey: () => ({ certificate: cert.certificatePem, privateKey: key }),
    sign: () => ({ certificate: cert.certificatePem, sign }),
    keyVaultSigner: () => ({ certificate: cert.certificatePem, sign: keyVaultSigner({ keyId: vault.keyId, credential: vaultCredential, fetch: vault.fetch }) }),
  };
  for (const [name, source] of Object.entries(sources)) {
    const a = await app(t, cert);
    const store = memoryTokenCache();
    const make = () => new ClientCertificateCredential(a.tenantId, a.clientId, source(), { authorityHost: t.emulatorUrl, tokenCache: store, assertionAlgorithm: name === "privateKey" ? undefined : "PS256" });
    const first = await make().getToken(ARM);
    const second = await make().getToken(ARM);
    equal(second.token, first.token, `${name}: the second instance decrypted the first one's entry`);
    equal((await t.emulator.requests()).filter((r) => r.clientId === a.clientId).length, 1, name);
  }
  const pssKey = await nonExtractable(cert, PS);
  throws(() => new ClientCertificateCredential("t", "c", { certificate: cert.certificatePem, privateKey: pssKey }, { tokenCache: memoryTokenCache() }), {
    name: "TypeError",
    message: /needs tokenCacheOptions\.encryptionKey/,
  });
  new ClientCertificateCredential("t", "c", { certificate: cert.certificatePem, privateKey: pssKey }, { tokenCache: memoryTokenCache(), tokenCacheOptions: { encryptionKey: "0123456789abcdef0123" } });
});

test("keys that stay: the CryptoKey and the signer never show — JSON.stringify and the runtime's inspect of the credential, and its errors", async (t) => {
  const cert = await createTestCertificate();
  const a = await app(t, cert);
  const key = await nonExtractable(cert);
  const marker = "sentinelSignerFunctionName";
  const signer = { [marker]: async (data: Uint8Array) => new Uint8Array(await crypto.subtle.sign(RS, key, data as Uint8Array<ArrayBuffer>)) }[marker]!;
  const withKey = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, privateKey: key }, { authorityHost: t.emulatorUrl });
  const withSign = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, sign: signer }, { authorityHost: t.emulatorUrl });
  for (const credential of [withKey, withSign]) {
    for (const moment of ["before", "after"]) {
      const texts = [JSON.stringify(credential), t.inspect?.(credential) ?? ""];
      for (const text of texts) {
        notIncludes(text, "CryptoKey", moment);
        notIncludes(text, "RSASSA", moment);
        notIncludes(text, marker, moment);
        notIncludes(text, "BEGIN CERTIFICATE", moment);
      }
      if (moment === "before") await credential.getToken(ARM);
    }
  }
  match(JSON.stringify(withKey), /"credential":"ClientCertificateCredential"/);
});

test("keyVaultSigner: an endless sign answer is refused at 64 KiB (the rest not read, the body not quoted), and one that outlives the token request's attempt stops being read when the attempt ends: the call gets the attempt's signal (review 10 D1)", async (t) => {
  const cert = await createTestCertificate();
  const vaultToken = { getToken: async () => ({ token: "vault-token", tokenType: "Bearer" as const, expiresOnTimestamp: Date.now() + 3_600_000, refreshAfterTimestamp: Date.now() + 1_800_000 }) };
  const keyId = "https://contoso.vault.azure.net/keys/app-cert/0123456789abcdef0123456789abcdef";
  const endless = endlessAnswer();
  const sign = keyVaultSigner({ keyId, credential: vaultToken, fetch: endless.fetch });
  const refused = await rejects(sign(new Uint8Array(8), "RS256"), {
    name: "CredentialUnavailableError",
    message: /Key Vault contoso\.vault\.azure\.net answered HTTP 200 with more than 64 KiB \(a sign answer is under 1 KB\): refused, the rest not read/,
  });
  notIncludes(refused.message, '{"value"');
  ok(endless.pulled() <= 96 * 1024, `read ${endless.pulled()} bytes of it`);
  equal(await within(endless.cancelled, 5_000), undefined, "the answer was cancelled");

  // The probe signature (at the certificate's first use, no attempt's signal) is made here; the
  // assertion's goes to a vault whose answer trickles.
  const a = await app(t, cert);
  const key = await nonExtractable(cert);
  const slow = endlessAnswer({ trickle: true });
  try {
    const probeSigner = async (data: Uint8Array, algorithm: AssertionAlgorithm, context?: { abortSignal?: AbortSignal }) =>
      context?.abortSignal ? keyVaultSigner({ keyId, credential: vaultToken, fetch: slow.fetch })(data, algorithm, context) : new Uint8Array(await crypto.subtle.sign(RS, key, new Uint8Array(data)));
    const credential = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: cert.certificatePem, sign: probeSigner }, { authorityHost: t.emulatorUrl, retryOptions: { maxRetries: 0, tryTimeoutInMs: 300 } });
    await rejects(credential.getToken(ARM), { message: /no client assertion within 300 ms/ });
    equal(await within(slow.cancelled, 5_000), undefined, "the answer stopped being read when the attempt ended");
    equal(slow.signals[0]?.aborted, true, "the sign call's signal fired with the attempt");
  } finally {
    slow.stop();
  }
});

/**
 * `{ certificate, sign }` signing with `key`; `probe` runs first for the probe, the signature made
 * with no attempt's signal (the certificate's load), as a Key Vault call would take its time.
 */
function probing(cert: TestCertificate, key: CryptoKey, probe: () => Promise<void>) {
  return {
    certificate: cert.certificatePem,
    sign: async (data: Uint8Array, _alg: AssertionAlgorithm, context?: { abortSignal?: AbortSignal }) => {
      if (!context) await probe();
      return new Uint8Array(await crypto.subtle.sign(RS, key, data as Uint8Array<ArrayBuffer>));
    },
  };
}

test("keys that stay: a sign callback whose probe signature (the certificate's load) outlasts tryTimeoutInMs + 1 s — the retry gets the token when that load succeeds (not thrown away), concurrent calls for other scopes share it, and calls whose attempts ended start no more loads (attack review, session 9)", async (t) => {
  const cert = await createTestCertificate();
  const key = await nonExtractable(cert);
  const { tenantId, clientId } = await app(t, cert);
  let probes = 0;
  const credential = (maxRetries: number) =>
    new ClientCertificateCredential(
      tenantId,
      clientId,
      // A slow Key Vault's probe.
      probing(cert, key, async () => {
        probes++;
        await new Promise((r) => setTimeout(r, 2_200));
      }),
      { authorityHost: t.emulatorUrl, retryOptions: { ...FAST_RETRY, tryTimeoutInMs: 1_000, maxRetries, retryDelayInMs: 800 } },
    );
  // No retries: every call fails at its attempt's end, and none of them starts a load afterwards.
  probes = 0;
  const once = credential(0);
  const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => once.getToken(`api://app-${i}/.default`)));
  ok(outcomes.every((o) => o.status === "rejected"), "each attempt ended at its timeout");
  await new Promise((r) => setTimeout(r, 2_500));
  equal(probes, 1, "one load for 10 calls, none started by the calls left behind");
  equal((await once.getToken(ARM)).tokenType, "Bearer", "the load that succeeded meanwhile is kept");
  equal(probes, 1);
  // Retries: the first attempt ends at 1 s, the second waits for the load (past its 1 s + 1 s, one more is started): the first load's success at ~2.2 s is the token's.
  probes = 0;
  const retrying = credential(3);
  const scopes = ["https://graph.microsoft.com/.default", ARM, "https://vault.azure.net/.default"];
  const started = Date.now();
  let firstToken = 0;
  const tokens = await Promise.all(scopes.map((s) => retrying.getToken(s).then((x) => ((firstToken ||= Date.now() - started), x))));
  equal(tokens.length, 3);
  // (A call whose retry came just before that time waited on the first load until its own attempt ended, and got it on the next.)
  ok(firstToken < 3_500, `the first token came when the first load succeeded (${firstToken} ms), not after a load started again`);
  ok(probes <= 2, `at most one more load was started (${probes} probes)`);
}, { timeoutMs: 30_000 });

test("keys that stay: with a shared token cache, a probe signature that never settles (the certificate's load, needed first for the store's key) leaves no getToken pending — each call settles within its attempts' time, the store is skipped meanwhile, and the load started again once past its time gets the tokens (second attack review, session 9)", async (t) => {
  const cert = await createTestCertificate();
  const key = await nonExtractable(cert);
  const { tenantId, clientId } = await app(t, cert);
  const store = memoryTokenCache();
  let probes = 0;
  const events: string[] = [];
  const make = (hangFirstProbe: boolean) =>
    new ClientCertificateCredential(
      tenantId,
      clientId,
      probing(cert, key, async () => {
        if (++probes === 1 && hangFirstProbe) await new Promise(() => {}); // a Key Vault call that never answers
      }),
      { authorityHost: t.emulatorUrl, tokenCache: store, tokenCacheOptions: { timeoutInMs: 50 }, retryOptions: { ...FAST_RETRY, tryTimeoutInMs: 3_000, maxRetries: 4 }, logger: (e) => void (hangFirstProbe && events.push(`${e.event}: ${e.message}`)) },
    );
  // Another instance stored tokens for two scopes: a new instance needs the key to read them.
  const other = make(false);
  await other.getToken(ARM);
  await other.getToken("https://graph.microsoft.com/.default");
  probes = 0;
  const fresh = make(true);
  const a = fresh.getToken(ARM);
  await new Promise((r) => setTimeout(r, 200));
  const c = fresh.getToken("https://graph.microsoft.com/.default");
  const outcomes = await within(Promise.allSettled([a, c]), 15_000);
  ok(outcomes !== "not in time", "both calls settled (before the fix the second stayed pending: it waited, without a timer, on the probe that never settles)");
  for (const o of outcomes as PromiseSettledResult<unknown>[]) ok(o.status === "fulfilled", `a token: ${o.status === "rejected" ? String(o.reason) : ""}`);
  ok(probes <= 3, `the load was started again once or twice, not per caller (${probes} probes)`);
  equal((await fresh.getToken(ARM)).tokenType, "Bearer");
  // Said as what it is: the key was late (not a tampered entry — third attack review).
  ok(events.some((e) => /^cache\.store_failed: .*its key was not derived within 3000 ms/.test(e)), events.join("\n"));
  ok(!events.some((e) => e.startsWith("cache.entry_ignored")), events.join("\n"));
}, { timeoutMs: 30_000 });
