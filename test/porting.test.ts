/**
 * Issue 13 — the API a porter from Python's azure-identity expects, on every runtime: `authority`
 * (and the same rules for `authorityHost` / AZURE_AUTHORITY_HOST), an Azure Core `httpClient`,
 * `claimsChallenge`, `certificatePassword` in the options, unknown option keys refused with the
 * nearest valid one (plain JS: the objects are typed `any`), one error base class, and errors that
 * name the real cause (the transport's code, a trailing newline, a padded scope).
 */
import {
  AuthenticationError,
  AzureAuthorityHosts,
  CertificateError,
  ClientAuthenticationError,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  CredentialUnavailableError,
  EnvironmentCredential,
  githubActionsAssertion,
  keyVaultSigner,
  memoryTokenCache,
  parseCertificate,
  type FetchLike,
  type HttpClientLike,
} from "../src/core.ts";
import { deepEqual, equal, match, notIncludes, ok, rejects, throws } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";
import { fixture, fixtureBytes, fixtureText } from "./support/fixtures.ts";
import { byteForms } from "./support/views.ts";
import * as moduleOptions from "./support/options-module.ts";
import { ARM, everyText, FAST_RETRY, GRAPH, secretApp, secretCredential, tokenRequests, type TestApp } from "./support/helpers.ts";

// A plain-JS caller: options objects nobody type-checked.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

const TOKEN_ANSWER = () => new Response(JSON.stringify({ access_token: "x.y.z", token_type: "Bearer", expires_in: 3600 }), { status: 200, headers: { "content-type": "application/json" } });

/** A fetch that records the URLs it is called with and answers a token. */
function recordingFetch(): { urls: string[]; fetch: FetchLike } {
  const urls: string[] = [];
  return { urls, fetch: async (url) => (urls.push(url), TOKEN_ANSWER()) };
}

async function tokenPaths(t: TestContext): Promise<string[]> {
  return (await t.emulator.requests()).map((r) => r.path);
}

// ── 1. authority ────────────────────────────────────────────────────────────────────────────────

test("porting: authority — the seed's full authority URL gets a token, and the token URL holds the tenant once", async (t) => {
  const app = await secretApp(t);
  for (const options of [{ authority: `${t.emulatorUrl}/${app.tenantId}` }, { authorityHost: `${t.emulatorUrl}/${app.tenantId}/` }, { authority: `${t.emulatorUrl}/${app.tenantId.toUpperCase()}` }]) {
    const cred = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { ...options, retryOptions: FAST_RETRY });
    equal((await cred.getToken(ARM)).tokenType, "Bearer");
  }
  deepEqual(await tokenPaths(t), Array(3).fill(`/${app.tenantId}/oauth2/v2.0/token`));
});

test("porting: authority — a bare host means https, a host URL and a gateway prefix are kept, the clouds' hosts are listed", async () => {
  const cases: [Record<string, string>, string][] = [
    [{ authority: "login.microsoftonline.us" }, "https://login.microsoftonline.us/contoso/oauth2/v2.0/token"],
    [{ authorityHost: "login.microsoftonline.us/contoso" }, "https://login.microsoftonline.us/contoso/oauth2/v2.0/token"],
    [{ authority: AzureAuthorityHosts.AzureBleu }, "https://login.sovcloud-identity.fr/contoso/oauth2/v2.0/token"],
    [{ authority: `${AzureAuthorityHosts.AzureDelos}/contoso` }, "https://login.sovcloud-identity.de/contoso/oauth2/v2.0/token"],
    [{ authority: AzureAuthorityHosts.AzureGovSG, authorityHost: `${AzureAuthorityHosts.AzureGovSG}/contoso` }, "https://login.sovcloud-identity.sg/contoso/oauth2/v2.0/token"],
    [{ authority: "https://gateway.example/entra/contoso" }, "https://gateway.example/entra/contoso/oauth2/v2.0/token"],
  ];
  for (const [options, url] of cases) {
    const { urls, fetch } = recordingFetch();
    await new ClientSecretCredential("contoso", "app", "s3cret", { ...options, fetch }).getToken(ARM);
    deepEqual(urls, [url], JSON.stringify(options));
  }
  deepEqual(
    { ...AzureAuthorityHosts },
    {
      AzurePublicCloud: "https://login.microsoftonline.com",
      AzureChina: "https://login.chinacloudapi.cn",
      AzureGovernment: "https://login.microsoftonline.us",
      AzureBleu: "https://login.sovcloud-identity.fr",
      AzureDelos: "https://login.sovcloud-identity.de",
      AzureGovSG: "https://login.sovcloud-identity.sg",
    },
  );
  // Python azure-identity's spellings (review 11: AZURE_GOVERNMENT was undefined, which means the public cloud)
  deepEqual(
    [AzureAuthorityHosts.AZURE_PUBLIC_CLOUD, AzureAuthorityHosts.AZURE_CHINA, AzureAuthorityHosts.AZURE_GOVERNMENT],
    [AzureAuthorityHosts.AzurePublicCloud, AzureAuthorityHosts.AzureChina, AzureAuthorityHosts.AzureGovernment],
  );
  const { urls, fetch } = recordingFetch();
  await new ClientSecretCredential("contoso", "app", "s3cret", { authority: AzureAuthorityHosts.AZURE_GOVERNMENT, fetch }).getToken(ARM);
  deepEqual(urls, ["https://login.microsoftonline.us/contoso/oauth2/v2.0/token"], "authority: AzureAuthorityHosts.AZURE_GOVERNMENT");
});

test("porting: authority — another tenant in it, common, or two different authorities are a TypeError that says so", () => {
  throws(() => new ClientSecretCredential("fabrikam", "app", "s3cret", { authority: "https://login.microsoftonline.com/contoso" }), {
    name: "TypeError",
    message: /authority ends in "contoso", not tenantId "fabrikam" \(the last path segment is the tenant\): give "https:\/\/login\.microsoftonline\.com" or "https:\/\/login\.microsoftonline\.com\/fabrikam"\.$/,
  });
  // review 4: a path of several segments says what an authority looks like
  throws(() => new ClientSecretCredential("t1", "app", "s3cret", { authorityHost: "https://login.microsoftonline.com/a/b/c" }), {
    name: "TypeError",
    message: /authorityHost ends in "c", not tenantId "t1" \(the last path segment is the tenant\): give "https:\/\/login\.microsoftonline\.com" or "https:\/\/login\.microsoftonline\.com\/t1"\.$/,
  });
  throws(() => new ClientSecretCredential("fabrikam", "app", "s3cret", { authorityHost: "https://login.microsoftonline.com/common" }), { name: "TypeError", message: /authorityHost ends in "common"/ });
  throws(() => new ClientSecretCredential("fabrikam", "app", "s3cret", { authority: "https://login.microsoftonline.us", authorityHost: "https://login.microsoftonline.com" }), {
    name: "TypeError",
    message: /authority and authorityHost name different authorities/,
  });
  // An authority built as `${fullAuthority}/${tenant}` (a host variable that already held the tenant)
  for (const authority of ["https://login.microsoftonline.us/fabrikam/fabrikam", "https://login.microsoftonline.us/Fabrikam/fabrikam/"]) {
    throws(() => new ClientSecretCredential("fabrikam", "app", "s3cret", { authority }), { name: "TypeError", message: /authority names the tenant twice \(…\/fabrikam\/fabrikam\): give the host, or the host and the tenant once/ }, authority);
  }
  throws(() => new ClientSecretCredential("fabrikam", "app", "s3cret", { authority: "http://login.microsoftonline.us" }), { name: "TypeError", message: /authority must be an https: URL \(or a bare host\)/ });
  throws(() => new ClientSecretCredential("fabrikam", "app", "s3cret", { authority: "https://user:pw@login.microsoftonline.us/fabrikam" }), { name: "TypeError", message: /^(?!.*pw@)/s });
});

test("porting: authority — getToken's tenantId replaces the authority's tenant (additionallyAllowedTenants)", async () => {
  const { urls, fetch } = recordingFetch();
  const cred = new ClientSecretCredential("contoso", "app", "s3cret", { authority: "https://login.microsoftonline.com/contoso", additionallyAllowedTenants: ["fabrikam"], fetch });
  await cred.getToken(ARM, { tenantId: "fabrikam" });
  deepEqual(urls, ["https://login.microsoftonline.com/fabrikam/oauth2/v2.0/token"]);
});

test("porting: AZURE_AUTHORITY_HOST takes the full authority too; a wrong tenant in it names the variable", async (t) => {
  const app = await secretApp(t);
  const env = { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId, AZURE_CLIENT_SECRET: app.secret, AZURE_AUTHORITY_HOST: `${t.emulatorUrl}/${app.tenantId}` };
  equal((await new EnvironmentCredential({ env, retryOptions: FAST_RETRY }).getToken(ARM)).tokenType, "Bearer");
  deepEqual(await tokenPaths(t), [`/${app.tenantId}/oauth2/v2.0/token`]);
  const wrong = new EnvironmentCredential({ env: { ...env, AZURE_AUTHORITY_HOST: `${t.emulatorUrl}/other-tenant` } });
  await rejects(wrong.getToken(ARM), { name: "CredentialUnavailableError", message: /AZURE_AUTHORITY_HOST ends in "other-tenant", not AZURE_TENANT_ID/ });
  // an authority option wins over the variable
  const { urls, fetch } = recordingFetch();
  await new EnvironmentCredential({ env: { ...env, AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" }, authority: `https://login.sovcloud-identity.fr/${app.tenantId}`, fetch }).getToken(ARM);
  deepEqual(urls, [`https://login.sovcloud-identity.fr/${app.tenantId}/oauth2/v2.0/token`]);
});

test("porting: EnvironmentCredential names the variable of a malformed value (AZURE_TENANT_ID, AZURE_CLIENT_ID; AZURE_ADDITIONALLY_ALLOWED_TENANTS with the bad entry), and a refused tenant names the variable the allowed ones came from (review 4, L5)", async () => {
  const { fetch, urls } = recordingFetch();
  const base = { AZURE_TENANT_ID: "contoso", AZURE_CLIENT_ID: "app", AZURE_CLIENT_SECRET: "s3cret-value" };
  const secretLike = "Zq8Q~abcdefghijklmnopqrstuvwxyz0123456789";
  const cases: [Record<string, string>, RegExp][] = [
    [{ AZURE_TENANT_ID: "common" }, /^EnvironmentCredential is unavailable: ClientSecretCredential: AZURE_TENANT_ID cannot be "common": the client credentials flow needs a specific tenant\.$/],
    [{ AZURE_TENANT_ID: "a/b" }, /: AZURE_TENANT_ID must be a directory id or a domain/],
    [{ AZURE_CLIENT_ID: "a b" }, /: AZURE_CLIENT_ID must be the app registration's Application \(client\) ID/],
    [{ AZURE_CLIENT_ID: secretLike }, /: AZURE_CLIENT_ID looks like a client secret: it must be the app's Application \(client\) ID\.$/],
    [{ AZURE_ADDITIONALLY_ALLOWED_TENANTS: "fabrikam; a/b" }, /^EnvironmentCredential is unavailable: AZURE_ADDITIONALLY_ALLOWED_TENANTS has "a\/b", which is not a tenant: list directory ids or domains such as contoso\.onmicrosoft\.com \(not common, organizations or consumers\), separated by ";", or set it to "\*" for any tenant\.$/],
    [{ AZURE_ADDITIONALLY_ALLOWED_TENANTS: "fabrikam;common" }, /AZURE_ADDITIONALLY_ALLOWED_TENANTS has "common", which is not a tenant/],
    [{ AZURE_ADDITIONALLY_ALLOWED_TENANTS: `fabrikam;${secretLike}` }, /AZURE_ADDITIONALLY_ALLOWED_TENANTS has entry 2, which is not a tenant/],
  ];
  for (const [vars, message] of cases) {
    const e = await rejects(new EnvironmentCredential({ env: { ...base, ...vars }, fetch }).getToken(ARM), { name: "CredentialUnavailableError", message }, JSON.stringify(vars));
    notIncludes(e.message, "Zq8Q~", "a secret-like value is not quoted");
  }
  // The option (not the variable): its own message, which names the option.
  await rejects(new EnvironmentCredential({ env: base, additionallyAllowedTenants: ["a/b"], fetch }).getToken(ARM), { name: "CredentialUnavailableError", message: /additionallyAllowedTenants must be an array of tenant ids/ });
  // Another tenant refused: the variable when the allowed tenants came from it, else the option.
  await rejects(new EnvironmentCredential({ env: { ...base, AZURE_ADDITIONALLY_ALLOWED_TENANTS: "woodgrove" }, fetch }).getToken(ARM, { tenantId: "fabrikam" }), {
    name: "CredentialUnavailableError",
    message: /tenant fabrikam is not allowed: add it to AZURE_ADDITIONALLY_ALLOWED_TENANTS \(";"-separated\), or "\*" for any\.$/,
  });
  await rejects(new EnvironmentCredential({ env: base, additionallyAllowedTenants: ["woodgrove"], fetch }).getToken(ARM, { tenantId: "fabrikam" }), {
    name: "CredentialUnavailableError",
    message: /tenant fabrikam is not allowed: add it to additionallyAllowedTenants, or "\*" for any\.$/,
  });
  deepEqual(urls, [], "nothing was sent");
});

// ── 2. httpClient ───────────────────────────────────────────────────────────────────────────────

/** An HttpClient over this runtime's fetch, using the request the way Azure Core's clients do (the real package: test/tooling/transports.test.ts). */
function fetchHttpClient(seen: { url: string; method: string; headers: Record<string, string>; requestId: string }[]): HttpClientLike {
  return {
    async sendRequest(request) {
      seen.push({ url: request.url, method: request.method, headers: request.headers.toJSON(), requestId: request.requestId });
      ok(request.headers.has("Content-Type") && request.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded"), "HttpHeaders: has/get any case");
      request.headers.set("x-added-by-policy", 1);
      const r = await fetch(request.url, { method: request.method, headers: Object.fromEntries(request.headers), body: request.body, signal: request.abortSignal });
      const text = await r.text();
      return { status: r.status, headers: { toJSON: () => Object.fromEntries(r.headers) }, bodyAsText: text, request };
    },
  };
}

test("porting: httpClient — an Azure Core HttpClient is the transport (fetch is not used), errors and retries work through it", async (t) => {
  const app = await secretApp(t);
  const seen: Parameters<typeof fetchHttpClient>[0] = [];
  const direct = await secretCredential(t, app, { httpClient: fetchHttpClient(seen) }).getToken(GRAPH);
  equal(direct.tokenType, "Bearer");
  equal(seen.length, 1, "the request went through the client");
  const last = seen[0]!;
  equal(last.method, "POST");
  equal(last.url, `${t.emulatorUrl}/${app.tenantId}/oauth2/v2.0/token`);
  equal(last.requestId, last.headers["client-request-id"]);
  const [r] = await t.emulator.requests();
  equal(r?.headers["client-request-id"], last.requestId);
  // Entra's refusal comes back through the client as an AuthenticationError
  const wrong = new ClientSecretCredential(app.tenantId, app.clientId, "wrong-secret", { authorityHost: t.emulatorUrl, httpClient: fetchHttpClient(seen) });
  const e = await rejects(wrong.getToken(ARM), { name: "AuthenticationError" });
  deepEqual(e.errorResponse && (e.errorResponse as { errorCodes?: number[] }).errorCodes, [7000215]);
  // a 503 then a token: retried through the client
  await t.emulator.injectFault({ kind: "status", status: 503, times: 1 });
  equal((await secretCredential(t, app, { httpClient: fetchHttpClient(seen) }).getToken("https://vault.azure.net/.default")).tokenType, "Bearer");
  equal(seen.length, 4);
});

test("porting: httpClient — not an HttpClient, or given with fetch, is a TypeError", () => {
  throws(() => new ClientSecretCredential("contoso", "app", "s3cret", { httpClient: {} as Untyped }), { name: "TypeError", message: /httpClient must be an Azure Core HttpClient/ });
  throws(() => new ClientSecretCredential("contoso", "app", "s3cret", { httpClient: fetchHttpClient([]), fetch: recordingFetch().fetch }), { name: "TypeError", message: /fetch not given/ });
});

// ── 4. claimsChallenge ──────────────────────────────────────────────────────────────────────────

const NBF = { access_token: { nbf: { essential: true, value: "1700000000" } } };
const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

test("porting: claimsChallenge — sent with every request of the credential, decoded from base64, merged with getToken's claims and enableCae, tokens cached", async (t) => {
  const app = await secretApp(t);
  const json = JSON.stringify(NBF);
  for (const claimsChallenge of [json, base64(json), base64(json).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")]) {
    const cred = secretCredential(t, app, { claimsChallenge });
    const a = await cred.getToken(ARM);
    equal((await cred.getToken(ARM)).token, a.token, "cached");
    await cred.getToken(GRAPH);
  }
  const rs = await t.emulator.requests();
  equal(rs.length, 6, "one request per credential and scope: the cache serves the rest");
  for (const r of rs) deepEqual(JSON.parse(r.claims ?? "null"), NBF);
  const cred = secretCredential(t, app, { claimsChallenge: base64(json) });
  await cred.getToken(ARM, { claims: base64(JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } })), enableCae: true });
  deepEqual(JSON.parse((await t.emulator.requests()).at(-1)!.claims!), {
    access_token: { nbf: { essential: true, value: "1700000000" }, acrs: { essential: true, value: "c1" }, xms_cc: { values: ["cp1"] } },
  });
});

test("porting: claimsChallenge — neither JSON nor base64 of it is a TypeError (never sent raw: AADSTS9002313)", async (t) => {
  for (const bad of ["not claims", "W3sibm8iOjF9XQ==" /* base64 of an array */, "{broken"]) {
    throws(() => new ClientSecretCredential("contoso", "app", "s3cret", { claimsChallenge: bad }), { name: "TypeError", message: /claimsChallenge must be a JSON string .* or its base64/ });
  }
  const app = await secretApp(t);
  await rejects(secretCredential(t, app).getToken(ARM, { claims: "%%%" }), { name: "TypeError", message: /getToken: claims must be a JSON string/ });
  equal(await tokenRequests(t), 0);
});

test("porting: claimsChallenge — a shared token cache keeps the tokens of different claims apart", async (t) => {
  const app = await secretApp(t);
  const tokenCache = memoryTokenCache();
  const options = { tokenCache, tokenCacheOptions: { encryptionKey: "0123456789abcdef-shared" } };
  const plain = await secretCredential(t, app, options).getToken(ARM);
  const withClaims = await secretCredential(t, app, { ...options, claimsChallenge: JSON.stringify(NBF) }).getToken(ARM);
  ok(plain.token !== withClaims.token, "a token for other claims is not shared");
  equal(await tokenRequests(t), 2);
  await secretCredential(t, app, { ...options, claimsChallenge: JSON.stringify(NBF) }).getToken(ARM);
  equal(await tokenRequests(t), 2, "the same claims share it");
});

/** An emulator app registered with the OpenSSL 3 PFX fixture's certificate, and options pointing at it. */
async function pfxApp(t: TestContext) {
  const e = fixture("pfx-openssl3-default");
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, certificates: [fixtureText(e.leaf!)] });
  return { e, tenantId, clientId, options: { authority: `${t.emulatorUrl}/${tenantId}`, retryOptions: FAST_RETRY } };
}

// ── 5. certificatePassword ──────────────────────────────────────────────────────────────────────

test("porting: certificatePassword in the options, beside the source, as Python passes it; two different ones are a TypeError", async (t) => {
  const { e, tenantId, clientId, options } = await pfxApp(t);
  const inOptions = new ClientCertificateCredential(tenantId, clientId, { certificate: fixtureBytes(e.file) }, { ...options, certificatePassword: e.password! });
  equal((await inOptions.getToken(ARM)).tokenType, "Bearer");
  const both = new ClientCertificateCredential(tenantId, clientId, { certificate: fixtureBytes(e.file), certificatePassword: e.password! }, { ...options, certificatePassword: e.password! });
  equal((await both.getToken(ARM)).tokenType, "Bearer");
  throws(() => new ClientCertificateCredential(tenantId, clientId, { certificate: fixtureBytes(e.file), certificatePassword: "a" }, { certificatePassword: "b" }), {
    name: "TypeError",
    message: /certificatePassword is given in the options and in the source object, and they differ/,
  });
  throws(() => new ClientCertificateCredential(tenantId, clientId, { certificate: fixtureBytes(e.file) }, { certificatePassword: 42 as Untyped }), { name: "TypeError" });
  if (t.root) {
    // a path with the password in the options: the seed's ClientCertificateCredential(t, c, "app.pfx", certificate_password=…)
    const path = new t.lib.ClientCertificateCredential(tenantId, clientId, `${t.root}/test/fixtures/certs/${e.file}`, { ...options, certificatePassword: e.password! });
    equal((await path.getToken(GRAPH)).tokenType, "Bearer");
  }
});

test("porting: a PFX without its password says where to put it — the options or the source object; EnvironmentCredential names AZURE_CLIENT_CERTIFICATE_PASSWORD", async (t) => {
  const e = fixture("pfx-openssl3-default");
  const cred = new ClientCertificateCredential("contoso", "app", { certificate: fixtureBytes(e.file) }, { authorityHost: t.emulatorUrl });
  const err = await rejects(cred.getToken(ARM), { name: "CertificateError" });
  equal(err.code, "ERR_CERT_PASSWORD_REQUIRED");
  match(err.message, /\{ certificatePassword \}.*\{ certificatePath, certificatePassword \}/);
  const env = new EnvironmentCredential({ env: { AZURE_TENANT_ID: "contoso", AZURE_CLIENT_ID: "app", AZURE_CLIENT_CERTIFICATE: btoa(String.fromCharCode(...fixtureBytes(e.file))), AZURE_AUTHORITY_HOST: t.emulatorUrl } });
  const envErr = await rejects(env.getToken(ARM), { name: "CertificateError" });
  match(envErr.message, /Set AZURE_CLIENT_CERTIFICATE_PASSWORD\.$/);
  // certificatePassword given as undefined (process.env.PFX_PASSWORD unset): said so, in the options, the source object and parseCertificate (review 13)
  const unset = /pass it as certificatePassword\. certificatePassword is given but undefined: is the environment variable or setting that should hold it unset\?$/;
  const fromEnv = ({} as Record<string, string | undefined>).PFX_PASSWORD; // what process.env.PFX_PASSWORD is when unset
  for (const c of [
    new ClientCertificateCredential("contoso", "app", { certificate: fixtureBytes(e.file) }, { authorityHost: t.emulatorUrl, certificatePassword: fromEnv }),
    new ClientCertificateCredential("contoso", "app", { certificate: fixtureBytes(e.file), certificatePassword: fromEnv }, { authorityHost: t.emulatorUrl }),
  ]) {
    const u = await rejects(c.getToken(ARM), { name: "CertificateError" });
    equal(u.code, "ERR_CERT_PASSWORD_REQUIRED");
    match(u.message, unset);
  }
  match((await rejects(parseCertificate({ certificate: fixtureBytes(e.file), certificatePassword: fromEnv }), { name: "CertificateError" })).message, unset);
  equal((await rejects(parseCertificate({ certificate: fixtureBytes(e.file) }), { name: "CertificateError" })).message.includes("undefined"), false, "not said when no password was given");
  equal(await tokenRequests(t), 0);
});

test("porting: the certificate bytes are copied when the credential is made — an app may wipe or reuse its (pooled) buffer before the first getToken (review 6, L4)", async (t) => {
  const { e, tenantId, clientId, options } = await pfxApp(t);
  for (const form of byteForms(fixtureBytes(e.file))) {
    const bytes = form.data;
    const credential = new ClientCertificateCredential(tenantId, clientId, { certificate: bytes, certificatePassword: e.password! }, options);
    bytes.fill(0);
    equal((await credential.getToken(ARM)).tokenType, "Bearer", form.name);
  }
  // an ArrayBuffer
  const buffer = fixtureBytes(e.file).slice().buffer;
  const fromBuffer = new ClientCertificateCredential(tenantId, clientId, { certificate: buffer, certificatePassword: e.password! } as Untyped, options);
  new Uint8Array(buffer).fill(0);
  equal((await fromBuffer.getToken(GRAPH)).tokenType, "Bearer", "an ArrayBuffer");
});

test("porting: parseCertificate copies the bytes at the call — the caller may wipe its buffer before awaiting (review 6, L4)", async () => {
  const e = fixture("pfx-openssl3-default");
  const bytes = fixtureBytes(e.file);
  for (const form of byteForms(bytes)) {
    for (const wrap of [(b: Uint8Array) => b, (b: Uint8Array) => ({ certificate: b })] as const) {
      const view = form.data;
      view.set(bytes);
      const parsed = parseCertificate(wrap(view) as Untyped, e.password!);
      view.fill(0);
      equal((await parsed).sha1Thumbprint, e.sha1, form.name);
    }
  }
});

test("porting: a detached ArrayBuffer (transferred away) as the certificate is ERR_CERT_MALFORMED, not an engine TypeError (review 7)", async () => {
  const e = fixture("pfx-openssl3-default");
  // an ArrayBuffer, and a view made before its buffer was transferred
  const detached = <T extends ArrayBuffer | Uint8Array>(source: T): T => {
    const buffer = source instanceof Uint8Array ? source.buffer : source;
    structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
    return source;
  };
  for (const source of [detached(fixtureBytes(e.file).slice().buffer), detached(fixtureBytes(e.file).slice())]) {
    equal((await rejects(parseCertificate(source, e.password!), { name: "CertificateError" })).code, "ERR_CERT_MALFORMED");
    const cred = new ClientCertificateCredential("contoso", "app", { certificate: source, certificatePassword: e.password! }, { authorityHost: "https://127.0.0.1:9" });
    equal((await rejects(cred.getToken(ARM), { name: "CertificateError" })).code, "ERR_CERT_MALFORMED");
  }
});

test("porting: a wrong certificate password that ends with a newline (or has a space around it) says so, without quoting it; a plain wrong one does not (review 6, L2)", async (t) => {
  const e = fixture("pfx-openssl3-default");
  const pfx = fixtureBytes(e.file);
  const newline = await rejects(parseCertificate(pfx, `${e.password!}\n`), { name: "CertificateError" });
  equal(newline.code, "ERR_CERT_BAD_PASSWORD");
  match(newline.message, / The password given ends with a line break, as reading it from a file or an echo adds: if the real one has none, remove it\.$/);
  notIncludes(newline.message, e.password!, "the password");
  const space = await rejects(parseCertificate(pfx, ` ${e.password!}`), { name: "CertificateError" });
  match(space.message, / The password given begins or ends with white space \(a space or a tab\): if the real one has none, remove it\.$/);
  const bom = await rejects(parseCertificate(pfx, `\uFEFF${e.password!}`), { name: "CertificateError" });
  match(bom.message, / The password given begins with a byte-order mark \(U\+FEFF\), as text files saved by Notepad do: if the real one has none, remove it\.$/);
  // a right password with a space around it on a damaged file: the hint is conditional, not "remove it" (review 7, D2)
  const damaged = pfx.slice();
  damaged[damaged.length - 3]! ^= 0xff;
  const right = await rejects(parseCertificate(damaged, e.password!), { name: "CertificateError" });
  ok(!/The password given/.test(right.message), right.message);
  const plain = await rejects(parseCertificate(pfx, "wrong"), { name: "CertificateError" });
  equal(plain.code, "ERR_CERT_BAD_PASSWORD");
  ok(!/line break|white space/.test(plain.message), plain.message);
  // the same through a credential and EnvironmentCredential (AZURE_CLIENT_CERTIFICATE_PASSWORD from a file)
  const cred = new ClientCertificateCredential("contoso", "app", { certificate: pfx }, { authorityHost: t.emulatorUrl, certificatePassword: `${e.password!}\r\n` });
  match((await rejects(cred.getToken(ARM), { name: "CertificateError" })).message, /ends with a line break/);
  const env = new EnvironmentCredential({ env: { AZURE_TENANT_ID: "contoso", AZURE_CLIENT_ID: "app", AZURE_CLIENT_CERTIFICATE: btoa(String.fromCharCode(...pfx)), AZURE_CLIENT_CERTIFICATE_PASSWORD: `${e.password!}\n`, AZURE_AUTHORITY_HOST: t.emulatorUrl } });
  match((await rejects(env.getToken(ARM), { name: "CertificateError" })).message, /ends with a line break/);
  equal(await tokenRequests(t), 0);
});

// ── 6. unknown option keys ──────────────────────────────────────────────────────────────────────

test("porting: unknown option keys are a TypeError naming the nearest valid key (plain JS), on every credential and getToken", async (t) => {
  const secret = (options: Untyped) => () => new ClientSecretCredential("contoso", "app", "s3cret", options);
  const cases: [() => unknown, RegExp][] = [
    [secret({ authorityhost: "https://login.microsoftonline.us" }), /option "authorityhost" is unknown: did you mean "authorityHost"\?/],
    [secret({ authority_host: "https://login.microsoftonline.us" }), /did you mean "authorityHost"\?/],
    [secret({ http_client: {} }), /option "http_client" is unknown: did you mean "httpClient"\?/],
    [secret({ claims_challenge: "{}" }), /did you mean "claimsChallenge"\?/],
    [secret({ authoritee: "x" }), /did you mean "authority"\?/],
    [secret({ retryOptions: { maxRetry: 1 } }), /retryOptions key "maxRetry" is unknown: did you mean "maxRetries"\?/],
    [secret({ client_secret: "s3cret" }), /option "client_secret" is an argument of the constructor/],
    [secret({ tenant_id: "contoso" }), /"tenant_id" is an argument of the constructor/],
    // a secret or a certificate on the credential that takes the other: whose argument it is (review 13)
    [() => new ClientCertificateCredential("contoso", "app", { certificate: "x" }, { clientSecret: "s3cret" } as Untyped), /option "clientSecret" is an argument of ClientSecretCredential's constructor, not an option of ClientCertificateCredential$/],
    [() => new ClientCertificateCredential("contoso", "app", "app.pfx", { client_secret: "s3cret" } as Untyped), /option "client_secret" is an argument of ClientSecretCredential's constructor/],
    [secret({ certificatePath: "app.pem" }), /option "certificatePath" is an argument of ClientCertificateCredential's constructor, not an option of ClientSecretCredential$/],
    [() => new ClientAssertionCredential("contoso", "app", () => "jwt", { clientSecret: "s3cret" } as Untyped), /"clientSecret" is an argument of ClientSecretCredential's constructor, not an option of ClientAssertionCredential$/],
    // authorityHost that is not a string: said so, not "must be an https: URL" (review 13)
    [secret({ authorityHost: new URL("https://login.microsoftonline.us") } as Untyped), /: authorityHost must be a string \(of a URL object, its href; leave it out for the public cloud\), not an object\.$/],
    [secret({ authorityHost: null } as Untyped), /: authorityHost must be a string \(.*\), not null\.$/],
    [secret({ authority: 42 } as Untyped), /: authority must be a string \(.*\), not a number\.$/],
    [secret({ somethingElse: 1 }), /option "somethingElse" is unknown: valid: authority, authorityHost, .*tokenCachePersistenceOptions\./],
    [secret({ proxyOptions: { host: "http://proxy", port: 8080 } }), /option "proxyOptions" is not supported: pass a fetch or httpClient with it \(README "Proxies and custom transports"\)/],
    [secret({ tlsOptions: {} }), /"tlsOptions" is not supported/],
    [() => new ClientCertificateCredential("contoso", "app", { certificate: "x" }, { sendCertificatechain: true } as Untyped), /did you mean "sendCertificateChain"\?/],
    [() => new ClientCertificateCredential("contoso", "app", { certificate: "x" }, { certificate_password: "p" } as Untyped), /did you mean "certificatePassword"\?/],
    [() => new ClientCertificateCredential("contoso", "app", { certificatepath: "x.pem" } as Untyped), /key of the certificate source "certificatepath" is unknown: did you mean "certificatePath"\?/],
    // Python's CertificateCredential(tenant_id, client_id, certificate_path, password=…, certificate_data=…), keyword for keyword (review 6, D1)
    [() => new ClientCertificateCredential("contoso", "app", { certificate: "x", password: "p" } as Untyped), /key of the certificate source "password" is Python's name: here it is "certificatePassword"\.$/],
    [() => new ClientCertificateCredential("contoso", "app", "app.pfx", { password: "p" } as Untyped), /option "password" is Python's name: here it is "certificatePassword"\.$/],
    [() => new ClientCertificateCredential("contoso", "app", "app.pfx", { Password: "p" } as Untyped), /option "Password" is Python's name/],
    [() => new ClientCertificateCredential("contoso", "app", "app.pfx", "p" as Untyped), /the fourth argument is the options: pass a password as \{ certificatePassword \}\.$/],
    [secret({ retryOptions: 3 } as Untyped), /: retryOptions must be a plain object \(\{ … \}\)\.$/],
    [secret({ tokenCacheOptions: "x" } as Untyped), /: tokenCacheOptions must be a plain object \(\{ … \}\)\.$/],
    [() => new ClientCertificateCredential("contoso", "app", "app.pfx", { certificate_data: new Uint8Array(4) } as Untyped), /option "certificate_data" is Python's name: pass the bytes or text as the source, \{ certificate, certificatePassword \}/],
    [() => new ClientCertificateCredential("contoso", "app", { certificate_data: "x" } as Untyped), /key of the certificate source "certificate_data" is Python's name/],
    [() => new ClientCertificateCredential("contoso", "app", "app.pfx", { send_certificate_chain: true } as Untyped), /did you mean "sendCertificateChain"\?/],
    // options that are not a plain object: a string's characters are not keys ("0" is unknown), a Map's entries are not options (review 7)
    ...["https://login.microsoftonline.us", [], 5, new Map([["authorityHost", "https://login.microsoftonline.us"]]), new Set(["fetch"]), new Date(), new String("x"), /x/, new Error("x"), Promise.resolve({})].map(
      (bad): [() => unknown, RegExp] => [secret(bad as Untyped), /^ClientSecretCredential: options must be a plain object \(\{ … \}\)\.$/],
    ),
    [secret({ retryOptions: new Map([["maxRetries", 0]]) } as Untyped), /^ClientSecretCredential: retryOptions must be a plain object/],
    [() => new ClientCertificateCredential("contoso", "app", new Map([["certificatePath", "app.pem"]]) as Untyped), /: the certificate source must be a plain object \(\{ … \}\)\.$/],
    // the bytes themselves as the source, as parseCertificate takes them: one message, not one per byte read as a key
    ...[new TextEncoder().encode("-----BEGIN CERTIFICATE-----\n"), new Uint8Array(8).buffer, new DataView(new ArrayBuffer(4))].map(
      (bytes): [() => unknown, RegExp] => [() => new ClientCertificateCredential("contoso", "app", bytes as Untyped), /: the certificate's bytes go in the source object: \{ certificate: bytes, certificatePassword \}\.$/],
    ),
    [() => new EnvironmentCredential({ Env: {} } as Untyped), /option "Env" is unknown: did you mean "env"\?/],
    [() => new t.lib.WorkloadIdentityCredential({ tenantId: "contoso", clientId: "app", tokenfilepath: "/t" } as Untyped), /option "tokenfilepath" is unknown: did you mean "tokenFilePath"\?/],
    // Python's WorkloadIdentityCredential(tenant_id=, client_id=, token_file_path=): options here, so the nearest key is named
    [() => new t.lib.WorkloadIdentityCredential({ tenant_id: "contoso", clientId: "app" } as Untyped), /option "tenant_id" is unknown: did you mean "tenantId"\?/],
    [() => new t.lib.WorkloadIdentityCredential({ tenantId: "contoso", clientID: "app" } as Untyped), /option "clientID" is unknown: did you mean "clientId"\?/],
    [() => new t.lib.WorkloadIdentityCredential({ tenantId: "contoso", clientId: "app", tokenFile: "/t" } as Untyped), /option "tokenFile" is unknown: did you mean "tokenFilePath"\?/],
    [() => new EnvironmentCredential({ clientId: "app" } as Untyped), /option "clientId" is read from the environment \(AZURE_TENANT_ID, AZURE_CLIENT_ID, …\), or from \{ env \}/],
    [() => new ClientCertificateCredential("contoso", "app", { certificate: "x", privatekey: {} } as Untyped), /"privatekey" is unknown: did you mean "privateKey"\?/],
    // the client id and the secret swapped: refused before anything is sent (Entra's AADSTS700016 would quote the "client id")
    [() => new ClientSecretCredential("contoso", "Abc8Q~x.y_Z-12345678901234567890abcdEFG", "app"), /clientId looks like a client secret: the arguments are \(tenantId, clientId, clientSecret\)\.$/],
    [() => new ClientSecretCredential("contoso", "Ab3~Qx8Lm_Vz1Rt6Np9Kw2Yh", "00000000-0000-0000-0000-000000000001"), /clientId looks like a client secret/],
  ];
  for (const [make, message] of cases) throws(make, { name: "TypeError", message });
  const app = await secretApp(t);
  const cred = secretCredential(t, app);
  await rejects(cred.getToken(ARM, { abortsignal: AbortSignal.timeout(1000) } as Untyped), { name: "TypeError", message: /getToken option "abortsignal" is unknown: did you mean "abortSignal"\?/ });
  await rejects(cred.getToken(ARM, { tenant_id: app.tenantId } as Untyped), { name: "TypeError", message: /did you mean "tenantId"\?/ });
  // Python's get_token(*scopes) habit: a second scope where the options go (review 6, L3); other non-objects too
  // an AbortSignal where { abortSignal } goes: its keys are its class's, not a polluted prototype (review 7)
  await rejects(cred.getToken(ARM, AbortSignal.timeout(1000) as Untyped), { name: "TypeError", message: /is inherited, not the object's own \(pass a plain object, \{ … \}\): refused\.$/ });
  for (const bad of [5, true, () => {}, new Map(), new Uint8Array(2)]) {
    await rejects(cred.getToken(ARM, bad as Untyped), { name: "TypeError", message: /: getToken options must be a plain object \(\{ … \}\)\.$/ });
  }
  for (const bad of [GRAPH, [GRAPH]]) {
    await rejects(cred.getToken(ARM, bad as Untyped), { name: "TypeError", message: /: getToken options must be a plain object \(\{ … \}\) \(several scopes go in one array: getToken\(\[scope1, scope2\]\)\)\.$/ });
  }
  // an abortSignal that is not one: the AbortController itself (a common slip), {}, a string — a TypeError
  // saying so, not "signal.addEventListener is not a function" from deep inside (attack review of session 10, L5)
  for (const [bad, said] of [
    [new AbortController(), "its AbortController: pass controller.signal"],
    [{}, "another object"],
    [new EventTarget(), "another object"], // it has addEventListener but no aborted: the message said "an object without addEventListener" (attack review of session 10, NIT)
    [Object.assign(new EventTarget(), { aborted: "no" }), "another object"],
    ["abort", "a string"],
    [1000, "a number"],
    // engine messages before (attack review of session 11, LOW): a revoked Proxy, a getter of aborted that throws
    [revokedProxy(), "an object whose properties throw"],
    [Object.create(AbortSignal.prototype) as object, "an object whose properties throw"],
    [{ addEventListener() {}, get aborted(): boolean { throw new Error("not readable"); } }, "an object whose properties throw"],
  ] as const) {
    await rejects(cred.getToken(ARM, { abortSignal: bad } as Untyped), { name: "TypeError", message: new RegExp(`: getToken's abortSignal must be an AbortSignal, not ${said.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.$`) });
  }
  for (const none of [undefined, null]) ok((await cred.getToken(ARM, { abortSignal: none } as Untyped)).token, "an absent abortSignal");
  // An option whose getter throws (tenantId, claims, enableCae; an aborted that throws on its second read) rejects, never throws (second attack review of session 11).
  let reads = 0;
  const flaky = { addEventListener() {}, removeEventListener() {}, get aborted(): boolean { if (++reads > 1) throw new RangeError("second read"); return false; } };
  for (const [what, options] of [
    ["tenantId", { get tenantId(): string { throw new RangeError("tenantId getter"); } }],
    ["claims", { get claims(): string { throw new RangeError("claims getter"); } }],
    ["enableCae", { get enableCae(): boolean { throw new RangeError("enableCae getter"); } }],
    ["abortSignal", { abortSignal: flaky }],
  ] as const) {
    let call: Promise<unknown> | undefined;
    try {
      call = cred.getToken(ARM, options as Untyped);
    } catch (e) {
      ok(false, `getToken threw synchronously for a throwing ${what}: ${String(e)}`);
    }
    ok(call instanceof Promise, what);
    await rejects(call!, { name: "RangeError" }, what);
  }
  // A Proxy of a real signal: Node's and Deno's getters take it, Bun's and workerd's refuse it — a token or this TypeError, nothing else.
  const proxied = await cred.getToken(ARM, { abortSignal: new Proxy(new AbortController().signal, {}) }).then(
    (token) => token.token,
    (e: unknown) => (e instanceof TypeError && /must be an AbortSignal, not an object whose properties throw/.test(e.message) ? "refused" : Promise.reject(e)),
  );
  ok(proxied === "refused" ? t.runtime === "bun" || t.runtime.startsWith("workerd") : typeof proxied === "string" && proxied.length > 0, `a Proxy of a signal on ${t.runtime}: ${proxied}`);
  equal(await tokenRequests(t), 1);
  await cred.getToken(ARM);
  // checked on the cached path too
  await rejects(cred.getToken(ARM, { enable_cae: true } as Untyped), { name: "TypeError", message: /did you mean "enableCae"\?/ });
  await rejects(cred.getToken(ARM, { abortSignal: new AbortController() } as Untyped), { name: "TypeError", message: /pass controller\.signal\.$/ });
});

/** A Proxy that has been revoked: every property read throws. */
function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

test("porting: options and env are plain objects — a module namespace, class instance or Object.create(null) is taken; a Map or Deno.env as env is refused, not read as an empty environment; every credential words it alike (review 8)", async (t) => {
  class Options {
    retryOptions = { maxRetries: 0 };
  }
  class Tagged {
    retryOptions = { maxRetries: 0 };
    get [Symbol.toStringTag]() {
      return "AppOptions";
    }
  }
  const options = [moduleOptions, new Options(), new Tagged(), { [Symbol.toStringTag]: "Opts" }, Object.assign(Object.create(null) as object, { retryOptions: { maxRetries: 0 } }), Object.freeze({ retryOptions: { maxRetries: 0 } }), null];
  for (const o of options) new ClientSecretCredential("contoso", "app", "s3cret", o as Untyped);
  // falsy tokenCacheOptions are none, as before (`process.env.KEY && { encryptionKey }`) (review 9)
  for (const none of ["", 0, false, null]) new ClientSecretCredential("contoso", "app", "s3cret", { tokenCacheOptions: none } as Untyped);
  // options without a store (bound in some deployments only) are checked and unused: no error (types.ts says so)
  new ClientSecretCredential("contoso", "app", "s3cret", { tokenCache: undefined, tokenCacheOptions: { encryptionKey: "0123456789abcdef0123", prefix: "app" } });
  // an env that throws on a variable it does not declare (envalid's strict proxy; Deno asks for each
  // variable's permission): nothing but the variables is read from it (review 9, D1)
  const declared: Record<string, string> = { AZURE_TENANT_ID: "contoso", AZURE_CLIENT_ID: "app", AZURE_CLIENT_SECRET: "s3cret" };
  const strict = new Proxy(declared, {
    get: (target, key) => {
      if (typeof key === "symbol" || Object.hasOwn(target, key)) return (target as Record<string | symbol, unknown>)[key];
      if (/^[A-Z_]+$/.test(key)) return undefined; // an undeclared variable
      throw new ReferenceError(`env var not found: ${key}`);
    },
  });
  new t.lib.EnvironmentCredential({ env: strict });
  new t.lib.WorkloadIdentityCredential({ env: strict, getAssertion: () => "x" });
  t.lib.githubActionsAssertion({ env: strict });
  const envs = [new Map([["AZURE_TENANT_ID", "contoso"]]), ["AZURE_TENANT_ID=contoso"], "AZURE_TENANT_ID=contoso"];
  const denoEnv = (globalThis as { Deno?: { env: unknown } }).Deno?.env;
  if (denoEnv) envs.push(denoEnv as never); // Deno.env itself, on Deno (its runtime entry's credentials know it)
  for (const env of envs) {
    const env_ = env === denoEnv ? /env must be a plain object of variables, \{ AZURE_TENANT_ID: "…", … \} \(that is Deno\.env: pass Deno\.env\.toObject\(\)\)\.$/ : /env must be a plain object of variables, \{ AZURE_TENANT_ID: "…", … \}\.$/;
    throws(() => new t.lib.EnvironmentCredential({ env } as Untyped), { name: "TypeError", message: env_ });
    throws(() => new t.lib.WorkloadIdentityCredential({ env } as Untyped), { name: "TypeError", message: env_ });
    throws(() => t.lib.githubActionsAssertion({ env } as Untyped), { name: "TypeError", message: env_ });
  }
  for (const bad of ["contoso", [], new Map()]) {
    throws(() => new t.lib.WorkloadIdentityCredential(bad as Untyped), { name: "TypeError", message: /^WorkloadIdentityCredential: options must be a plain object \(\{ … \}\)\.$/ });
    throws(() => t.lib.githubActionsAssertion(bad as Untyped), { name: "TypeError", message: /^githubActionsAssertion: options must be a plain object \(\{ … \}\)\.$/ });
    throws(() => new EnvironmentCredential(bad as Untyped), { name: "TypeError", message: /^EnvironmentCredential: options must be a plain object \(\{ … \}\)\.$/ });
  }
  // null options as every constructor takes them (@azure/identity's callers pass it)
  new t.lib.WorkloadIdentityCredential({ tenantId: "contoso", clientId: "app", getAssertion: () => "x" });
  new t.lib.WorkloadIdentityCredential(null as Untyped);
  new EnvironmentCredential(null as Untyped);
  t.lib.githubActionsAssertion(null as Untyped);
  equal(await tokenRequests(t), 0);
});

test("porting: @azure/identity's options that mean nothing here are accepted and ignored; @azure/core-auth's getToken extras too", async (t) => {
  const app = await secretApp(t);
  const identityOptions: Untyped = {
    disableInstanceDiscovery: true,
    loggingOptions: { allowLoggingAccountIdentifiers: true, enableUnsafeSupportLogging: false },
    additionalPolicies: [],
    userAgentOptions: { userAgentPrefix: "my-app" },
    telemetryOptions: { clientRequestIdHeaderName: "x-ms-client-request-id" },
    redirectOptions: { maxRetries: 0 },
    allowInsecureConnection: false,
    tokenCachePersistenceOptions: { enabled: false },
    retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
  };
  const cred = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, ...identityOptions });
  const token = await cred.getToken(ARM, { requestOptions: { timeout: 1000 }, tracingOptions: {} });
  equal(token.tokenType, "Bearer");
  equal((await cred.getToken(ARM, { requestOptions: { timeout: 1 } })).token, token.token);
  equal(await tokenRequests(t), 1, "no instance discovery, one token request");
  const cert = () => new ClientCertificateCredential("contoso", "app", { certificate: "x" }, { ...identityOptions, sendCertificateChain: true });
  ok(cert() instanceof ClientCertificateCredential);
  // @azure/core-auth 1.10's proofOfPossessionOptions: accepted when undefined, a TypeError that says why when set; null options are no options
  equal((await cred.getToken(ARM, { proofOfPossessionOptions: undefined })).token, token.token);
  await rejects(cred.getToken(ARM, { proofOfPossessionOptions: { nonce: "n", resourceRequestMethod: "GET", resourceRequestUrl: "https://x" } } as Untyped), {
    name: "TypeError",
    message: /proofOfPossessionOptions is not supported: Bearer tokens only/,
  });
  const viaNull = cred.getToken(ARM, null as Untyped);
  ok(viaNull instanceof Promise, "getToken(scope, null) returns a promise");
  equal((await viaNull).token, token.token);
  equal(await tokenRequests(t), 1);
});

test("porting: an option inherited from a polluted Object.prototype is refused, never used (the secret never goes to the host it names)", async (t) => {
  const app = await secretApp(t);
  const sent: string[] = [];
  const thief = async (url: string | URL | Request) => {
    sent.push(String(url));
    return Response.json({ access_token: "x", token_type: "Bearer", expires_in: 3600 });
  };
  const vaultAccess = secretCredential(t, app);
  const proto = Object.prototype as Record<string, unknown>;
  for (const [key, value] of [["authorityHost", "http://127.0.0.1:9"], ["fetch", thief], ["authority", "http://127.0.0.1:9/x"]] as const) {
    proto[key] = value;
    try {
      for (const make of [
        () => new ClientSecretCredential(app.tenantId, app.clientId, app.secret),
        () => new ClientSecretCredential(app.tenantId, app.clientId, app.secret, {}),
        () => keyVaultSigner({ keyId: "https://contoso.vault.azure.net/keys/app/0123456789abcdef0123456789abcdef", credential: vaultAccess }),
      ]) {
        throws(make, { name: "TypeError", message: new RegExp(`"${key}" is inherited, not the object's own \\(a polluted Object\\.prototype\\?\\): refused`) }, key);
      }
    } finally {
      delete proto[key];
    }
  }
  deepEqual(sent, []);
  equal(await tokenRequests(t), 0);
});

test("porting: the helpers' and tokenCacheOptions' keys are checked like the credentials' (githubActionsAssertion, keyVaultSigner)", () => {
  const credential = { getToken: async () => ({ token: "t", tokenType: "Bearer" as const, expiresOnTimestamp: Date.now() + 3_600_000, refreshAfterTimestamp: Date.now() + 1_800_000 }) };
  const keyId = "https://contoso.vault.azure.net/keys/app/0123456789abcdef0123456789abcdef";
  for (const [make, message] of [
    [() => githubActionsAssertion({ audiance: "api://x" } as Untyped), /githubActionsAssertion: option "audiance" is unknown: did you mean "audience"\?/],
    [() => keyVaultSigner({ keyid: keyId, credential } as Untyped), /keyVaultSigner: option "keyid" is unknown: did you mean "keyId"\?/],
    [() => keyVaultSigner({ keyId, credential, api_version: "7.5" } as Untyped), /option "api_version" is unknown: did you mean "apiVersion"\?/],
    [() => keyVaultSigner({ keyId, credential, Scope: "s" } as Untyped), /option "Scope" is unknown: did you mean "scope"\?/],
    [() => new ClientSecretCredential("contoso", "app", "s3cret", { tokenCache: memoryTokenCache(), tokenCacheOptions: { encryptionkey: "0123456789abcdef0123" } } as Untyped), /tokenCacheOptions key "encryptionkey" is unknown: did you mean "encryptionKey"\?/],
    [() => new ClientSecretCredential("contoso", "app", "s3cret", { tokenCacheOptions: { encryption_key: "0123456789abcdef0123" } } as Untyped), /did you mean "encryptionKey"\?/],
  ] as const) {
    throws(make, { name: "TypeError", message });
  }
});

// ── 7. ClientAuthenticationError ────────────────────────────────────────────────────────────────

test("porting: ClientAuthenticationError is the base of AuthenticationError, CredentialUnavailableError and CertificateError — one catch for all, names and fields kept", async (t) => {
  const app = await secretApp(t);
  const refused = await rejects(new ClientSecretCredential(app.tenantId, app.clientId, "wrong", { authorityHost: t.emulatorUrl }).getToken(ARM));
  const unavailable = await rejects(new EnvironmentCredential({ env: {} }).getToken(ARM));
  const certificate = await rejects(new ClientCertificateCredential(app.tenantId, app.clientId, { certificate: "not a certificate" }, { authorityHost: t.emulatorUrl }).getToken(ARM));
  const notAllowed = await rejects(secretCredential(t, app).getToken(ARM, { tenantId: "other-tenant" }));
  for (const [e, cls, name] of [
    [refused, AuthenticationError, "AuthenticationError"],
    [unavailable, CredentialUnavailableError, "CredentialUnavailableError"],
    [notAllowed, CredentialUnavailableError, "CredentialUnavailableError"],
    [certificate, CertificateError, "CertificateError"],
  ] as const) {
    ok(e instanceof ClientAuthenticationError, `${name} is a ClientAuthenticationError`);
    ok(e instanceof cls && e instanceof Error, name);
    equal(e.name, name);
  }
  equal(refused.code, "ERR_ENTRA_REFUSED");
  equal(refused.statusCode, 401);
  equal(certificate.code, "ERR_CERT_MALFORMED");
  equal(ClientAuthenticationError.name, "ClientAuthenticationError");
  equal(new ClientAuthenticationError("x").name, "ClientAuthenticationError");
  ok(!((await rejects(secretCredential(t, app).getToken(" "))) instanceof ClientAuthenticationError), "caller mistakes stay TypeErrors");
});

// ── 8. errors that name the real cause ──────────────────────────────────────────────────────────

test("porting: a refused connection names the transport's cause (ECONNREFUSED on Node and Bun), keeps its code on the cause, and is retried", async (t) => {
  const app = await secretApp(t);
  const cred = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.closedUrl, retryOptions: { ...FAST_RETRY, maxRetries: 1 } });
  const e = await rejects(cred.getToken(ARM), { name: "AuthenticationError" });
  equal(e.code, "ERR_ENTRA_UNREACHABLE");
  match(e.message, /2 attempts/);
  const cause = e.cause as Error & { code?: string };
  ok(cause instanceof Error, "a cause");
  if (t.runtime === "node" || t.runtime === "bun") {
    match(e.message, /ECONNREFUSED/);
    equal(cause.code, "ECONNREFUSED");
  } else if (t.runtime === "deno") {
    match(e.message, /refused/i);
  }
  notIncludes(everyText(e), app.secret);
});

test("porting: a transport's TLS certificate failure is not retried and says so; its code is kept, redacted", async (t) => {
  const app = await secretApp(t);
  let calls = 0;
  const fetch: FetchLike = async (_url, init) => {
    calls++;
    throw new TypeError("fetch failed", { cause: Object.assign(new Error(`self-signed certificate (sent ${String(init.body)})`), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }) });
  };
  const e = await rejects(new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: "https://login.example.test", fetch, retryOptions: FAST_RETRY }).getToken(ARM), {
    name: "AuthenticationError",
  });
  equal(calls, 1, "not retried");
  match(e.message, /TypeError: fetch failed \(DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate \(sent .*\)\); its TLS certificate is not trusted here \(not retried\)/);
  equal((e.cause as { code?: string }).code, "DEPTH_ZERO_SELF_SIGNED_CERT");
  // What to do next is trusting the CA, not checking the network (review 11, L8).
  match(e.message, /Make the runtime trust its issuer \(NODE_EXTRA_CA_CERTS, DENO_CERT\) or pass a fetch that does\.$/);
  notIncludes(everyText(e), app.secret);
  notIncludes(everyText(e), encodeURIComponent(app.secret));
});

test("porting: a transport error whose code is a piece of the request (the secret) loses that code — the message and cause are rebuilt from redacted text, and the code is not copied as it is (review 10, D3)", async () => {
  const secret = "abcdEFGH1234ijklMNOP5678qrst"; // only \w: a code's shape
  const fetch: FetchLike = async (_url, init) => {
    throw Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("echo"), { code: new URLSearchParams(String(init.body)).get("client_secret") }) });
  };
  const e = await rejects(new ClientSecretCredential("contoso", "app", secret, { authorityHost: "https://login.example.test", fetch, retryOptions: { maxRetries: 0 } }).getToken(ARM), { name: "AuthenticationError" });
  equal((e.cause as { code?: string }).code, undefined, "no code");
  notIncludes(everyText(e), secret);
  notIncludes(everyText(e), secret.slice(0, 8));
});

test("porting: an unset variable as an argument says it is undefined, and msal-node's one-object shape says the arguments go in order (review 11, L5 and L6)", () => {
  const env: Record<string, string | undefined> = { AZURE_TENANT_ID: "contoso", AZURE_CLIENT_ID: "app" };
  const cases: [() => unknown, RegExp][] = [
    [() => new ClientSecretCredential(env.AZURE_TENANT_ID!, env.AZURE_CLIENT_ID!, env.AZURE_CLIENT_SECRET!), /^ClientSecretCredential: clientSecret must be the secret's Value \(a non-empty string\) \(it is undefined: an unset variable\?\)\.$/],
    [() => new ClientSecretCredential(env.UNSET_TENANT!, "app", "s3cret"), /tenantId must be a directory id .* \(it is undefined: an unset variable\?\)\.$/],
    [() => new ClientSecretCredential("contoso", env.UNSET_CLIENT!, "s3cret"), /clientId must be .* \(it is undefined: an unset variable\?\)\.$/],
    [() => new ClientSecretCredential({ tenantId: "contoso", clientId: "app", clientSecret: "s3cret" } as unknown as string, undefined as unknown as string, undefined as unknown as string), /^ClientSecretCredential takes its arguments in order — \(tenantId, clientId, clientSecret, options\), as @azure\/identity's — not one object\.$/],
    [() => new ClientCertificateCredential({ tenantId: "contoso", clientId: "app", certificatePath: "app.pem" } as unknown as string, "", ""), /^ClientCertificateCredential takes its arguments in order — \(tenantId, clientId, source, options\)/],
    [() => new ClientAssertionCredential({ tenantId: "contoso" } as unknown as string, "app", () => "x"), /^ClientAssertionCredential takes its arguments in order — \(tenantId, clientId, getAssertion, options\)/],
  ];
  for (const [make, message] of cases) throws(make, { name: "TypeError", message }, String(message));
  // A value that is there but wrong says nothing about variables.
  throws(() => new ClientSecretCredential("contoso", "app", ""), { name: "TypeError", message: /\(a non-empty string\)\.$/ });
});

test("porting: a secret with a trailing newline or space is refused before any request, without quoting it; EnvironmentCredential names AZURE_CLIENT_SECRET", async (t) => {
  const app: TestApp = await secretApp(t);
  for (const [secret, message] of [
    [`${app.secret}\n`, /clientSecret ends with a newline/],
    [`${app.secret}\r\n`, /clientSecret ends with a newline/],
    [`${app.secret} `, /clientSecret ends with whitespace/],
    [` ${app.secret}`, /clientSecret starts with whitespace/],
  ] as const) {
    const e = throws(() => new ClientSecretCredential(app.tenantId, app.clientId, secret, { authorityHost: t.emulatorUrl }), { name: "TypeError", message });
    notIncludes(everyText(e), app.secret);
  }
  const env = new EnvironmentCredential({ env: { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId, AZURE_CLIENT_SECRET: `${app.secret}\n`, AZURE_AUTHORITY_HOST: t.emulatorUrl } });
  const e = await rejects(env.getToken(ARM), { name: "CredentialUnavailableError", message: /AZURE_CLIENT_SECRET ends with a newline/ });
  notIncludes(everyText(e), app.secret);
  equal(await tokenRequests(t), 0);
});

test("porting: a scope with a space or newline around it gets a message that says so", async (t) => {
  const app = await secretApp(t);
  const cred = secretCredential(t, app);
  await rejects(cred.getToken(`${ARM} `), { name: "TypeError", message: /getToken's scope "https:\/\/management\.azure\.com\/\.default" has a space or newline around it: pass it trimmed/ });
  await rejects(cred.getToken([`${GRAPH}\n`]), { name: "TypeError", message: /has a space or newline around it/ });
  equal(await tokenRequests(t), 0);
});
