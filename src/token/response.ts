/**
 * Reading and interpreting the token endpoint's answer: the 1 MiB body limit, Entra's error JSON,
 * and the token fields (`access_token`, `token_type`, `expires_in`, `refresh_in`).
 *
 * Nothing here builds an error object: problems come back as text (or an `ErrorResponse`), and
 * the token client turns them into one `AuthenticationError` with the whole story.
 *
 * @module
 */
import type { ErrorResponse } from "../types.ts";

/** Bodies larger than this are refused. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A non-negative decimal number, as `expires_in` and the retry headers carry it. */
export const DECIMAL = /^\s*\d+(\.\d+)?\s*$/;

/**
 * Reads a body as text, or resolves `undefined` (and cancels the body) when it is larger than
 * `limit` bytes — by its Content-Length or while streaming, so a huge answer is never buffered —
 * or once `signal` has fired (the attempt is over: a body that ignores cancellation is not read on).
 */
export async function readLimited(response: Response, signal?: AbortSignal, limit = MAX_BODY_BYTES): Promise<string | undefined> {
  const body = response.body;
  if (Number(response.headers.get("content-length")) > limit) {
    await body?.cancel().catch(() => {});
    return undefined;
  }
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if ((total += value.byteLength) > limit || signal?.aborted) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return new Blob(chunks as Uint8Array<ArrayBuffer>[]).text();
}

/** What a successful answer carries. */
export interface TokenFields {
  accessToken: string;
  expiresInSeconds: number;
  refreshInSeconds: number | undefined;
}

/**
 * The longest `expires_in` taken at face value: 100 years. Entra's tokens live 1 day at most;
 * beyond this the number is garbage (and soon not a representable date).
 */
export const MAX_EXPIRES_IN_SECONDS = 3_153_600_000; // 100 * 365 * 24 * 3600

function positiveSeconds(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && DECIMAL.test(value) ? Number(value) : NaN;
  return n > 0 && n <= MAX_EXPIRES_IN_SECONDS ? n : undefined;
}

/** Entra's error fields copied into an `ErrorResponse` when they are strings. */
const ERROR_FIELDS = [
  ["correlation_id", "correlationId"],
  ["trace_id", "traceId"],
  ["timestamp", "timestamp"],
  ["error_uri", "errorUri"],
] as const;

/**
 * Interprets an answer (`text`: its body, undefined when it was over the limit): the token fields
 * of a usable 2xx answer, else an ErrorResponse — Entra's error JSON, or one describing what is
 * wrong with the answer (`invalid_response`, or `server_error` for a 5xx that is not Entra's JSON).
 * Every text of the answer that goes into the ErrorResponse passes through `redact` (an echo of
 * the request could carry a secret); the descriptions written here do not need it.
 *
 * @example
 * ```ts
 * const answer = parseAnswer(response, await readLimited(response), correlationId, redactor([secret]));
 * if ("accessToken" in answer) use(answer.accessToken);
 * else console.error(answer.error, answer.errorDescription);
 * ```
 */
export function parseAnswer(response: Response, text: string | undefined, correlationId: string, redact: (text: string) => string): TokenFields | ErrorResponse {
  const status = response.status;
  const invalid = (errorDescription: string, error = "invalid_response"): ErrorResponse => ({ error, errorDescription, correlationId });
  if (text === undefined) return invalid("The token endpoint's answer is over 1 MiB: refused.");
  let o: Record<string, unknown> | null | undefined; // undefined: not JSON
  try {
    o = JSON.parse(text);
  } catch {
    // described below
  }
  const type = response.headers.get("content-type");
  const body = text ? `a ${type ? redact(type) : "no content-type"} body of ${text.length} characters` : "an empty body";
  if (status > 199 && status < 300) {
    if (o === undefined) return invalid(`The token endpoint answered HTTP ${status} with ${body} that is not JSON: is authorityHost an Entra endpoint?`);
    const accessToken = o?.access_token;
    if (typeof accessToken !== "string" || !accessToken) return invalid("The token endpoint's answer has no access_token.");
    const tokenType = o!.token_type;
    if (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer") {
      // Named only when it is a short word: anything longer could be (part of) an echo of the request.
      return invalid(`The token endpoint issued a ${/^[\w.-]{1,20}$/.test(tokenType as string) ? `"${redact(tokenType as string)}"` : "non-Bearer"} token; only Bearer is supported.`);
    }
    const expiresInSeconds = positiveSeconds(o!.expires_in);
    if (!expiresInSeconds) return invalid("The token endpoint's answer has no valid expires_in.");
    return { accessToken, expiresInSeconds, refreshInSeconds: positiveSeconds(o!.refresh_in) };
  }
  if (typeof o?.error !== "string") return invalid(`The token endpoint answered HTTP ${status} with ${body} instead of Entra's error JSON.`, status > 499 ? "server_error" : undefined);
  const r: ErrorResponse = { error: redact(o.error), errorDescription: redact(typeof o.error_description === "string" ? o.error_description : o.error), correlationId };
  if (Array.isArray(o.error_codes)) r.errorCodes = o.error_codes.filter((c): c is number => typeof c === "number");
  for (const [from, to] of ERROR_FIELDS) if (typeof o[from] === "string") r[to] = redact(o[from] as string);
  return r;
}
