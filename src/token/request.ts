/**
 * One attempt at the token endpoint: the client authentication, the POST, the bounded body read,
 * the per-attempt timeout over all three, the redaction of secrets from what comes back, and the
 * classification of the outcome (token, final error, or retryable error).
 *
 * @module
 */
import type { ErrorResponse } from "../types.ts";
import type { FetchLike } from "../types.ts";
import { redactor } from "./redact.ts";
import { parseAnswer, readLimited, type TokenFields } from "./response.ts";
import { isRetryableStatus, serverRetryDelay } from "./retry.ts";

/**
 * One attempt's outcome. A failure carries Entra's error body (or one describing what went wrong)
 * and, for transport failures, a redacted `cause`; the token client builds the AuthenticationError.
 * Every text in a failure has the secrets redacted.
 */
export type AttemptResult =
  | { ok: true; fields: TokenFields; status: number }
  | { ok: false; body: ErrorResponse; retryable: boolean; status: number; retryAfterMs?: number; cause?: Error };

type Failure = Extract<AttemptResult, { ok: false }>;

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

export interface AttemptInput {
  fetch: FetchLike;
  url: string;
  /** The form fields other than the client authentication. */
  form: Record<string, string>;
  /** The client authentication's fields (their values are secrets, except `client_assertion_type`). */
  auth: (signal: AbortSignal) => Record<string, string> | Promise<Record<string, string>>;
  headers: Record<string, string>;
  correlationId: string;
  timeoutMs: number;
  /** Aborts the attempt; its reason is rethrown. */
  signal: AbortSignal;
}

/**
 * Makes one attempt. `timeoutMs` bounds the whole attempt — the assertion callback, the request
 * and the body read — by racing each against the timer, so a transport that ignores its signal
 * (or a callback that never settles) still ends the attempt, as a retryable timeout.
 */
export async function attempt(input: AttemptInput): Promise<AttemptResult> {
  const { signal, correlationId, timeoutMs } = input;
  const controller = new AbortController();
  const stop = controller.signal;
  let auth: Record<string, string> | undefined;
  let redact = (text: string) => text;
  const timer = setTimeout(() => controller.abort(new DOMException(`${auth ? "no answer" : "no client assertion"} within ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  // Rejects when the attempt is over (timeout or abort), whether or not what it waits for ever settles.
  const stopped = new Promise<never>((_, reject) => stop.addEventListener("abort", () => reject(stop.reason)));
  stopped.catch(() => {});
  const race = <T>(p: T | Promise<T>) => Promise.race([p, stopped]);
  const fail = (status: number, body: ErrorResponse, retryable: boolean, cause?: Error): Failure => ({ ok: false, body, retryable, status, cause });
  try {
    let response: Response;
    let text: string | undefined;
    try {
      auth = await race(input.auth(stop));
      redact = redactor(Object.entries(auth).flatMap(([k, v]) => (k === "client_assertion_type" ? [] : [v])));
      const body = new URLSearchParams({ ...input.form, ...auth }).toString();
      // Called as a plain function: workerd's fetch throws "Illegal invocation" when called as a method of another object.
      const fetchFn = input.fetch;
      response = await race(fetchFn(input.url, { method: "POST", headers: input.headers, body, signal: stop, redirect: "manual" }));
      text = await race(readLimited(response, stop));
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      // What the client authentication threw is the caller's to see, as is.
      if (!auth && !stop.aborted) throw e;
      // The cause is rebuilt from the redacted text: a transport error that echoes the request must not leak it.
      const detail = stop.aborted ? stop.reason.message : e instanceof Error ? redact(`${e.name}: ${e.message}`).slice(0, 300) : "the transport failed";
      return fail(0, { error: stop.aborted ? "timeout" : "network_error", errorDescription: `Could not get an answer from ${new URL(input.url).host}: ${detail}.`, correlationId }, true, new Error(detail));
    }
    const status = response.status;
    // Everything taken from the answer may echo the request: parseAnswer redacts it.
    const id = response.headers.get("client-request-id");
    const answer = parseAnswer(response, text, id ? redact(id) : correlationId, redact);
    if ("accessToken" in answer) return { ok: true, fields: answer, status };
    // A refused answer (over 1 MiB) keeps the server's status and is not retried.
    const retryable = text !== undefined && isRetryableStatus(status);
    const result = fail(status, answer, retryable);
    if (retryable) result.retryAfterMs = serverRetryDelay(response.headers, Date.now());
    return result;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}
