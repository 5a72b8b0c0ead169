/**
 * Processing the token endpoint's answer (DESIGN "Response"): the 1 MiB body limit, the wait a
 * server asks for, and the interpretation — the token fields (`access_token`, `token_type`,
 * `expires_in`, `refresh_in`) of a usable answer, else a refusal that says whose word it is:
 * Entra's error JSON, or a description of what is wrong with the answer.
 *
 * Nothing here builds an error object: the token client turns a refusal into one
 * `AuthenticationError` with the whole story.
 *
 * @module
 */
import { noErrorResponse } from "../lib/errors.ts";
import { MAX_BODY_BYTES, MAX_EXPIRES_IN_SECONDS, MAX_SERVER_DELAY_MS } from "./limits.ts";
import { readChunks } from "../lib/stream.ts";
import type { ErrorResponse } from "../types.ts";

/** A non-negative decimal number, as `expires_in` and the retry headers carry it. */
const DECIMAL = /^\s*\d+(\.\d+)?\s*$/;

/**
 * Reads a body as text, or resolves `undefined` (and cancels the body) when it is larger than
 * `limit` bytes — by its Content-Length or while streaming, so a huge answer is never buffered —
 * or once `signal` has fired (the attempt is over: a body that ignores cancellation is not read on).
 *
 * @example
 * ```ts
 * const text = await readLimited(response, signal); // undefined: over 1 MiB
 * ```
 */
export async function readLimited(response: Response, signal?: AbortSignal, limit = MAX_BODY_BYTES): Promise<string | undefined> {
  const body = response.body;
  if (Number(response.headers.get("content-length")) > limit) {
    await body?.cancel().catch(() => {});
    return undefined;
  }
  const chunks = body ? await readChunks(body, limit, signal) : [];
  // What Blob#text does (UTF-8, a BOM dropped, bad bytes as U+FFFD; a character may span chunks),
  // without Blob: its first use in a process costs 0.8–0.9 ms of CPU on Node 20 (0.15 ms on 22
  // and 24), a TextDecoder's 0.03–0.09 ms.
  const utf8 = new TextDecoder();
  return chunks && chunks.map((chunk) => utf8.decode(chunk, { stream: true })).join("") + utf8.decode();
}

/**
 * The wait the server asks for, in ms (up to {@link MAX_SERVER_DELAY_MS}): `retry-after-ms`,
 * `x-ms-retry-after-ms` (decimal ms), then `Retry-After` (RFC 9110: delay-seconds, digits only, or
 * an IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT`). Values that are not numbers (or dates)
 * are skipped — `-5`, `Foo 1` (which `Date.parse` reads as a date in 2001), `1.5`, ISO dates, the
 * obsolete RFC 850 and asctime dates — and so are a zero wait and a date in the past: the backoff
 * applies then.
 *
 * @example
 * ```ts
 * serverRetryDelay(new Headers({ "retry-after": "2" }), Date.now()); // 2000
 * serverRetryDelay(new Headers({ "retry-after": "-5" }), Date.now()); // undefined: the backoff applies
 * ```
 */
export function serverRetryDelay(headers: Headers, now: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms", "retry-after"]) {
    // Trimmed: Headers normalizes what a program sets, not what undici reads off the wire ("2 ": review 10).
    const v = (headers.get(name) ?? "").trim();
    const date = new Date(v);
    // An HTTP date is one that prints back as itself (toUTCString writes IMF-fixdate).
    const ms = name !== "retry-after" ? (DECIMAL.test(v) ? +v : NaN) : /^\d+$/.test(v) ? +v * 1000 : date.toUTCString() === v ? +date - now : NaN;
    if (ms > 0) return Math.min(ms, MAX_SERVER_DELAY_MS);
  }
  return undefined;
}

/** What a successful answer carries. */
export interface TokenFields {
  accessToken: string;
  expiresInSeconds: number;
  refreshInSeconds: number | undefined;
}

/** An answer that is not a token (whose word it is follows from it: see `authenticationErrorCode`). */
export interface Refusal {
  /** What Entra sent: its error JSON, or empty `error` / `errorDescription` when it sent none. */
  body: ErrorResponse;
  /** What went wrong, for the message: Entra's description, or what is wrong with the answer. */
  detail: string;
}

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
 * of a usable 2xx answer, else a {@link Refusal} — Entra's error JSON, or what is wrong with the
 * answer. Every text of the answer that goes into a refusal passes through `redact` (an echo of the
 * request could carry a secret); the descriptions written here do not need it. `correlationId` is
 * the request's; a refusal carries the answer's `client-request-id` instead when it has one. Only a
 * refusal calls `redact`: a usable answer costs no redaction.
 *
 * @example
 * ```ts
 * const answer = parseAnswer(response, await readLimited(response), correlationId, redactor([secret]));
 * if ("accessToken" in answer) use(answer.accessToken);
 * else console.error(answer.code, answer.detail);
 * ```
 */
export function parseAnswer(response: Response, text: string | undefined, correlationId: string, redact: (text: string) => string): TokenFields | Refusal {
  const status = response.status;
  // Only a refusal reads the answer's id (redacted: it may echo the request) and its content-type.
  const idOf = (): string => {
    const id = response.headers.get("client-request-id");
    return id ? redact(id) : correlationId;
  };
  const bad = (detail: string): Refusal => ({ body: noErrorResponse(idOf()), detail });
  if (text === undefined) return bad("The token endpoint's answer is over 1 MiB: refused.");
  let o: Record<string, unknown> | null | undefined; // undefined: not JSON
  try {
    o = JSON.parse(text);
  } catch {
    // described below
  }
  const body = (): string => {
    const type = response.headers.get("content-type");
    return text ? `a body of ${text.length} characters (${type ? redact(type) : "no content-type"})` : "an empty body";
  };
  if (status > 199 && status < 300) {
    if (o === undefined) return bad(`The token endpoint answered HTTP ${status} with ${body()} that is not JSON: is authorityHost an Entra endpoint?`);
    const accessToken = o?.access_token;
    // It goes into an Authorization header: printable ASCII, no spaces (a CR LF would be a header of its own: review 10).
    if (typeof accessToken !== "string" || !/^[!-~]+$/.test(accessToken)) return bad("The token endpoint's answer has no usable access_token (printable ASCII without spaces).");
    const tokenType = o!.token_type;
    if (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer") {
      // Named only when it is a short word: anything longer could be (part of) an echo of the request.
      return bad(`The token endpoint issued a ${typeof tokenType === "string" && /^[\w.-]{1,20}$/.test(tokenType) ? `"${redact(tokenType)}"` : "non-Bearer"} token; only Bearer is supported.`);
    }
    const expiresInSeconds = positiveSeconds(o!.expires_in);
    if (!expiresInSeconds) return bad("The token endpoint's answer has no valid expires_in.");
    return { accessToken, expiresInSeconds, refreshInSeconds: positiveSeconds(o!.refresh_in) };
  }
  if (typeof o?.error !== "string") return bad(`The token endpoint answered HTTP ${status} with ${body()} instead of Entra's error JSON.`);
  const r: ErrorResponse = { error: redact(o.error), errorDescription: redact(typeof o.error_description === "string" ? o.error_description : o.error), correlationId: idOf() };
  if (Array.isArray(o.error_codes)) r.errorCodes = o.error_codes.filter((c): c is number => typeof c === "number");
  for (const [from, to] of ERROR_FIELDS) if (typeof o[from] === "string") r[to] = redact(o[from] as string);
  return { body: r, detail: r.errorDescription };
}
