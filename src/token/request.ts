/**
 * One attempt at the token endpoint: the POST, the per-attempt timeout, the bounded body read and
 * the classification of the outcome (token, final error, or retryable error).
 *
 * @module
 */
import type { ErrorResponse } from "../errors.ts";
import type { FetchLike } from "../credentials/types.ts";
import { parseErrorAnswer, parseTokenAnswer, readLimited, type TokenFields } from "./response.ts";
import { isRetryableStatus, serverRetryDelay } from "./retry.ts";

/**
 * One attempt's outcome. A failure carries Entra's error body (or one describing what went wrong)
 * and, for transport failures, a redacted `cause`; the token client builds the AuthenticationError.
 */
export type AttemptResult =
  | { ok: true; fields: TokenFields; status: number }
  | { ok: false; body: ErrorResponse; retryable: boolean; status: number; retryAfterMs?: number; cause?: Error };

type Failure = Extract<AttemptResult, { ok: false }>;

export interface AttemptInput {
  fetch: FetchLike;
  url: string;
  body: string;
  headers: Record<string, string>;
  correlationId: string;
  timeoutMs: number;
  /** Aborts the attempt; its reason is rethrown. */
  signal: AbortSignal;
  /** Removes secret values from text that came from the transport. */
  redact: (text: string) => string;
}

export async function attempt(input: AttemptInput): Promise<AttemptResult> {
  const { signal, correlationId } = input;
  const controller = new AbortController();
  const timeout = `no answer within ${input.timeoutMs} ms`;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(timeout, "TimeoutError"));
  }, input.timeoutMs);
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  const fail = (status: number, body: ErrorResponse, retryable: boolean, cause?: Error): Failure => ({ ok: false, body, retryable, status, cause });
  try {
    let response: Response | undefined;
    let text: string | undefined;
    try {
      // Called as a plain function: workerd's fetch throws "Illegal invocation" when called as a method of another object.
      const fetchFn = input.fetch;
      response = await fetchFn(input.url, { method: "POST", headers: input.headers, body: input.body, signal: controller.signal, redirect: "manual" });
      text = await readLimited(response);
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      const detail = timedOut ? timeout : e instanceof Error ? input.redact(`${e.name}: ${e.message}`).slice(0, 300) : "the transport failed";
      // The cause is rebuilt from the redacted text: a transport error that echoes the request must not leak the body.
      const host = new URL(input.url).host;
      return fail(0, { error: timedOut ? "timeout" : "network_error", errorDescription: `Could not get an answer from ${host}: ${detail}.`, correlationId }, true, new Error(detail));
    }
    const status = response.status;
    const id = response.headers.get("client-request-id") ?? correlationId;
    // A refused answer keeps the server's status and is not retried.
    if (text === undefined) return fail(status, { error: "invalid_response", errorDescription: "The token endpoint's answer is over 1 MiB: refused.", correlationId: id }, false);
    if (status > 199 && status < 300) {
      const fields = parseTokenAnswer(response, text);
      return typeof fields === "string" ? fail(status, { error: "invalid_response", errorDescription: fields, correlationId: id }, false) : { ok: true, fields, status };
    }
    const retryable = isRetryableStatus(status);
    const result = fail(status, parseErrorAnswer(response, text, id), retryable);
    if (retryable) result.retryAfterMs = serverRetryDelay(response.headers, Date.now());
    return result;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}
