/**
 * How a credential and the shared token cache meet (internal): the symbol a `TokenCache` keeps
 * its coordinator factory under, and the shapes passed across. The store shapes users implement
 * (`TokenCacheStore`, `TokenCacheOptions`, `TokenCache`) are public: see ../types.ts.
 *
 * @module
 */
import type { AccessToken, TokenCacheOptions } from "../types.ts";

/**
 * Where a `TokenCache` keeps its coordinator factory. A symbol from the global registry, so that
 * two copies of entra-edge in one bundle still recognise each other's caches.
 */
export const COORDINATE: unique symbol = Symbol.for("entra-edge.tokenCache") as never;

/**
 * One memory miss, as the shared cache sees it: the store is consulted, and `fetch` (the token
 * request) runs in at most one instance at a time; `remember` puts a token into the credential's
 * memory cache (`checkAt`: look again no later than this); `due` tells the single flight when
 * the steps before `fetch` will be done (token/single-flight.ts; absent from an older copy's client).
 */
export type Coordinate = (
  tenant: string,
  cacheKey: string,
  signal: AbortSignal,
  fetch: () => Promise<AccessToken>,
  remember: (token: AccessToken, checkAt?: number) => AccessToken,
  due?: (ms: number) => void,
) => Promise<AccessToken>;

/** What a credential hands the shared cache when it is constructed. */
export interface CoordinatorSetup {
  /** The credential's class name, for messages. */
  credential: string;
  authority: string;
  clientId: string;
  options: TokenCacheOptions | undefined;
  /**
   * Secret material the encryption key is derived from, unless `options.encryptionKey` is set;
   * undefined for a credential without a secret (ClientAssertionCredential), which then needs it.
   */
  keyMaterial: ((until: number) => Promise<Uint8Array>) | undefined;
  log: (level: "debug" | "warning", event: string, message: string) => void;
}

