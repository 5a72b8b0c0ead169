/**
 * `ClientAssertionCredential`: a client assertion supplied by a callback (federated / workload
 * identity: a token from GitHub Actions, Kubernetes, another cloud, …).
 *
 * @module
 */
import { TokenClient } from "../token/client.ts";
import { positional } from "../token/options.ts";
import { ASSERTION_HINTS, FEDERATED_HINTS } from "../token/messages.ts";
import { assertionFields } from "../token/request.ts";
import type { AccessToken, AssertionContext, CredentialOptions, GetTokenOptions, TokenCredential } from "../types.ts";

/** The authority host of a token URL (`{authority}/{tenant}/oauth2/v2.0/token`). */
function authorityOf(tokenUrl: string): string {
  const tenantEnd = tokenUrl.length - "/oauth2/v2.0/token".length;
  return tokenUrl.slice(0, tokenUrl.lastIndexOf("/", tenantEnd - 1));
}

/**
 * Authenticates with a client assertion (a signed JWT) that `getAssertion` returns — for workload
 * identity federation. `getAssertion` is called for every token request (not for cached tokens), so
 * it may return a freshly read or fetched assertion. The authority is `authorityHost` / `authority`,
 * else the public cloud: this class (`entra-edge/core`, Workers) reads no environment — the Node,
 * Deno and Bun entries' subclass defaults to `AZURE_AUTHORITY_HOST`.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { ClientAssertionCredential } from "entra-edge";
 *
 * // e.g. a Kubernetes projected service-account token, read again for every token request
 * const credential = new ClientAssertionCredential(tenantId, clientId, async () => (await readFile(process.env.AZURE_FEDERATED_TOKEN_FILE!, "utf8")).trim());
 * const { token } = await credential.getToken("https://storage.azure.com/.default");
 * ```
 */
export class ClientAssertionCredential implements TokenCredential {
  /** The class's name, also in minified bundles. */
  static get name(): string {
    return "ClientAssertionCredential";
  }

  readonly #client: TokenClient;

  /**
   * A credential for the app registration `clientId` in `tenantId` that authenticates with the
   * assertions `getAssertion` returns (called for every token request).
   *
   * @param getAssertion Returns the assertion (a compact JWT) for a request; it is told the
   *   authority host the assertion goes to (token sources such as `githubActionsAssertion` pick
   *   the cloud's audience by it).
   * @throws TypeError for a missing or malformed argument or option.
   */
  constructor(tenantId: string, clientId: string, getAssertion: (context: AssertionContext) => Promise<string> | string, options?: CredentialOptions) {
    positional("ClientAssertionCredential", tenantId, "getAssertion");
    if (typeof getAssertion !== "function") {
      throw new TypeError("ClientAssertionCredential: getAssertion must be a function that returns the client assertion (a JWT).");
    }
    this.#client = new TokenClient("ClientAssertionCredential", tenantId, clientId, options, async (tokenUrl, abortSignal) => {
      const assertion = await getAssertion({ authorityHost: authorityOf(tokenUrl), abortSignal });
      if (typeof assertion !== "string" || assertion === "") {
        throw new TypeError("ClientAssertionCredential: getAssertion returned no assertion (expected a non-empty JWT string).");
      }
      return assertionFields(assertion);
    }, { ...ASSERTION_HINTS, ...FEDERATED_HINTS });
  }

  /**
   * Gets an access token for the scopes.
   *
   * @example
   * ```ts
   * const { token } = await credential.getToken(["https://graph.microsoft.com/.default"]);
   * ```
   */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#client.getToken(scopes, options);
  }

  /** A safe summary for logs: the class, tenant and client id. */
  toJSON(): { credential: string; tenantId: string; clientId: string } {
    return { credential: "ClientAssertionCredential", tenantId: this.#client.tenantId, clientId: this.#client.clientId };
  }
}
