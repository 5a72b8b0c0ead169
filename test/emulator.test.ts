/**
 * The local Entra emulator: token endpoint checks and errors, issued tokens, the request log,
 * faults over real HTTP, discovery documents and the control API. Portable: raw fetch + WebCrypto.
 */
import { EntraEmulator } from "../src/testing/emulator.ts";
import { connectEmulator } from "../src/testing/remote.ts";
import type { EmulatorControl } from "../src/testing/types.ts";
import { atLeast, atMost, deepEqual, equal, match, notEqual, notIncludes, ok, rejects } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const GRAPH = "https://graph.microsoft.com/.default";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface App {
  tenantId: string;
  clientId: string;
  secret: string;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // deno-lint-ignore no-explicit-any
  body: any;
  ms: number;
}

async function registerApp(t: TestContext, control: EmulatorControl = t.emulator, extra: Record<string, unknown> = {}): Promise<App> {
  const app = { tenantId: t.id("tenant"), clientId: t.id("client"), secret: `emu-secret-${t.id("s")}~Q.x` };
  await control.addApp({ tenantId: app.tenantId, clientId: app.clientId, secrets: [app.secret], ...extra });
  return app;
}

/** The usual secret request; `undefined` values remove a parameter. */
function form(app: App, overrides: Record<string, string | undefined> = {}): URLSearchParams {
  const fields: Record<string, string | undefined> = {
    client_id: app.clientId,
    scope: GRAPH,
    grant_type: "client_credentials",
    client_secret: app.secret,
    ...overrides,
  };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) params.set(k, v);
  return params;
}

function tokenUrl(base: string, tenant: string): string {
  return `${base}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
}

type Send = (request: Request) => Promise<Response>;

const overHttp: Send = (request) => fetch(request);

async function send(
  sendFn: Send,
  url: string,
  body?: BodyInit,
  init: { method?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Answer> {
  const started = Date.now();
  const response = await sendFn(
    new Request(url, { method: init.method ?? "POST", headers: init.headers, body: init.method === "GET" ? undefined : body, signal: init.signal }),
  );
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed, ms: Date.now() - started };
}

function b64url(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fakeJwt(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${b64url(header)}.${b64url(payload)}.c2lnbmF0dXJl`;
}

function decodePart(jwt: string, index: number): Record<string, unknown> {
  const part = (jwt.split(".")[index] ?? "").replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(part + "=".repeat((4 - (part.length % 4)) % 4));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

/** Checks an Entra error answer: status, `error`, `error_codes`, the AADSTS prefix and the trace fields. */
function expectEntraError(answer: Answer, status: number, error: string, code: number, correlationId?: string): void {
  equal(answer.status, status, `status of ${answer.text.slice(0, 120)}`);
  match(answer.headers.get("content-type") ?? "", /^application\/json; charset=utf-8$/, "content-type");
  const body = answer.body;
  ok(body, "a JSON body");
  equal(body.error, error, "error");
  deepEqual(body.error_codes, [code], "error_codes");
  match(body.error_description, new RegExp(`^AADSTS${code}: `), "error_description");
  match(body.error_description, /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  match(body.timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/, "timestamp");
  match(body.trace_id, UUID, "trace_id");
  match(body.correlation_id, UUID, "correlation_id");
  equal(body.error_uri, `https://login.microsoftonline.com/error?code=${code}`, "error_uri");
  equal(answer.headers.get("x-ms-request-id"), body.trace_id, "x-ms-request-id");
  if (correlationId) {
    equal(body.correlation_id, correlationId, "correlation_id echoes client-request-id");
    equal(answer.headers.get("client-request-id"), correlationId, "client-request-id header echoed");
  }
}

interface ErrorCase {
  name: string;
  tenant?: "unknown";
  method?: string;
  contentType?: string;
  params: (app: App) => URLSearchParams | string;
  status: number;
  error: string;
  code: number;
  description?: RegExp;
}

const ERROR_CASES: ErrorCase[] = [
  { name: "GET", method: "GET", params: (a) => form(a), status: 405, error: "invalid_request", code: 900561 },
  { name: "unknown tenant", tenant: "unknown", params: (a) => form(a), status: 400, error: "invalid_request", code: 90002, description: /Tenant '.*' not found/ },
  { name: "no client_id", params: (a) => form(a, { client_id: undefined }), status: 400, error: "invalid_request", code: 900144, description: /parameter: 'client_id'\./ },
  { name: "no grant_type", params: (a) => form(a, { grant_type: undefined }), status: 400, error: "invalid_request", code: 900144, description: /'grant_type'/ },
  { name: "password grant", params: (a) => form(a, { grant_type: "password" }), status: 400, error: "unsupported_grant_type", code: 70003 },
  { name: "unknown client", params: (a) => form(a, { client_id: "nobody" }), status: 400, error: "unauthorized_client", code: 700016, description: /'nobody' was not found in the directory/ },
  { name: "no scope", params: (a) => form(a, { scope: undefined }), status: 400, error: "invalid_request", code: 900144, description: /'scope'/ },
  { name: "scope without /.default", params: (a) => form(a, { scope: "User.Read" }), status: 400, error: "invalid_scope", code: 1002012 },
  { name: "two resources", params: (a) => form(a, { scope: `${GRAPH} https://management.azure.com/.default` }), status: 400, error: "invalid_scope", code: 70011 },
  { name: "no credential", params: (a) => form(a, { client_secret: undefined }), status: 401, error: "invalid_client", code: 7000218 },
  { name: "wrong secret", params: (a) => form(a, { client_secret: "nope" }), status: 401, error: "invalid_client", code: 7000215, description: /for a secret added to app 'client-/ },
  {
    name: "secret and assertion",
    params: (a) => form(a, { client_assertion_type: JWT_BEARER, client_assertion: fakeJwt({ alg: "RS256" }, {}) }),
    status: 400,
    error: "invalid_request",
    code: 9002313,
  },
  {
    name: "wrong client_assertion_type",
    params: (a) => form(a, { client_secret: undefined, client_assertion_type: "urn:x", client_assertion: fakeJwt({ alg: "RS256" }, {}) }),
    status: 400,
    error: "invalid_request",
    code: 90011,
  },
  {
    name: "malformed assertion",
    params: (a) => form(a, { client_secret: undefined, client_assertion_type: JWT_BEARER, client_assertion: "not-a-jwt" }),
    status: 401,
    error: "invalid_client",
    code: 50027,
  },
  {
    name: "assertion alg HS256",
    params: (a) => form(a, { client_secret: undefined, client_assertion_type: JWT_BEARER, client_assertion: fakeJwt({ alg: "HS256", x5t: "AAAA" }, {}) }),
    status: 401,
    error: "invalid_client",
    code: 5002738,
  },
  {
    name: "assertion without thumbprint",
    params: (a) => form(a, { client_secret: undefined, client_assertion_type: JWT_BEARER, client_assertion: fakeJwt({ alg: "RS256" }, {}) }),
    status: 401,
    error: "invalid_client",
    code: 700027,
  },
  {
    name: "assertion with an unknown thumbprint",
    params: (a) =>
      form(a, { client_secret: undefined, client_assertion_type: JWT_BEARER, client_assertion: fakeJwt({ alg: "RS256", x5t: "3q2-7w" }, {}) }),
    status: 401,
    error: "invalid_client",
    code: 700027,
    description: /The key was not found\., Thumbprint of key used by client: 'DEADBEEF'/,
  },
  { name: "malformed claims", params: (a) => form(a, { claims: "{not json" }), status: 400, error: "invalid_request", code: 9002313 },
  {
    name: "JSON body",
    contentType: "application/json",
    params: (a) => JSON.stringify(Object.fromEntries(form(a))),
    status: 400,
    error: "invalid_request",
    code: 900144,
    description: /'client_id'/,
  },
];

async function checkErrorCases(t: TestContext, control: EmulatorControl, sendFn: Send, base: string): Promise<void> {
  const app = await registerApp(t, control);
  for (const c of ERROR_CASES) {
    const correlationId = crypto.randomUUID();
    const tenant = c.tenant === "unknown" ? t.id("no-such-tenant") : app.tenantId;
    const params = c.params(app);
    const headers: Record<string, string> = { "client-request-id": correlationId };
    if (c.contentType) headers["content-type"] = c.contentType;
    const answer = await send(sendFn, tokenUrl(base, tenant), params, { method: c.method, headers });
    try {
      expectEntraError(answer, c.status, c.error, c.code, correlationId);
      if (c.description) match(answer.body.error_description, c.description, "description");
    } catch (e) {
      throw new Error(`case "${c.name}": ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const log = await control.requests();
  equal(log.length, ERROR_CASES.length, "every request was logged");
  deepEqual(
    log.map((r) => r.errorCode),
    ERROR_CASES.map((c) => c.code),
    "logged AADSTS codes",
  );
}

test("emulator: every token endpoint error over HTTP, with Entra's status, error, error_codes and echoed correlation id", async (t) => {
  await checkErrorCases(t, t.emulator, overHttp, t.emulatorUrl);
});

test("emulator: every token endpoint error in-process (emulator.fetch)", async (t) => {
  const emu = new EntraEmulator();
  await checkErrorCases(t, emu, emu.fetch, "http://127.0.0.1");
});

test("emulator: a new correlation id when the client sends no client-request-id", async (t) => {
  const app = await registerApp(t);
  const answer = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app, { client_secret: "wrong" }));
  expectEntraError(answer, 401, "invalid_client", 7000215);
  notEqual(answer.body.correlation_id, answer.body.trace_id);
  equal(answer.headers.get("client-request-id"), null);
  ok(!answer.text.includes("wrong"), "the wrong secret is not echoed");
});

test("emulator: a secret request gets a signed Entra-like app token", async (t) => {
  const app = await registerApp(t);
  const started = Math.floor(Date.now() / 1000);
  const answer = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app), { headers: { "client-request-id": "7b9d8c4e-0000-4000-8000-000000000001" } });
  equal(answer.status, 200, answer.text);
  match(answer.headers.get("content-type") ?? "", /^application\/json/);
  equal(answer.headers.get("client-request-id"), "7b9d8c4e-0000-4000-8000-000000000001");
  match(answer.headers.get("x-ms-request-id") ?? "", UUID);
  equal(answer.body.token_type, "Bearer");
  equal(answer.body.expires_in, 3599);
  equal(answer.body.ext_expires_in, 3599);
  equal("refresh_in" in answer.body, false, "no refresh_in unless configured");
  const claims = await t.emulator.verifyAccessToken(answer.body.access_token);
  equal(claims.aud, "https://graph.microsoft.com");
  equal(claims.tid, app.tenantId);
  equal(claims.appid, app.clientId);
  equal(claims.azp, app.clientId);
  equal(claims.iss, `https://sts.windows.net/${app.tenantId}/`);
  equal(claims.idtyp, "app");
  equal(claims.ver, "1.0");
  equal(claims.appidacr, "1");
  match(String(claims.oid), UUID);
  equal(claims.sub, claims.oid);
  equal(typeof claims.uti, "string");
  equal("roles" in claims, false);
  equal("xms_cc" in claims, false);
  atLeast(Number(claims.iat), started - 5);
  equal(Number(claims.exp) - Number(claims.iat), 3599);
  const header = decodePart(answer.body.access_token, 0);
  equal(header.alg, "RS256");
  equal(typeof header.kid, "string");
  // the same app gets the same oid
  const again = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app, { scope: "api://x/.default openid profile offline_access" }));
  equal(again.status, 200, again.text);
  const claims2 = await t.emulator.verifyAccessToken(again.body.access_token);
  equal(claims2.oid, claims.oid);
  equal(claims2.aud, "api://x", "OIDC scopes are ignored");
});

test("emulator: expires_in and refresh_in follow the app's settings", async (t) => {
  const app = await registerApp(t, t.emulator, { expiresIn: 7200, refreshIn: 3600 });
  const answer = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app));
  equal(answer.status, 200, answer.text);
  equal(answer.body.expires_in, 7200);
  equal(answer.body.ext_expires_in, 7200);
  equal(answer.body.refresh_in, 3600);
  const claims = await t.emulator.verifyAccessToken(answer.body.access_token);
  equal(Number(claims.exp) - Number(claims.iat), 7200);
});

test("emulator: CAE claims put xms_cc in the token and the claims in the log", async (t) => {
  const app = await registerApp(t);
  const claims = JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } });
  const answer = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app, { claims }));
  equal(answer.status, 200, answer.text);
  deepEqual((await t.emulator.verifyAccessToken(answer.body.access_token)).xms_cc, ["cp1"]);
  const other = JSON.stringify({ access_token: { nbf: { essential: true, value: "1700000000" } } });
  const plain = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app, { claims: other }));
  equal("xms_cc" in (await t.emulator.verifyAccessToken(plain.body.access_token)), false);
  const log = await t.emulator.requests();
  equal(log[0]?.claims, claims);
  equal(log[1]?.claims, other);
});

test("emulator: the request log records what was asked, never the secret or the assertion", async (t) => {
  const app = await registerApp(t);
  const headers = {
    "client-request-id": "11111111-2222-4333-8444-555555555555",
    "x-client-SKU": "entra-edge",
    "x-client-VER": "0.0.0-test",
    authorization: `Basic ${btoa(`${app.clientId}:${app.secret}`)}`,
  };
  // the secret in the Basic header only (a body client_secret as well is refused, as by Entra)
  await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app, { client_secret: undefined }), { headers });
  await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app, { client_secret: app.secret + "x" }));
  const assertion = fakeJwt({ alg: "RS256", typ: "JWT", x5t: "3q2-7w" }, { aud: "x", iss: app.clientId, sub: app.clientId, jti: "j-1" });
  await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app, { client_secret: undefined, client_assertion_type: JWT_BEARER, client_assertion: assertion }));
  const log = await t.emulator.requests();
  equal(log.length, 3);
  const [ok1, bad, asserted] = log;
  ok(ok1 && bad && asserted);
  equal(ok1.method, "POST");
  equal(ok1.path, `/${app.tenantId}/oauth2/v2.0/token`);
  equal(ok1.tenantId, app.tenantId);
  equal(ok1.clientId, app.clientId);
  equal(ok1.scope, GRAPH);
  equal(ok1.grantType, "client_credentials");
  equal(ok1.clientAuth, "secret");
  equal(ok1.status, 200);
  equal(ok1.errorCode, undefined);
  equal(ok1.headers["client-request-id"], headers["client-request-id"]);
  equal(ok1.headers["x-client-sku"], "entra-edge");
  equal(ok1.headers["x-client-ver"], "0.0.0-test");
  match(ok1.headers["content-type"] ?? "", /application\/x-www-form-urlencoded/);
  equal(ok1.headers.authorization, undefined, "the authorization header is not recorded");
  atLeast(ok1.time, Date.now() - 60_000);
  equal(bad.status, 401);
  equal(bad.errorCode, 7000215);
  equal(asserted.clientAuth, "assertion");
  equal(asserted.status, 401);
  equal(asserted.errorCode, 700027);
  deepEqual(asserted.assertion, {
    header: { alg: "RS256", typ: "JWT", x5t: "3q2-7w" },
    payload: { aud: "x", iss: app.clientId, sub: app.clientId, jti: "j-1" },
  });
  const text = JSON.stringify(log);
  notIncludes(text, app.secret, "secret");
  notIncludes(text, encodeURIComponent(app.secret), "secret (URL-encoded)");
  notIncludes(text, assertion, "raw assertion");
  notIncludes(text, btoa(`${app.clientId}:${app.secret}`), "basic credentials");
  // a copy: changing it does not change the emulator's log
  log.length = 0;
  equal((await t.emulator.requests()).length, 3);
});

test("emulator: JWKS and OpenID configuration describe the emulator, and the JWKS verifies its tokens", async (t) => {
  const app = await registerApp(t);
  const config = await send(overHttp, `${t.emulatorUrl}/${app.tenantId}/v2.0/.well-known/openid-configuration`, undefined, { method: "GET" });
  equal(config.status, 200, config.text);
  equal(config.body.token_endpoint, `${t.emulatorUrl}/${app.tenantId}/oauth2/v2.0/token`);
  equal(config.body.jwks_uri, `${t.emulatorUrl}/${app.tenantId}/discovery/v2.0/keys`);
  equal(config.body.issuer, `${t.emulatorUrl}/${app.tenantId}/v2.0`);
  equal(config.body.authorization_endpoint, `${t.emulatorUrl}/${app.tenantId}/oauth2/v2.0/authorize`);
  ok(config.body.token_endpoint_auth_methods_supported.includes("private_key_jwt"));
  const unknown = await send(overHttp, `${t.emulatorUrl}/${t.id("nope")}/v2.0/.well-known/openid-configuration`, undefined, { method: "GET" });
  expectEntraError(unknown, 400, "invalid_request", 90002);

  const keys = await send(overHttp, config.body.jwks_uri, undefined, { method: "GET" });
  equal(keys.status, 200);
  equal(keys.body.keys.length, 1);
  const jwk = keys.body.keys[0];
  equal(jwk.kty, "RSA");
  equal(jwk.use, "sig");
  equal(typeof jwk.kid, "string");
  equal(jwk.e, "AQAB");
  atLeast(jwk.n.length, 340); // 2048-bit modulus

  const token = (await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app))).body.access_token as string;
  equal(decodePart(token, 0).kid, jwk.kid);
  const key = await crypto.subtle.importKey("jwk", { kty: "RSA", n: jwk.n, e: jwk.e }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
  const [h, p, s] = token.split(".") as [string, string, string];
  const sig = Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
  ok(await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, sig, new TextEncoder().encode(`${h}.${p}`)), "JWKS verifies the token");

  const discovery = await send(overHttp, `${t.emulatorUrl}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(config.body.authorization_endpoint)}`, undefined, { method: "GET" });
  equal(discovery.status, 200);
  equal(discovery.body.tenant_discovery_endpoint, `${t.emulatorUrl}/${app.tenantId}/v2.0/.well-known/openid-configuration`);

  const missing = await send(overHttp, `${t.emulatorUrl}/nothing/here`, undefined, { method: "GET" });
  equal(missing.status, 404);
  match(missing.headers.get("content-type") ?? "", /application\/json/);
  equal(missing.body.error, "not_found");
});

test("emulator: verifyAccessToken rejects tampered, foreign and malformed tokens", async (t) => {
  const app = await registerApp(t);
  const token = (await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app))).body.access_token as string;
  const [h, p, s] = token.split(".") as [string, string, string];
  const claims = decodePart(token, 1);
  const tampered = `${h}.${b64url({ ...claims, aud: "https://evil.example" })}.${s}`;
  await rejects(async () => t.emulator.verifyAccessToken(tampered), { message: /signature/ });
  await rejects(async () => t.emulator.verifyAccessToken(`${h}.${p}.${s.slice(0, -4)}AAAA`));
  await rejects(async () => t.emulator.verifyAccessToken("garbage"));
  const other = new EntraEmulator();
  const otherApp = await registerApp(t, other);
  const foreign = await send(other.fetch, tokenUrl("http://127.0.0.1", otherApp.tenantId), form(otherApp));
  equal(foreign.status, 200);
  await rejects(async () => t.emulator.verifyAccessToken(foreign.body.access_token));
  ok(await other.verifyAccessToken(foreign.body.access_token));
});

test("emulator fault: drop closes the connection (fetch or the body read rejects)", async (t) => {
  const app = await registerApp(t);
  await t.emulator.injectFault({ kind: "drop" });
  await rejects(fetch(tokenUrl(t.emulatorUrl, app.tenantId), { method: "POST", body: form(app) }).then((r) => r.text()));
  const next = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app));
  equal(next.status, 200, "only one request was dropped");
  const log = await t.emulator.requests();
  equal(log[0]?.fault, "drop");
  equal(log[0]?.status, 0);
  equal(log[1]?.fault, undefined);
});

test("emulator fault: hang never answers; the client's timeout ends it", async (t) => {
  const app = await registerApp(t);
  await t.emulator.injectFault({ kind: "hang" });
  const started = Date.now();
  await rejects(fetch(tokenUrl(t.emulatorUrl, app.tenantId), { method: "POST", body: form(app), signal: AbortSignal.timeout(200) }).then((r) => r.text()));
  const elapsed = Date.now() - started;
  atLeast(elapsed, 150);
  atMost(elapsed, 1000);
  const next = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app));
  equal(next.status, 200);
  const log = await t.emulator.requests();
  equal(log[0]?.fault, "hang");
  equal(log[0]?.status, 0);
});

test("emulator fault: status answers with Entra-style JSON, Retry-After and extra headers", async (t) => {
  const app = await registerApp(t);
  await t.emulator.injectFault({ kind: "status", status: 429, retryAfter: 7, headers: { "x-ms-extra": "yes" } });
  await t.emulator.injectFault({ kind: "status", status: 503, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" });
  await t.emulator.injectFault({ kind: "status", status: 500, body: "oops", contentType: "text/plain" });
  const cid = crypto.randomUUID();
  const throttled = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app), { headers: { "client-request-id": cid } });
  equal(throttled.status, 429);
  equal(throttled.headers.get("retry-after"), "7");
  equal(throttled.headers.get("x-ms-extra"), "yes");
  equal(throttled.body.correlation_id, cid);
  match(throttled.body.error_description, /^AADSTS\d+: /);
  ok(Array.isArray(throttled.body.error_codes));
  const unavailable = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app));
  equal(unavailable.status, 503);
  equal(unavailable.headers.get("retry-after"), "Wed, 21 Oct 2015 07:28:00 GMT");
  equal(unavailable.body.error, "temporarily_unavailable");
  const custom = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app));
  equal(custom.status, 500);
  equal(custom.text, "oops");
  match(custom.headers.get("content-type") ?? "", /^text\/plain/);
  equal((await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app))).status, 200);
  deepEqual(
    (await t.emulator.requests()).map((r) => [r.fault, r.status]),
    [["status", 429], ["status", 503], ["status", 500], [undefined, 200]],
  );
});

test("emulator fault: html, brokenJson, missingToken", async (t) => {
  const app = await registerApp(t);
  await t.emulator.injectFault({ kind: "html" });
  await t.emulator.injectFault({ kind: "html", status: 503 });
  await t.emulator.injectFault({ kind: "brokenJson" });
  await t.emulator.injectFault({ kind: "missingToken" });
  const url = tokenUrl(t.emulatorUrl, app.tenantId);
  const html = await send(overHttp, url, form(app));
  equal(html.status, 502);
  match(html.headers.get("content-type") ?? "", /^text\/html/);
  equal(html.text, "<html><body><h1>502 Bad Gateway</h1></body></html>");
  const html503 = await send(overHttp, url, form(app));
  equal(html503.status, 503);
  match(html503.text, /<h1>503 /);
  const broken = await send(overHttp, url, form(app));
  equal(broken.status, 200);
  match(broken.headers.get("content-type") ?? "", /application\/json/);
  equal(broken.body, undefined, "the body is not JSON");
  match(broken.text, /^\{"token_type":"Bearer","access_tok$/);
  const missing = await send(overHttp, url, form(app));
  equal(missing.status, 200);
  equal(missing.body.token_type, "Bearer");
  equal("access_token" in missing.body, false);
  equal((await send(overHttp, url, form(app))).status, 200);
});

test("emulator fault: tokenFields replaces fields of a valid answer", async (t) => {
  const app = await registerApp(t);
  await t.emulator.injectFault({ kind: "tokenFields", fields: { token_type: "pop", expires_in: "3600", extra: 1 } });
  const answer = await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app));
  equal(answer.status, 200);
  equal(answer.body.token_type, "pop");
  equal(answer.body.expires_in, "3600");
  equal(answer.body.extra, 1);
  ok(await t.emulator.verifyAccessToken(answer.body.access_token));
  // an invalid request still gets its error
  await t.emulator.injectFault({ kind: "tokenFields", fields: { token_type: "pop" } });
  expectEntraError(await send(overHttp, tokenUrl(t.emulatorUrl, app.tenantId), form(app, { client_secret: "x" })), 401, "invalid_client", 7000215);
});

test("emulator fault: hugeBody pads a token answer to the requested size", async (t) => {
  const app = await registerApp(t);
  const bytes = 2 * 1024 * 1024 + 123;
  await t.emulator.injectFault({ kind: "hugeBody", bytes });
  const response = await fetch(tokenUrl(t.emulatorUrl, app.tenantId), { method: "POST", body: form(app) });
  equal(response.status, 200);
  const body = new Uint8Array(await response.arrayBuffer());
  equal(body.length, bytes);
  const parsed = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
  equal(parsed.token_type, "Bearer");
  ok(await t.emulator.verifyAccessToken(String(parsed.access_token)));
});

test("emulator fault: slow and setDelay delay the answer; concurrent delayed requests overlap", async (t) => {
  const app = await registerApp(t);
  const url = tokenUrl(t.emulatorUrl, app.tenantId);
  await t.emulator.injectFault({ kind: "slow", delayMs: 300 });
  const slow = await send(overHttp, url, form(app));
  equal(slow.status, 200);
  atLeast(slow.ms, 290);
  equal((await t.emulator.requests())[0]?.fault, "slow");
  await t.emulator.setDelay(250);
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: 8 }, () => send(overHttp, url, form(app))));
  const elapsed = Date.now() - started;
  for (const a of answers) {
    equal(a.status, 200);
    atLeast(a.ms, 240);
  }
  atMost(elapsed, 1500, "the delays overlap");
  await t.emulator.setDelay(0);
  atMost((await send(overHttp, url, form(app))).ms, 1000);
});

test("emulator fault: times, forever, FIFO order, clearFaults, and unknown routes are not affected", async (t) => {
  const app = await registerApp(t);
  const url = tokenUrl(t.emulatorUrl, app.tenantId);
  const status = async () => (await send(overHttp, url, form(app))).status;
  await t.emulator.injectFault({ kind: "status", status: 500, times: 2 });
  await t.emulator.injectFault({ kind: "html" });
  equal(await status(), 500);
  equal(await status(), 500);
  equal(await status(), 502);
  equal(await status(), 200);
  await t.emulator.injectFault({ kind: "status", status: 503, times: "forever" });
  for (let i = 0; i < 4; i++) equal(await status(), 503);
  await t.emulator.clearFaults();
  equal(await status(), 200);
  await t.emulator.injectFault({ kind: "status", status: 500 });
  equal((await send(overHttp, `${t.emulatorUrl}/nothing`, undefined, { method: "GET" })).status, 404);
  equal((await send(overHttp, `${t.emulatorUrl}/${app.tenantId}/discovery/v2.0/keys`, undefined, { method: "GET" })).status, 200);
  equal(await status(), 500, "the fault waited for a token request");
  await rejects(async () => t.emulator.injectFault({ kind: "nope" } as never), { name: "TypeError" });
});

test("emulator in-process: drop rejects with a TypeError, hang ends with the request's signal (also after a GC)", async (t) => {
  const emu = new EntraEmulator();
  const app = await registerApp(t, emu);
  const url = tokenUrl("http://127.0.0.1", app.tenantId);
  emu.injectFault({ kind: "drop" });
  await rejects(emu.fetch(new Request(url, { method: "POST", body: form(app) })), { name: "TypeError" });
  emu.injectFault({ kind: "hang" });
  const controller = new AbortController();
  const pending = emu.fetch(url, { method: "POST", body: form(app), signal: controller.signal });
  // A full GC while it hangs (where the runtime exposes gc: Node, Deno here): the new Request's
  // signal follows the caller's only weakly, and the abort was lost — the call never ended.
  await new Promise((resolve) => setTimeout(resolve, 10));
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
  setTimeout(() => controller.abort(new Error("caller gave up")), 40);
  await rejects(pending, { message: /caller gave up/ });
  emu.setDelay(10_000);
  await rejects(emu.fetch(url, { method: "POST", body: form(app), signal: AbortSignal.timeout(50) }), { name: "TimeoutError" });
  emu.setDelay(0);
  equal((await emu.fetch(url, { method: "POST", body: form(app) })).status, 200, "fetch(input, init) works too");
  deepEqual(
    emu.requests().map((r) => [r.fault, r.status]),
    [["drop", 0], ["hang", 0], [undefined, 0], [undefined, 200]],
  );
});

test("emulator: reset forgets apps, faults, delay and log but keeps the signing key", async (t) => {
  const emu = new EntraEmulator();
  const app = await registerApp(t, emu);
  const url = tokenUrl("http://127.0.0.1", app.tenantId);
  const token = (await send(emu.fetch, url, form(app))).body.access_token as string;
  emu.injectFault({ kind: "status", status: 500 });
  emu.setDelay(5_000);
  emu.reset();
  equal(emu.requests().length, 0);
  const after = await send(emu.fetch, url, form(app));
  expectEntraError(after, 400, "invalid_request", 90002);
  atMost(after.ms, 1000);
  ok(await emu.verifyAccessToken(token), "tokens issued before reset still verify");
  await rejects(async () => emu.addApp({ tenantId: "", clientId: "x" }), { name: "TypeError" });
  await rejects(async () => emu.addApp({ tenantId: "t", clientId: "c", certificates: ["-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"] }), {
    name: "TypeError",
  });
});

test("emulator: the control API and connectEmulator", async (t) => {
  const plain = new EntraEmulator();
  equal((await plain.fetch("http://127.0.0.1/__emulator/reset", { method: "POST", body: "[]" })).status, 404, "off by default");
  const emu = new EntraEmulator({ control: true });
  const remote = connectEmulator("http://127.0.0.1/", { fetch: emu.fetch });
  const app = await registerApp(t, remote);
  const answer = await send(emu.fetch, tokenUrl("http://127.0.0.1", app.tenantId), form(app));
  equal(answer.status, 200, answer.text);
  const claims = await remote.verifyAccessToken(answer.body.access_token);
  equal(claims.appid, app.clientId);
  await rejects(remote.verifyAccessToken("garbage"), { message: /invalid access token/ });
  await remote.injectFault({ kind: "status", status: 503 });
  await remote.setDelay(1);
  equal((await send(emu.fetch, tokenUrl("http://127.0.0.1", app.tenantId), form(app))).status, 503);
  await remote.clearFaults();
  const log = await remote.requests();
  equal(log.length, 2);
  equal(log[1]?.fault, "status");
  // bytes travel as { $bytes } and errors keep their TypeError-ness
  await rejects(remote.addApp({ tenantId: "t", clientId: "c", certificates: [new Uint8Array([1, 2, 3])] }), {
    name: "TypeError",
    message: /not DER/,
  });
  const raw = await emu.fetch("http://127.0.0.1/__emulator/nope", { method: "POST", body: "[]" });
  equal(raw.status, 404);
  await remote.reset();
  equal((await remote.requests()).length, 0);
});

test("emulator: HTTP Basic client authentication (client_secret_basic, as discovery advertises): client_id:client_secret, each form-urlencoded (RFC 6749 §2.3.1), as Entra accepts it; with a body client_secret too, or another body client_id, or undecodable: AADSTS9002313", async (t) => {
  const app = { tenantId: t.id("tenant"), clientId: t.id("client"), secret: `emu-secret-${t.id("s")}~Q.x` };
  const secret = `${app.secret}:+%& é`; // ':' '+' '%' '&' space and non-ASCII: form-urlencoded in the header
  await t.emulator.addApp({ tenantId: app.tenantId, clientId: app.clientId, secrets: [app.secret, secret] });
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  const basic = (id: string, s: string) => `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${encode(id)}:${encode(s)}`)))}`;
  const headers = (authorization: string) => ({ authorization, "content-type": "application/x-www-form-urlencoded" });
  const url = tokenUrl(t.emulatorUrl, app.tenantId);
  const ok1 = await send(overHttp, url, form(app, { client_id: undefined, client_secret: undefined }).toString(), { headers: headers(basic(app.clientId, secret)) });
  equal(ok1.status, 200, ok1.text.slice(0, 200));
  equal((await t.emulator.verifyAccessToken((ok1.body as { access_token: string }).access_token)).appid, app.clientId);
  // the same client_id in the body as well is fine
  const ok2 = await send(overHttp, url, form(app, { client_secret: undefined }).toString(), { headers: headers(basic(app.clientId, app.secret)) });
  equal(ok2.status, 200, ok2.text.slice(0, 200));
  const wrong = await send(overHttp, url, form(app, { client_id: undefined, client_secret: undefined }).toString(), { headers: headers(basic(app.clientId, "nope")) });
  expectEntraError(wrong, 401, "invalid_client", 7000215);
  for (const [name, body, authorization] of [
    ["a client_secret in the body too", form(app, { client_id: undefined }), basic(app.clientId, app.secret)],
    ["another client_id in the body", form(app, { client_id: "someone-else", client_secret: undefined }), basic(app.clientId, app.secret)],
    ["no colon", form(app, { client_id: undefined, client_secret: undefined }), `Basic ${btoa(app.clientId)}`],
    ["not base64", form(app, { client_id: undefined, client_secret: undefined }), "Basic %%%"],
  ] as const) {
    const answer = await send(overHttp, url, body.toString(), { headers: headers(authorization) });
    try {
      expectEntraError(answer, 400, "invalid_request", 9002313);
    } catch (e) {
      throw new Error(`case "${name}": ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const log = (await t.emulator.requests()).filter((r) => r.tenantId === app.tenantId);
  deepEqual(log.slice(0, 3).map((r) => [r.clientId, r.clientAuth, r.status]), [[app.clientId, "secret", 200], [app.clientId, "secret", 200], [app.clientId, "secret", 401]]);
});

test("emulator: a token request with a parameter given twice (scope, client_secret, grant_type, client_id, client_assertion) is AADSTS9000411 'The parameter … is duplicated.', HTTP 400 invalid_request, as Entra answers (review 10 L9)", async (t) => {
  const app = { tenantId: t.id("tenant"), clientId: t.id("client"), secret: `emu-secret-${t.id("s")}` };
  await t.emulator.addApp({ tenantId: app.tenantId, clientId: app.clientId, secrets: [app.secret] });
  const url = tokenUrl(t.emulatorUrl, app.tenantId);
  const headers = { "content-type": "application/x-www-form-urlencoded" };
  const fine = await send(overHttp, url, form(app).toString(), { headers });
  equal(fine.status, 200, fine.text.slice(0, 200));
  for (const [name, value] of [["scope", GRAPH], ["client_secret", app.secret], ["grant_type", "client_credentials"], ["client_id", app.clientId], ["client_assertion", "a.b.c"]] as const) {
    const body = form(app, name === "client_assertion" ? { client_secret: undefined, client_assertion: value, client_assertion_type: JWT_BEARER } : {});
    body.append(name, value);
    const answer = await send(overHttp, url, body.toString(), { headers });
    try {
      expectEntraError(answer, 400, "invalid_request", 9000411);
      match((answer.body as { error_description: string }).error_description, new RegExp(`^AADSTS9000411: The request is not properly formatted\\. The parameter '${name}' is duplicated\\.`));
    } catch (e) {
      throw new Error(`${name} twice: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
});

test("emulator: the control API answers 400 for a body that is not a JSON array of arguments (and for a call's TypeError), without quoting the body; 500 only for the emulator's own failure (review 10 N5)", async () => {
  const emu = new EntraEmulator({ control: true });
  const post = (method: string, body: string) => emu.fetch(`http://127.0.0.1/__emulator/${method}`, { method: "POST", body, headers: { "content-type": "application/json" } });
  for (const [body, error] of [
    ['{ "tenantId": "t", "clientId": "c", "secrets": ["control-secret-1"', /^control API: the body is not JSON \(\d+ characters\): send a JSON array of addApp's arguments$/],
    ['{ "tenantId": "t", "clientId": "c", "secrets": ["control-secret-1"] }', /^control API: the body must be a JSON array of addApp's arguments$/],
    ['[{ "tenantId": "t", "clientId": "c", "secrets": "control-secret-1", "secret": 1 }]', /unknown field 'secret'/],
  ] as const) {
    const answer = await post("addApp", body);
    const text = await answer.text();
    equal(answer.status, 400, text);
    notIncludes(text, "control-secret-1");
    const parsed = JSON.parse(text) as { error: string; name: string };
    match(parsed.error, error);
    equal(parsed.name, "TypeError");
  }
  const fine = await post("addApp", '[{ "tenantId": "t", "clientId": "c", "secrets": ["control-secret-1"] }]');
  equal(fine.status, 200, await fine.text());
});
