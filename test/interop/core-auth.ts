/**
 * Type-level check (run by `npm test`'s type check): every entra-edge credential is a
 * `TokenCredential` of `@azure/core-auth` — the interface every Azure SDK client takes — although
 * entra-edge does not depend on `@azure/core-auth`. The SDK's own `GetTokenOptions` (with
 * `tracingOptions`, `requestOptions`, `claims`, `tenantId`, `enableCae`) are accepted, and the
 * `AccessToken` returned is the SDK's `AccessToken`.
 */
import type { AccessToken as CoreAccessToken, GetTokenOptions as CoreGetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, EnvironmentCredential } from "../../src/node.ts";
import type * as DenoEntry from "../../src/deno.ts";
import type * as BunEntry from "../../src/bun.ts";
import type * as WorkerdEntry from "../../src/workerd.ts";

type EveryCredential =
  | ClientSecretCredential
  | ClientCertificateCredential
  | ClientAssertionCredential
  | EnvironmentCredential
  | DenoEntry.ClientSecretCredential
  | DenoEntry.ClientCertificateCredential
  | BunEntry.ClientSecretCredential
  | BunEntry.ClientCertificateCredential
  | WorkerdEntry.ClientSecretCredential
  | WorkerdEntry.ClientCertificateCredential;

/** The swap from `@azure/identity`: any entra-edge credential where the SDK wants a `TokenCredential`. */
export function asTokenCredential(credential: EveryCredential): TokenCredential {
  return credential;
}

/** A call the way the SDK's policies make it, typed with the SDK's own option and result types. */
export async function getTokenLikeTheSdk(credential: TokenCredential, scopes: string[], options: CoreGetTokenOptions): Promise<CoreAccessToken | null> {
  return credential.getToken(scopes, options);
}

// The reverse direction is not needed by the SDK, but entra-edge's result must be the SDK's type
// without a cast: a compile error here means `AccessToken` drifted from `@azure/core-auth`.
export type EdgeTokenIsCoreToken = Awaited<ReturnType<ClientSecretCredential["getToken"]>> extends CoreAccessToken ? true : never;
export const edgeTokenIsCoreToken: EdgeTokenIsCoreToken = true;
