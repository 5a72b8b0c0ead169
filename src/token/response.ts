/**
 * Reading and interpreting the token endpoint's answer: the 1 MiB body limit, Entra's error JSON,
 * and the token fields (`access_token`, `token_type`, `expires_in`, `refresh_in`).
 *
 * @module
 */
import { AuthenticationError, type ErrorResponse } from "../errors.ts";

/** Bodies larger than this are refused. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError" as const;
}

/** Reads a body as text, refusing more than `limit` bytes (checked on Content-Length and while streaming). */
export async function readLimited(response: Response, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(`the answer declares ${declared} bytes`);
  }
  const body = response.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(`the answer is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0]);
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** What a successful answer carries. */
export interface TokenFields {
  accessToken: string;
  expiresInSeconds: number;
  refreshInSeconds?: number;
}

function invalid(status: number, description: string, correlationId: string | undefined): AuthenticationError {
  const errorResponse: ErrorResponse = { error: "invalid_response", errorDescription: description };
  if (correlationId) errorResponse.correlationId = correlationId;
  return new AuthenticationError(status, errorResponse);
}

/**
 * The longest `expires_in` taken at face value: 100 years. Entra's tokens live 1 day at most;
 * beyond this the number is garbage (and soon not a representable date).
 */
export const MAX_EXPIRES_IN_SECONDS = 100 * 365 * 24 * 3600;

function positiveSeconds(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function describeContent(response: Response, text: string): string {
  const type = response.headers.get("content-type") || "no content-type";
  return `${text.length === 0 ? "an empty body" : `a ${type} body of ${text.length} characters`}`;
}

/** Parses a 2xx answer into token fields, or throws an AuthenticationError saying what is wrong with it. */
export function parseTokenAnswer(response: Response, text: string, correlationId: string | undefined): TokenFields {
  const status = response.status;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(status, `The token endpoint answered HTTP ${status} with ${describeContent(response, text)} that is not JSON. Is authorityHost an Entra endpoint (and not a proxy or captive portal)?`, correlationId);
  }
  if (typeof json !== "object" || json === null) throw invalid(status, "The token endpoint's answer is not a JSON object.", correlationId);
  const o = json as Record<string, unknown>;
  if (typeof o.access_token !== "string" || o.access_token === "") {
    throw invalid(status, "The token endpoint's answer has no access_token.", correlationId);
  }
  if (typeof o.token_type !== "string" || o.token_type.toLowerCase() !== "bearer") {
    throw invalid(status, `The token endpoint issued a token of type ${JSON.stringify(String(o.token_type ?? "(none)")).slice(0, 40)}; only Bearer tokens are supported.`, correlationId);
  }
  const expiresInSeconds = positiveSeconds(o.expires_in);
  if (expiresInSeconds === undefined || expiresInSeconds > MAX_EXPIRES_IN_SECONDS) {
    throw invalid(status, "The token endpoint's answer has no valid expires_in (a positive number of seconds, at most 100 years).", correlationId);
  }
  const refreshInSeconds = positiveSeconds(o.refresh_in);
  return refreshInSeconds === undefined ? { accessToken: o.access_token, expiresInSeconds } : { accessToken: o.access_token, expiresInSeconds, refreshInSeconds };
}

/** Builds the ErrorResponse of a non-2xx answer from Entra's error JSON (or describes the body). */
export function parseErrorAnswer(response: Response, text: string, correlationId: string | undefined): ErrorResponse {
  let o: Record<string, unknown> | undefined;
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === "object" && json !== null && typeof (json as Record<string, unknown>).error === "string") o = json as Record<string, unknown>;
  } catch {
    // not JSON: described below
  }
  if (!o) {
    const r: ErrorResponse = {
      error: response.status >= 500 ? "server_error" : "invalid_response",
      errorDescription: `The token endpoint answered HTTP ${response.status} with ${describeContent(response, text)} instead of Entra's error JSON.`,
    };
    if (correlationId) r.correlationId = correlationId;
    return r;
  }
  const r: ErrorResponse = {
    error: String(o.error),
    errorDescription: typeof o.error_description === "string" ? o.error_description : String(o.error),
  };
  if (Array.isArray(o.error_codes)) r.errorCodes = o.error_codes.filter((c): c is number => typeof c === "number");
  const corr = typeof o.correlation_id === "string" ? o.correlation_id : correlationId;
  if (corr) r.correlationId = corr;
  if (typeof o.trace_id === "string") r.traceId = o.trace_id;
  if (typeof o.timestamp === "string") r.timestamp = o.timestamp;
  if (typeof o.error_uri === "string") r.errorUri = o.error_uri;
  return r;
}
