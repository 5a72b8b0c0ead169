/**
 * Secrets in echoes (issue 11, items 3 and 4): a transport, proxy, WAF or gateway that puts the
 * token request — or part of it, in another encoding — into its error or into the token
 * endpoint's answer. Neither the client secret nor the client assertion may reach an error's
 * message, cause or properties, `errorResponse`, `JSON.stringify(error)`, a log event
 * (`token.failed`, `token.refresh_failed`) or `entra-edge token --json`.
 *
 * The fixed cases cover each encoding × part × place once; the fuzz property (runs: FUZZ_RUNS,
 * else 2,000 on Node (300 on the pinned Node 22/24 builds) and 300 elsewhere; seed: FUZZ_SEED, else random — both printed) draws secrets
 * over the whole character set (and Entra-portal-shaped ones) and echoes of every kind. Leaks are
 * found by the scanner of test/support/sentinels.ts, which decodes independently of the redactor.
 */
import fc from "fast-check";
import { AuthenticationError, ClientAssertionCredential, ClientSecretCredential, type CredentialOptions, type LogEvent } from "../src/core.ts";
import { runCli } from "../src/cli/main.ts";
import { atMost, equal, ok } from "./assert.ts";
import { redactor } from "../src/token/redact.ts";
import { test, type TestContext } from "./harness.ts";
import { echoingFetch, INNER, OUTER, PARTS, PLACES, type Echo } from "./support/echo.ts";
import { ARM, everyText, FAST_RETRY, secretApp } from "./support/helpers.ts";
import { decodedViews, formsOf, leakOf } from "./support/sentinels.ts";

/** A secret with every character an encoder treats specially, and some it does not. */
const ODD_SECRET = "Ab8Q~c.d_e-f g+h%i!j'k(l)m*n\"o\\p/q&r=s#t?u\nv\tw\u00e9x\u20acy\ud83d\ude00z";
/** The shape of the secrets the Entra portal makes: 40 characters of [A-Za-z0-9~._-], with a '~'. */
const PORTAL_SECRET = "Xy78Q~AbCdEfGhIjKlMnOpQrStUvWx.y_z-0~12";

type Kind = "secret" | "assertion";

interface Outcome {
  error: unknown;
  events: LogEvent[];
}

let unique = 0;

/** Gets a token through an echoing transport; returns the error and the log events. */
async function attempt(t: TestContext, kind: Kind, secret: string, echo: Echo, options: { refresh?: boolean } = {}): Promise<Outcome> {
  const events: LogEvent[] = [];
  const id = `echo-${t.runtime}-${++unique}`;
  const opts: CredentialOptions = {
    authorityHost: "https://login.example.test",
    fetch: echoingFetch(echo, { goodAnswers: options.refresh ? 1 : 0 }),
    retryOptions: { ...FAST_RETRY, maxRetries: 0 },
    logger: (e) => events.push(e),
  };
  const cred = kind === "secret" ? new ClientSecretCredential(`tenant-${id}`, `client-${id}`, secret, opts) : new ClientAssertionCredential(`tenant-${id}`, `client-${id}`, () => secret, opts);
  if (options.refresh) {
    await cred.getToken(ARM);
    t.advanceClock(3_400_000); // past refreshAfter (55 min for a 1 h token), well before expiry
    const token = await cred.getToken(ARM); // the refresh fails; the cached token is served
    equal(token.token, "opaque-access-token-value");
    return { error: undefined, events };
  }
  const error = await cred.getToken(ARM).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, events };
}

/** Every text a user or a log pipeline can see of the outcome. */
function visible(t: TestContext, o: Outcome): string[] {
  const texts = [everyText(o.error), JSON.stringify(o.events), everyText(o.events)];
  if (o.error instanceof Error) texts.push(JSON.stringify(o.error), JSON.stringify((o.error as AuthenticationError).errorResponse ?? null), String(o.error));
  if (t.inspect && o.error !== undefined) texts.push(t.inspect(o.error));
  return texts;
}

/** The first leak of `secret` in the outcome — whole, or any 8 characters of it in a row — described, or undefined. */
function leak(t: TestContext, o: Outcome, secret: string): string | undefined {
  const forms = formsOf(secret, 8);
  for (const text of new Set(visible(t, o))) {
    const how = leakOf(text, forms, decodedViews(text));
    if (how) return `${how} in ${JSON.stringify(text.slice(0, 400))}`;
  }
  return undefined;
}

const describeEcho = (e: Echo) => `${e.place} ${e.inner}/${e.outer}/${e.part} HTTP ${e.status} cut ${e.cut.toFixed(2)}`;

/**
 * The outers that re-encode every byte (hex, byte lists, HTML entities) whatever the inner encoding
 * made of the body: the fixed matrix takes them with the form and raw inners only, and in the
 * fields other than error_description only hexdump and html (CI time: they doubled it); the fuzz
 * property mixes every inner, outer and place.
 */
const BYTEWISE = new Set<string>(["hex", "HEX", "hex-spaced", "hexdump", "hex-escaped", "bytes-json", "html"]);
const outersFor = (inner: string) => OUTER.filter((o) => inner === "form" || inner === "raw" || !BYTEWISE.has(o));

test("redaction: the secret echoed by a transport error — field alone, body suffix or prefix, lower-case escapes, JSON, base64, hex — leaks nowhere", async (t) => {
  const failures: string[] = [];
  let n = 0;
  for (const secret of [PORTAL_SECRET, ODD_SECRET]) {
    for (const inner of INNER) {
      for (const outer of outersFor(inner)) {
        for (const part of PARTS) {
          for (const place of ["transport", "transport-split"] as const) {
            const echo: Echo = { inner, outer, part, place, status: 400, cut: (n++ % 7) / 7 };
            const o = await attempt(t, "secret", secret, echo);
            ok(o.error instanceof AuthenticationError, `${describeEcho(echo)}: an AuthenticationError`);
            equal((o.error as AuthenticationError).statusCode, 0);
            const found = leak(t, o, secret);
            if (found) failures.push(`${describeEcho(echo)}: ${found}`);
          }
        }
      }
    }
  }
  equal(failures.length, 0, `${failures.length} of ${n} echoes leaked, e.g.\n${failures.slice(0, 5).join("\n")}`);
});

test("redaction: the secret and the assertion echoed into every field of the answer (error, error_description, error_uri, trace_id, timestamp, correlation id, token_type, headers) leak nowhere", async (t) => {
  const failures: string[] = [];
  let n = 0;
  const assertion = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2xvZ2luIiwiaXNzIjoiYyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU";
  for (const [kind, secret] of [["secret", PORTAL_SECRET], ["secret", ODD_SECRET], ["assertion", assertion], ["assertion", ODD_SECRET]] as const) {
    for (const place of PLACES.filter((p) => !p.startsWith("transport"))) {
      for (const inner of INNER) {
        // Every pair of encodings in one field, the inner ones alone and inside JSON elsewhere (time).
        for (const outer of place === "error_description" ? outersFor(inner) : inner === "form" ? OUTER.filter((o) => !BYTEWISE.has(o) || o === "hexdump" || o === "html") : (["none", "json"] as const)) {
          for (const part of ["whole", "field", "value", "suffix"] as const) {
            const echo: Echo = { inner, outer, part, place, status: ([400, 401, 429, 500, 503] as const)[n % 5]!, cut: (n++ % 5) / 5 };
            const o = await attempt(t, kind, secret, echo);
            ok(o.error instanceof AuthenticationError, `${describeEcho(echo)}: an AuthenticationError (got ${String(o.error)})`);
            const found = leak(t, o, secret);
            if (found) failures.push(`${kind} ${describeEcho(echo)}: ${found}`);
          }
        }
      }
    }
  }
  equal(failures.length, 0, `${failures.length} of ${n} echoes leaked, e.g.\n${failures.slice(0, 5).join("\n")}`);
});

test("redaction: a failed refresh whose error echoes the secret logs token.refresh_failed without it", async (t) => {
  const failures: string[] = [];
  for (const place of ["transport", "error_description", "error"] as const) {
    for (const inner of ["form", "lower", "raw"] as const) {
      const echo: Echo = { inner, outer: "none", part: "field", place, status: 500, cut: 0 };
      const o = await attempt(t, "secret", PORTAL_SECRET, echo, { refresh: true });
      const refresh = o.events.find((e) => e.event === "token.refresh_failed");
      ok(refresh, "token.refresh_failed was logged");
      ok(refresh!.message.includes("[redacted]"), `the echo is in the message, redacted: ${refresh!.message}`);
      const found = leak(t, o, PORTAL_SECRET);
      if (found) failures.push(`${describeEcho(echo)}: ${found}`);
    }
  }
  equal(failures.length, 0, failures.join("\n"));
});

test("redaction: what the server said stays readable around the redacted secret", async (t) => {
  const o = await attempt(t, "secret", PORTAL_SECRET, { inner: "form", outer: "none", part: "field", place: "error_description", status: 400, cut: 0 });
  const e = o.error as AuthenticationError;
  equal(e.errorResponse.errorDescription, "AADSTS50000: bad request: client_secret=[redacted]\r\nTrace ID: 0000\r\nCorrelation ID: 1111");
  equal(e.errorResponse.errorCodes?.[0], 900144);
  ok(e.message.includes("AADSTS50000: bad request: client_secret=[redacted] (HTTP 400 invalid_request"), e.message);
  const transport = await attempt(t, "secret", PORTAL_SECRET, { inner: "lower", outer: "none", part: "whole", place: "transport", status: 400, cut: 0 });
  const message = (transport.error as Error).message;
  ok(message.includes("fetch failed: could not send client_id=client-echo-"), message);
  ok(message.includes("grant_type=client_credentials&client_secret=[redacted]"), message);
});

test("redaction: a secret echoed %-escaped twice (a gateway that escapes the escaped body again: %257E) leaks no 8 characters in a row, decoded once or twice (review 10, L1)", () => {
  for (const secret of ["q8~Ab.7~Zx_9~Kd.2~Pw-4~Lm.6~Rt_1~Vb.3~Hn", "Abc8Q~x.y_Z-1234567890abcdef~gh"]) {
    const once = new URLSearchParams({ client_secret: secret }).toString();
    const twice = encodeURIComponent(once);
    for (const echo of [`bad request: ${twice}`, `bad request: ${twice.toLowerCase()}`, `bad request: ${twice.slice(0, -9)}...`]) {
      const out = redactor([secret])(echo);
      for (const view of [out, decodeURIComponent(out), decodeURIComponent(decodeURIComponent(out.replace(/%(?![\dA-Fa-f]{2})/g, "%25")))]) {
        for (let i = 0; i + 8 <= secret.length; i++) ok(!view.includes(secret.slice(i, i + 8)), `${JSON.stringify(echo.slice(0, 40))}: ${JSON.stringify(secret.slice(i, i + 8))} in ${JSON.stringify(view)}`);
      }
      ok(out.includes("[redacted]"), out);
    }
  }
  // A text that merely holds %25 stays as it was.
  equal(redactor(["Abc8Q~x.y_Z-1234567890abcdef"])("100%25 of requests: %25%25 done"), "100%25 of requests: %25%25 done");
});

test("redaction: only text from outside is redacted — a one-letter secret does not blank the library's own words, and outside text holding it is withheld whole (where redactions fell would spell it)", async () => {
  const opts = { authorityHost: "https://login.example.test", retryOptions: { maxRetries: 0, tryTimeoutInMs: 100 } };
  const hung = new ClientSecretCredential("tenant-o", "client-o", "o", { ...opts, fetch: () => new Promise<Response>(() => {}) });
  const e = await hung.getToken(ARM).then(() => undefined, (err: Error) => err);
  equal(e?.message.split(" (")[0], "ClientSecretCredential could not get a token: Could not get an answer from login.example.test: no answer within 100 ms.");
  const failing = new ClientSecretCredential("tenant-o", "client-o", "o", { ...opts, fetch: () => Promise.reject(new TypeError("connection lost")) });
  const f = await failing.getToken(ARM).then(() => undefined, (err: Error) => err);
  ok(f?.message.startsWith("ClientSecretCredential could not get a token: Could not get an answer from login.example.test: [withheld: the text held a secret]."), f?.message);
});

test("redaction: entra-edge token --json prints no echoed secret", async (t) => {
  const secret = PORTAL_SECRET.replace("Xy", "Cl");
  const echoes = [
    new URLSearchParams({ client_secret: secret }).toString(),
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    JSON.stringify({ client_secret: secret }),
    // a gateway's "Body: <first N characters>..." cut inside the secret
    `${new URLSearchParams({ client_secret: secret }).toString().slice(0, 40)}...`,
  ];
  const body = JSON.stringify({ error: echoes[0], error_description: `AADSTS7000215: ${echoes[1]} Body: ${echoes[3]}`, error_codes: [7000215], trace_id: echoes[2], timestamp: echoes[0], error_uri: echoes[1], correlation_id: echoes[0] });
  await t.emulator.injectFault({ kind: "status", status: 401, body, headers: { "client-request-id": echoes[0]! } });
  let stdout = "";
  let stderr = "";
  const env = { AZURE_TENANT_ID: t.id("tenant"), AZURE_CLIENT_ID: t.id("client"), AZURE_CLIENT_SECRET: secret, AZURE_AUTHORITY_HOST: t.emulatorUrl };
  const code = await runCli({
    args: ["token", "--json", "--scope", ARM],
    runtime: { name: "test", env: () => env },
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    serve: () => Promise.reject(new Error("not used")),
    untilSignal: () => new Promise(() => {}),
  });
  equal(code, 4, `exit code (stderr: ${stderr})`);
  const json = JSON.parse(stdout) as { error: Record<string, unknown> };
  equal(json.error.statusCode, 401);
  for (const text of [stdout, stderr]) equal(leakOf(text, formsOf(secret, 8)), undefined, `no secret (nor 8 characters of it) in ${text}`);
  ok(stdout.includes("[redacted]"), stdout);
});

test("redaction: answers built against the pattern (1 MiB near-matches, runs of %, \\, +, base64, hex, byte lists and HTML entities) are redacted within 2 s", () => {
  const MiB = 1 << 20;
  const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJ${"aZ0-_".repeat(300)}.c2ln`;
  const cases: [string, string, string][] = [
    ["a periodic secret in a text of its letter", "a".repeat(40), "a".repeat(MiB)],
    ["the assertion less its last character, repeated", jwt, (jwt.slice(0, -1) + "!").repeat(Math.floor(MiB / jwt.length))],
    ["a secret of %25s in a text of %25s", "%25".repeat(13), "%25".repeat(MiB / 3)],
    ["a secret of % in a text of %25%2", "%".repeat(40), "%25%2".repeat(MiB / 5)],
    ["a secret of backslashes in a text of them", "\\".repeat(40), "\\".repeat(MiB)],
    ["a secret of spaces in a text of +", " ".repeat(40), "+".repeat(MiB)],
    ["a portal secret in 1 MiB of base64", PORTAL_SECRET, "QUFB".repeat(MiB / 4)],
    ["a secret of 'D's in 1 MiB of the digit 4 (hex of 'D's)", "D".repeat(40), "4".repeat(MiB)],
    ["a portal secret in hex runs of 16 digits apart", PORTAL_SECRET, "4142434445464748-".repeat(MiB / 17)],
    ["a secret of 'A's in 1 MiB of spaced hex and \\x of it", "A".repeat(40), "41 \\x41:".repeat(MiB / 8)],
    ["a secret of 'A's in 1 MiB of decimal bytes and entities of it", "A".repeat(40), "65,&#65;&#x41;&amp;".repeat(MiB / 20)],
  ];
  for (const [what, secret, text] of cases) {
    const started = performance.now();
    redactor([secret])(text);
    atMost(performance.now() - started, 2_000, `${what} (ms)`);
  }
});

// ── the fuzz property ─────────────────────────────────────────────────────────────────────────

const SPECIAL = [..."~+% !'()*\"\\/&=#?;:@,$[]{}<>|^`\n\r\t\u0000\u007f", "\u00e9", "\u00a0", "\u20ac", "\u2028", "\ud83d\ude00", "\ud800", "\udfff", "\ufffd"];
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const PORTAL = ALNUM + "~._-";

/** Secrets over the whole character set, Entra-portal-shaped ones, and mixes of special characters. */
// A secret with whitespace at either end is refused before any request (test/porting.test.ts).
const secretArb: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: "binary", minLength: 8, maxLength: 60 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), minLength: 8, maxLength: 60 }),
    fc.array(fc.oneof(fc.constantFrom(...SPECIAL), fc.constantFrom(...ALNUM)), { minLength: 8, maxLength: 50 }).map((a) => a.join("")),
    fc.tuple(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 3, maxLength: 3 }), fc.string({ unit: fc.constantFrom(...PORTAL), minLength: 34, maxLength: 34 })).map(([a, b]) => `${a}8Q~${b}`),
  )
  .filter((s) => s.trim() === s);

const echoArb: fc.Arbitrary<Echo> = fc.record({
  inner: fc.constantFrom(...INNER),
  outer: fc.constantFrom(...OUTER),
  part: fc.constantFrom(...PARTS),
  place: fc.constantFrom(...PLACES),
  status: fc.constantFrom(400 as const, 401 as const, 429 as const, 500 as const, 503 as const),
  cut: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
});

function settings(t: TestContext): { runs: number; seed: number } {
  return { runs: t.fuzz?.runs ?? (t.runtime === "node" ? 2_000 : 300), seed: t.fuzz?.seed ?? Math.floor(Math.random() * 0x7fffffff) };
}

test(
  "fuzz: redaction — secrets and assertions of any characters, echoed in any encoding, part and place, leak nowhere (seed and runs printed)",
  async (t) => {
    const { runs, seed } = settings(t);
    const started = performance.now();
    let failure = "";
    try {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom<Kind>("secret", "assertion"), secretArb, echoArb, fc.boolean(), async (kind, secret, echo, refresh) => {
          const o = await attempt(t, kind, secret, echo, { refresh: refresh && echo.place !== "token_type" });
          if (o.error !== undefined && !(o.error instanceof AuthenticationError)) {
            failure = `not an AuthenticationError: ${String(o.error)}`;
            return false;
          }
          const found = leak(t, o, secret);
          if (found) failure = `${kind} ${JSON.stringify(secret)} ${describeEcho(echo)}${refresh ? " (refresh)" : ""}: ${found}`;
          return !found;
        }),
        { numRuns: runs, seed, endOnFailure: true },
      );
    } catch (e) {
      console.log(`  [${t.runtime}] fuzz: redaction: seed ${seed}, ${runs} runs — FAILED: ${failure || (e instanceof Error ? e.message : String(e)).slice(0, 3000)}`);
      throw new Error(`seed ${seed}: ${failure}`, { cause: e });
    }
    console.log(`  [${t.runtime}] fuzz: redaction: seed ${seed}, ${runs} runs in ${((performance.now() - started) / 1000).toFixed(1)} s — no leak`);
  },
  { timeoutMs: 3_600_000 },
);

test("redaction: a transport error whose message cannot be read (a throwing getter that names the body) gives an AuthenticationError without it", async () => {
  const secret = PORTAL_SECRET;
  const fetch = (_url: string | URL | Request, init?: RequestInit) => {
    const e = new Error("placeholder");
    Object.defineProperty(e, "message", {
      get() {
        throw new Error(`cannot format error for body ${String(init?.body)}`);
      },
    });
    return Promise.reject(e);
  };
  const cred = new ClientSecretCredential("tenant-g", "client-g", secret, { authorityHost: "https://login.example.test", fetch, retryOptions: { ...FAST_RETRY, maxRetries: 0 } });
  const e = await cred.getToken(ARM).then(() => undefined, (err: unknown) => err);
  ok(e instanceof AuthenticationError, `an AuthenticationError (got ${String(e)})`);
  equal((e as AuthenticationError).code, "ERR_ENTRA_UNREACHABLE");
  equal(leakOf(everyText(e), formsOf(secret, 8)), undefined, "no secret");
});

test("redaction: a logger that throws or returns a rejected promise fails neither getToken nor the process (its rejection is handled)", async (t) => {
  let handled = 0;
  let asyncCalls = 0;
  const app = await secretApp(t);
  const loggers = [
    () => {
      throw new Error("log shipper down");
    },
    // a real async logger: an unhandled rejection would end the runner's process
    async () => {
      asyncCalls++;
      throw new Error("log shipper down");
    },
    // a thenable whose rejection handler is counted
    () => ({ catch: () => void handled++ }) as unknown as void,
  ];
  for (const logger of loggers) {
    const cred = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, logger });
    equal((await cred.getToken(ARM)).tokenType, "Bearer");
  }
  ok(asyncCalls > 0, "the async logger was called");
  ok(handled > 0, "the logger's promise got a rejection handler");
  await new Promise((r) => setTimeout(r, 20));
});
