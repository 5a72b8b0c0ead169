/**
 * Unit tests of the token core's pure parts (src/token/): the retry decision, the lifetimes, the
 * memory cache's verdicts, the target of a call, the settings checks, single flight and the 429
 * guard — each alone, without the network. The fault matrix (faults.test.ts) stays the independent
 * model of how they add up.
 */
import { EXPIRY_MARGIN_MS, lifetimes, MemoryCache, REFRESH_RETRY_MS } from "../src/token/cache.ts";
import { settingsOf } from "../src/token/options.ts";
import { decide, type RetryPolicy } from "../src/token/retry.ts";
import { GRACE_MS, SharedWork, SingleFlight, type Due } from "../src/token/single-flight.ts";
import { targetOf } from "../src/token/target.ts";
import { throttle, throttledUntil } from "../src/token/throttle.ts";
import { MAX_REFRESH_AFTER_MS, MAX_SERVER_DELAY_MS, MAX_THROTTLE_MS } from "../src/token/limits.ts";
import { readLimited, serverRetryDelay } from "../src/token/response.ts";
import { newCorrelationId } from "../src/token/client.ts";
import { AuthenticationError, CredentialUnavailableError, type AccessToken } from "../src/core.ts";
import { atLeast, atMost, deepEqual, equal, match, ok, rejects, throws } from "./assert.ts";
import { test } from "./harness.ts";
import { within } from "./support/endless.ts";

const POLICY: RetryPolicy = { maxRetries: 3, retryDelayInMs: 800, maxRetryDelayInMs: 60_000, tryTimeoutInMs: 30_000 };
const token = (expiresOn: number, refreshAfter: number): AccessToken => ({ token: "t", tokenType: "Bearer", expiresOnTimestamp: expiresOn, refreshAfterTimestamp: refreshAfter });

test("token core: decide retries transient failures with equal-jitter backoff until maxRetries is used up", () => {
  const transient = { status: 503, retryable: true };
  // Attempt n waits between half and all of retryDelayInMs × 2^(n-1).
  deepEqual(decide(transient, 1, POLICY, false, 0), { delayMs: 400, throttleMs: undefined, stop: undefined });
  deepEqual(decide(transient, 1, POLICY, false, 1), { delayMs: 800, throttleMs: undefined, stop: undefined });
  equal(decide(transient, 3, POLICY, false, 0.5).delayMs, 2400);
  // The step is capped by maxRetryDelayInMs.
  equal(decide(transient, 30, { ...POLICY, maxRetries: 100 }, false, 1).delayMs, 60_000);
  // A retryDelayInMs above maxRetryDelayInMs: every wait between half of the cap and the cap (README's retryOptions row).
  const above = { ...POLICY, retryDelayInMs: 5_000, maxRetryDelayInMs: 1_000 };
  for (const n of [1, 2, 3]) deepEqual([decide(transient, n, above, false, 0).delayMs, decide(transient, n, above, false, 1).delayMs], [500, 1_000], `retry ${n}`);
  equal(decide(transient, 3, POLICY, false).stop, undefined, "the 3rd retry is allowed");
  equal(decide(transient, 4, POLICY, false).stop, "exhausted", "after maxRetries retries, stop");
  equal(decide({ status: 0, retryable: true }, 1, { ...POLICY, maxRetries: 0 }, false).stop, "exhausted");
});

test("token core: decide stops at once on a final answer, and never waits longer than maxRetryDelayInMs", () => {
  equal(decide({ status: 401, retryable: false }, 1, POLICY, false).stop, "final");
  equal(decide({ status: 200, retryable: false }, 1, POLICY, false).stop, "final", "an answer over 1 MiB is not retried");
  // The server's wait is taken as is (no jitter), and one longer than the policy allows fails now.
  deepEqual(decide({ status: 503, retryable: true, retryAfterMs: 1500 }, 1, POLICY, false, 0.9), { delayMs: 1500, throttleMs: undefined, stop: undefined });
  // A tiny server wait is raised to the backoff's least wait (half the step), never an immediate retry (review 5).
  for (const ms of [0.001, 0.9, 1, 1.5, 399]) equal(decide({ status: 503, retryable: true, retryAfterMs: ms }, 1, POLICY, false, 0.9).delayMs, 400, `retryAfterMs ${ms} on the first retry`);
  equal(decide({ status: 503, retryable: true, retryAfterMs: 1 }, 3, POLICY, false, 0.9).delayMs, 1600, "half of the third step (3,200 ms)");
  equal(decide({ status: 429, retryable: true, retryAfterMs: 1 }, 1, POLICY, false, 0.9).throttleMs, 400, "and a 429's pause is the same wait");
  equal(decide({ status: 503, retryable: true, retryAfterMs: 60_001 }, 1, POLICY, false).stop, "too long");
  equal(decide({ status: 503, retryable: true, retryAfterMs: 60_000 }, 1, POLICY, false).stop, undefined, "exactly the limit is waited");
});

test("token core: decide throttles after a 429, and a soft refresh neither waits out the server's pause nor retries", () => {
  deepEqual(decide({ status: 429, retryable: true, retryAfterMs: 5000 }, 1, POLICY, false), { delayMs: 5000, throttleMs: 5000, stop: undefined });
  // Without Retry-After, the throttle lasts the backoff.
  deepEqual(decide({ status: 429, retryable: true }, 2, POLICY, false, 0), { delayMs: 800, throttleMs: 800, stop: undefined });
  // A soft refresh (a valid token is cached) gives up on a 429 or a Retry-After, and still throttles.
  deepEqual(decide({ status: 429, retryable: true }, 1, POLICY, true, 0), { delayMs: 400, throttleMs: 400, stop: "soft" });
  equal(decide({ status: 503, retryable: true, retryAfterMs: 1000 }, 1, POLICY, true).stop, "soft");
  equal(decide({ status: 503, retryable: true }, 1, POLICY, true).stop, "soft", "…nor retries a plain transient failure (review 10: the whole chain was waited with a valid token in hand)");
  equal(decide({ status: 503, retryable: true }, 1, POLICY, false).stop, undefined, "a fetch without a cached token retries it");
  // A final answer stays final, soft or not; maxRetries wins over soft.
  equal(decide({ status: 429, retryable: true }, 4, POLICY, true).stop, "exhausted");
});

test("token core: readLimited decodes the answer as UTF-8 across chunk boundaries: a character split between chunks, a BOM dropped, a bad byte and a cut-off last character as U+FFFD", async () => {
  const bytes = (...parts: number[][]) => parts.map((p) => Uint8Array.from(p));
  const answer = (chunks: Uint8Array[]) =>
    new Response(new ReadableStream<Uint8Array>({ start: (c) => (chunks.forEach((chunk) => c.enqueue(chunk)), c.close()) }), { headers: { "content-type": "application/json" } });
  // "é" (c3 a9) and "€" (e2 82 ac) cut across three chunks, after a BOM (ef bb bf).
  equal(await readLimited(answer(bytes([0xef, 0xbb, 0xbf, 0x7b, 0xc3], [0xa9, 0xe2], [0x82, 0xac, 0x7d]))), "{é€}");
  // A byte that starts no character, and a last character cut off by the end of the body.
  equal(await readLimited(answer(bytes([0x61, 0xff, 0x62], [0xe2, 0x82]))), "a\ufffdb\ufffd");
  equal(await readLimited(answer([])), "");
  equal(await readLimited(new Response(null)), "");
  equal(await readLimited(answer(bytes([0x61, 0x62]))), "ab");
  equal(await readLimited(answer(bytes([0x61], [0x62, 0x63])), undefined, 2), undefined, "over the limit");
});

test("token core: serverRetryDelay takes delay-seconds (digits), an IMF-fixdate ahead and decimal ms, and skips anything else (review 4, L1)", () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  const wait = (headers: Record<string, string>) => serverRetryDelay(new Headers(headers), now);
  equal(wait({ "retry-after": "2" }), 2000);
  equal(wait({ "retry-after": " 2 " }), 2000, "header whitespace is not part of the value");
  // …also where the Headers did not normalize it (undici's answers keep "2 ": review 10, L11).
  const raw = (value: string) => ({ get: (n: string) => (n === "retry-after" ? value : null) }) as unknown as Headers;
  equal(serverRetryDelay(raw("2 "), now), 2000, "a raw \"2 \"");
  equal(serverRetryDelay(raw("\t3"), now), 3000, "a raw tab before");
  equal(wait({ "retry-after": "Tue, 01 Dec 2026 12:00:03 GMT" }), 3000);
  equal(wait({ "retry-after": "9".repeat(400) }), MAX_SERVER_DELAY_MS);
  equal(wait({ "retry-after-ms": "500" }), 500);
  equal(wait({ "x-ms-retry-after-ms": "250.5" }), 250.5);
  equal(wait({ "retry-after-ms": "soon", "retry-after": "1" }), 1000, "an unusable header is skipped, the next one read");
  // Not delay-seconds, not an IMF-fixdate (Date.parse reads most of them as some date), zero, or past: no server wait.
  for (const value of ["-5", "Foo 1", "1.5", "1e3", "+3", "0", "", "Tue, 01 Dec 2026 11:59:59 GMT", "Mon, 01 Dec 2026 12:00:03 GMT", "Tuesday, 01-Dec-26 12:00:03 GMT", "Tue Dec  1 12:00:03 2026", "2026-12-01T12:00:03Z", "Tue, 01 Dec 2026 12:00:03 +0000"]) {
    equal(wait({ "retry-after": value }), undefined, `Retry-After: ${JSON.stringify(value)}`);
  }
  for (const value of ["-5", "0", "1e3", "Foo 1"]) equal(wait({ "retry-after-ms": value }), undefined, `retry-after-ms: ${value}`);
});

test("token core: lifetimes follow DESIGN (refresh_in, half-life from 2 h, 5 min before expiry, at least daily)", () => {
  deepEqual(lifetimes(0, 3600, undefined), { expiresOn: 3_600_000, refreshAfter: 3_300_000 });
  deepEqual(lifetimes(0, 7200, undefined), { expiresOn: 7_200_000, refreshAfter: 3_600_000 });
  deepEqual(lifetimes(0, 300, undefined), { expiresOn: 300_000, refreshAfter: 150_000 }, "≤ 10 min: half the lifetime");
  deepEqual(lifetimes(1000, 3600, 600), { expiresOn: 3_601_000, refreshAfter: 601_000 }, "refresh_in wins");
  equal(lifetimes(0, 3600, 7200).refreshAfter, 3_300_000, "a refresh_in at or past expiry is not one: the default rule (review 10: it meant no early refresh at all)");
  equal(lifetimes(0, 3600, 3600).refreshAfter, 3_300_000);
  equal(lifetimes(0, 10 * 365 * 86_400, undefined).refreshAfter, MAX_REFRESH_AFTER_MS, "a bogus 10-year lifetime still refreshes daily");
});

test("token core: the memory cache's lookup says fresh, refreshable, expired or miss, and a failed refresh pauses", () => {
  const cache = new MemoryCache();
  equal(cache.lookup("k", 0)[0], "miss");
  cache.remember("k", token(200_000, 50_000), false);
  equal(cache.lookup("k", 49_999)[0], "fresh");
  const [state, entry] = cache.lookup("k", 50_000);
  equal(state, "refreshable");
  ok(entry);
  equal(cache.refreshFailed(entry, 50_000), true, "the first failed waiter reports it");
  equal(cache.refreshFailed(entry, 50_001), false, "the others find the pause set");
  equal(cache.lookup("k", 50_000 + REFRESH_RETRY_MS - 1)[0], "fresh", "served during the pause");
  equal(cache.lookup("k", 50_000 + REFRESH_RETRY_MS)[0], "refreshable", "then refreshed again");
  equal(cache.lookup("k", 200_000 - EXPIRY_MARGIN_MS - 1)[0], "refreshable", "still valid");
  equal(cache.lookup("k", 200_000 - EXPIRY_MARGIN_MS)[0], "expired", "too close to expiry: not served");
  equal(cache.lookup("k", 0)[0], "miss", "an expired entry is dropped");
});

test("token core: the cached path serves only servable entries, before their refreshAfter (or the shared cache's next look)", async () => {
  const cache = new MemoryCache();
  const served = token(100_000, 50_000);
  cache.remember("scope", served, true);
  equal(await cache.resolved("scope", 49_999), served);
  equal(cache.resolved("scope", 50_000), undefined);
  cache.remember("tenant\u0000cae\u0000scope", token(100_000, 50_000), false);
  equal(cache.resolved("tenant\u0000cae\u0000scope", 0), undefined, "not for the cached path");
  cache.remember("early", token(100_000, 50_000), true, 20_000);
  equal(cache.resolved("early", 20_000), undefined, "checkAt brings refreshAfter forward");
  equal(cache.lookup("early", 20_000)[0], "refreshable");
});

test("token core: the target of a call — cache, flight and 429-guard keys, tenant, claims and what the cached path may serve", () => {
  const s = settingsOf("ClientSecretCredential", "contoso", "app", { authorityHost: "https://login.example.com/", additionallyAllowedTenants: ["fabrikam"] });
  const own = targetOf(s, "https://graph.microsoft.com/.default", undefined);
  equal(own.url, "https://login.example.com/contoso/oauth2/v2.0/token");
  equal(own.cacheKey, "https://graph.microsoft.com/.default");
  equal(own.flightKey, own.cacheKey);
  equal(own.servable, true);
  equal(own.challenge, false);
  // Several scopes are sorted into one cache entry, which the cached path does not serve.
  const ab = targetOf(s, ["https://b.example/.default", "https://a.example/.default"], undefined);
  const ba = targetOf(s, ["https://a.example/.default", "https://b.example/.default"], undefined);
  equal(ab.scope, "https://a.example/.default https://b.example/.default");
  equal(ab.cacheKey, ba.cacheKey);
  equal(ab.servable, false);
  // Another tenant and CAE get keys of their own, which no scope string can equal.
  const other = targetOf(s, "x", { tenantId: "fabrikam" });
  equal(other.url, "https://login.example.com/fabrikam/oauth2/v2.0/token");
  equal(other.cacheKey, "fabrikam\u0000\u0000x");
  equal(other.servable, false);
  const cae = targetOf(s, "x", { enableCae: true });
  equal(cae.cacheKey, "contoso\u0000cae\u0000x");
  deepEqual(JSON.parse(cae.claims!), { access_token: { xms_cc: { values: ["cp1"] } } });
  equal(cae.challenge, false, "CAE alone is no challenge");
  // A challenge skips the caches and flies apart from plain calls; the 429 guard tells claims apart.
  const challenge = targetOf(s, "x", { claims: '{"access_token":{"nbf":{"essential":true}}}' });
  equal(challenge.challenge, true);
  ok(challenge.flightKey !== challenge.cacheKey);
  ok(challenge.throttleKey !== targetOf(s, "x", undefined).throttleKey);
});

test("token core: the target refuses what cannot be sent — bad scopes, tenants it may not use, claims that are not JSON", () => {
  const s = settingsOf("ClientSecretCredential", "contoso", "app", undefined);
  for (const scopes of [[], "", "a b", ["ok", 7], Array(33).fill("s"), "x".repeat(1025), "é"]) {
    throws(() => targetOf(s, scopes, undefined), { name: "TypeError" }, JSON.stringify(scopes).slice(0, 40));
  }
  throws(() => targetOf(s, "x", { tenantId: "common" }), { name: "TypeError", message: /specific tenant/ });
  const e = throws(() => targetOf(s, "x", { tenantId: "fabrikam" }), { name: "CredentialUnavailableError", message: /additionallyAllowedTenants/ });
  ok(e instanceof CredentialUnavailableError);
  throws(() => targetOf(s, "x", { enableCae: true, claims: "{not json" }), { name: "TypeError", message: /claims must be a JSON string/ });
  equal(targetOf(settingsOf("C", "contoso", "app", { additionallyAllowedTenants: ["*"] }), "x", { tenantId: "any-tenant" }).tenant, "any-tenant");
});

test("token core: tenants match in any case — the credential's own and the allowed ones — and the own tenant is sent as the credential has it (review 4, L7)", () => {
  const s = settingsOf("ClientSecretCredential", "Contoso", "app", { additionallyAllowedTenants: ["Fabrikam"] });
  const own = targetOf(s, "x", { tenantId: "contoso" });
  equal(own.tenant, "Contoso");
  equal(own.url, "https://login.microsoftonline.com/Contoso/oauth2/v2.0/token");
  equal(own.cacheKey, "x", "the own tenant's cache entry");
  equal(own.servable, true);
  const other = targetOf(s, "x", { tenantId: "FABRIKAM" });
  equal(other.url, "https://login.microsoftonline.com/fabrikam/oauth2/v2.0/token", "another tenant is sent in lower case");
  // Review 5, L7: every spelling of another tenant is one target — URL, cache, flight and 429 keys.
  for (const spelling of ["Fabrikam", "fabrikam", "fAbRiKaM"]) {
    const t = targetOf(s, "x", { tenantId: spelling });
    deepEqual([t.tenant, t.url, t.cacheKey, t.flightKey, t.throttleKey], [other.tenant, other.url, other.cacheKey, other.flightKey, other.throttleKey], spelling);
    equal(targetOf(s, "x", { tenantId: spelling, enableCae: true }).cacheKey, `fabrikam\u0000cae\u0000x`, `${spelling}, CAE`);
  }
  throws(() => targetOf(s, "x", { tenantId: "woodgrove" }), { name: "CredentialUnavailableError", message: /tenant woodgrove is not allowed: add it to additionallyAllowedTenants, or "\*" for any\.$/ });
  throws(() => targetOf(s, "x", { tenantId: "WoodGrove" }), { name: "CredentialUnavailableError", message: /tenant WoodGrove is not allowed/ }, "the refusal names the tenant as given");
});

test("token core: settings are checked once, at construction, with a TypeError naming the option", () => {
  const s = settingsOf("ClientSecretCredential", "contoso", "app", { retryOptions: { maxRetries: 0 } });
  deepEqual(s.policy, { maxRetries: 0, retryDelayInMs: 800, maxRetryDelayInMs: 60_000, tryTimeoutInMs: 30_000 });
  equal(s.authority, "https://login.microsoftonline.com");
  const bad: [unknown, unknown, object, RegExp][] = [
    ["organizations", "app", {}, /tenantId cannot be "organizations"/],
    ["contoso", "has space", {}, /clientId/],
    ["contoso", "app", { authorityHost: "http://login.example.com" }, /authorityHost must be an https: URL/],
    ["contoso", "app", { additionallyAllowedTenants: "fabrikam" }, /additionallyAllowedTenants/],
    ["contoso", "app", { fetch: "fetch" }, /fetch must be a function/],
    ["contoso", "app", { retryOptions: { tryTimeoutInMs: 0 } }, /retryOptions.tryTimeoutInMs must be a number > 0/],
    ["contoso", "app", { retryOptions: { maxRetries: -1 } }, /retryOptions.maxRetries must be a whole number ≥ 0 and at most 100\.$/],
    // a count of retries: 1.5 and 1e9 (retrying for ever) were taken (attack review of session 10)
    ["contoso", "app", { retryOptions: { maxRetries: 1.5 } }, /retryOptions.maxRetries must be a whole number ≥ 0 and at most 100\.$/],
    ["contoso", "app", { retryOptions: { maxRetries: 1e9 } }, /retryOptions.maxRetries must be a whole number ≥ 0 and at most 100\.$/],
    // Timers fire at once past 2³¹ − 1 ms: a timeout of Number.MAX_SAFE_INTEGER ended attempts after 1 ms (review 10, L7).
    ["contoso", "app", { retryOptions: { tryTimeoutInMs: Number.MAX_SAFE_INTEGER } }, /retryOptions.tryTimeoutInMs must be a number > 0 and at most 2147483647 \(ms, a timer's limit\)\.$/],
    ["contoso", "app", { retryOptions: { retryDelayInMs: 2 ** 31 } }, /retryOptions.retryDelayInMs must be a number ≥ 0 and at most 2147483647/],
    ["contoso", "app", { retryOptions: { maxRetryDelayInMs: 1e10 } }, /retryOptions.maxRetryDelayInMs must be a number ≥ 0 and at most 2147483647/],
  ];
  // The largest timer is taken.
  equal(settingsOf("C", "contoso", "app", { retryOptions: { tryTimeoutInMs: 2 ** 31 - 1 } }).policy.tryTimeoutInMs, 2 ** 31 - 1);
  for (const [tenant, client, options, message] of bad) throws(() => settingsOf("C", tenant, client, options), { name: "TypeError", message }, String(message));
});

test("token core: single flight shares one start per key; the last waiter to leave aborts it, others keep waiting", async () => {
  const flights = new SingleFlight<string>();
  let starts = 0;
  let signal: AbortSignal | undefined;
  let finish: (v: string) => void = () => {};
  const start = (s: AbortSignal) => {
    starts++;
    signal = s;
    return new Promise<string>((resolve) => (finish = resolve));
  };
  const a = new AbortController();
  const b = new AbortController();
  const pa = flights.join("k", start, a.signal);
  const pb = flights.join("k", start, b.signal);
  const pc = flights.join("k", start, undefined);
  equal(starts, 1, "one start for three callers");
  a.abort(new Error("a gave up"));
  await rejects(pa, { message: /a gave up/ });
  equal(signal!.aborted, false, "two callers still wait");
  finish("token");
  equal(await pb, "token");
  equal(await pc, "token");
  // After it settled, the key starts afresh; once every waiter left, the start's signal fires.
  const c = new AbortController();
  const pd = flights.join("k", start, c.signal);
  equal(starts, 2);
  c.abort(new Error("c gave up"));
  await rejects(pd, { message: /c gave up/ });
  equal(signal!.aborted, true, "the last waiter left: the request is aborted");
});

test("token core: single flight — a flight that has not moved on by the time it declared (plus GRACE_MS) is gone: its waiters start ONE fresh flight; a flight that keeps declaring later times is waited for (a Worker request that ended took its flight with it)", async (t) => {
  const flights = new SingleFlight<string>();
  let starts = 0;
  // The first flight declares 50 ms and never settles, as when workerd dropped the request that
  // started it (its timers with it); the fresh one gets the token.
  const start = (_: AbortSignal, due: Due) => {
    due(50);
    return ++starts === 1 ? new Promise<string>(() => {}) : Promise.resolve("fresh");
  };
  void flights.join("dead", start, undefined);
  ok(flights.flying("dead"));
  const started = Date.now();
  const [b, c] = await Promise.all([flights.join("dead", start, undefined), flights.join("dead", start, new AbortController().signal)]);
  const waited = Date.now() - started;
  deepEqual([b, c, starts], ["fresh", "fresh", 2], "both waiters left it for one fresh flight");
  atLeast(waited, 50 + GRACE_MS - 20, "not before its time plus the grace");
  atMost(waited, 50 + GRACE_MS + 1_000, "then at once");
  ok(!flights.flying("dead"), "the fresh flight settled");

  // A flight past its time is not "flying" (a refresh is started again), and a new caller replaces it at once.
  void flights.join("late", start, undefined);
  equal(starts, 3);
  t.advanceClock(50 + GRACE_MS + 1);
  ok(!flights.flying("late"), "gone");
  equal(await flights.join("late", start, undefined), "fresh");
  equal(starts, 4, "replaced without a wait");

  // A live flight that declares a new time before each step is never left, however long it takes.
  let slowStarts = 0;
  const slow = async (_: AbortSignal, due: Due) => {
    slowStarts++;
    for (let i = 0; i < 12; i++) {
      due(100);
      await new Promise((r) => setTimeout(r, 100));
    }
    return "slow";
  };
  const results = await Promise.all([flights.join("slow", slow, undefined), flights.join("slow", slow, undefined)]);
  deepEqual(results, ["slow", "slow"]);
  equal(slowStarts, 1, "one flight, waited for past 100 ms + GRACE_MS");
});
test("token core: shared work (a certificate's load, the shared cache's key) — shared while it runs and kept once done; a failure is not kept; a run past its time (plus GRACE_MS) is gone: the callers after it start ONE fresh run, and its starter waits for its own however long", async () => {
  let runs = 0;
  const outcomes: (() => Promise<string>)[] = [];
  /** Work whose runs take the next of `outcomes`, counted in `runs` (reset). */
  const scripted = () => {
    runs = 0;
    return new SharedWork<string>(async () => {
      runs++;
      return outcomes.shift()!();
    });
  };
  /** Work whose every run takes `ms`, then gives `value`, counted in `runs` (reset). */
  const sleeping = (ms: number, value = "v") => {
    runs = 0;
    return new SharedWork<string>(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, ms));
      return value;
    });
  };
  const work = scripted();
  const never = () => new Promise<string>(() => {});
  const soon = (v: string, ms = 20) => () => new Promise<string>((r) => setTimeout(r, ms, v));

  // Shared while it runs, then kept.
  outcomes.push(soon("a"));
  deepEqual(await Promise.all([work.get(Date.now() + 5_000), work.get(Date.now() + 5_000)]), ["a", "a"]);
  equal(await work.get(Date.now() + 5_000), "a");
  equal(runs, 1, "one run for three callers");

  // A failure is not kept: the next caller runs it again.
  const failing = new SharedWork<string>(async () => {
    runs++;
    throw new Error(`failure ${runs}`);
  });
  runs = 0;
  await rejects(failing.get(Date.now() + 5_000), { message: /^failure 1$/ });
  await rejects(failing.get(Date.now() + 5_000), { message: /^failure 2$/ });

  // A run that never settles (its request ended) declared 50 ms: the callers after it wait until then plus GRACE_MS, then share ONE fresh run.
  const gone = scripted();
  outcomes.push(never, soon("fresh"));
  void gone.get(Date.now() + 50);
  const started = Date.now();
  const [b, c] = await Promise.all([gone.get(Date.now() + 5_000), gone.get(Date.now() + 5_000)]);
  const waited = Date.now() - started;
  deepEqual([b, c, runs], ["fresh", "fresh", 2], "both left it for one fresh run");
  atLeast(waited, 50 + GRACE_MS - 20, "not before its time plus the grace");
  atMost(waited, 50 + GRACE_MS + 1_000, "then at once");
  // A caller that comes once it is past its time replaces it at once.
  const late = scripted();
  outcomes.push(never, soon("replaced", 0));
  void late.get(Date.now() - GRACE_MS - 1);
  const t0 = Date.now();
  equal(await late.get(Date.now() + 5_000), "replaced");
  atMost(Date.now() - t0, 500, "without a wait");
  equal(runs, 2);

  // The caller that starts a run waits for it past its time (it runs in its own request).
  const slow = scripted();
  outcomes.push(soon("slow", 50 + GRACE_MS + 300));
  equal(await slow.get(Date.now() + 50), "slow");
  equal(runs, 1, "not started again by its own starter");

  // (attack review, session 9) A run that is merely slow (Node: nothing is dropped) and succeeds
  // after it was replaced is not thrown away: the replacement settles with it, and it is kept.
  const merely = new SharedWork<string>(async () => {
    const n = ++runs;
    await new Promise((r) => setTimeout(r, n === 1 ? 1_500 : 4_000));
    return `run ${n}`;
  });
  runs = 0;
  const t1 = Date.now();
  const first = merely.get(Date.now() + 100);
  await new Promise((r) => setTimeout(r, 100 + GRACE_MS + 100)); // past its time plus the grace: a caller with time replaces it
  const second = await merely.get(Date.now() + 5_000);
  deepEqual([await first, second], ["run 1", "run 1"], "the replacement settled with the slow run's success");
  atMost(Date.now() - t1, 2_500, "when the slow run succeeded, not the replacement");
  equal(await merely.get(Date.now() + 5_000), "run 1", "kept");
  equal(runs, 2);

  // Callers whose own time has passed when they come (attempts that ended and left their call behind) wait; they start no run.
  const behind = sleeping(2_000);
  const t2 = Date.now();
  void behind.get(t2 + 100);
  await new Promise((r) => setTimeout(r, 150));
  deepEqual(await Promise.all(Array.from({ length: 10 }, () => behind.get(t2 + 100))), Array(10).fill("v"));
  equal(runs, 1, "one run for 11 callers");
  // Callers whose time runs out while they wait on a run past its time replace it once (the replacement is due no earlier than when it starts), not one after another.
  const outwaited = sleeping(1_900);
  const t3 = Date.now();
  void outwaited.get(t3 + 100);
  deepEqual(await Promise.all(Array.from({ length: 10 }, () => outwaited.get(t3 + 100))), Array(10).fill("v"));
  equal(runs, 2, "the first run and one replacement, for 11 callers");
  atMost(Date.now() - t3, 2_500, "settled by the first run's success");

  // A caller left behind on a run that never settles follows the run another caller starts (second attack review: it stayed pending).
  const followed = scripted();
  outcomes.push(never, soon("fresh", 0));
  void followed.get(Date.now() + 50);
  const lateCaller = followed.get(Date.now() - 1);
  await new Promise((r) => setTimeout(r, 50 + GRACE_MS + 50));
  equal(await followed.get(Date.now() + 5_000), "fresh");
  equal(await within(lateCaller, GRACE_MS + 500), "fresh", "the caller left behind got the fresh run's result");
  equal(runs, 2);

  // A caller whose signal fires leaves at once (with its reason); the run goes on for the others.
  const leaving = sleeping(300, "done");
  const controller = new AbortController();
  const left = leaving.get(Date.now() + 5_000, controller.signal);
  const stays = leaving.get(Date.now() + 5_000);
  controller.abort(new Error("the attempt ended"));
  await rejects(left, { message: /^the attempt ended$/ });
  equal(await stays, "done");
  equal(runs, 1);

  // A time at tryTimeoutInMs' limit (2^31 - 1 ms from now) waits in capped steps: no timer overflow (Node would fire it at once), one run.
  const long = sleeping(200);
  await Promise.all(Array.from({ length: 5 }, () => long.get(Date.now() + 2 ** 31 - 1)));
  equal(runs, 1, "one run for 5 callers");
});


test("token core: the 429 guard lasts the server's wait, at most MAX_THROTTLE_MS, and never shortens", () => {
  const key = `throttle-unit-${Math.random()}`;
  equal(throttledUntil(key, Date.now()), undefined);
  const now = Date.now();
  throttle(key, 2000);
  const until = throttledUntil(key, now)!;
  ok(until >= now + 2000 && until <= Date.now() + 2000, "Retry-After taken as is");
  throttle(key, 10);
  equal(throttledUntil(key, now), until, "a shorter wait does not shorten it");
  throttle(key, Infinity);
  ok(throttledUntil(key, now)! <= Date.now() + MAX_THROTTLE_MS, "capped");
  equal(throttledUntil(key, Date.now() + MAX_THROTTLE_MS + 1), undefined, "over once the cap passed");
});

test("token core: AuthenticationError's code says whose word it is, and errorResponse holds only what Entra sent", () => {
  const entra = new AuthenticationError(401, { error: "invalid_client", errorDescription: "AADSTS7000215: Invalid client secret provided." });
  equal(entra.code, "ERR_ENTRA_REFUSED");
  equal(entra.message, "invalid_client: AADSTS7000215: Invalid client secret provided.");
  equal(new AuthenticationError(429, { error: "temporarily_unavailable", errorDescription: "AADSTS50196: …" }).code, "ERR_ENTRA_THROTTLED");
  equal(new AuthenticationError(429, { error: "", errorDescription: "" }, "guard").code, "ERR_ENTRA_THROTTLED");
  equal(new AuthenticationError(502, { error: "", errorDescription: "" }, "HTML page").code, "ERR_ENTRA_BAD_RESPONSE");
  equal(new AuthenticationError(0, { error: "", errorDescription: "" }, "fetch failed").code, "ERR_ENTRA_UNREACHABLE");
  equal(new AuthenticationError(0, { error: "", errorDescription: "" }, "no answer", { code: "ERR_ENTRA_TIMEOUT" }).code, "ERR_ENTRA_TIMEOUT");
});

test("token core: the correlation id (client-request-id) is a UUID v4, a new one each time, with every hex digit in use", () => {
  const ids = new Set<string>();
  const seen = new Set<string>();
  for (let i = 0; i < 2_000; i++) {
    const id = newCorrelationId();
    match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "UUID v4 form");
    ids.add(id);
    for (const [k, c] of [...id.replaceAll("-", "")].entries()) seen.add(`${k}:${c}`);
  }
  equal(ids.size, 2_000, "2,000 ids, all distinct");
  // Every position but the version (12) and the variant (16) takes all 16 digits; the variant its 4.
  for (let k = 0; k < 32; k++) {
    const digits = [..."0123456789abcdef"].filter((c) => seen.has(`${k}:${c}`)).length;
    equal(digits, k === 12 ? 1 : k === 16 ? 4 : 16, `hex digits seen at position ${k}`);
  }
});
