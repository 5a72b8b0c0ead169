/**
 * The token core's error types (CertificateError is certificate/error.ts's; their base,
 * ClientAuthenticationError, lib/error-base.ts's). Names are string
 * literals so they survive minification; callers branch on `name` (or `instanceof`), and on `code`
 * (like jose's `JOSEError.code`).
 *
 * @module
 */
import type { AuthenticationErrorCode, ErrorResponse } from "../types.ts";
import { ClientAuthenticationError } from "./error-base.ts";

export { ClientAuthenticationError };

/**
 * The token endpoint refused the request, answered something unusable, or could not be reached
 * after the retries. `code` says which, and whose word it is (see `AuthenticationErrorCode`);
 * `errorResponse` holds what Entra sent — its error JSON, or empty `error` / `errorDescription`
 * when it sent none; the message says what happened and what to do next.
 *
 * @example
 * ```ts
 * import { AuthenticationError } from "entra-edge";
 *
 * try {
 *   await credential.getToken("https://graph.microsoft.com/.default");
 * } catch (e) {
 *   if (e instanceof AuthenticationError && e.errorResponse.errorCodes?.includes(7000215)) {
 *     console.error("The client secret is wrong or expired:", e.errorResponse.correlationId);
 *   } else if (e instanceof AuthenticationError && e.code === "ERR_ENTRA_UNREACHABLE") {
 *     console.error("Entra could not be reached:", e.message);
 *   }
 * }
 * ```
 */
export class AuthenticationError extends ClientAuthenticationError {
  /** `"AuthenticationError"`. */
  override name = "AuthenticationError" as const;
  /** The class's name, also in minified bundles. */
  static override get name(): string {
    return "AuthenticationError";
  }
  /** Why it failed, and whose word it is: Entra's answer, the 429 guard, a timeout, the network, or an unusable answer. */
  declare readonly code: AuthenticationErrorCode;
  /** HTTP status of Entra's answer; 0 when no HTTP answer arrived (network error, timeout); 429 from the 429 guard. */
  declare readonly statusCode: number;
  /** What Entra sent: its error JSON; `error` and `errorDescription` are `""` when it sent none. */
  declare readonly errorResponse: ErrorResponse;

  /**
   * Made by the credentials; construct one yourself only in tests of your error handling.
   *
   * @param options `code` follows from the rest unless given (only a timeout must be named): a 429
   *   is `ERR_ENTRA_THROTTLED` (Entra's or the 429 guard's), Entra's error JSON (`error` set)
   *   `ERR_ENTRA_REFUSED`, another answer `ERR_ENTRA_BAD_RESPONSE`, no answer (status 0)
   *   `ERR_ENTRA_UNREACHABLE`.
   */
  constructor(statusCode: number, errorResponse: ErrorResponse, message?: string, options?: { cause?: unknown; code?: AuthenticationErrorCode }) {
    // The default message: "invalid_client: AADSTS7000215: Invalid client secret provided."
    super(message ?? `${errorResponse.error}: ${firstLine(errorResponse.errorDescription)}`, options);
    this.code =
      options?.code ??
      (statusCode === 429 ? "ERR_ENTRA_THROTTLED" : errorResponse.error ? "ERR_ENTRA_REFUSED" : statusCode ? "ERR_ENTRA_BAD_RESPONSE" : "ERR_ENTRA_UNREACHABLE");
    this.statusCode = statusCode;
    this.errorResponse = errorResponse;
  }
}

/**
 * An `ErrorResponse` for a failure where Entra sent no error JSON: no OAuth error or description
 * (the message says what happened), only the request's correlation id.
 *
 * @example
 * ```ts
 * new AuthenticationError(0, noErrorResponse(correlationId), "Could not get an answer …");
 * ```
 */
export function noErrorResponse(correlationId: string): ErrorResponse {
  return { error: "", errorDescription: "", correlationId };
}

/** Entra appends "Trace ID / Correlation ID / Timestamp" lines to its descriptions; keep the first (a lone CR ends a line too: it would overwrite the message in a terminal). */
export function firstLine(text: string): string {
  return text.split(/[\r\n]/)[0]!;
}

/**
 * The credential cannot be used as configured: the environment is incomplete, this runtime cannot
 * read files, or `getToken` asked for a tenant the credential may not use.
 *
 * @example
 * ```ts
 * import { CredentialUnavailableError, EnvironmentCredential } from "entra-edge";
 *
 * try {
 *   await new EnvironmentCredential().getToken("https://graph.microsoft.com/.default");
 * } catch (e) {
 *   if (e instanceof CredentialUnavailableError) console.error("Configure AZURE_* first:", e.message);
 * }
 * ```
 */
export class CredentialUnavailableError extends ClientAuthenticationError {
  /** `"CredentialUnavailableError"`. */
  override name = "CredentialUnavailableError" as const;
  /** The class's name, also in minified bundles. */
  static override get name(): string {
    return "CredentialUnavailableError";
  }
}

