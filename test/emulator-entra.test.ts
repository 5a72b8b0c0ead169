/**
 * The emulator judges like Entra (issue 14): what Entra accepts (padded or unpadded `x5t` and
 * `x5t#S256`, no `nbf`, RS256 and PS256, MSAL's headers and scopes) and what it refuses, with its
 * codes — expired or not-yet-valid certificates (AADSTS700027), expired secrets (7000222),
 * assertion times (700024), a wrong `aud` (700023), federated identity credentials
 * (700211/700213/7002138/700212/7000272/50013/90061/700222) — on the emulator's clock, which
 * tests move, through `connectEmulator` from workerd too. Also: the emulator as an external OIDC
 * issuer, forged tokens checked by a jose resource server, discovery documents, the control API's
 * refusals and body limits. Portable: raw fetch, WebCrypto and jose.
 */
import { importPKCS8 } from "jose/key/import";
import { CompactSign } from "jose/jws/compact/sign";
import { EntraEmulator } from "../src/testing/emulator.ts";
import { connectEmulator } from "../src/testing/remote.ts";
import { createTestCertificate, type TestCertificate } from "../src/testing/x509.ts";
import type { EmulatorControl } from "../src/testing/types.ts";
import { atLeast, atMost, deepEqual, equal, match, ok, rejects } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";
import { protectedApi } from "./support/resource-server.ts";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const GRAPH = "https://graph.microsoft.com/.default";
const DAY = 86_400_000;

interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
  text: string;
  headers: Headers;
}

type Send = (request: Request) => Promise<Response>;

async function post(send: Send, url: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await send(new Request(url, { method: "POST", body: new URLSearchParams(params), headers }));
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text, headers: response.headers };
}

async function get(send: Send, url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await send(new Request(url, { headers }));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text, headers: response.headers };
}

function refused(answer: Answer, code: number, description?: RegExp, status = 401): void {
  equal(answer.status, status, answer.text.slice(0, 400));
  deepEqual(answer.body?.error_codes, [code], `error_codes of ${answer.text.slice(0, 300)}`);
  match(answer.body.error_description, new RegExp(`^AADSTS${code}: `));
  if (description) match(answer.body.error_description, description);
}

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const json64 = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));
const toStd = (b64u: string) => b64u.replace(/-/g, "+").replace(/_/g, "/");
const pad = (b64: string) => b64 + "=".repeat((4 - (b64.length % 4)) % 4);

function payloadOf(jwt: string): Record<string, unknown> {
  const part = jwt.split(".")[1] ?? "";
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(pad(toStd(part))), (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

/** Signs a client assertion with `cert`'s key; `header`/`payload` override the usual fields (undefined removes one). */
async function assertion(cert: TestCertificate, fields: { aud: string; sub: string; now: number }, header: Record<string, unknown> = {}, payload: Record<string, unknown> = {}): Promise<string> {
  const alg = (header.alg as string | undefined) ?? "RS256";
  const seconds = Math.floor(fields.now / 1000);
  const h: Record<string, unknown> = { alg, typ: "JWT", x5t: cert.x5t, ...header };
  const p: Record<string, unknown> = { aud: fields.aud, iss: fields.sub, sub: fields.sub, jti: crypto.randomUUID(), iat: seconds, nbf: seconds, exp: seconds + 600, ...payload };
  for (const o of [h, p]) for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  const key = await importPKCS8(cert.privateKeyPem, alg);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(p))).setProtectedHeader(h as { alg: string }).sign(key);
}

interface CertApp {
  tenantId: string;
  clientId: string;
  url: string;
  cert: TestCertificate;
}

async function certApp(t: TestContext, cert?: TestCertificate): Promise<CertApp> {
  const c = cert ?? (await createTestCertificate({ subject: t.id("app") }));
  const app = { tenantId: t.id("tenant"), clientId: t.id("client") };
  await t.emulator.addApp({ ...app, certificates: [c.certificatePem] });
  return { ...app, cert: c, url: `${t.emulatorUrl}/${app.tenantId}/oauth2/v2.0/token` };
}

function assertionForm(app: { clientId: string }, jwt: string, scope = GRAPH): Record<string, string> {
  return { client_id: app.clientId, grant_type: "client_credentials", scope, client_assertion_type: JWT_BEARER, client_assertion: jwt };
}

/** The emulator's clock goes back to real time after the test. */
function restoreClock(t: TestContext, control: EmulatorControl = t.emulator): void {
  t.cleanup(() => control.clock.reset());
}

test("emulator (Entra accepts): x5t padded or unpadded, base64 or base64url, x5t#S256, no nbf, RS256 and PS256, MSAL's x-client-* headers and extra scopes", async (t) => {
  const app = await certApp(t);
  const now = await t.emulator.clock.now();
  const base = { aud: app.url, sub: app.clientId, now };
  const sha1 = app.cert.x5t;
  const sha256 = app.cert.x5tS256;
  const variants: [string, Record<string, unknown>, Record<string, unknown>?][] = [
    ["x5t base64url, no padding (entra-edge, msal-node)", { x5t: sha1 }],
    ["x5t base64url with padding (MSAL for Python)", { x5t: pad(sha1) }],
    ["x5t standard base64 with padding", { x5t: pad(toStd(sha1)) }],
    ["x5t#S256 without x5t", { x5t: undefined, "x5t#S256": sha256 }],
    ["x5t#S256 with padding", { x5t: undefined, "x5t#S256": pad(sha256) }],
    ["PS256 with x5t#S256", { alg: "PS256", x5t: undefined, "x5t#S256": sha256 }],
    ["PS256 with x5t", { alg: "PS256" }],
    ["no nbf (MSAL for Python)", {}, { nbf: undefined }],
    ["x5c: the leaf", { x5c: [btoa(String.fromCharCode(...app.cert.der))] }],
  ];
  for (const [name, header, payload] of variants) {
    const answer = await post(fetch, app.url, assertionForm(app, await assertion(app.cert, base, header, payload ?? {}), `${GRAPH} openid profile offline_access`), {
      "x-client-SKU": "MSAL.Python",
      "x-client-Ver": "1.21.0",
      "x-client-OS": "linux",
      "x-client-CPU": "x64",
      "x-ms-lib-capability": "retry-after, h429",
      "client-request-id": crypto.randomUUID(),
    });
    equal(answer.status, 200, `${name}: ${answer.text.slice(0, 300)}`);
    equal((await t.emulator.verifyAccessToken(answer.body.access_token)).appidacr, "2", name);
  }
  const log = (await t.emulator.requests()).filter((r) => r.clientId === app.clientId);
  equal(log.length, variants.length);
  equal(log[1]!.assertion!.header.x5t, pad(sha1), "the padded x5t arrived as sent");
  equal(log[0]!.headers["x-client-sku"], "MSAL.Python");
});

test("emulator (Entra refuses): a certificate outside its validity gets AADSTS700027 'The key used is expired' / 'not yet valid' with the key's dates; the clock and a registered validity decide", async (t) => {
  restoreClock(t);
  const expired = await certApp(t, await createTestCertificate({ notBefore: "2020-01-01T00:00:00Z", notAfter: "2021-01-01T00:00:00Z" }));
  const now = await t.emulator.clock.now();
  const answer = await post(fetch, expired.url, assertionForm(expired, await assertion(expired.cert, { aud: expired.url, sub: expired.clientId, now })));
  refused(answer, 700027, new RegExp(`The key used is expired\\., Thumbprint of key used by client: '${expired.cert.sha1Thumbprint}', Found key 'Start=01/01/2020 00:00:00, End=01/01/2021 00:00:00'`));
  match(answer.body.error_description, /^AADSTS700027: Client assertion contains an invalid signature\. \[Reason - /);

  const future = await certApp(t, await createTestCertificate({ notBefore: now + 2 * DAY, notAfter: now + 400 * DAY }));
  refused(await post(fetch, future.url, assertionForm(future, await assertion(future.cert, { aud: future.url, sub: future.clientId, now }))), 700027, /The key used is not yet valid\./);

  // A certificate valid for 30 days: its key credential ends when the certificate does…
  const valid = await certApp(t);
  const fresh = async () => post(fetch, valid.url, assertionForm(valid, await assertion(valid.cert, { aud: valid.url, sub: valid.clientId, now: await t.emulator.clock.now() })));
  equal((await fresh()).status, 200);
  await t.emulator.clock.advance(31 * DAY);
  refused(await fresh(), 700027, /The key used is expired/);
  await t.emulator.clock.set(valid.cert.notBefore.getTime() - 60_000);
  refused(await fresh(), 700027, /not yet valid/);
  await t.emulator.clock.reset();
  equal((await fresh()).status, 200, "back to real time: accepted again");

  // …unless the registration says otherwise (the key credential's own end date).
  await t.emulator.addApp({ tenantId: valid.tenantId, clientId: valid.clientId, certificates: [{ certificate: valid.cert.certificatePem, expiresOn: new Date(now - 60_000) }] });
  refused(await fresh(), 700027, /The key used is expired/);
  await t.emulator.addApp({ tenantId: valid.tenantId, clientId: valid.clientId, certificates: [{ certificate: valid.cert.certificatePem, startsOn: now - DAY, expiresOn: now + DAY }] });
  equal((await fresh()).status, 200);
}, { timeoutMs: 30_000 });

test("emulator (Entra refuses): a secret past its end date gets AADSTS7000222; a wrong one 7000215; the clock decides", async (t) => {
  restoreClock(t);
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  const now = await t.emulator.clock.now();
  await t.emulator.addApp({
    tenantId,
    clientId,
    secrets: [{ value: "old-secret-value", expiresOn: new Date(now - DAY).toISOString() }, { value: "current-secret-value", expiresOn: now + 30 * DAY }, "forever-secret-value"],
  });
  const url = `${t.emulatorUrl}/${tenantId}/oauth2/v2.0/token`;
  const ask = (secret: string) => post(fetch, url, { client_id: clientId, grant_type: "client_credentials", scope: GRAPH, client_secret: secret });
  const old = await ask("old-secret-value");
  refused(old, 7000222, new RegExp(`^AADSTS7000222: The provided client secret keys for app '${clientId}' are expired\\. Visit the Azure portal to create new keys for your app: https://aka\\.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka\\.ms/certCreds\\.`));
  equal(old.body.error, "invalid_client");
  ok(!old.text.includes("old-secret-value"), "the secret is not echoed");
  equal((await ask("current-secret-value")).status, 200);
  refused(await ask("not-registered"), 7000215);
  await t.emulator.clock.advance(31 * DAY);
  refused(await ask("current-secret-value"), 7000222);
  equal((await ask("forever-secret-value")).status, 200, "a secret without an end date does not expire");
  // The library's own error says so.
  const credential = new t.lib.ClientSecretCredential(tenantId, clientId, "current-secret-value", { authorityHost: t.emulatorUrl, retryOptions: { maxRetries: 0 } });
  await rejects(credential.getToken(GRAPH), { name: "AuthenticationError", message: /AADSTS7000222/ });
});

test("emulator (Entra refuses): assertion exp passed or nbf ahead (beyond 5 minutes of skew) get AADSTS700024 with Entra's times; a wrong aud 700023", async (t) => {
  restoreClock(t);
  const app = await certApp(t, await createTestCertificate({ notBefore: "2020-01-01T00:00:00Z", notAfter: "2040-01-01T00:00:00Z" }));
  await t.emulator.clock.set("2027-03-01T12:00:00Z");
  const now = Date.parse("2027-03-01T12:00:00Z");
  const sec = Math.floor(now / 1000);
  const base = { aud: app.url, sub: app.clientId, now };
  const late = await post(fetch, app.url, assertionForm(app, await assertion(app.cert, base, {}, { nbf: undefined, exp: sec - 400 })));
  refused(late, 700024, /^AADSTS700024: Client assertion is not within its valid time range\. Current time: 2027-03-01T12:00:\d\d\.\d{7}Z, assertion valid from 1970-01-01T00:00:00\.0000000Z, expiry time of assertion 2027-03-01T11:53:20\.0000000Z\. Review the documentation at https:\/\/learn\.microsoft\.com\/entra\/identity-platform\/certificate-credentials \./);
  const early = await post(fetch, app.url, assertionForm(app, await assertion(app.cert, base, {}, { nbf: sec + 400, exp: sec + 900 })));
  refused(early, 700024, /assertion valid from 2027-03-01T12:06:40\.0000000Z, expiry time of assertion 2027-03-01T12:15:00\.0000000Z/);
  equal((await post(fetch, app.url, assertionForm(app, await assertion(app.cert, base, {}, { nbf: sec + 200, exp: sec + 900 })))).status, 200, "nbf within the skew");
  equal((await post(fetch, app.url, assertionForm(app, await assertion(app.cert, base, {}, { nbf: sec - 900, exp: sec - 200 })))).status, 200, "exp within the skew");
  refused(await post(fetch, app.url, assertionForm(app, await assertion(app.cert, base, {}, { exp: undefined }))), 50027, /'exp' claim/);
  refused(await post(fetch, app.url, assertionForm(app, await assertion(app.cert, { ...base, aud: `${t.emulatorUrl}/other-tenant/oauth2/v2.0/token` }))), 700023, /Client assertion audience claim does not match Realm issuer\./);
  equal((await post(fetch, app.url, assertionForm(app, await assertion(app.cert, { ...base, aud: app.url.toUpperCase().replace("HTTP", "http") })))).status, 200, "aud compared case-insensitively");
  const log = (await t.emulator.requests()).filter((r) => r.clientId === app.clientId);
  equal(log[0]!.time >= now && log[0]!.time < now + 60_000, true, "the request log uses the emulator's clock");
  match(late.body.timestamp, /^2027-03-01 12:00:\d\dZ$/, "so do error timestamps");
});

test("emulator clock: issued iat/nbf/exp follow it, expires_in/refresh_in do not change, verifyAccessToken reads it — through connectEmulator on every runtime", async (t) => {
  restoreClock(t);
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, secrets: ["clock-secret-value"], expiresIn: 3600, refreshIn: 1800, claims: { roles: ["Reader"] } });
  const url = `${t.emulatorUrl}/${tenantId}/oauth2/v2.0/token`;
  const ask = () => post(fetch, url, { client_id: clientId, grant_type: "client_credentials", scope: GRAPH, client_secret: "clock-secret-value" });
  await t.emulator.clock.set(new Date("2031-06-01T00:00:00Z"));
  const emulatorNow = await t.emulator.clock.now();
  atLeast(emulatorNow, Date.parse("2031-06-01T00:00:00Z"));
  atMost(emulatorNow, Date.parse("2031-06-01T00:01:00Z"));
  const answer = await ask();
  equal(answer.status, 200, answer.text);
  equal(answer.body.expires_in, 3600);
  equal(answer.body.refresh_in, 1800);
  const claims = await t.emulator.verifyAccessToken(answer.body.access_token);
  atLeast(Number(claims.iat), Date.parse("2031-06-01T00:00:00Z") / 1000);
  equal(Number(claims.exp) - Number(claims.iat), 3600);
  equal(claims.nbf, claims.iat);
  deepEqual(claims.roles, ["Reader"], "the app's claims are in its tokens");
  await t.emulator.clock.advance(3601_000);
  await rejects(async () => (t.emulator.verifyAccessToken(answer.body.access_token)), { message: /expired/ });
  await t.emulator.clock.advance(-3601_000);
  ok(await t.emulator.verifyAccessToken(answer.body.access_token));
  await rejects(async () => (t.emulator.clock.set("not a date")), { name: "TypeError", message: /ISO 8601/ });
  await rejects(async () => (t.emulator.clock.advance(Number.NaN)), { name: "TypeError" });
  await t.emulator.clock.reset();
  atMost(Math.abs((await t.emulator.clock.now()) - Date.now()), 60_000);
});

test("emulator federated credentials: the emulator's own issuer signs tokens accepted for a matching { issuer, subject, audience }; Entra's codes for every mismatch", async (t) => {
  restoreClock(t);
  const name = t.id("k8s").replace(/[^A-Za-z0-9._~-]/g, "");
  const issuer = await t.emulator.issuerUrl(name);
  equal(issuer, `${t.emulatorUrl}/issuer/${name}`);
  const subject = "system:serviceaccount:default:workload";
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, federatedCredentials: [{ issuer, subject }, { issuer, subject: "repo:Contoso/App:ref:refs/heads/main", audiences: ["api://custom"] }] });
  const url = `${t.emulatorUrl}/${tenantId}/oauth2/v2.0/token`;
  const exchange = (jwt: string) => post(fetch, url, assertionForm({ clientId }, jwt));

  const good = await t.emulator.issueExternalToken({ issuer: name, subject });
  const external = payloadOf(good);
  equal(external.iss, issuer);
  equal(external.aud, "api://AzureADTokenExchange", "the default audience of a federated credential");
  const ok1 = await exchange(good);
  equal(ok1.status, 200, ok1.text);
  const claims = await t.emulator.verifyAccessToken(ok1.body.access_token);
  equal(claims.appid, clientId);
  equal(claims.appidacr, "2");
  const [record] = (await t.emulator.requests()).filter((r) => r.clientId === clientId);
  equal(record!.clientAuth, "federated");
  equal(record!.assertion!.payload.sub, subject);

  // The issuer's discovery and keys, as a real OIDC issuer serves them.
  const discovery = await get(fetch, `${issuer}/.well-known/openid-configuration`);
  equal(discovery.body.issuer, issuer);
  equal(discovery.body.jwks_uri, `${issuer}/keys`);
  const keys = await get(fetch, discovery.body.jwks_uri);
  const kid = JSON.parse(atob(pad(toStd(good.split(".")[0]!)))).kid;
  ok(keys.body.keys.some((k: { kid: string }) => k.kid === kid), "the token's kid is in the issuer's JWKS");

  // Through the library, as WorkloadIdentityCredential-style code would.
  const credential = new t.lib.ClientAssertionCredential(tenantId, clientId, () => t.emulator.issueExternalToken({ issuer: name, subject }), { authorityHost: t.emulatorUrl });
  equal((await t.emulator.verifyAccessToken((await credential.getToken(GRAPH)).token)).appid, clientId);

  const other = `${issuer}-other`;
  refused(await exchange(await t.emulator.issueExternalToken({ issuer: `${name}-other`, subject })), 700211, new RegExp(`presented assertion issuer '${other.replace(/[.]/g, "\\.")}'\\. Please note that the matching is done using a case-sensitive comparison\\.`));
  refused(await exchange(await t.emulator.issueExternalToken({ issuer: issuer.replace("/issuer/", "/ISSUER/"), subject })), 700211, undefined);
  refused(await exchange(await t.emulator.issueExternalToken({ issuer: name, subject: "system:serviceaccount:default:other" })), 700213, /presented assertion subject 'system:serviceaccount:default:other'\. Check your federated identity credential Subject, Audience and Issuer/);
  refused(await exchange(await t.emulator.issueExternalToken({ issuer: name, subject: "repo:contoso/app:ref:refs/heads/main", audience: "api://custom" })), 7002138, /matches with case-insensitive comparison, but not with case-sensitive comparison/);
  refused(await exchange(await t.emulator.issueExternalToken({ issuer: name, subject, audience: "api://wrong" })), 700212, /presented assertion audience 'api:\/\/wrong'/);
  equal((await exchange(await t.emulator.issueExternalToken({ issuer: name, subject: "repo:Contoso/App:ref:refs/heads/main", audience: ["api://other", "api://custom"] }))).status, 200, "one of several audiences");
  refused(await exchange(await t.emulator.issueExternalToken({ issuer: name, subject, expiresIn: -600 })), 700024);
  const [h, p, s] = good.split(".") as [string, string, string];
  refused(await exchange(`${h}.${json64({ ...external, sub: subject, jti: "changed" })}.${s}`), 50013, /signature/);
  refused(await exchange(`${json64({ alg: "RS256", kid: "not-a-key" })}.${p}.${s}`), 7000272, new RegExp(`identifier not-a-key used to sign the federated credential could not be found in the metadata of identity provider ${issuer.replace(/[.]/g, "\\.")}`));
  refused(await exchange(ok1.body.access_token), 700222, /AAD-issued tokens may not be used for federated identity flows/, 400);
  // An hour later the token has expired (the emulator's clock).
  await t.emulator.clock.advance(3600_000 + 301_000);
  refused(await exchange(good), 700024);
}, { timeoutMs: 30_000 });

test("emulator federated credentials: keys from the issuer's discovery document (fetched), from registered JWKS, and AADSTS90061 when the issuer cannot be reached", async () => {
  const idp = new EntraEmulator({ publicUrl: "https://idp.example/" });
  const seen: string[] = [];
  const emu = new EntraEmulator({
    fetch: (input, init) => {
      const request = new Request(input, init);
      seen.push(request.url);
      return request.url.startsWith("https://idp.example/") ? idp.fetch(request) : Promise.reject(new TypeError("fetch failed"));
    },
  });
  const issuer = idp.issuerUrl("ci");
  equal(issuer, "https://idp.example/issuer/ci");
  emu.addApp({ tenantId: "t", clientId: "fetched", federatedCredentials: [{ issuer, subject: "job" }] });
  emu.addApp({ tenantId: "t", clientId: "unreachable", federatedCredentials: [{ issuer: "https://down.example/issuer/ci", subject: "job" }] });
  const jwks = (await (await idp.fetch("https://idp.example/issuer/ci/keys")).json()) as { keys: JsonWebKey[] };
  emu.addApp({ tenantId: "t", clientId: "registered", federatedCredentials: [{ issuer: "https://offline.example/issuer/ci", subject: "job", jwks }] });
  const otherKeys = (await (await new EntraEmulator({ publicUrl: "https://x.example" }).fetch("https://x.example/issuer/ci/keys")).json()) as { keys: JsonWebKey[] };
  emu.addApp({ tenantId: "t", clientId: "wrong-keys", federatedCredentials: [{ issuer, subject: "job", jwks: otherKeys }] });
  const url = "http://127.0.0.1/t/oauth2/v2.0/token";
  const exchange = (clientId: string, jwt: string) => post(emu.fetch, url, assertionForm({ clientId }, jwt));

  const answer = await exchange("fetched", await idp.issueExternalToken({ issuer: "ci", subject: "job" }));
  equal(answer.status, 200, answer.text);
  deepEqual(seen, ["https://idp.example/issuer/ci/.well-known/openid-configuration", "https://idp.example/issuer/ci/keys"], "discovery, then jwks_uri");
  equal((await exchange("fetched", await idp.issueExternalToken({ issuer: "ci", subject: "job" }))).status, 200);
  equal(seen.length, 2, "the keys are cached");
  refused(await exchange("unreachable", await idp.issueExternalToken({ issuer: "https://down.example/issuer/ci", subject: "job" })), 90061, /Request to External OIDC endpoint failed\./, 400);
  equal((await exchange("registered", await idp.issueExternalToken({ issuer: "https://offline.example/issuer/ci", subject: "job" }))).status, 200, "registered keys: nothing fetched");
  refused(await exchange("wrong-keys", await idp.issueExternalToken({ issuer: "ci", subject: "job" })), 7000272);
  await rejects(async () => new EntraEmulator().issuerUrl("x"), { name: "TypeError", message: /serveEmulator\(\), or create it with \{ publicUrl \}/ });
  await rejects(async () => idp.issuerUrl("bad/name"), { name: "TypeError" });
});

test("emulator workloads: GitHub-Actions-style ID tokens from /issuer/{name}/token with a bearer request token, accepted by a federated credential", async (t) => {
  const name = t.id("gh").replace(/[^A-Za-z0-9._~-]/g, "");
  const subject = "repo:contoso/app:environment:prod";
  await t.emulator.addWorkload({ issuer: name, subject, requestToken: "request-token-value", claims: { repository: "contoso/app" } });
  const issuer = await t.emulator.issuerUrl(name);
  const tokenUrl = `${issuer}/token`;
  const answer = await get(fetch, `${tokenUrl}?api-version=2.0&audience=${encodeURIComponent("api://AzureADTokenExchange")}`, { authorization: "Bearer request-token-value" });
  equal(answer.status, 200, answer.text);
  const claims = payloadOf(answer.body.value);
  equal(claims.iss, issuer);
  equal(claims.sub, subject);
  equal(claims.aud, "api://AzureADTokenExchange");
  equal(claims.repository, "contoso/app");
  atMost(Number(claims.exp) - Number(claims.iat), 300);
  equal((await get(fetch, tokenUrl, { authorization: "Bearer wrong" })).status, 401);
  equal((await get(fetch, tokenUrl)).status, 401);
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, federatedCredentials: [{ issuer, subject }] });
  const exchanged = await post(fetch, `${t.emulatorUrl}/${tenantId}/oauth2/v2.0/token`, assertionForm({ clientId }, answer.body.value));
  equal(exchanged.status, 200, exchanged.text);
});

test("emulator forgeToken + JWKS: a jose resource server (the README example) verifies issued and forged tokens from /{tenant}/discovery/v2.0/keys and refuses expired, foreign and wrong-audience ones", async (t) => {
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, secrets: ["api-secret-value"], claims: { roles: ["Reader"] } });
  const api = protectedApi(t.emulatorUrl, tenantId, "api://my-api");
  const call = (token: string) => api(new Request("http://api.local/items", { headers: { authorization: `Bearer ${token}` } }));

  const issued = await new t.lib.ClientSecretCredential(tenantId, clientId, "api-secret-value", { authorityHost: t.emulatorUrl }).getToken("api://my-api/.default");
  const okAnswer = await call(issued.token);
  equal(okAnswer.status, 200, await okAnswer.clone().text());
  deepEqual(await okAnswer.json(), { app: clientId, roles: ["Reader"] });

  const admin = await t.emulator.forgeToken({ tenantId, clientId: "forged-app", audience: "api://my-api", claims: { roles: ["Reader", "Admin"] } });
  equal((await call(admin)).status, 200);
  equal((await call(await t.emulator.forgeToken({ tenantId, audience: "api://my-api" }))).status, 403, "no role");
  const expired = await call(await t.emulator.forgeToken({ tenantId, audience: "api://my-api", expiresIn: -120, claims: { roles: ["Reader"] } }));
  equal(expired.status, 401);
  match(await expired.text(), /exp/);
  equal((await call(await t.emulator.forgeToken({ tenantId, audience: "api://other", claims: { roles: ["Reader"] } }))).status, 401, "wrong audience");
  equal((await call(await t.emulator.forgeToken({ tenantId: "someone-else", audience: "api://my-api", claims: { roles: ["Reader"] } }))).status, 401, "wrong issuer");
  const foreign = await new EntraEmulator().forgeToken({ tenantId, audience: "api://my-api", claims: { roles: ["Reader"] } });
  equal((await call(foreign)).status, 401, "signed by another emulator's key");

  const keys = await get(fetch, `${t.emulatorUrl}/${tenantId}/discovery/v2.0/keys`);
  const [jwk] = keys.body.keys;
  equal(jwk.kty, "RSA");
  equal(jwk.alg, "RS256");
  equal(jwk.use, "sig");
  equal(jwk.kid, jwk.x5t, "kid is the certificate's SHA-1 thumbprint, as Entra's");
  equal(jwk.x5c.length, 1);
  const der = Uint8Array.from(atob(jwk.x5c[0]), (c) => c.charCodeAt(0));
  equal(b64url(new Uint8Array(await crypto.subtle.digest("SHA-1", der))), jwk.kid, "x5t = SHA-1 of the x5c certificate");
  await rejects(async () => (t.emulator.forgeToken({ tenant: "typo" } as never)), { name: "TypeError", message: /unknown option 'tenant'/ });
});

test("emulator discovery: openid-configuration and instance discovery carry the public URL, shaped like Entra's; an unknown instance gets invalid_instance", async () => {
  const emu = new EntraEmulator({ publicUrl: "https://login.test.example:8443" });
  emu.addApp({ tenantId: "contoso", clientId: "app", secrets: ["s"] });
  const config = await get(emu.fetch, "http://127.0.0.1:4000/contoso/v2.0/.well-known/openid-configuration");
  equal(config.body.issuer, "https://login.test.example:8443/contoso/v2.0");
  equal(config.body.token_endpoint, "https://login.test.example:8443/contoso/oauth2/v2.0/token");
  equal(config.body.jwks_uri, "https://login.test.example:8443/contoso/discovery/v2.0/keys");
  equal(config.body.cloud_instance_name, "login.test.example:8443");
  const instance = await get(emu.fetch, `http://127.0.0.1:4000/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent("https://login.test.example:8443/contoso/oauth2/v2.0/authorize")}`);
  equal(instance.status, 200);
  deepEqual(instance.body, {
    tenant_discovery_endpoint: "https://login.test.example:8443/contoso/v2.0/.well-known/openid-configuration",
    "api-version": "1.1",
    metadata: [{ preferred_network: "login.test.example:8443", preferred_cache: "login.test.example:8443", aliases: ["login.test.example:8443"] }],
  });
  const unknown = await get(emu.fetch, `http://127.0.0.1:4000/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent("https://elsewhere.example/contoso/oauth2/v2.0/authorize")}`);
  equal(unknown.status, 400);
  equal(unknown.body.error, "invalid_instance");
  deepEqual(unknown.body.error_codes, [50049]);
  // The accepted assertion audience is the public token endpoint too.
  const cert = await createTestCertificate();
  emu.addApp({ tenantId: "contoso", clientId: "cert-app", certificates: [cert.certificatePem] });
  const jwt = await assertion(cert, { aud: config.body.token_endpoint, sub: "cert-app", now: Date.now() });
  equal((await post(emu.fetch, "http://127.0.0.1:4000/contoso/oauth2/v2.0/token", assertionForm({ clientId: "cert-app" }, jwt))).status, 200);
  await rejects(async () => new EntraEmulator({ publicUrl: "ftp://x" }), { name: "TypeError" });
  await rejects(async () => new EntraEmulator({ controll: true } as never), { name: "TypeError", message: /unknown option 'controll'/ });
});

test("emulator control API: browser requests are refused (cross-origin Origin, Sec-Fetch-Site, non-JSON bodies); request bodies are size-limited on the control API and the token endpoint", async (t) => {
  const emu = new EntraEmulator({ control: true });
  const call = (headers: Record<string, string>, body = "[]") => emu.fetch("http://127.0.0.1:4000/__emulator/requests", { method: "POST", headers, body });
  equal((await call({ "content-type": "application/json" })).status, 200, "connectEmulator's request");
  equal((await call({ "content-type": "application/json", origin: "http://127.0.0.1:4000" })).status, 200, "same origin");
  const browserLike: Record<string, string>[] = [
    { "content-type": "application/json", origin: "https://evil.example" },
    { "content-type": "application/json", "sec-fetch-site": "cross-site" },
    { "content-type": "application/json", "sec-fetch-site": "same-site" },
    { "content-type": "text/plain" },
    {},
  ];
  for (const headers of browserLike) {
    const answer = await call(headers);
    equal(answer.status, 403, JSON.stringify(headers));
    match(((await answer.json()) as { error: string }).error, /refused/);
  }
  const huge = await call({ "content-type": "application/json" }, `[${"0,".repeat(4_500_000)}0]`);
  equal(huge.status, 413);
  // The token endpoint: 256 KiB, in-process and over HTTP.
  emu.addApp({ tenantId: "t", clientId: "c", secrets: ["s"] });
  const big = new URLSearchParams({ client_id: "c", client_secret: "s", grant_type: "client_credentials", scope: GRAPH, padding: "x".repeat(300_000) });
  equal((await emu.fetch("http://127.0.0.1/t/oauth2/v2.0/token", { method: "POST", body: big })).status, 413);
  const app = { tenantId: t.id("tenant"), clientId: t.id("client") };
  await t.emulator.addApp({ ...app, secrets: ["s"] });
  const overHttp = await fetch(`${t.emulatorUrl}/${app.tenantId}/oauth2/v2.0/token`, { method: "POST", body: new URLSearchParams({ client_id: app.clientId, client_secret: "s", grant_type: "client_credentials", scope: GRAPH, padding: "x".repeat(300_000) }) });
  equal(overHttp.status, 413);
  await overHttp.body?.cancel();
  equal((await t.emulator.requests()).find((r) => r.tenantId === app.tenantId)?.status, 413, "logged (without its fields: the body was not read)");
  // connectEmulator still works (JSON, no Origin), with the new methods.
  const remote = connectEmulator("http://127.0.0.1:4000", { fetch: emu.fetch });
  await remote.clock.set(Date.parse("2030-01-01T00:00:00Z"));
  atLeast(await remote.clock.now(), Date.parse("2030-01-01T00:00:00Z"));
  equal(await remote.issuerUrl("x"), "http://127.0.0.1:4000/issuer/x", "a served-elsewhere emulator names its issuer from the control request's origin");
  match(await remote.forgeToken({ audience: "api://x" }), /^eyJ/);
  await remote.reset();
  atMost(Math.abs((await remote.clock.now()) - Date.now()), 60_000, "reset puts the clock back");
});

test("emulator addApp: plain-JS mistakes are TypeErrors naming the field (a misspelt key, a secret without a value, a bad date, a federated credential without a subject)", async (t) => {
  const emu = new EntraEmulator();
  const cases: [unknown, RegExp][] = [
    [{ tenantId: "t", clientId: "c", secret: "x" }, /unknown field 'secret'/],
    [{ tenantId: "t", clientId: "c", secrets: [{ secret: "x" }] }, /a secret has an unknown field 'secret'/],
    [{ tenantId: "t", clientId: "c", secrets: [{ value: "x", expiresOn: "next tuesday" }] }, /secret expiresOn must be a Date/],
    [{ tenantId: "t", clientId: "c", secrets: "x" }, /secrets must be an array/],
    [{ tenantId: "t", clientId: "c", federatedCredentials: [{ issuer: "https://x" }] }, /needs a subject/],
    [{ tenantId: "t", clientId: "c", federatedCredentials: [{ issuer: "https://x", subject: "s", audience: "a" }] }, /unknown field 'audience'/],
    [{ tenantId: "t", clientId: "c", certificates: [{ cert: "x" }] }, /unknown field 'cert'/],
    [{ tenantId: "t", clientId: "c", expiresIn: "3600" }, /expiresIn must be a number of seconds/],
  ];
  for (const [app, message] of cases) await rejects(async () => emu.addApp(app as never), { name: "TypeError", message });
  await rejects(async () => (t.emulator.addApp({ tenantId: "t", clientId: "c", secret: "x" } as never)), { name: "TypeError", message: /unknown field 'secret'/ });
});
