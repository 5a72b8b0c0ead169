/**
 * One attempt at the token endpoint: the POST, the per-attempt timeout, the bounded body read and
 * the classification of the outcome (token, final error, or retryable error).
 *
 * @module
 */
import { AuthenticationError, type ErrorResponse } from "../errors.ts";
import type { FetchLike } from "../credentials/types.ts";
import { BodyTooLargeError, parseErrorAnswer, parseTokenAnswer, readLimited, type TokenFields } from "./response.ts";
import { isRetryableStatus, serverRetryDelay } from "./retry.ts";

export type AttemptResult =
  | { ok: true; fields: TokenFields; status: number }
  | { ok: false; error: AuthenticationError; retryable: boolean; status: number; retryAfterMs?: number };

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

class AttemptTimeout extends Error {
  override name = "TimeoutError" as const;
}

function networkError(input: AttemptInput, cause: unknown, timedOut: boolean): AuthenticationError {
  const host = new URL(input.url).host;
  const detail = timedOut
    ? `no answer within ${input.timeoutMs} ms`
    : cause instanceof Error
      ? input.redact(`${cause.name}: ${cause.message}`).slice(0, 300)
      : "the transport failed";
  const errorResponse: ErrorResponse = {
    error: timedOut ? "timeout" : "network_error",
    errorDescription: `Could not get an answer from ${host}: ${detail}.`,
    correlationId: input.correlationId,
  };
  // The cause is rebuilt from the redacted text: a transport error that echoes the request must not leak the body.
  return new AuthenticationError(0, errorResponse, undefined, { cause: new Error(detail) });
}

export async function attempt(input: AttemptInput): Promise<AttemptResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new AttemptTimeout(`no answer within ${input.timeoutMs} ms`));
  }, input.timeoutMs);
  const onAbort = () => controller.abort(input.signal.reason);
  if (input.signal.aborted) onAbort();
  else input.signal.addEventListener("abort", onAbort, { once: true });
  try {
    let response: Response | undefined;
    let text: string;
    try {
      // Called as a plain function: workerd's fetch throws "Illegal invocation" when called as a method of another object.
      const fetchFn = input.fetch;
      response = await fetchFn(input.url, {
        method: "POST",
        headers: input.headers,
        body: input.body,
        signal: controller.signal,
        redirect: "manual",
      });
      text = await readLimited(response);
    } catch (e) {
      if (input.signal.aborted) throw input.signal.reason;
      if (e instanceof BodyTooLargeError && response) {
        // The server did answer (its status is kept): the answer is refused, not retried.
        const error = new AuthenticationError(response.status, {
          error: "invalid_response",
          errorDescription: `The token endpoint's answer was refused: ${e.message} (the limit is 1 MiB).`,
          correlationId: input.correlationId,
        });
        return { ok: false, error, retryable: false, status: response.status };
      }
      return { ok: false, error: networkError(input, e, timedOut), retryable: true, status: 0 };
    }
    const status = response.status;
    const correlationId = response.headers.get("client-request-id") ?? input.correlationId;
    if (status >= 200 && status < 300) {
      try {
        return { ok: true, fields: parseTokenAnswer(response, text, correlationId), status };
      } catch (e) {
        return { ok: false, error: e as AuthenticationError, retryable: false, status };
      }
    }
    const errorResponse = parseErrorAnswer(response, text, correlationId);
    const error = new AuthenticationError(status, errorResponse);
    const retryable = isRetryableStatus(status);
    const retryAfterMs = retryable ? serverRetryDelay(response.headers, Date.now()) : undefined;
    return retryAfterMs === undefined ? { ok: false, error, retryable, status } : { ok: false, error, retryable, status, retryAfterMs };
  } finally {
    clearTimeout(timer);
    input.signal.removeEventListener("abort", onAbort);
  }
}
