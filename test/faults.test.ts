/**
 * The fault matrix: every emulator fault crossed with `maxRetries` 0 and 3, a fresh and a cached
 * credential, and 1 and 100 concurrent callers — and, for retryable faults with retries, a fault
 * that happens once (transient) and one that persists. Each cell states its expected outcome and
 * checks it: resolves (with a new token, or the cached one) or rejects with `AuthenticationError`
 * + `code` + `statusCode` + `errorResponse.error` (Entra's word, `""` when Entra sent none); the number of token requests; the elapsed time (a lower
 * bound from the waits the rules impose, an upper bound of those waits + SLACK_MS).
 *
 * Cells run concurrently (a pool), so the matrix costs a few seconds per runtime: every cell has
 * its own app (tenant + client id), its faults are restricted to that app (`clientId` on the
 * fault), and the 429 guard is keyed by client id, so cells never see each other's faults. Request
 * counts are read from one copy of the emulator's log at the end (per client id).
 *
 * "Cached" means a valid token (3600 s) is in the cache and past its refreshAfter (the app sends
 * `refresh_in: 0.2`), so the refresh meets the fault: DESIGN's rule is that a failed refresh
 * returns the still-valid cached token and does not try again for 30 s — each cached cell also
 * makes an immediate second call and checks it gets the same answer with no request.
 *
 * Decisions where DESIGN is silent (implemented in src/token/):
 * - `expires_in` 0 or negative → AuthenticationError `ERR_ENTRA_BAD_RESPONSE` (the answer's status), not
 *   retried: a token without a positive lifetime cannot be used or cached.
 * - `expires_in` of 10 years → accepted, `expiresOnTimestamp` as the server says, but the cache
 *   refreshes it after 24 h at the latest (`MAX_REFRESH_AFTER_MS`): Entra's tokens live ≤ 1 day, so
 *   this never changes a real Entra token, while a bogus lifetime cannot pin a token for years.
 * - `expires_in` above 100 years (e.g. 1e13 s, beyond any representable date — it used to throw a
 *   RangeError out of getToken) → `ERR_ENTRA_BAD_RESPONSE`.
 * - A body over 1 MiB → `ERR_ENTRA_BAD_RESPONSE` with the answer's `statusCode` (200; it was 0), not
 *   retried. A body of exactly 1 MiB is accepted.
 * - An HTML page with status 200 (captive portal) → `ERR_ENTRA_BAD_RESPONSE` 200, not retried; with
 *   502 it is retryable. Either way `errorResponse.error` is `""`: Entra sent no error JSON.
 * - A slow answer within `tryTimeoutInMs` is a normal answer; beyond it, it is a `timeout`
 *   (`ERR_ENTRA_TIMEOUT`, statusCode 0), retried like a hang.
 * - A refresh while a still-valid token is cached (a "soft" refresh) makes one attempt (of at most
 *   5 s) and is not retried: after any failure the cached token is served and the next refresh is
 *   30 s later — its callers hold a valid token, and must not wait out a retry chain (review 10) or
 *   a 429's pause.
 * - A 429 whose Retry-After is an HTTP date is waited until that date; once the date has passed,
 *   a further retry is immediate (the date is the server's word).
 */
import { AuthenticationError, ClientSecretCredential, type AccessToken } from "../src/core.ts";
import { MAX_REFRESH_AFTER_MS } from "../src/token/limits.ts";
import type { EmulatorFault, EmulatorRequest } from "../src/testing/types.ts";
import { atLeast, atMost, equal, ok } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";
import { ARM, secretApp, type TestApp } from "./support/helpers.ts";

/** Added to every elapsed-time upper bound: room for a loaded 2-core machine. */
const SLACK_MS = 5000;
/** Per-attempt timeout of the cells that meet a hang or a too-slow answer. */
const SHORT_TRY_MS = 1000;
const RETRY_DELAY_MS = 10;
const TEN_YEARS_S = 10 * 365 * 24 * 3600;
const MIB = 1024 * 1024;
/** How many cells run at once. */
const POOL = 16;

type Expect = "retryable" | "final" | "ok";

interface FaultCase {
  name: string;
  /** Built when the cell starts (an HTTP-date Retry-After is relative to now). */
  fault: () => EmulatorFault;
  expect: Expect;
  /** For failures: the code, statusCode and errorResponse.error of the AuthenticationError. */
  code?: string;
  status?: number;
  error?: string;
  /** Time one faulted attempt takes at least / at most (hang, slow), ms. */
  attemptMs?: [number, number];
  /** Wait before retry n (0-based) when the server asks for one, [min, max] ms; default backoff. */
  wait?: (n: number) => [number, number];
  tryTimeoutInMs?: number;
  /** Extra checks of a token a fresh cell obtained through this fault. */
  check?: (token: AccessToken, startedAt: number, endedAt: number) => void;
}

const backoff = (n: number): [number, number] => {
  const step = RETRY_DELAY_MS * 2 ** n;
  return [step / 2, step];
};

const FAULTS: FaultCase[] = [
  { name: "429 Retry-After: 1 (seconds)", fault: () => ({ kind: "status", status: 429, retryAfter: 1 }), expect: "retryable", status: 429, code: "ERR_ENTRA_THROTTLED", error: "temporarily_unavailable", wait: () => [990, 1000] },
  {
    name: "429 Retry-After: HTTP date",
    // ~2 s ahead, truncated to the second by the date format: the first wait is 1–2 s, later ones 0.
    fault: () => ({ kind: "status", status: 429, retryAfter: new Date(Date.now() + 2000).toUTCString() }),
    expect: "retryable",
    status: 429,
    code: "ERR_ENTRA_THROTTLED", error: "temporarily_unavailable",
    wait: (n) => (n === 0 ? [500, 2000] : [0, 2000]),
  },
  { name: "429 without Retry-After", fault: () => ({ kind: "status", status: 429 }), expect: "retryable", status: 429, code: "ERR_ENTRA_THROTTLED", error: "temporarily_unavailable" },
  { name: "500", fault: () => ({ kind: "status", status: 500 }), expect: "retryable", status: 500, code: "ERR_ENTRA_REFUSED", error: "server_error" },
  { name: "502", fault: () => ({ kind: "status", status: 502 }), expect: "retryable", status: 502, code: "ERR_ENTRA_REFUSED", error: "server_error" },
  { name: "503", fault: () => ({ kind: "status", status: 503 }), expect: "retryable", status: 503, code: "ERR_ENTRA_REFUSED", error: "temporarily_unavailable" },
  { name: "503 Retry-After: 1", fault: () => ({ kind: "status", status: 503, retryAfter: 1 }), expect: "retryable", status: 503, code: "ERR_ENTRA_REFUSED", error: "temporarily_unavailable", wait: () => [990, 1000] },
  { name: "504", fault: () => ({ kind: "status", status: 504 }), expect: "retryable", status: 504, code: "ERR_ENTRA_REFUSED", error: "temporarily_unavailable" },
  { name: "408", fault: () => ({ kind: "status", status: 408 }), expect: "retryable", status: 408, code: "ERR_ENTRA_REFUSED", error: "invalid_request" },
  { name: "dropped connection", fault: () => ({ kind: "drop" }), expect: "retryable", status: 0, code: "ERR_ENTRA_UNREACHABLE", error: "" },
  { name: "hang", fault: () => ({ kind: "hang" }), expect: "retryable", status: 0, code: "ERR_ENTRA_TIMEOUT", error: "", attemptMs: [SHORT_TRY_MS - 10, SHORT_TRY_MS], tryTimeoutInMs: SHORT_TRY_MS },
  {
    name: "slow answer beyond tryTimeoutInMs",
    fault: () => ({ kind: "slow", delayMs: 5000 }),
    expect: "retryable",
    status: 0,
    code: "ERR_ENTRA_TIMEOUT", error: "",
    attemptMs: [SHORT_TRY_MS - 10, SHORT_TRY_MS],
    tryTimeoutInMs: SHORT_TRY_MS,
  },
  { name: "HTML 502 (proxy page)", fault: () => ({ kind: "html", status: 502 }), expect: "retryable", status: 502, code: "ERR_ENTRA_BAD_RESPONSE", error: "" },
  { name: "HTML 200 (captive portal)", fault: () => ({ kind: "html", status: 200 }), expect: "final", status: 200, code: "ERR_ENTRA_BAD_RESPONSE", error: "" },
  { name: "broken JSON", fault: () => ({ kind: "brokenJson" }), expect: "final", status: 200, code: "ERR_ENTRA_BAD_RESPONSE", error: "" },
  { name: "missing access_token", fault: () => ({ kind: "missingToken" }), expect: "final", status: 200, code: "ERR_ENTRA_BAD_RESPONSE", error: "" },
  { name: "token_type pop", fault: () => ({ kind: "tokenFields", fields: { token_type: "pop" } }), expect: "final", status: 200, code: "ERR_ENTRA_BAD_RESPONSE", error: "" },
  { name: "expires_in 0", fault: () => ({ kind: "tokenFields", fields: { expires_in: 0 } }), expect: "final", status: 200, code: "ERR_ENTRA_BAD_RESPONSE", error: "" },
  { name: "expires_in negative", fault: () => ({ kind: "tokenFields", fields: { expires_in: -60 } }), expect: "final", status: 200, code: "ERR_ENTRA_BAD_RESPONSE", error: "" },
  { name: "expires_in 1e13 s (no representable date)", fault: () => ({ kind: "tokenFields", fields: { expires_in: 1e13 } }), expect: "final", status: 200, code: "ERR_ENTRA_BAD_RESPONSE", error: "" },
  { name: "body over 1 MiB", fault: () => ({ kind: "hugeBody", bytes: MIB + 1 }), expect: "final", status: 200, code: "ERR_ENTRA_BAD_RESPONSE", error: "" },
  {
    name: "slow answer within tryTimeoutInMs",
    fault: () => ({ kind: "slow", delayMs: 300 }),
    expect: "ok",
    attemptMs: [290, 300],
  },
  {
    name: 'expires_in "1800" (string)',
    fault: () => ({ kind: "tokenFields", fields: { expires_in: "1800", refresh_in: null } }),
    expect: "ok",
    check: (token, start, end) => {
      atLeast(token.expiresOnTimestamp, start + 1800_000, "expiresOn");
      atMost(token.expiresOnTimestamp, end + 1800_000, "expiresOn");
      equal(token.expiresOnTimestamp - token.refreshAfterTimestamp, 300_000, "refresh 5 min before expiry");
    },
  },
  {
    name: "expires_in 10 years",
    fault: () => ({ kind: "tokenFields", fields: { expires_in: TEN_YEARS_S, refresh_in: null } }),
    expect: "ok",
    check: (token, start, end) => {
      atLeast(token.expiresOnTimestamp, start + TEN_YEARS_S * 1000, "expiresOn as the server says");
      atMost(token.expiresOnTimestamp, end + TEN_YEARS_S * 1000, "expiresOn as the server says");
      atLeast(token.refreshAfterTimestamp, start + MAX_REFRESH_AFTER_MS, "refreshAfter capped at 24 h");
      atMost(token.refreshAfterTimestamp, end + MAX_REFRESH_AFTER_MS, "refreshAfter capped at 24 h");
    },
  },
  { name: "body of exactly 1 MiB", fault: () => ({ kind: "hugeBody", bytes: MIB }), expect: "ok" },
];

interface Cell {
  name: string;
  f: FaultCase;
  maxRetries: 0 | 3;
  cached: boolean;
  callers: 1 | 100;
  times: 1 | "forever";
  /** Filled when the cell runs. */
  app?: TestApp;
  /** Token requests the cell must have made (read from the log at the end). */
  expectedRequests?: number;
  /** How many of them the fault answered. */
  expectedFaulted?: number;
  /** Attempts the credential made (its logger's token.request events) during setup / the faulted calls. */
  setupSent?: number;
  sent?: number;
  /** What the callers got: a new token, the cached one, or the expected error. */
  outcome?: "token" | "cached" | "error";
}

/** What the rules make of a cell: attempts, outcome, elapsed bounds. */
function plan(c: Cell): { attempts: number; faulted: number; succeeds: boolean; minMs: number; maxMs: number } {
  const { f } = c;
  let attempts = 1;
  let faulted = 1;
  let succeeds = f.expect === "ok";
  if (f.expect === "retryable") {
    if (c.cached) attempts = 1; // a refresh makes one attempt (review 10: it waited out every retry with a valid token in hand)
    else if (c.times === 1) attempts = Math.min(2, c.maxRetries + 1);
    else attempts = c.maxRetries + 1;
    faulted = c.times === 1 ? 1 : attempts;
    succeeds = attempts > faulted;
  }
  let minMs = 0;
  let maxMs = 0;
  const [aMin, aMax] = f.attemptMs ?? [0, 0];
  minMs += faulted * aMin;
  maxMs += faulted * aMax;
  for (let n = 0; n < attempts - 1; n++) {
    const [wMin, wMax] = f.wait ? f.wait(n) : backoff(n);
    minMs += wMin;
    maxMs += wMax;
  }
  return { attempts, faulted, succeeds, minMs, maxMs: maxMs + SLACK_MS };
}

function cells(): Cell[] {
  const out: Cell[] = [];
  for (const f of FAULTS) {
    for (const maxRetries of [0, 3] as const) {
      // A transient and a persistent fault differ only when there is a retry to make.
      const variants: (1 | "forever")[] = f.expect === "retryable" && maxRetries > 0 ? [1, "forever"] : ["forever"];
      for (const times of variants) {
        for (const cached of [false, true]) {
          for (const callers of [1, 100] as const) {
            const persistence = f.expect === "retryable" && maxRetries > 0 ? (times === 1 ? ", once" : ", persistent") : "";
            out.push({
              name: `${f.name} × maxRetries ${maxRetries}${persistence} × ${cached ? "cached" : "fresh"} × ${callers} caller${callers > 1 ? "s" : ""}`,
              f,
              maxRetries,
              cached,
              callers,
              times,
            });
          }
        }
      }
    }
  }
  return out;
}

function describeOutcome(r: PromiseSettledResult<AccessToken>): string {
  if (r.status === "fulfilled") return "resolved";
  const e = r.reason as { name?: string; statusCode?: number; errorResponse?: { error?: string }; message?: string };
  return `${e?.name} ${e?.statusCode} ${e?.errorResponse?.error}: ${String(e?.message).slice(0, 200)}`;
}

async function runCell(t: TestContext, c: Cell): Promise<void> {
  const p = plan(c);
  const app = await secretApp(t, c.cached ? { expiresIn: 3600, refreshIn: 0.2 } : {});
  c.app = app;
  let sent = 0;
  const cred = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, {
    authorityHost: t.emulatorUrl,
    logger: (e) => {
      if (e.event === "token.request") sent++;
    },
    retryOptions: { maxRetries: c.maxRetries, retryDelayInMs: RETRY_DELAY_MS, maxRetryDelayInMs: 5000, tryTimeoutInMs: c.f.tryTimeoutInMs ?? 10_000 },
  });
  let initial: AccessToken | undefined;
  if (c.cached) {
    initial = await cred.getToken(ARM);
    // Later answers without refresh_in: a new token is then cached for its normal lifetime.
    await t.emulator.addApp({ tenantId: app.tenantId, clientId: app.clientId, secrets: [app.secret], expiresIn: 3600 });
    const due = initial.refreshAfterTimestamp - Date.now() + 20;
    if (due > 0) await new Promise((r) => setTimeout(r, due));
  }
  // Setup attempts are counted (on a loaded machine the setup request itself may time out and be retried).
  c.setupSent = sent;
  await t.emulator.injectFault({ ...c.f.fault(), times: c.times, clientId: app.clientId });

  const started = Date.now();
  const results = await Promise.allSettled(Array.from({ length: c.callers }, () => cred.getToken(ARM)));
  const ended = Date.now();
  const elapsed = ended - started;

  // Every caller sees the same outcome (one shared request) — but of a refresh, only its first
  // caller waits for it: the others, which came while it was in progress, get the cached token.
  // (Tokens are compared, never printed.)
  const waited = c.cached ? results.slice(0, 1) : results;
  const tokens = new Set(waited.map((r) => (r.status === "fulfilled" ? r.value.token : undefined)));
  const outcomes = new Set(results.map(describeOutcome));
  equal(outcomes.size, 1, `all ${c.callers} callers see one outcome (${[...outcomes].join(" | ")})`);
  equal(tokens.size, 1, `all ${waited.length} callers that waited for the request get the same token`);
  if (c.cached) ok(results.slice(1).every((r) => r.status === "fulfilled" && r.value.token === initial!.token), "callers during the refresh get the cached token");
  const first = results[0]!;

  if (p.succeeds || c.cached) {
    ok(first.status === "fulfilled", `expected a token, got ${describeOutcome(first)}`);
    const token = first.value;
    ok(token.expiresOnTimestamp > ended, "the token is valid when returned");
    if (p.succeeds) {
      if (initial) ok(token.token !== initial.token, "a new token from the refresh");
      c.f.check?.(token, started, ended);
      const claims = await t.emulator.verifyAccessToken(token.token);
      equal(claims.appid, app.clientId);
    } else {
      ok(token.token === initial!.token, "the failed refresh returns the still-valid cached token");
    }
    // Served from the cache now: a new token is cached, or a failed refresh pauses for 30 s.
    const again = await cred.getToken(ARM);
    ok(again.token === token.token, "the next call is served from the cache");
  } else {
    ok(first.status === "rejected", "expected a rejection");
    const e = first.reason as AuthenticationError;
    equal(e?.name, "AuthenticationError", `error name (${describeOutcome(first)})`);
    ok(e instanceof AuthenticationError);
    equal(e.code, c.f.code, "code");
    equal(e.statusCode, c.f.status, "statusCode");
    equal(e.errorResponse.error, c.f.error, "errorResponse.error (Entra's word only)");
  }
  atLeast(elapsed, p.minMs, "elapsed ms (lower bound)");
  atMost(elapsed, p.maxMs, "elapsed ms (upper bound)");
  c.outcome = p.succeeds ? "token" : c.cached ? "cached" : "error";
  c.sent = sent - c.setupSent;
  equal(c.sent, p.attempts, "attempts made by the credential");
  c.expectedRequests = p.attempts + c.setupSent;
  c.expectedFaulted = p.faulted;
}

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

// Longest cells first, so the pool packs them well.
const MATRIX = cells().sort((x, y) => plan(y).minMs + (y.cached ? 200 : 0) - (plan(x).minMs + (x.cached ? 200 : 0)));

test(`faults: the matrix — ${FAULTS.length} faults × maxRetries 0/3 (once/persistent) × fresh/cached × 1/100 callers = ${MATRIX.length} cells`, async (t) => {
  const problems: string[] = [];
  const started = Date.now();
  await pool(MATRIX, POOL, async (c) => {
    try {
      await runCell(t, c);
    } catch (e) {
      problems.push(`${c.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  const log = await t.emulator.requests();
  const byClient = new Map<string, EmulatorRequest[]>();
  for (const r of log) {
    if (!r.clientId) continue;
    const list = byClient.get(r.clientId) ?? [];
    list.push(r);
    byClient.set(r.clientId, list);
  }
  let requests = 0;
  let faulted = 0;
  for (const c of MATRIX) {
    if (!c.app || c.expectedRequests === undefined) continue;
    const rs = byClient.get(c.app.clientId) ?? [];
    requests += rs.length;
    const hit = rs.filter((r) => r.fault !== undefined).length;
    faulted += hit;
    if (rs.length !== c.expectedRequests) problems.push(`${c.name}: expected ${c.expectedRequests} token requests, the emulator saw ${rs.length}`);
    if (hit !== c.expectedFaulted) problems.push(`${c.name}: expected ${c.expectedFaulted} faulted answers, the emulator gave ${hit}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const count = (o: Cell["outcome"]) => MATRIX.filter((c) => c.outcome === o).length;
  console.log(
    `    faults matrix [${t.runtime}]: ${MATRIX.length} cells (${count("token")} got a new token, ${count("cached")} the cached token, ${count("error")} the expected AuthenticationError), ${requests} token requests, ${faulted} faulted answers, ${seconds} s`,
  );
  if (problems.length) throw new Error(`${problems.length} of ${MATRIX.length} cells failed:\n${problems.slice(0, 40).join("\n")}`);
}, { timeoutMs: 90_000 });

test("faults: emulator faults restricted to a tenant or an app, and probabilistic faults", async () => {
  const { EntraEmulator } = await import("../src/testing/emulator.ts");
  const emu = new EntraEmulator();
  for (const clientId of ["app-a", "app-b"]) emu.addApp({ tenantId: "t-one", clientId, secrets: ["s"] });
  emu.addApp({ tenantId: "t-two", clientId: "app-c", secrets: ["s"] });
  const status = async (tenantId: string, clientId: string) => {
    const body = new URLSearchParams({ client_id: clientId, client_secret: "s", grant_type: "client_credentials", scope: ARM });
    return (await emu.fetch(`http://127.0.0.1/${tenantId}/oauth2/v2.0/token`, { method: "POST", body })).status;
  };
  emu.injectFault({ kind: "status", status: 500, clientId: "APP-A" });
  emu.injectFault({ kind: "status", status: 502, tenantId: "t-two", times: "forever" });
  emu.injectFault({ kind: "status", status: 503 });
  equal(await status("t-one", "app-b"), 503, "app-b skips app-a's fault and takes the next one");
  equal(await status("t-one", "app-a"), 500, "app-a's fault (client ids compare case-insensitively)");
  equal(await status("t-one", "app-a"), 200, "consumed");
  equal(await status("t-two", "app-c"), 502);
  equal(await status("t-two", "app-c"), 502, "forever, for that tenant only");
  equal(await status("t-one", "app-b"), 200);
  emu.clearFaults();
  emu.injectFault({ kind: "status", status: 503, probability: 0.5, times: "forever", clientId: "app-a" });
  emu.injectFault({ kind: "status", status: 500, clientId: "app-a", times: 1 });
  let hit = 0;
  let fallthrough = 0;
  for (let i = 0; i < 200; i++) {
    const s = await status("t-one", "app-a");
    if (s === 503) hit++;
    if (s === 500) fallthrough++;
  }
  // Binomial(200, 0.5): outside 50..150 has a probability below 1e-12.
  atLeast(hit, 50);
  atMost(hit, 150);
  equal(fallthrough, 1, "a request the probabilistic fault spares goes on to the next fault");
  for (const bad of [{ probability: 0 }, { probability: 1.5 }, { probability: Number.NaN }, { clientId: "" }, { tenantId: 7 }]) {
    let threw = false;
    try {
      emu.injectFault({ kind: "drop", ...(bad as object) });
    } catch (e) {
      threw = e instanceof TypeError;
    }
    ok(threw, `rejects ${JSON.stringify(bad)}`);
  }
});
