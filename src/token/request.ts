/**
 * The token request (DESIGN "Request"): the form and headers of a client-credentials request,
 * and one attempt at the endpoint — the client authentication, the POST, the bounded body read,
 * the per-attempt timeout over all three, the redaction of secrets from what comes back, and the
 * outcome: a token, or a failure that says whose word it is and whether another attempt may help.
 * (oauth4webapi's `clientCredentialsGrantRequest` and `processClientCredentialsResponse` are the
 * model: building the request and processing the answer — response.ts — are separate steps.)
 *
 * @module
 */
import { CredentialUnavailableError, noErrorResponse } from "../lib/errors.ts";
import { SKU, VERSION } from "../lib/version.ts";
import type { Settings } from "./options.ts";
import { REFRESH_TRY_TIMEOUT_MS } from "./limits.ts";
import { redactor } from "./redact.ts";
import { parseAnswer, readLimited, serverRetryDelay, type Refusal, type TokenFields } from "./response.ts";
import { isRetryableStatus, type FailedAttempt } from "./retry.ts";
import { whenAborted } from "./single-flight.ts";
import type { Target } from "./target.ts";

/**
 * How a credential proves who it is: returns the form fields to add to a token request posted to
 * `tokenUrl` (`client_secret`, or `client_assertion_type` + `client_assertion`). Values of these
 * fields are treated as secrets (redacted from every error).
 */
/** The client authentication of one attempt: `signal` aborts when the attempt ends, which is by `until` (ms since the epoch) at the latest. */
export type ClientAuth = (tokenUrl: string, signal: AbortSignal, until: number) => Record<string, string> | Promise<Record<string, string>>;

/** RFC 7523's client assertion type: a JWT. */
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * The form fields that authenticate the client with `assertion` (a signed JWT). Its value is a
 * secret (redacted from every error); the type is not.
 *
 * @example
 * ```ts
 * const auth: ClientAuth = async () => assertionFields(await getAssertion());
 * ```
 */
export function assertionFields(assertion: string): Record<string, string> {
  return { client_assertion_type: JWT_BEARER, client_assertion: assertion };
}

/** A failed attempt: what {@link decide} weighs, and what the error will say. Every text is redacted. */
interface Failure extends FailedAttempt, Refusal {
  ok: false;
  /** No answer within `tryTimeoutInMs` (statusCode 0). */
  timedOut?: boolean;
  /** For transport failures: what the transport threw, rebuilt from its redacted text, with its `code`. */
  cause?: Error;
}

/** One attempt's outcome. */
type AttemptResult = { ok: true; fields: TokenFields; status: number } | Failure;

/**
 * Makes one attempt at the client-credentials request for `target` (DESIGN "Request"): `POST
 * {authority}/{tenant}/oauth2/v2.0/token` with `client_id`, `scope`, `grant_type` (and `claims`),
 * the client authentication `authenticate` returns, and the `client-request-id` / `x-client-SKU` /
 * `x-client-VER` headers, through `options.fetch` or `globalThis.fetch` (read now, so a fetch
 * installed after construction is used). `tryTimeoutInMs` bounds the whole attempt — the
 * assertion callback, the request and the body read — by racing each against the timer, so a
 * transport that ignores its signal (or a callback that never settles) still ends the attempt, as
 * a retryable timeout. `signal` aborts it; its reason is rethrown.
 *
 * @example
 * ```ts
 * const result = await attempt(settings, target, crypto.randomUUID(), auth, signal);
 * if (result.ok) remember(result.fields); else decide(result, n, policy, soft);
 * ```
 */
export async function attempt(s: Settings, target: Target, correlationId: string, authenticate: ClientAuth, signal: AbortSignal): Promise<AttemptResult> {
  const { url, scope, claims } = target;
  const timeoutMs = target.soft ? Math.min(s.policy.tryTimeoutInMs, REFRESH_TRY_TIMEOUT_MS) : s.policy.tryTimeoutInMs;
  const controller = new AbortController();
  const stop = controller.signal;
  let fields: Record<string, string> | undefined;
  // Set with `fields`: nothing is redacted before them (a failure without fields is the caller's
  // own error, or a timeout whose message is ours).
  let redact!: (text: string) => string;
  // Ends the attempt (timeout or abort): aborts `stop` and rejects `stopped`, which the attempt's
  // steps race, whether or not what they wait for ever settles. Not a listener on `stop`: undici
  // keeps the signal a fetch was given until a finalizer runs, and a listener would keep this whole
  // attempt with it — the answer's text and Response, ~7 KB per credential (review 5 heap figures).
  let end!: (reason: unknown) => void;
  const stopped = new Promise<never>((_, reject) => (end = (reason) => (controller.abort(reason), reject(reason))));
  stopped.catch(() => {});
  const until = Date.now() + timeoutMs;
  const timer = setTimeout(() => end(new DOMException(`${fields ? "no answer" : "no client assertion"} within ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  const off = whenAborted(signal, () => end(signal.reason));
  try {
    let response: Response;
    let text: string | undefined;
    /** What a custom fetch resolved instead of a Response (review 13: "check network access", retried). */
    let notResponse: string | undefined;
    try {
      fields = await Promise.race([authenticate(url, stop, until), stopped]);
      // Every value is a secret but the assertion type, a constant (blanked: the redactor skips empty values).
      redact = redactor(Object.values({ ...fields, client_assertion_type: "" }));
      const body = new URLSearchParams({ client_id: s.clientId, scope, grant_type: "client_credentials", ...(claims !== undefined && { claims }), ...fields }).toString();
      const headers = {
        "content-type": "application/x-www-form-urlencoded;charset=utf-8",
        "client-request-id": correlationId,
        "return-client-request-id": "true",
        "x-client-SKU": SKU,
        "x-client-VER": VERSION,
      };
      // Called as a plain function: workerd's fetch throws "Illegal invocation" when called as a method of another object.
      const fetchFn = s.fetch ?? globalThis.fetch;
      response = await Promise.race([fetchFn(url, { method: "POST", headers, body, signal: stop, redirect: "manual" }), stopped]);
      if (typeof response?.status !== "number" || typeof response.headers?.get !== "function") throw (notResponse = response === null ? "null" : typeof response);
      text = await Promise.race([readLimited(response, stop), stopped]);
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      if (notResponse) throw new TypeError(`${s.name}: the fetch function resolved ${notResponse === "object" ? "an object that is not a Response" : notResponse}: a custom fetch must resolve a Response (or reject).`);
      // What the client authentication threw is the caller's to see, as is.
      if (!fields && !stop.aborted) throw e;
      const host = new URL(url).host;
      let code: string | undefined;
      let text = stop.aborted ? stop.reason.message : "the transport failed";
      try {
        // A runtime's missing network permission (Deno's NotCapable): not a network failure, and not retried.
        if ((e as Error)?.name === "NotCapable") throw new CredentialUnavailableError(`${s.name}: this runtime may not connect to ${host}: run with --allow-net=${host}.`);
        // The cause is rebuilt from the redacted text — a transport error that echoes the request must
        // not leak it — keeping the code of the error under it (undici's ECONNREFUSED, a TLS code).
        const inner = (e as { cause?: Error })?.cause;
        // (a code the redactor would change is a piece of the request: dropped, review 10)
        code = [inner, e].map((x) => (x as { code?: unknown })?.code).find((c): c is string => typeof c === "string" && /^\w{1,60}$/.test(c) && redact(c) === c);
        const under = [code, inner instanceof Error && inner.message].filter(Boolean).join(": ");
        if (!stop.aborted && e instanceof Error) text = redact(`${e.name}: ${e.message}${under ? ` (${under})` : ""}`).slice(0, 400);
      } catch (thrown) {
        if (thrown instanceof CredentialUnavailableError) throw thrown;
        // an error whose name, message or cause cannot be read (a throwing getter) says nothing more
      }
      // An untrusted or invalid TLS certificate does not fix itself: no retry (DESIGN "Retry").
      const tls = /CERT|SIGNATURE|SELF_SIGNED|ALTNAME/.test(code ?? "") || /certificate/i.test(text);
      return {
        ok: false,
        status: 0,
        retryable: !tls,
        timedOut: stop.aborted,
        body: noErrorResponse(correlationId),
        // No assertion yet: the caller's callback did not settle, nothing was sent (no network hint).
        detail: fields ? `Could not get an answer from ${host}: ${text}${tls ? "; its TLS certificate is not trusted here (not retried)" : ""}.` : `The client assertion was not ready: ${text}.`,
        cause: Object.assign(new Error(text), code && { code }),
      };
    }
    const status = response.status;
    // Everything taken from the answer may echo the request: parseAnswer redacts it (on failure only).
    const answer = parseAnswer(response, text, correlationId, redact);
    if ("accessToken" in answer) return { ok: true, fields: answer, status };
    // A refused answer (over 1 MiB) keeps the server's status and is not retried.
    const retryable = text !== undefined && isRetryableStatus(status);
    return { ok: false, status, retryable, ...answer, ...(retryable && { retryAfterMs: serverRetryDelay(response.headers, Date.now()) }) };
  } finally {
    clearTimeout(timer);
    off();
  }
}
