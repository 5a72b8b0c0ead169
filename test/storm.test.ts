/**
 * The throttling storm: the emulator answers 429 with `Retry-After: 2` for 6 s while 50 callers per
 * cache key keep calling `getToken` (each every 50 ms, for 9 s). Three cache keys (three apps) live
 * through the same storm:
 *
 * - A, `maxRetries: 0`, no token yet: every call settles at once — an `AuthenticationError` 429
 *   with code `ERR_ENTRA_THROTTLED` (Entra's `temporarily_unavailable`, or no OAuth error when
 *   the 429 guard answered without the network) — until the storm ends, then a token.
 * - B, default retry options (3 retries, Retry-After honoured — DESIGN "Retry"), no token yet: the
 *   callers that shared a request wait out Retry-After with it (≤ 3 × 2 s: bounded by maxRetries,
 *   the price of the retry a user asked for); every call made while a Retry-After runs (as the
 *   credential's logger reports it) fails fast from the 429 guard instead of joining that wait. Its
 *   first caller starts alone; the 49 others start once that request waits out a Retry-After.
 * - C, a still-valid token in the cache, past its refreshAfter, default retry options: every call
 *   gets the cached token at once (the refresh gives up on the 429, then pauses 30 s).
 *
 * For every key the token endpoint sees at most one request per Retry-After window: consecutive
 * requests are ≥ 2 s apart (1.9 s allowed for clock granularity).
 */
import { AuthenticationError, ClientSecretCredential, type AccessToken, type CredentialOptions } from "../src/core.ts";
import { atLeast, atMost, equal, ok } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";
import { ARM, secretApp, type TestApp } from "./support/helpers.ts";

const STORM_MS = 6000;
const RETRY_AFTER_S = 2;
const CALLERS = 50;
const EVERY_MS = 50;
const LOOP_MS = STORM_MS + 3000;
/** A call that does not wait out Retry-After settles within this (generous on a loaded machine). */
const FAST_MS = 1500;

interface Call {
  started: number;
  ms: number;
  token?: AccessToken;
  /** The token was valid when returned. */
  valid?: boolean;
  error?: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function caller(cred: ClientSecretCredential, until: number, calls: Call[], startAfterMs: number): Promise<void> {
  await sleep(startAfterMs);
  while (Date.now() < until) {
    const started = Date.now();
    try {
      const token = await cred.getToken(ARM);
      const now = Date.now();
      calls.push({ started, ms: now - started, token, valid: token.expiresOnTimestamp > now });
    } catch (error) {
      calls.push({ started, ms: Date.now() - started, error });
    }
    await sleep(EVERY_MS);
  }
}

function credential(t: TestContext, app: TestApp, options: CredentialOptions = {}): ClientSecretCredential {
  return new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, ...options });
}

test("storm: 429 + Retry-After: 2 for 6 s, 50 callers per key: ≤ 1 request per window, fast errors or the cached token, then a token", async (t) => {
  const appA = await secretApp(t);
  const appB = await secretApp(t);
  const appC = await secretApp(t, { expiresIn: 3600, refreshIn: 0.2 });
  const a = credential(t, appA, { retryOptions: { maxRetries: 0 } });
  // B's waits for Retry-After, as its logger reports them: calls started inside one must fail fast.
  const waits: { from: number; to: number }[] = [];
  let firstWait: () => void = () => {};
  const waiting = new Promise<void>((r) => (firstWait = r));
  const b = credential(t, appB, {
    logger: (e) => {
      if (e.event !== "token.retry") return;
      waits.push({ from: Date.now(), to: Date.now() + (e.delayMs ?? 0) });
      firstWait();
    },
  });
  const c = credential(t, appC);
  const cached = await c.getToken(ARM);
  await t.emulator.addApp({ tenantId: appC.tenantId, clientId: appC.clientId, secrets: [appC.secret], expiresIn: 3600 });
  await sleep(Math.max(0, cached.refreshAfterTimestamp - Date.now() + 20));

  for (const app of [appA, appB, appC]) {
    await t.emulator.injectFault({ kind: "status", status: 429, retryAfter: RETRY_AFTER_S, times: "forever", clientId: app.clientId });
  }
  const stormStart = Date.now();
  const calls: Record<"a" | "b" | "c", Call[]> = { a: [], b: [], c: [] };
  const until = stormStart + LOOP_MS;
  const storm = (async () => {
    await sleep(STORM_MS);
    await t.emulator.clearFaults();
  })();
  await Promise.all([
    storm,
    // Callers start 1 ms apart, as traffic does, then call every 50 ms.
    ...Array.from({ length: CALLERS }, (_, i) => caller(a, until, calls.a, (i * EVERY_MS) / CALLERS)),
    // B's first caller starts a request; the others start once it waits out its first Retry-After.
    caller(b, until, calls.b, 0),
    ...Array.from({ length: CALLERS - 1 }, (_, i) => waiting.then(() => caller(b, until, calls.b, (i * EVERY_MS) / CALLERS))),
    ...Array.from({ length: CALLERS }, (_, i) => caller(c, until, calls.c, (i * EVERY_MS) / CALLERS)),
  ]);

  // After the storm (the last Retry-After has passed): a token for every key.
  const after = { a: await a.getToken(ARM), b: await b.getToken(ARM) };
  for (const token of Object.values(after)) {
    ok(token.expiresOnTimestamp > Date.now() + 3000_000);
    await t.emulator.verifyAccessToken(token.token);
  }
  ok((await c.getToken(ARM)).token === cached.token, "C still serves its cached token (the refresh pauses 30 s)");
  t.advanceClock(31_000);
  const refreshed = await c.getToken(ARM);
  ok(refreshed.token !== cached.token, "C refreshes after the pause");

  const log = await t.emulator.requests();
  const summary: string[] = [];
  for (const [key, app] of [["a", appA], ["b", appB], ["c", appC]] as const) {
    const rs = log.filter((r) => r.clientId === app.clientId && r.time >= stormStart);
    const throttled = rs.filter((r) => r.status === 429);
    for (let i = 1; i < rs.length; i++) {
      atLeast(rs[i]!.time - rs[i - 1]!.time, RETRY_AFTER_S * 1000 - 100, `key ${key}: requests ${i - 1} and ${i} are a Retry-After window apart`);
    }
    const list = calls[key];
    const errors = list.filter((x) => x.error !== undefined);
    const tokens = list.filter((x) => x.token !== undefined);
    for (const x of errors) {
      const e = x.error as AuthenticationError;
      ok(e instanceof AuthenticationError, `key ${key}: a clear AuthenticationError (got ${String((e as Error)?.name)})`);
      equal(e.statusCode, 429, `key ${key}: statusCode`);
      equal(e.code, "ERR_ENTRA_THROTTLED", `key ${key}: code`);
      ok(["temporarily_unavailable", ""].includes(e.errorResponse.error), `key ${key}: error ${e.errorResponse.error}`);
      if (e.errorResponse.error === "") atMost(x.ms, FAST_MS, `key ${key}: the 429 guard answers at once`);
    }
    ok(tokens.every((x) => x.valid), `key ${key}: every token is valid when returned`);
    const slowest = Math.max(...list.map((x) => x.ms));
    summary.push(`${key}: ${list.length} calls, ${errors.length} errors, ${tokens.length} tokens, ${rs.length} requests (${throttled.length} × 429), slowest ${slowest} ms`);
    if (key === "a") {
      atMost(slowest, FAST_MS, "A (maxRetries 0): no call waits");
      atLeast(throttled.length, 3, "A met the storm once per window");
      atMost(throttled.length, 4, "A: at most one request per window");
    }
    if (key === "b") {
      // Those who shared the first request wait out at most 3 Retry-After windows with it.
      atMost(slowest, 3 * RETRY_AFTER_S * 1000 + FAST_MS, "B: the longest call");
      // A call started while the flight waits out a Retry-After (50 ms margins) fails fast instead of joining the wait.
      const inWait = list.filter((x) => waits.some((w) => x.started >= w.from + 50 && x.started < w.to - 50));
      atLeast(inWait.length, CALLERS - 1, "B: calls were made while a Retry-After ran");
      for (const x of inWait) {
        equal((x.error as AuthenticationError | undefined)?.code, "ERR_ENTRA_THROTTLED", "B: a call made while Retry-After runs fails fast");
        equal((x.error as AuthenticationError | undefined)?.errorResponse?.error, "", "B: … from the 429 guard, not Entra");
        atMost(x.ms, FAST_MS, "B: the 429 guard answers at once");
      }
      const waited = list.filter((x) => x.ms > FAST_MS).length;
      equal(waits.length, 3, "B: the first request's flight waited out 3 Retry-After windows");
      summary.push(`b: ${waited} calls waited with a request, ${inWait.length} made during a Retry-After failed fast`);
      atMost(throttled.length, 4, "B: at most one request per window");
    }
    if (key === "c") {
      equal(errors.length, 0, "C: every call gets a token");
      ok(tokens.every((x) => x.token!.token === cached.token), "C: the cached token");
      atMost(slowest, FAST_MS, "C: no call waits for the refresh");
      equal(throttled.length, 1, "C: one refresh met the storm, then the 30 s pause");
    }
  }
  console.log(`    storm [${t.runtime}]: ${summary.join("; ")}`);
}, { timeoutMs: 30_000 });
