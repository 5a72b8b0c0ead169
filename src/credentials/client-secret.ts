/**
 * `ClientSecretCredential`: an app registration's client secret.
 *
 * @module
 */
import { TokenClient } from "../token/client.ts";
import { positional, unset } from "../token/options.ts";
import type { AccessToken, CredentialOptions, GetTokenOptions, TokenCredential } from "../types.ts";

/**
 * Authenticates an app registration with a client secret (OAuth 2.0 client credentials).
 * Tokens are cached in memory per scope and refreshed ahead of expiry; concurrent calls share one
 * request. The authority is `authorityHost` / `authority`, else the public cloud: this class
 * (`entra-edge/core`, Workers) reads no environment — the Node, Deno and Bun entries' subclass
 * defaults to `AZURE_AUTHORITY_HOST`.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential } from "entra-edge";
 *
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret);
 * const { token } = await credential.getToken("https://management.azure.com/.default");
 * const res = await fetch("https://management.azure.com/subscriptions?api-version=2022-12-01", {
 *   headers: { authorization: `Bearer ${token}` },
 * });
 * ```
 */
export class ClientSecretCredential implements TokenCredential {
  /** The class's name, also in minified bundles. */
  static get name(): string {
    return "ClientSecretCredential";
  }

  readonly #client: TokenClient;

  /**
   * A credential for the app registration `clientId` in `tenantId`, with one of its client secrets.
   *
   * @param tenantId The directory (tenant) id or domain; not `common`/`organizations`/`consumers`.
   * @param clientId The app registration's Application (client) id.
   * @param clientSecret The secret's Value (not its Secret ID).
   * @throws TypeError for a missing or malformed argument or option.
   */
  constructor(tenantId: string, clientId: string, clientSecret: string, options?: CredentialOptions) {
    positional("ClientSecretCredential", tenantId, "clientSecret");
    if (typeof clientSecret !== "string" || clientSecret === "") {
      throw new TypeError(`ClientSecretCredential: clientSecret must be the secret's Value (a non-empty string)${unset(clientSecret)}.`);
    }
    // Entra would refuse it (AADSTS7000215) without saying why; the secret itself is never quoted.
    const end = /\s/.test(clientSecret.at(-1)!) ? clientSecret.at(-1)! : /\s/.test(clientSecret[0]!) ? clientSecret[0]! : "";
    if (end) {
      throw new TypeError(`ClientSecretCredential: clientSecret ${end === clientSecret.at(-1) ? "ends" : "starts"} with ${end === "\n" || end === "\r" ? "a newline" : "whitespace"} (read from a file or variable?): pass it trimmed; Entra would refuse it (AADSTS7000215).`);
    }
    this.#client = new TokenClient("ClientSecretCredential", tenantId, clientId, options, () => ({ client_secret: clientSecret }), undefined, async () => new TextEncoder().encode(clientSecret));
  }

  /**
   * Gets an access token for the scopes (e.g. `"https://graph.microsoft.com/.default"`).
   *
   * @example
   * ```ts
   * const token = await credential.getToken("https://vault.azure.net/.default", { abortSignal: AbortSignal.timeout(10_000) });
   * ```
   */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#client.getToken(scopes, options);
  }

  /** A safe summary for logs: the class, tenant and client id — never the secret. */
  toJSON(): { credential: string; tenantId: string; clientId: string } {
    return { credential: "ClientSecretCredential", tenantId: this.#client.tenantId, clientId: this.#client.clientId };
  }
}
