/**
 * `ClientAuthenticationError`, the base of every authentication failure, in a module of its own:
 * lib/errors.ts (the token core's errors) and certificate/error.ts (which the lazily loaded PFX
 * parsers import) both extend it, and neither should pull the other into its module graph.
 *
 * @module
 */

/**
 * The base class of every authentication failure — `AuthenticationError`,
 * `CredentialUnavailableError` and `CertificateError` — under the name Python's azure-identity
 * (azure-core) gives it, so one `catch` / `instanceof` handles them all. Caller mistakes (a
 * malformed option or argument) stay `TypeError`s, and an abort rejects with the signal's reason.
 *
 * @example
 * ```ts
 * import { ClientAuthenticationError, ClientSecretCredential } from "entra-edge";
 *
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret);
 * try {
 *   await credential.getToken("https://graph.microsoft.com/.default");
 * } catch (e) {
 *   if (e instanceof ClientAuthenticationError) console.error(`${e.name}: ${e.message}`);
 *   else throw e;
 * }
 * ```
 */
export class ClientAuthenticationError extends Error {
  /** `"ClientAuthenticationError"`, or the subclass's name. */
  override name: string = "ClientAuthenticationError";
  /** The class's name, also in minified bundles. */
  static override get name(): string {
    return "ClientAuthenticationError";
  }
}
