/**
 * The shared token cache: a store that several instances (Workers isolates, Deno Deploy isolates,
 * scaled-out Node processes) use so that they do not each ask Entra for the same token.
 *
 * @module
 */

/**
 * A key/value store with expiry. Values are opaque strings (entra-edge encrypts them).
 * Adapters exist for Workers KV, Deno KV and Redis; any store with these methods works.
 *
 * @example
 * ```ts
 * const store: TokenCacheStore = {
 *   get: (key) => myStore.read(key),
 *   set: (key, value, ttlSeconds) => myStore.write(key, value, { ttl: ttlSeconds }),
 *   delete: (key) => myStore.remove(key),
 * };
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
   * Key material to encrypt entries with (any length; HKDF derives the AES-GCM key). Defaults: the
   * client secret, or for certificate credentials an RS256 signature of a fixed label made with
   * the private key (deterministic, so every instance derives the same key). Required for
   * `ClientAssertionCredential`.
   */
  encryptionKey?: string | Uint8Array;
  /** Time limit of one store operation, in ms (default 250). A slow store is skipped, never waited for. */
  timeoutInMs?: number;
  /** Prefix of the store keys (default `entra-edge`). */
  prefix?: string;
}
