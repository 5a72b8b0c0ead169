/**
 * The error types of entra-edge. Names are string literals so they survive minification; callers
 * branch on `name` (or `instanceof`), and on `code` for {@link CertificateError}.
 *
 * @module
 */
import type { ErrorResponse } from "../types.ts";

/**
 * The token endpoint refused the request, answered something unusable, or could not be reached
 * after the retries.
 *
 * @example
 * ```ts
 * try {
 *   await credential.getToken("https://graph.microsoft.com/.default");
 * } catch (e) {
 *   if (e instanceof AuthenticationError && e.errorResponse.errorCodes?.includes(7000215)) {
 *     console.error("The client secret is wrong or expired:", e.errorResponse.correlationId);
 *   }
 * }
 * ```
 */
export class AuthenticationError extends Error {
  override name = "AuthenticationError" as const;
  /** HTTP status of Entra's answer; 0 when no HTTP answer arrived (network error, timeout). */
  declare readonly statusCode: number;
  /** Entra's error body (or one describing what was wrong with the answer). */
  declare readonly errorResponse: ErrorResponse;

  constructor(statusCode: number, errorResponse: ErrorResponse, message?: string, options?: { cause?: unknown }) {
    // The default message: "invalid_client: AADSTS7000215: Invalid client secret provided."
    super(message ?? `${errorResponse.error}: ${firstLine(errorResponse.errorDescription)}`, options);
    this.statusCode = statusCode;
    this.errorResponse = errorResponse;
  }
}

/** Entra appends "Trace ID / Correlation ID / Timestamp" lines to its descriptions; keep the first. */
export function firstLine(text: string): string {
  return text.split(/\r?\n/)[0]!;
}

/**
 * The credential cannot be used as configured: the environment is incomplete, this runtime cannot
 * read files, or `getToken` asked for a tenant the credential may not use.
 *
 * @example
 * ```ts
 * try {
 *   await new EnvironmentCredential().getToken(scope);
 * } catch (e) {
 *   if (e instanceof CredentialUnavailableError) console.error("Configure AZURE_* first:", e.message);
 * }
 * ```
 */
export class CredentialUnavailableError extends Error {
  override name = "CredentialUnavailableError" as const;
}

export { CertificateError } from "../certificate/error.ts";
