/**
 * Exit codes and error output of the CLI. The library's messages already carry the AADSTS code,
 * the correlation id and a hint; the CLI adds the next command to run. Messages never hold secrets
 * (the library guarantees it for its errors; the CLI never echoes option values).
 *
 * @module
 */
import { CertificateError } from "../certificate/error.ts";
import { AuthenticationError, CredentialUnavailableError } from "../lib/errors.ts";
import { UsageError } from "./args.ts";

/** The CLI's exit codes. */
export const EXIT = {
  ok: 0,
  /** Something unexpected (a bug, or an error of the runtime). */
  failure: 1,
  /** The command line is wrong. */
  usage: 2,
  /** The configuration cannot be used: variables missing, certificate unusable, file unreadable. */
  config: 3,
  /** Entra answered and refused: its error JSON (ERR_ENTRA_REFUSED), or throttled (ERR_ENTRA_THROTTLED). */
  refused: 4,
  /**
   * No answer from Entra: network, DNS, timeout — or an answer that is not Entra's
   * (ERR_ENTRA_BAD_RESPONSE: a proxy's or gateway's HTML page, broken JSON), which is not Entra's word.
   */
  network: 5,
} as const;

/** The exit code for an error. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof CredentialUnavailableError || error instanceof CertificateError) return EXIT.config;
  if (error instanceof AuthenticationError) return error.code === "ERR_ENTRA_REFUSED" || error.code === "ERR_ENTRA_THROTTLED" ? EXIT.refused : EXIT.network;
  return EXIT.failure;
}

/** The library's "pass its password as certificatePassword" (its option), in the library's wordings. */
const PASS_AS_OPTION = /pass (?:it|its password) as certificatePassword|pass its password \(certificatePassword\)/g;

/**
 * One-line description of an error (name, code, message): line breaks in a message shown as ⏎, so
 * none can start a line of its own (a forged "next:"). `password` is how this command takes a
 * certificate's password (`give it with --password-env <VAR>`): it replaces the library's
 * "pass it as certificatePassword", an option the CLI does not have.
 *
 * @example
 * ```ts
 * describe(error, "give it with --password-env <VAR>"); // "CertificateError (ERR_CERT_PASSWORD_REQUIRED): The PFX is protected by a password: give it with --password-env <VAR>."
 * ```
 */
export function describe(error: unknown, password?: string): string {
  let text = error instanceof CertificateError ? `${error.name} (${error.code}): ${error.message}` : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (password && error instanceof CertificateError) text = text.replace(PASS_AS_OPTION, password);
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, " ⏎ ");
}

/** How `cert` and `emulator` take a certificate's password. */
export const PASSWORD_ENV = "put it in an environment variable and give --password-env <VAR>";

/** The error as JSON for `--json` output (never the request or the response object). */
export function errorJson(error: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { exitCode: exitCodeOf(error) };
  if (error instanceof Error) {
    out.name = error.name;
    out.message = error.message;
  } else out.message = String(error);
  if (error instanceof CertificateError || error instanceof AuthenticationError) out.code = error.code;
  if (error instanceof AuthenticationError) {
    out.statusCode = error.statusCode;
    const r = error.errorResponse;
    // Entra's OAuth error, only when Entra sent one (`code` says what happened either way).
    if (r.error) out.error = r.error;
    if (r.errorCodes) out.errorCodes = r.errorCodes;
    if (r.correlationId) out.correlationId = r.correlationId;
    if (r.traceId) out.traceId = r.traceId;
  }
  return { error: out };
}
