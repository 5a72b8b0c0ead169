/**
 * The shared token cache: a store that several instances (Workers isolates, Deno Deploy isolates,
 * scaled-out Node processes) use so that they do not each ask Entra for the same token.
 *
 * @module
 */

import type { AccessToken } from "../credentials/types.ts";

/**
 * A key/value store with expiry. Values are opaque strings (entra-edge encrypts them).
 * Adapters exist for Workers KV, Deno KV and Redis; any store with these methods works once it is
 * passed through `sharedTokenCache`.
 *
 * @example
 * ```ts
 * const store: TokenCacheStore = {
 *   get: (key) => myStore.read(key),
 *   set: (key, value, ttlSeconds) => myStore.write(key, value, { ttl: ttlSeconds }),
 *   delete: (key) => myStore.remove(key),
 * };
 * const credential = new ClientSecretCredential(tenantId, clientId, secret, { tokenCache: sharedTokenCache(store) });
 * ```
 */
export interface TokenCacheStore {
  /** The value stored under `key`, or null/undefined. */
  get(key: string): Promise<string | null | undefined>;
  /** Stores `value` under `key` for `ttlSeconds` (a whole number ≥ 1). */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Removes `key` (optional). */
  delete?(key: string): Promise<void>;
  /**
   * Stores `value` only if `key` is absent, atomically, and says whether it did (optional; Redis
   * `SET NX`, Deno KV atomic check). Without it, a best-effort read-after-write claim is used.
   */
  add?(key: string, value: string, ttlSeconds: number): Promise<boolean>;
}

/** Options of the shared token cache (`tokenCacheOptions`). */
export interface TokenCacheOptions {
  /**
   * Key material to encrypt entries with: a string or a Uint8Array (a Node Buffer is one) of at
   * least 16 bytes, the same on every instance (HKDF derives the AES-GCM key). Shorter keys, other
   * types, and the option present but `undefined` (an unset environment variable) are a TypeError
   * when the credential is constructed. Left out, it defaults to the client secret, or for
   * certificate credentials to an RS256 signature of a fixed label made with the private key
   * (deterministic, so every instance derives the same key). Required for
   * `ClientAssertionCredential`.
   */
  encryptionKey?: string | Uint8Array;
  /** Time limit of one store operation, in ms (default 250). A slow store is skipped, never waited for. */
  timeoutInMs?: number;
  /** Prefix of the store keys (default `entra-edge`). */
  prefix?: string;
}

/**
 * Where a `TokenCache` keeps its coordinator factory. A symbol from the global registry, so that
 * two copies of entra-edge in one bundle still recognise each other's caches.
 */
export const COORDINATE: unique symbol = Symbol.for("entra-edge.tokenCache") as never;

/**
 * One memory miss, as the shared cache sees it: the store is consulted, and `fetch` (the token
 * request) runs in at most one instance at a time; `remember` puts a token into the credential's
 * memory cache (`checkAt`: look again no later than this).
 */
export type Coordinate = (
  tenant: string,
  cacheKey: string,
  signal: AbortSignal,
  fetch: () => Promise<AccessToken>,
  remember: (token: AccessToken, checkAt?: number) => AccessToken,
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
  keyMaterial: (() => Promise<Uint8Array>) | undefined;
  log: (level: "debug" | "warning", event: string, message: string) => void;
}

/**
 * A store ready to be a credential's `tokenCache`: what `workersKvTokenCache`,
 * `denoKvTokenCache`, `redisTokenCache`, `memoryTokenCache` and `sharedTokenCache` return. It
 * carries the encryption and coordination code, so an app without a shared cache never bundles it.
 */
export interface TokenCache extends TokenCacheStore {
  /** @internal The coordinator factory (see `sharedTokenCache`). */
  readonly [COORDINATE]: (setup: CoordinatorSetup) => Coordinate;
}
