/** The token core with ClientSecretCredential: cache, lifetimes, single flight, retries, errors. */
import { AuthenticationError, ClientAssertionCredential, ClientSecretCredential, CredentialUnavailableError, memoryTokenCache, type FetchLike } from "../src/core.ts";
import { EntraEmulator } from "../src/testing/emulator.ts";
import { atLeast, atMost, deepEqual, equal, match, notEqual, ok, rejects, throws } from "./assert.ts";
import { test } from "./harness.ts";
import { ARM, collectLogs, GRAPH, secretApp, secretCredential, timed, tokenRequests } from "./support/helpers.ts";

test("core: a token from the emulator, then from the cache with no request", async (t) => {
  const app = await secretApp(t);
  const cred = secretCredential(t, app);
  const first = await cred.getToken(ARM);
  equal(first.tokenType, "Bearer");
  const claims = await t.emulator.verifyAccessToken(first.token);
  equal(claims.aud, "https://management.azure.com");
  equal(claims.appid, app.clientId);
  equal(claims.tid, app.tenantId);
  atLeast(first.expiresOnTimestamp, Date.now() + 3500_000);
  equal(await tokenRequests(t), 1);
  const second = await cred.getToken(ARM);
  const third = await cred.getToken([ARM]);
  equal(second.token, first.token);
  equal(third.token, first.token);
  equal(await tokenRequests(t), 1, "cached calls make no request");
  const graph = await cred.getToken(GRAPH);
  notEqual(graph.token, first.token);
  equal(await tokenRequests(t), 2, "another resource makes one request");
  await cred.getToken([GRAPH]);
  equal(await tokenRequests(t), 2);
});

test("core: the request carries the form and headers Entra expects", async (t) => {
  const app = await secretApp(t);
  await secretCredential(t, app).getToken(ARM);
  const [r] = await t.emulator.requests();
  ok(r);
  equal(r.method, "POST");
  equal(r.path, `/${app.tenantId}/oauth2/v2.0/token`);
  equal(r.grantType, "client_credentials");
  equal(r.scope, ARM);
  equal(r.clientAuth, "secret");
  match(r.headers["client-request-id"] ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  equal(r.headers["x-client-sku"], "entra-edge");
  match(r.headers["x-client-ver"] ?? "", /^\d+\.\d+\.\d+/);
  match(r.headers["content-type"] ?? "", /^application\/x-www-form-urlencoded/);
});

test("core: two scopes in one request are refused by Entra: one request, no retry (their sorted cache key: token-core.test.ts)", async (t) => {
  const app = await secretApp(t);
  const cred = secretCredential(t, app);
  const a = await cred.getToken(["https://storage.azure.com/.default", "https://storage.azure.com/user_impersonation"]).catch((e) => e);
  // Entra refuses two scopes for client credentials; the emulator does too — one request, no retry.
  ok(a instanceof AuthenticationError);
  equal(await tokenRequests(t), 1);
});

test("core: 100 concurrent calls on a fresh credential make one request and share the token", async (t) => {
  const app = await secretApp(t);
  await t.emulator.setDelay(200);
  const cred = secretCredential(t, app);
  const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => cred.getToken(i % 2 ? ARM : [ARM])));
  equal(await tokenRequests(t), 1);
  equal(new Set(tokens.map((x) => x.token)).size, 1);
});

test("core: concurrent calls for different scopes make one request each", async (t) => {
  const app = await secretApp(t);
  await t.emulator.setDelay(100);
  const cred = secretCredential(t, app);
  await Promise.all([...Array(10)].flatMap(() => [cred.getToken(ARM), cred.getToken(GRAPH)]));
  equal(await tokenRequests(t), 2);
});

test("core: a failure rejects every waiter and is not cached", async (t) => {
  const app = await secretApp(t);
  await t.emulator.setDelay(100);
  await t.emulator.injectFault({ kind: "status", status: 400, body: JSON.stringify({ error: "invalid_request", error_description: "AADSTS900144: nope", error_codes: [900144] }), contentType: "application/json" });
  const cred = secretCredential(t, app);
  const results = await Promise.allSettled(Array.from({ length: 20 }, () => cred.getToken(ARM)));
  equal(results.filter((r) => r.status === "rejected").length, 20);
  equal(await tokenRequests(t), 1);
  const ok1 = await cred.getToken(ARM);
  equal(ok1.tokenType, "Bearer");
  equal(await tokenRequests(t), 2);
});

test("core: expires_in 120 is served from the cache on an immediate second call", async (t) => {
  const app = await secretApp(t, { expiresIn: 120 });
  const cred = secretCredential(t, app);
  const a = await cred.getToken(ARM);
  const b = await cred.getToken(ARM);
  equal(a.token, b.token);
  equal(await tokenRequests(t), 1);
  // lifetime < 2 h: refresh at expiry − min(5 min, lifetime / 2) = 60 s before expiry
  equal(a.expiresOnTimestamp - a.refreshAfterTimestamp, 60_000);
});

test("core: lifetimes of 2 h and more refresh at half-life", async (t) => {
  const app = await secretApp(t, { expiresIn: 7200 });
  const a = await secretCredential(t, app).getToken(ARM);
  equal(a.expiresOnTimestamp - a.refreshAfterTimestamp, 3600_000);
});

test("core: refresh_in moves refreshAfterTimestamp and a refresh happens once it passes", async (t) => {
  const app = await secretApp(t, { expiresIn: 3600, refreshIn: 600 });
  const cred = secretCredential(t, app);
  const a = await cred.getToken(ARM);
  equal(a.expiresOnTimestamp - a.refreshAfterTimestamp, 3000_000);
  t.advanceClock(599_000);
  equal((await cred.getToken(ARM)).token, a.token);
  equal(await tokenRequests(t), 1);
  t.advanceClock(2_000);
  const b = await cred.getToken(ARM);
  notEqual(b.token, a.token);
  equal(await tokenRequests(t), 2);
  equal((await cred.getToken(ARM)).token, b.token);
  equal(await tokenRequests(t), 2);
});

test("core: a failed refresh returns the still-valid token and is not retried for 30 s; a refresh is one attempt", async (t) => {
  const app = await secretApp(t, { expiresIn: 3600, refreshIn: 600 });
  const cred = secretCredential(t, app, { retryOptions: { maxRetries: 1 } });
  const a = await cred.getToken(ARM);
  t.advanceClock(601_000);
  await t.emulator.injectFault({ kind: "status", status: 503, times: "forever" });
  const b = await cred.getToken(ARM);
  equal(b.token, a.token, "the cached token while the refresh fails");
  equal(await tokenRequests(t), 2, "one refresh, one attempt (no retries with a valid token in hand: review 10)");
  t.advanceClock(20_000);
  equal((await cred.getToken(ARM)).token, a.token);
  equal(await tokenRequests(t), 2, "no new attempt within 30 s");
  t.advanceClock(11_000);
  equal((await cred.getToken(ARM)).token, a.token);
  equal(await tokenRequests(t), 3, "tried again after 30 s");
  await t.emulator.clearFaults();
  t.advanceClock(31_000);
  const c = await cred.getToken(ARM);
  notEqual(c.token, a.token);
});

test("core: a refresh while Entra hangs: the caller that refreshes waits one attempt of at most 5 s (whatever tryTimeoutInMs), the callers that come meanwhile get the cached token at once, and one request is sent (review 10: every caller waited 4 × 30 s with a valid token in hand)", async (t) => {
  const app = await secretApp(t, { expiresIn: 3600, refreshIn: 600 });
  const cred = secretCredential(t, app); // default retryOptions: tryTimeoutInMs 30 s, maxRetries 3
  const a = await cred.getToken(ARM);
  t.advanceClock(601_000);
  await t.emulator.injectFault({ kind: "hang", times: "forever" });
  const started = Date.now();
  const refreshing = cred.getToken(ARM);
  await new Promise((r) => setTimeout(r, 50));
  const later = await timed(() => Promise.all(Array.from({ length: 20 }, () => cred.getToken(ARM))));
  atMost(later.ms, 1000, "callers during the refresh do not wait for it");
  ok(later.value.every((tok) => tok.token === a.token), "they get the cached token");
  const refreshed = await refreshing;
  const ms = Date.now() - started;
  equal(refreshed.token, a.token, "the refresh failed: the cached token");
  atLeast(ms, 4900, "the refresh's one attempt had 5 s");
  atMost(ms, 9000, "…not 30 s, and no retries");
  equal(await tokenRequests(t), 2, "the first token and one refresh attempt");
  equal((await cred.getToken(ARM)).token, a.token, "and the next 30 s are served from the cache");
  equal(await tokenRequests(t), 2);
}, { timeoutMs: 30_000 });

test("core: a refresh whose caller leaves (its abortSignal fires while Entra hangs) pauses like a failed one: the next callers get the cached token at once, not one request and one TimeoutError each (review 12)", async (t) => {
  const app = await secretApp(t, { expiresIn: 3600, refreshIn: 600 });
  const cred = secretCredential(t, app);
  const a = await cred.getToken(ARM);
  t.advanceClock(601_000);
  await t.emulator.injectFault({ kind: "hang", times: "forever" });
  const signal = AbortSignal.timeout(300);
  const e = await rejects(cred.getToken(ARM, { abortSignal: signal }));
  equal(e, signal.reason, "the caller that left gets its signal's reason");
  for (let i = 0; i < 3; i++) {
    const { ms, value } = await timed(() => cred.getToken(ARM, { abortSignal: AbortSignal.timeout(300) }));
    equal(value.token, a.token, `caller ${i + 2}: the cached token`);
    atMost(ms, 250, `caller ${i + 2}: at once`);
  }
  equal(await tokenRequests(t), 2, "the first token and the one refresh attempt");
});

test("core: an expired token is never returned; near expiry the refresh must succeed", async (t) => {
  const app = await secretApp(t, { expiresIn: 3600 });
  const cred = secretCredential(t, app, { retryOptions: { maxRetries: 0 } });
  const a = await cred.getToken(ARM);
  await t.emulator.injectFault({ kind: "status", status: 503, times: "forever" });
  t.advanceClock(3600_000 - 20_000); // 20 s before expiry: inside the 30 s margin
  await rejects(cred.getToken(ARM), { name: "AuthenticationError" });
  t.advanceClock(40_000); // past expiry
  const e = await rejects(cred.getToken(ARM), { name: "AuthenticationError" });
  equal(e.statusCode, 503);
  await t.emulator.clearFaults();
  const b = await cred.getToken(ARM);
  notEqual(b.token, a.token);
  atLeast(b.expiresOnTimestamp, Date.now() + 3000_000);
});

test("core: wrong secret → AuthenticationError 401 with AADSTS7000215, one request", async (t) => {
  const app = await secretApp(t);
  const cred = new ClientSecretCredential(app.tenantId, app.clientId, "wrong-secret-value", { authorityHost: t.emulatorUrl });
  const e = await rejects(cred.getToken(ARM), { name: "AuthenticationError", message: /AADSTS7000215/ });
  ok(e instanceof AuthenticationError);
  equal(e.statusCode, 401);
  ok(e.errorResponse.errorCodes?.includes(7000215));
  equal(e.errorResponse.error, "invalid_client");
  match(e.errorResponse.correlationId ?? "", /^[0-9a-f-]{36}$/);
  ok(e.errorResponse.traceId);
  ok(e.errorResponse.timestamp);
  match(e.errorResponse.errorUri ?? "", /7000215/);
  match(e.message, /^ClientSecretCredential could not get a token: AADSTS7000215: Invalid client secret provided\. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '[^']+'\. \(HTTP 401 invalid_client, correlation id [0-9a-f-]{36}\)\.$/, "Entra's own description says what to do next, once, with the HTTP facts");
  const requests = await t.emulator.requests();
  equal(requests.length, 1);
  equal(e.errorResponse.correlationId, requests[0]!.headers["client-request-id"]);
});

test("core: failure messages add what to do next where Entra's description does not say it", async (t) => {
  const app = await secretApp(t);
  const fast = { maxRetries: 0 };
  // two resources in one request: Entra's AADSTS70011 text does not say that only one is allowed
  let e = await rejects(secretCredential(t, app).getToken([GRAPH, ARM]), { name: "AuthenticationError", message: /AADSTS70011/ });
  match(e.message, /\(HTTP 400 invalid_scope, correlation id [0-9a-f-]{36}\)\. Client credentials take one resource's '<resource>\/\.default' scope per request\.$/);
  // throttled (AADSTS50196, a request loop): reuse the credential object
  await t.emulator.injectFault({ kind: "status", status: 429, retryAfter: 0, times: 1 });
  e = await rejects(secretCredential(t, app, { retryOptions: fast }).getToken(ARM), { name: "AuthenticationError" });
  match(e.message, /\(HTTP 429 temporarily_unavailable, correlation id [0-9a-f-]{36}\)\. Reuse one credential object, so that its tokens are cached\.$/);
  // a transient server error after the retries
  await t.emulator.injectFault({ kind: "status", status: 503, times: 1 });
  e = await rejects(secretCredential(t, app, { retryOptions: fast }).getToken(GRAPH), { name: "AuthenticationError" });
  match(e.message, /\(HTTP 503 temporarily_unavailable, correlation id [0-9a-f-]{36}\)\. Usually transient: retry later\.$/);
  // no HTTP answer at all, after 2 attempts
  const down = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, {
    authorityHost: t.emulatorUrl,
    retryOptions: { maxRetries: 1, retryDelayInMs: 1 },
    fetch: async () => {
      throw new TypeError("fetch failed");
    },
  });
  // (GRAPH: the 429 above throttles ARM for its backoff, Retry-After: 0 being no wait of the server's)
  e = await rejects(down.getToken(GRAPH), { name: "AuthenticationError" });
  equal(e.statusCode, 0);
  match(e.message, /could not get a token: Could not get an answer from [^:]+:\d+: TypeError: fetch failed\. \(no HTTP answer, 2 attempts, correlation id [0-9a-f-]{36}\)\. Check network access \(DNS, proxy, firewall\) to authorityHost\.$/);
  // a final 4xx whose description says it all gets no hint
  e = await rejects(new ClientSecretCredential(app.tenantId, "00000000-0000-0000-0000-000000000000", app.secret, { authorityHost: t.emulatorUrl }).getToken(ARM), { name: "AuthenticationError" });
  match(e.message, /You may have sent your authentication request to the wrong tenant\. \(HTTP 400 unauthorized_client, correlation id [0-9a-f-]{36}\)\.$/);
});

test("core: unknown app, unknown tenant and a scope without /.default are final errors", async (t) => {
  const app = await secretApp(t);
  const unknownApp = new ClientSecretCredential(app.tenantId, "00000000-0000-0000-0000-000000000000", app.secret, { authorityHost: t.emulatorUrl });
  let e = await rejects(unknownApp.getToken(ARM), { name: "AuthenticationError" });
  equal(e.statusCode, 400);
  deepEqual((e as unknown as AuthenticationError).errorResponse.errorCodes, [700016]);
  const unknownTenant = new ClientSecretCredential("no-such-tenant", app.clientId, app.secret, { authorityHost: t.emulatorUrl });
  e = await rejects(unknownTenant.getToken(ARM), { name: "AuthenticationError" });
  deepEqual((e as unknown as AuthenticationError).errorResponse.errorCodes, [90002]);
  const cred = secretCredential(t, app);
  e = await rejects(cred.getToken("https://management.azure.com/user_impersonation"), { name: "AuthenticationError", message: /AADSTS1002012/ });
  equal(e.statusCode, 400);
  equal(await tokenRequests(t), 3, "one request each, no retry");
});

test("core: 429 with Retry-After: 1 then success → 2 requests at least 1 s apart", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "status", status: 429, retryAfter: 1 });
  const token = await secretCredential(t, app).getToken(ARM);
  equal(token.tokenType, "Bearer");
  const rs = await t.emulator.requests();
  equal(rs.length, 2);
  atLeast(rs[1]!.time - rs[0]!.time, 990);
});

test("core: retry-after-ms and x-ms-retry-after-ms are honoured", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "status", status: 503, headers: { "retry-after-ms": "300" } });
  await t.emulator.injectFault({ kind: "status", status: 503, headers: { "x-ms-retry-after-ms": "300" } });
  await secretCredential(t, app, { retryOptions: { retryDelayInMs: 1 } }).getToken(ARM);
  const rs = await t.emulator.requests();
  equal(rs.length, 3);
  atLeast(rs[1]!.time - rs[0]!.time, 290);
  atLeast(rs[2]!.time - rs[1]!.time, 290);
});

test("core: two 503s then success → 3 requests", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "status", status: 503, times: 2 });
  const token = await secretCredential(t, app).getToken(ARM);
  equal(token.tokenType, "Bearer");
  equal(await tokenRequests(t), 3);
});

test("core: retries stop after maxRetries", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "status", status: 500, times: "forever" });
  const e = await rejects(secretCredential(t, app, { retryOptions: { maxRetries: 2 } }).getToken(ARM), { name: "AuthenticationError", message: /3 attempts/ });
  equal(e.statusCode, 500);
  equal(await tokenRequests(t), 3);
});

test("core: a 429 asking for longer than maxRetryDelayInMs fails now, and the identical request fails fast until it passes", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "status", status: 429, retryAfter: 2 });
  const cred = secretCredential(t, app, { retryOptions: { maxRetryDelayInMs: 500 } });
  const { ms } = await timed(() => rejects(cred.getToken(ARM), { name: "AuthenticationError", message: /maxRetryDelayInMs/ }));
  atMost(ms, 400, "no wait");
  equal(await tokenRequests(t), 1);
  // another credential object for the same app and scope: also fails fast, without the network
  const other = secretCredential(t, app);
  const e = await rejects(other.getToken(ARM), { name: "AuthenticationError", message: /429/ });
  equal(e.statusCode, 429);
  equal((e as unknown as AuthenticationError).code, "ERR_ENTRA_THROTTLED");
  equal((e as unknown as AuthenticationError).errorResponse.error, "", "the 429 guard answered, not Entra: no OAuth error");
  equal(await tokenRequests(t), 1, "no request while throttled");
  // another scope is not affected
  await other.getToken(GRAPH);
  equal(await tokenRequests(t), 2);
  await new Promise((r) => setTimeout(r, 2100));
  await other.getToken(ARM);
  equal(await tokenRequests(t), 3, "allowed again after Retry-After");
});

test("core: 4xx answers other than 408/429 are never retried; 408 is", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "status", status: 403 });
  await rejects(secretCredential(t, app).getToken(ARM), { name: "AuthenticationError" });
  equal(await tokenRequests(t), 1);
  await t.emulator.injectFault({ kind: "status", status: 408 });
  await secretCredential(t, app).getToken(ARM);
  equal(await tokenRequests(t), 3);
});

test("core: HTML 502, broken JSON and a missing access_token are AuthenticationErrors", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "html", status: 502, times: "forever" });
  let e = await rejects(secretCredential(t, app, { retryOptions: { maxRetries: 1 } }).getToken(ARM), { name: "AuthenticationError" });
  equal(e.statusCode, 502);
  match(e.message, /text\/html/);
  equal(await tokenRequests(t), 2, "502 is retried");
  await t.emulator.clearFaults();
  await t.emulator.injectFault({ kind: "brokenJson" });
  e = await rejects(secretCredential(t, app).getToken(ARM), { name: "AuthenticationError", message: /not JSON/ });
  equal(e.statusCode, 200);
  await t.emulator.injectFault({ kind: "missingToken" });
  await rejects(secretCredential(t, app).getToken(ARM), { name: "AuthenticationError", message: /no usable access_token/ });
  await t.emulator.injectFault({ kind: "tokenFields", fields: { token_type: "pop" } });
  await rejects(secretCredential(t, app).getToken(ARM), { name: "AuthenticationError", message: /only Bearer/ });
  equal(await tokenRequests(t), 5, "invalid 200 answers are not retried");
  // A token that cannot go into an Authorization header as it is: a CR LF (a header of its own), a space, a control character (review 10).
  for (const accessToken of ["a\r\nX-Evil: 1", "a b", "a\u0000b", "tök"]) {
    await t.emulator.injectFault({ kind: "tokenFields", fields: { access_token: accessToken } });
    const bad = await rejects(secretCredential(t, app).getToken(ARM), { name: "AuthenticationError", message: /has no usable access_token \(printable ASCII without spaces\)/ }, JSON.stringify(accessToken));
    equal(bad.code, "ERR_ENTRA_BAD_RESPONSE");
  }
});

test("core: a 200 answer whose token_type is missing, null, a number or an object is ERR_ENTRA_BAD_RESPONSE (an AuthenticationError), not a TypeError from inside the parser", async () => {
  for (const tokenType of [undefined, null, 12345, { a: 1 }, ["Bearer"], "MAC"]) {
    const fetch = async () => Response.json({ access_token: "x", expires_in: 3600, token_type: tokenType });
    const credential = new ClientSecretCredential("contoso", "00000000-0000-0000-0000-000000000001", "s3cret-value-123", { fetch, retryOptions: { maxRetries: 0 } });
    const e = await rejects(credential.getToken(ARM), { name: "AuthenticationError", message: /issued a (non-Bearer|"MAC") token; only Bearer is supported/ }, JSON.stringify(tokenType) ?? "undefined");
    equal((e as { code?: string }).code, "ERR_ENTRA_BAD_RESPONSE");
  }
});

test("core: expires_in as a numeric string is accepted", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "tokenFields", fields: { expires_in: "1800" } });
  const token = await secretCredential(t, app).getToken(ARM);
  const now = Date.now();
  atLeast(token.expiresOnTimestamp, now + 1790_000);
  atMost(token.expiresOnTimestamp, now + 1800_000);
});

test("core: an answer over 1 MiB is refused", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "hugeBody", bytes: 2 * 1024 * 1024 });
  await rejects(secretCredential(t, app).getToken(ARM), { name: "AuthenticationError", message: /1 MiB/ });
  equal(await tokenRequests(t), 1);
});

test("core: nothing listening → AuthenticationError with statusCode 0 after the retries", async (t) => {
  const cred = new ClientSecretCredential("tenant-x", "client-x", "secret-x", {
    authorityHost: t.closedUrl,
    retryOptions: { maxRetries: 2, retryDelayInMs: 10 },
  });
  const e = await rejects(cred.getToken(ARM), { name: "AuthenticationError", message: /3 attempts/ });
  equal(e.statusCode, 0);
  equal((e as unknown as AuthenticationError).code, "ERR_ENTRA_UNREACHABLE");
  equal((e as unknown as AuthenticationError).errorResponse.error, "", "Entra sent nothing");
});

test("core: a dropped connection is retried", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "drop" });
  const token = await secretCredential(t, app).getToken(ARM);
  equal(token.tokenType, "Bearer");
  equal(await tokenRequests(t), 2);
});

test("core: a hung server and abortSignal: AbortSignal.timeout(300) → rejects within 1 s with the signal's reason", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "hang", times: "forever" });
  const signal = AbortSignal.timeout(300);
  const { ms, value: e } = await timed(() => rejects(secretCredential(t, app).getToken(ARM, { abortSignal: signal })));
  atMost(ms, 1000);
  atLeast(ms, 250);
  equal(e, signal.reason);
  equal(e.name, "TimeoutError");
});

test("core: the per-attempt timeout ends a hung attempt and the retry succeeds", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "hang" });
  // 1 s: the second attempt's answer must come within it too, which 300 ms did not always allow on
  // a loaded machine (3–4 requests instead of 2).
  const { ms } = await timed(() => secretCredential(t, app, { retryOptions: { tryTimeoutInMs: 1000 } }).getToken(ARM));
  atLeast(ms, 990);
  equal(await tokenRequests(t), 2);
});

test("core: one signal shared by many concurrent getToken calls gets one abort listener, not one per call (Node warns past 10: MaxListenersExceededWarning; review 7), and still aborts them all", async (t) => {
  const app = await secretApp(t);
  const watch = (signal: AbortSignal) => {
    const counts = { live: 0, max: 0 };
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    Object.assign(signal, {
      addEventListener: (...args: Parameters<AbortSignal["addEventListener"]>) => {
        counts.max = Math.max(counts.max, ++counts.live);
        add(...args);
      },
      removeEventListener: (...args: Parameters<AbortSignal["removeEventListener"]>) => {
        counts.live--;
        remove(...args);
      },
    });
    return counts;
  };
  const shared = new AbortController();
  const counts = watch(shared.signal);
  const cred = secretCredential(t, app);
  const scopes = Array.from({ length: 30 }, (_, i) => `api://app-${i}/.default`);
  const tokens = await Promise.all(scopes.flatMap((scope) => [cred.getToken(scope, { abortSignal: shared.signal }), cred.getToken(scope, { abortSignal: shared.signal })]));
  equal(tokens.length, 60);
  equal(await tokenRequests(t), 30, "one request per scope");
  atMost(counts.max, 1, "abort listeners on the shared signal at once");
  // …and aborting it still ends every waiting call
  await t.emulator.setDelay(2_000);
  const waiting = Array.from({ length: 12 }, (_, i) => cred.getToken(`api://late-${i}/.default`, { abortSignal: shared.signal }));
  setTimeout(() => shared.abort(new Error("request over")), 50);
  for (const p of waiting) equal((await rejects(p)).message, "request over");
  atMost(counts.max, 1, "still one listener");
});

test("core: an aborted call ends its backoff wait at once", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "status", status: 503, retryAfter: 3 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("caller gave up")), 200);
  const { ms, value: e } = await timed(() => rejects(secretCredential(t, app).getToken(ARM, { abortSignal: controller.signal })));
  equal(e.message, "caller gave up");
  atMost(ms, 1000);
  equal(await tokenRequests(t), 1);
});

test("core: one waiter aborting does not fail the others; all aborting aborts the request", async (t) => {
  const app = await secretApp(t);
  await t.emulator.setDelay(300);
  const cred = secretCredential(t, app);
  const controller = new AbortController();
  const aborted = cred.getToken(ARM, { abortSignal: controller.signal });
  const kept = cred.getToken(ARM);
  setTimeout(() => controller.abort(), 50);
  await rejects(aborted, { name: "AbortError" });
  equal((await kept).tokenType, "Bearer");
  equal(await tokenRequests(t), 1);
  // every waiter aborts → the shared request is abandoned; the next call starts a new one
  const c2 = secretCredential(t, app);
  const a1 = new AbortController();
  const p = c2.getToken(GRAPH, { abortSignal: a1.signal });
  setTimeout(() => a1.abort(), 50);
  await rejects(p, { name: "AbortError" });
  await t.emulator.setDelay(0);
  equal((await c2.getToken(GRAPH)).tokenType, "Bearer");
});

test("core: an already aborted signal rejects without a request", async (t) => {
  const app = await secretApp(t);
  const cred = secretCredential(t, app);
  await cred.getToken(ARM);
  const controller = new AbortController();
  controller.abort(new Error("stop"));
  await rejects(cred.getToken(ARM, { abortSignal: controller.signal }), { message: /stop/ });
  await rejects(cred.getToken(GRAPH, { abortSignal: controller.signal }), { message: /stop/ });
  equal(await tokenRequests(t), 1);
});

test("core: claims bypass the cache and are sent; enableCae asks for cp1 and is cached apart", async (t) => {
  const app = await secretApp(t);
  const cred = secretCredential(t, app);
  const a = await cred.getToken(ARM);
  const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: "1700000000" } } });
  const b = await cred.getToken(ARM, { claims });
  notEqual(b.token, a.token);
  let rs = await t.emulator.requests();
  equal(rs.length, 2);
  equal(rs[1]!.claims, claims);
  const c = await cred.getToken(ARM, { enableCae: true });
  rs = await t.emulator.requests();
  equal(rs.length, 3);
  deepEqual(JSON.parse(rs[2]!.claims ?? "{}"), { access_token: { xms_cc: { values: ["cp1"] } } });
  deepEqual((await t.emulator.verifyAccessToken(c.token)).xms_cc, ["cp1"]);
  equal((await cred.getToken(ARM, { enableCae: true })).token, c.token);
  await cred.getToken(ARM, { enableCae: true, claims });
  rs = await t.emulator.requests();
  equal(rs.length, 4);
  deepEqual(JSON.parse(rs[3]!.claims ?? "{}"), { access_token: { nbf: { essential: true, value: "1700000000" }, xms_cc: { values: ["cp1"] } } });
});

test("core: getToken({ tenantId }) needs additionallyAllowedTenants", async (t) => {
  const app = await secretApp(t);
  const other = t.id("other-tenant");
  await t.emulator.addApp({ tenantId: other, clientId: app.clientId, secrets: [app.secret] });
  await rejects(secretCredential(t, app).getToken(ARM, { tenantId: other }), { name: "CredentialUnavailableError", message: /additionallyAllowedTenants/ });
  equal(await tokenRequests(t), 0);
  const star = secretCredential(t, app, { additionallyAllowedTenants: ["*"] });
  const token = await star.getToken(ARM, { tenantId: other });
  equal((await t.emulator.verifyAccessToken(token.token)).tid, other);
  const [r] = await t.emulator.requests();
  equal(r!.path, `/${other}/oauth2/v2.0/token`);
  const listed = secretCredential(t, app, { additionallyAllowedTenants: [other] });
  await listed.getToken(ARM, { tenantId: other });
  await listed.getToken(ARM);
  equal(await tokenRequests(t), 3, "tenants are cached apart");
  await rejects(listed.getToken(ARM, { tenantId: "../x" }), { name: "TypeError" });
  ok(new CredentialUnavailableError("x") instanceof Error);
});

test("core: caller mistakes are synchronous TypeErrors", (t) => {
  const ok1 = { authorityHost: t.emulatorUrl };
  throws(() => new ClientSecretCredential("../x", "c", "s", ok1), { name: "TypeError", message: /tenantId/ });
  throws(() => new ClientSecretCredential("..", "c", "s", ok1), { name: "TypeError" });
  throws(() => new ClientSecretCredential("common", "c", "s", ok1), { name: "TypeError", message: /specific tenant/ });
  throws(() => new ClientSecretCredential("organizations", "c", "s", ok1), { name: "TypeError" });
  throws(() => new ClientSecretCredential("", "c", "s", ok1), { name: "TypeError" });
  throws(() => new ClientSecretCredential("t", "", "s", ok1), { name: "TypeError", message: /clientId/ });
  throws(() => new ClientSecretCredential("t", "c d", "s", ok1), { name: "TypeError", message: /clientId/ });
  throws(() => new ClientSecretCredential("t", "c", "", ok1), { name: "TypeError", message: /clientSecret/ });
  throws(() => new ClientSecretCredential("t", "c", "s", { authorityHost: "http://login.example.com" }), { name: "TypeError", message: /https/ });
  throws(() => new ClientSecretCredential("t", "c", "s", { authorityHost: "not a url" }), { name: "TypeError" });
  throws(() => new ClientSecretCredential("t", "c", "s", { authorityHost: "https://login.example.com/?q=1" }), { name: "TypeError" });
  throws(() => new ClientSecretCredential("t", "c", "s", { retryOptions: { maxRetries: -1 } }), { name: "TypeError" });
  throws(() => new ClientSecretCredential("t", "c", "s", { additionallyAllowedTenants: ["a/b"] }), { name: "TypeError" });
  throws(() => new ClientAssertionCredential("t", "c", undefined as unknown as () => string), { name: "TypeError" });
  new ClientSecretCredential("t", "c", "s", { authorityHost: "http://127.0.0.1:1234" });
  new ClientSecretCredential("t", "c", "s", { authorityHost: "http://localhost:1234/" });
  new ClientSecretCredential("t", "c", "s", { authorityHost: "http://[::1]:1234" });
  new ClientSecretCredential("contoso.onmicrosoft.com", "c", "s");
});

test("core: malformed scopes reject with a TypeError and send nothing", async (t) => {
  const app = await secretApp(t);
  const cred = secretCredential(t, app);
  await rejects(cred.getToken(""), { name: "TypeError" });
  await rejects(cred.getToken([]), { name: "TypeError" });
  await rejects(cred.getToken("two scopes"), { name: "TypeError" });
  await rejects(cred.getToken(["ok/.default", 7 as unknown as string]), { name: "TypeError" });
  await rejects(cred.getToken("x".repeat(2000)), { name: "TypeError" });
  await rejects(cred.getToken(null as unknown as string), { name: "TypeError" });
  equal(await tokenRequests(t), 0);
});

test("core: fetch is looked up at call time, and options.fetch is used", async (t) => {
  const app = await secretApp(t);
  const cred = secretCredential(t, app);
  const original = globalThis.fetch;
  let calls = 0;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    calls++;
    return original(input, init);
  }) as typeof fetch;
  try {
    await cred.getToken(ARM);
  } finally {
    globalThis.fetch = original;
  }
  equal(calls, 1);
  let own = 0;
  const withOwn = secretCredential(t, app, {
    fetch: (input, init) => {
      own++;
      return original(input, init);
    },
  });
  await withOwn.getToken(ARM);
  equal(own, 1);
});

test("core: the emulator's fetch handler works as the transport (in-process, no network)", async () => {
  const emu = new EntraEmulator();
  emu.addApp({ tenantId: "t-local", clientId: "c-local", secrets: ["s-local"] });
  const cred = new ClientSecretCredential("t-local", "c-local", "s-local", {
    authorityHost: "https://login.microsoftonline.com",
    fetch: (input, init) => emu.fetch(new Request(input, init)),
    retryOptions: { retryDelayInMs: 1 },
  });
  const token = await cred.getToken(GRAPH);
  equal((await emu.verifyAccessToken(token.token)).aud, "https://graph.microsoft.com");
  emu.injectFault({ kind: "drop" });
  await cred.getToken(ARM);
  equal(emu.requests().length, 3);
});

test("core: ClientAssertionCredential sends the callback's assertion per request", async (t) => {
  const app = await secretApp(t);
  let calls = 0;
  const cred = new ClientAssertionCredential(app.tenantId, app.clientId, async () => `header.payload-${++calls}.signature`, {
    authorityHost: t.emulatorUrl,
  });
  // The emulator verifies assertions against registered certificates; this app has none → 700027.
  const e = await rejects(cred.getToken(ARM), { name: "AuthenticationError" });
  equal(calls, 1);
  const [r] = await t.emulator.requests();
  equal(r!.clientAuth, "assertion");
  ok(!e.message.includes("header.payload-1.signature"));
  const empty = new ClientAssertionCredential(app.tenantId, app.clientId, () => "", { authorityHost: t.emulatorUrl });
  await rejects(empty.getToken(ARM), { name: "TypeError", message: /getAssertion/ });
});

test("core: an AbortSignalLike without reason (older @azure/abort-controller) rejects with an AbortError", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "hang" });
  const listeners: (() => void)[] = [];
  const signal = {
    aborted: false,
    addEventListener: (_: "abort", l: () => void) => listeners.push(l),
    removeEventListener: () => {},
  };
  setTimeout(() => {
    signal.aborted = true;
    for (const l of listeners) l();
  }, 100);
  const e = await rejects(secretCredential(t, app, { retryOptions: { tryTimeoutInMs: 5000 } }).getToken(ARM, { abortSignal: signal }), { name: "AbortError" });
  ok(e instanceof Error || typeof e === "object");
});

test("core: input limits — tenant ids, client ids and scopes are checked for length and characters before any request", async (t) => {
  const o = { authorityHost: t.emulatorUrl };
  throws(() => new ClientSecretCredential("a".repeat(257), "c", "s", o), { name: "TypeError", message: /at most 256/ });
  new ClientSecretCredential("a".repeat(256), "c", "s", o);
  throws(() => new ClientSecretCredential("tenant\u0000x", "c", "s", o), { name: "TypeError" });
  throws(() => new ClientSecretCredential("tenänt", "c", "s", o), { name: "TypeError" });
  throws(() => new ClientSecretCredential("tenant%2F..", "c", "s", o), { name: "TypeError" });
  throws(() => new ClientSecretCredential("t", "c".repeat(257), "s", o), { name: "TypeError", message: /clientId/ });
  throws(() => new ClientSecretCredential("t", "c\r\nx", "s", o), { name: "TypeError", message: /clientId/ });
  throws(() => new ClientSecretCredential("t", "c", "s", { authorityHost: "ftp://127.0.0.1" }), { name: "TypeError" });
  throws(() => new ClientSecretCredential("t", "c", "s", { authorityHost: "http://127.0.0.2:80" }), { name: "TypeError", message: /https/ });
  const app = await secretApp(t);
  const cred = secretCredential(t, app);
  await rejects(cred.getToken("https://x/.default\r\nx"), { name: "TypeError" });
  await rejects(cred.getToken(Array.from({ length: 33 }, (_, i) => `https://r${i}/.default`)), { name: "TypeError" });
  await rejects(cred.getToken(ARM, { tenantId: "a".repeat(300) }), { name: "TypeError" });
  equal(await tokenRequests(t), 0);
});

test("core: an authority host with a long run of slashes is normalized in linear time", (t) => {
  // `/\/+$/` backtracks quadratically on slashes that are not at the end (20,000 took 340 ms, 200,000 ~34 s).
  const started = Date.now();
  const cred = new ClientSecretCredential("t", "c", "s", { authorityHost: `${t.emulatorUrl}/${"/".repeat(200_000)}t//` });
  atMost(Date.now() - started, 1_000, "ms to construct");
  ok(cred instanceof ClientSecretCredential);
});

// ── issue 11: the throttle is capped, the cached path is validated, every attempt is bounded ──

const HUGE = "1" + "0".repeat(400); // read as Infinity

test("core: Retry-After 10^400 or a date a year ahead throttles for at most 5 min, and no message says Infinity or NaN", async (t) => {
  const { events, logger } = collectLogs();
  const yearAhead = new Date(Date.now() + 365 * 86_400_000).toUTCString();
  const cases: [string, Record<string, string>][] = [
    ["Retry-After: 10^400", { "retry-after": HUGE }],
    ["Retry-After: a date a year ahead", { "retry-after": yearAhead }],
    ["retry-after-ms: 10^400", { "retry-after-ms": HUGE }],
    ["x-ms-retry-after-ms: 10^400", { "x-ms-retry-after-ms": HUGE }],
  ];
  for (const [name, headers] of cases) {
    const app = await secretApp(t);
    await t.emulator.injectFault({ kind: "status", status: 429, headers, clientId: app.clientId });
    const e = await rejects(secretCredential(t, app, { logger, retryOptions: { maxRetryDelayInMs: 60_000 } }).getToken(ARM), { name: "AuthenticationError", message: /maxRetryDelayInMs/ });
    equal(e.statusCode, 429, name);
    match(e.message, /The server asked to wait a day or more, more than maxRetryDelayInMs/, name);
    // a new credential object (a rotated secret, say): fails fast, for at most 5 min
    const fast = await rejects(secretCredential(t, app, { logger }).getToken(ARM), { name: "AuthenticationError" });
    equal((fast as unknown as AuthenticationError).code, "ERR_ENTRA_THROTTLED", name);
    equal((fast as unknown as AuthenticationError).errorResponse.error, "", name);
    const seconds = Number(/not sent again for (\d+) s/.exec(fast.message)?.[1]);
    ok(seconds > 0 && seconds <= 300, `${name}: throttled for ${seconds} s (${fast.message})`);
    for (const text of [e.message, fast.message, ...events.map((ev) => ev.message)]) ok(!/Infinity|NaN/.test(text), `${name}: ${text}`);
    equal(await tokenRequests(t), 1, `${name}: no request while throttled`);
    t.advanceClock(300_001);
    const token = await secretCredential(t, app).getToken(ARM);
    equal(token.tokenType, "Bearer", `${name}: allowed again after the cap`);
    await t.emulator.reset();
  }
});

test("core: retry-after-ms negative or not a number is skipped; an HTTP date in the past waits only the backoff", async (t) => {
  const cases: Record<string, string>[] = [{ "retry-after-ms": "-5000" }, { "retry-after-ms": "soon" }, { "x-ms-retry-after-ms": "1e9" }, { "retry-after": "Thu, 01 Jan 1970 00:00:00 GMT" }, { "retry-after": "-3" }];
  for (const headers of cases) {
    const app = await secretApp(t);
    await t.emulator.injectFault({ kind: "status", status: 503, headers, clientId: app.clientId });
    const { ms, value: token } = await timed(() => secretCredential(t, app, { retryOptions: { retryDelayInMs: 1, maxRetryDelayInMs: 100 } }).getToken(ARM));
    equal(token.tokenType, "Bearer", JSON.stringify(headers));
    atMost(ms, 3000, `${JSON.stringify(headers)}: retried without a long wait`);
    await t.emulator.reset();
  }
});

test("core: a Retry-After that is neither delay-seconds nor an IMF-fixdate in the future (-5, Foo 1, 1.5, 0, a passed date, ISO) waits the backoff with jitter (review 4, L1)", async (t) => {
  // Date.parse reads "Foo 1" and "-5" as dates in 2001: they were a wait of 0 ms, three attempts at once.
  const cases = ["-5", "Foo 1", "1.5", "0", new Date(Date.now() - 5000).toUTCString(), "2099-01-01T00:00:00Z"];
  for (const value of cases) {
    const app = await secretApp(t);
    const { events, logger } = collectLogs();
    await t.emulator.injectFault({ kind: "status", status: 429, headers: { "retry-after": value }, clientId: app.clientId });
    const token = await secretCredential(t, app, { logger, retryOptions: { maxRetries: 1, retryDelayInMs: 400 } }).getToken(ARM);
    equal(token.tokenType, "Bearer", value);
    const delays = events.filter((e) => e.event === "token.retry").map((e) => e.delayMs!);
    equal(delays.length, 1, value);
    ok(delays[0]! >= 200 && delays[0]! <= 400, `Retry-After: ${value}: waited ${delays[0]} ms, not the backoff of 200–400 ms`);
    const rs = await t.emulator.requests();
    equal(rs.length, 2, value);
    atLeast(rs[1]!.time - rs[0]!.time, 190, value);
    await t.emulator.reset();
  }
});

test("core: getToken's tenantId matches the credential's tenant and additionallyAllowedTenants in any case (review 4, L7)", async (t) => {
  const app = await secretApp(t);
  const other = t.id("other-tenant");
  await t.emulator.addApp({ tenantId: other, clientId: app.clientId, secrets: [app.secret] });
  const cred = secretCredential(t, app, { additionallyAllowedTenants: [other.toUpperCase()] });
  const own = await cred.getToken(ARM);
  equal((await cred.getToken(ARM, { tenantId: app.tenantId.toUpperCase() })).token, own.token, "the own tenant in capitals: its cached token");
  const foreign = await cred.getToken(ARM, { tenantId: other });
  equal((await t.emulator.verifyAccessToken(foreign.token)).tid, other);
  equal(await tokenRequests(t), 2);
});

test("core: another tenant in other capitals is one token and one request, sent in lower case — in the memory cache, single flight and the shared cache (review 5, L7)", async (t) => {
  const app = await secretApp(t);
  const other = t.id("other-tenant");
  await t.emulator.addApp({ tenantId: other, clientId: app.clientId, secrets: [app.secret] });
  const capital = other[0]!.toUpperCase() + other.slice(1);
  const store = memoryTokenCache();
  const cred = secretCredential(t, app, { additionallyAllowedTenants: ["*"], tokenCache: store });
  // Concurrent calls in two spellings share one flight; later ones in a third are served from the cache.
  const [first, second] = await Promise.all([cred.getToken(ARM, { tenantId: capital }), cred.getToken(ARM, { tenantId: other })]);
  equal(second.token, first.token, "concurrent calls in two spellings: one flight");
  equal((await cred.getToken(ARM, { tenantId: other.toUpperCase() })).token, first.token, "a third spelling: the cached token");
  equal((await t.emulator.verifyAccessToken(first.token)).tid, other);
  const cae = await cred.getToken(ARM, { tenantId: capital, enableCae: true });
  equal((await cred.getToken(ARM, { tenantId: other, enableCae: true })).token, cae.token, "CAE: one cache entry for both spellings");
  // Another instance sharing the store finds the token under the other spelling.
  const twin = secretCredential(t, app, { additionallyAllowedTenants: ["*"], tokenCache: store });
  equal((await twin.getToken(ARM, { tenantId: other.toUpperCase() })).token, first.token, "the shared cache: one entry for both spellings");
  const paths = (await t.emulator.requests()).map((r) => r.path).filter((p) => p.endsWith("/oauth2/v2.0/token"));
  deepEqual(paths, [`/${other.toLowerCase()}/oauth2/v2.0/token`, `/${other.toLowerCase()}/oauth2/v2.0/token`], "two requests (plain and CAE), both to the tenant in lower case");
});

test("core: the cached path validates scopes: another tenant's, the CAE or a several-scope token is not served for a crafted scope string", async (t) => {
  const app = await secretApp(t);
  const other = t.id("other-tenant");
  await t.emulator.addApp({ tenantId: other, clientId: app.clientId, secrets: [app.secret] });
  const cred = secretCredential(t, app, { additionallyAllowedTenants: [other] });
  const foreign = await cred.getToken(ARM, { tenantId: other });
  const cae = await cred.getToken(ARM, { enableCae: true });
  await cred.getToken(["https://storage.azure.com/.default", "https://storage.azure.com/user_impersonation"]).catch(() => undefined);
  for (const crafted of [`${other}\u0000\u0000${ARM}`, [`${other}\u0000\u0000${ARM}`], `${app.tenantId}\u0000cae\u0000${ARM}`, `${ARM}\u0000x`, "https://storage.azure.com/.default https://storage.azure.com/user_impersonation"]) {
    const got = await cred.getToken(crafted).then(
      (tok) => tok,
      (e: unknown) => e,
    );
    ok(got instanceof TypeError, `${JSON.stringify(crafted)}: a TypeError, not ${got === foreign ? "the other tenant's token" : got === cae ? "the CAE token" : String(got)}`);
  }
  // the real calls still hit the cache
  const before = await tokenRequests(t);
  equal((await cred.getToken(ARM, { tenantId: other })).token, foreign.token);
  equal((await cred.getToken(ARM, { enableCae: true })).token, cae.token);
  const own = await cred.getToken(ARM);
  equal((await cred.getToken(ARM)).token, own.token);
  equal(await tokenRequests(t), before + 1, "only the own-tenant token was fetched");
});

test("core: the signal a fetch was given does not keep the attempt alive — undici holds it until a finalizer runs, and it held the answer's Response and text, ~3–7 KB per cached credential (Node, Deno, Bun: a forced GC; Workers: no gc)", async (t) => {
  const g = globalThis as { gc?: () => void; Bun?: { gc(sync: boolean): void } };
  const collect = typeof g.gc === "function" ? () => g.gc!() : typeof g.Bun?.gc === "function" ? () => g.Bun!.gc(true) : undefined;
  // What undici's requestFinalizer does: keep the signal (strongly) after the request is over.
  const signals: unknown[] = [];
  const answers: WeakRef<object>[] = [];
  const fetch: FetchLike = async (_url, init) => {
    signals.push(init?.signal);
    const response = Response.json({ token_type: "Bearer", expires_in: 3599, access_token: `token-${signals.length}-${"x".repeat(2000)}` });
    answers.push(new WeakRef(response));
    return response;
  };
  const creds = Array.from({ length: 20 }, (_, i) => new ClientSecretCredential("contoso", `app-${i}`, "s3cret", { fetch }));
  const tokens = await Promise.all(creds.map((c) => c.getToken(ARM)));
  equal(tokens.length, 20);
  equal(signals.length, 20, "one request each");
  if (!collect) return; // workerd exposes no gc
  await new Promise((resolve) => setTimeout(resolve, 10)); // (a WeakRef's target lives until the job that made it is over)
  for (let i = 0; i < 3; i++) collect();
  await new Promise((resolve) => setTimeout(resolve, 10));
  collect();
  const alive = answers.filter((a) => a.deref() !== undefined).length;
  // (Bun's JavaScriptCore scans the stack conservatively: a stale pointer there can keep one or two. Before, all 20 were kept.)
  atMost(alive, t.runtime === "bun" ? 5 : 0, `Responses still reachable (from the kept signals) after a full GC, of 20`);
  equal(typeof (await creds[0]!.getToken(ARM)).token, "string", "the cached token is kept");
});

/** A transport that, while `state.hang`, never answers and ignores its signal; else the real fetch. */
/**
 * A transport that hangs (ignoring the signal) while `state.hang`, then answers at once with a
 * token: the answer does not depend on how fast a loaded machine serves the emulator, which a
 * 200 ms attempt budget would make the test about.
 */
function hangingFetch(state: { calls: number; hang: boolean }): FetchLike {
  return () => {
    state.calls++;
    if (state.hang) return new Promise<Response>(() => {});
    const answer = { token_type: "Bearer", expires_in: 3599, access_token: `token-${state.calls}` };
    return Promise.resolve(new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } }));
  };
}

test("core: tryTimeoutInMs ends attempts whose transport ignores the signal — a hung fetch, a body that never ends, a getAssertion that never settles — and a later call starts afresh", async (t) => {
  const app = await secretApp(t);
  const tryTimeoutInMs = 200;
  const retryOptions = { maxRetries: 1, retryDelayInMs: 10, tryTimeoutInMs };
  const bounded = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("getToken did not settle within 5 s")), 5_000))]);
  const expectTimeout = async (what: string, p: Promise<unknown>, detail: RegExp) => {
    const { ms, value: e } = await timed(() => bounded(p).then(() => ok(false, `${what}: resolved`), (err: unknown) => err as AuthenticationError));
    ok(e instanceof AuthenticationError, `${what}: an AuthenticationError (got ${String(e)})`);
    equal(e.statusCode, 0, what);
    equal(e.code, "ERR_ENTRA_TIMEOUT", what);
    equal(e.errorResponse.error, "", what);
    match(e.message, detail, what);
    match(e.message, /2 attempts/, what);
    atLeast(ms, 2 * tryTimeoutInMs - 20, `${what}: both attempts waited their timeout`);
    atMost(ms, 4_000, what);
    return e;
  };

  // 1. fetch never settles and drops init.signal
  const state = { calls: 0, hang: true };
  const opts = { authorityHost: t.emulatorUrl, retryOptions };
  const cred = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { ...opts, fetch: hangingFetch(state) });
  await expectTimeout("hung fetch", cred.getToken(ARM), /no answer within 200 ms/);
  equal(state.calls, 2, "one call per attempt");
  state.hang = false;
  equal((await bounded(cred.getToken(ARM))).tokenType, "Bearer", "a later call starts a new request");
  equal(state.calls, 3);

  // 2. the answer's body never ends (and ignores cancel)
  let bodies = 0;
  const stuckBody: FetchLike = async () => {
    bodies++;
    const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('{"access_token":')), pull: () => new Promise(() => {}), cancel: () => new Promise(() => {}) });
    return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  };
  const slowBody = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { ...opts, fetch: stuckBody });
  await expectTimeout("body that never ends", slowBody.getToken(GRAPH), /no answer within 200 ms/);
  equal(bodies, 2);

  // 3. getAssertion never settles
  let asked = 0;
  const assertion = new ClientAssertionCredential(app.tenantId, app.clientId, () => (asked++, new Promise<string>(() => {})), { ...opts, fetch: stuckBody });
  const stuck = await expectTimeout("getAssertion that never settles", assertion.getToken(ARM), /The client assertion was not ready: no client assertion within 200 ms\..*Check getAssertion \/ sign\.$/);
  ok(!/network access|Could not get an answer/.test((stuck as Error).message), "no network blame for a callback that hangs");
  equal(asked, 2);
  equal(bodies, 2, "nothing was sent without an assertion");
});

test("core: a caller's abortSignal ends the wait even when the transport ignores it; the next call starts a new request", async (t) => {
  const app = await secretApp(t);
  const state = { calls: 0, hang: true };
  const cred = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, {
    authorityHost: t.emulatorUrl,
    retryOptions: { tryTimeoutInMs: 60_000 },
    fetch: hangingFetch(state),
  });
  const signal = AbortSignal.timeout(150);
  const { ms, value: e } = await timed(() => rejects(cred.getToken(ARM, { abortSignal: signal })));
  equal(e, signal.reason);
  atMost(ms, 2_000);
  state.hang = false;
  equal((await cred.getToken(ARM)).tokenType, "Bearer");
  equal(state.calls, 2);
});

test("core: a custom fetch that resolves something other than a Response (an object, null, an Error, a string) is a TypeError from getToken saying so, once — it was ERR_ENTRA_UNREACHABLE 'check network access', retried (review 13)", async (t) => {
  const app = await secretApp(t);
  for (const [what, value, word] of [
    ["a plain object", { ok: true, body: "{}" }, "an object that is not a Response"],
    ["null", null, "null"],
    ["an Error", new Error("boom"), "an object that is not a Response"],
    ["a string", "{}", "string"],
    ["undefined", undefined, "undefined"],
  ] as const) {
    let calls = 0;
    const fetch = (async () => (calls++, value)) as unknown as FetchLike;
    const e = await rejects(secretCredential(t, app, { fetch }).getToken(ARM), { name: "TypeError" }, what);
    equal(e.message, `ClientSecretCredential: the fetch function resolved ${word}: a custom fetch must resolve a Response (or reject).`, what);
    equal(calls, 1, `${what}: not retried`);
  }
});
