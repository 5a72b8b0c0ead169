/**
 * One credential's memory cache and the lifetime rules of DESIGN "Cache", "Lifetimes" and
 * "Refresh": when a token expires and when to refresh it, and what a lookup finds — a token to
 * serve (`fresh`), one to serve only if a refresh fails (`refreshable`), one too close to expiry
 * to serve (`expired`), or nothing (`miss`). The shared token cache (cache/shared.ts) uses the
 * same margins.
 *
 * Every time here is the wall clock (`Date.now()`), the clock of `AccessToken.expiresOnTimestamp`:
 * when it steps back, an entry lives that much longer (README "Refresh" says so). A monotonic
 * deadline as well would cost the cached path a second clock read, which about doubles it.
 *
 * @module
 */
import { MAX_REFRESH_AFTER_MS } from "./limits.ts";
import type { AccessToken } from "../types.ts";

/** A refresh that failed is not tried again for this long (the cached token is served meanwhile). */
export const REFRESH_RETRY_MS = 30_000;
/** Within this margin of expiry a token is not served: a new one must be fetched. */
export const EXPIRY_MARGIN_MS = 30_000;

/**
 * When a token obtained at `sentAt` expires and when to refresh it (DESIGN "Lifetimes"): the
 * server's `refresh_in` (if before expiry), else half the lifetime for tokens of 2 h or more, else 5 min (or half
 * the lifetime) before expiry — never after expiry, and at least daily.
 *
 * @example
 * ```ts
 * lifetimes(0, 3600, undefined); // { expiresOn: 3_600_000, refreshAfter: 3_300_000 }
 * ```
 */
export function lifetimes(sentAt: number, expiresInSeconds: number, refreshInSeconds: number | undefined): { expiresOn: number; refreshAfter: number } {
  const lifetime = expiresInSeconds * 1000;
  const expiresOn = sentAt + lifetime;
  const refreshAfter =
    refreshInSeconds !== undefined && refreshInSeconds < expiresInSeconds
      ? sentAt + refreshInSeconds * 1000 // the server's refresh_in, when it comes before expiry (else it is not one: review 10)
      : lifetime >= 7_200_000 // 2 h or more: half the lifetime
        ? sentAt + lifetime / 2
        : expiresOn - Math.min(300_000, lifetime / 2); // else 5 min (or half the lifetime) before expiry
  return { expiresOn, refreshAfter: Math.min(refreshAfter, expiresOn, sentAt + MAX_REFRESH_AFTER_MS) };
}

/** A cached token with its deadlines. */
export interface CacheEntry {
  token: AccessToken;
  /**
   * A promise already resolved with `token`, which the cached path returns as is — only in entries
   * it may serve (the credential's own tenant, no CAE, one scope: see `Target.servable`).
   */
  resolved: Promise<AccessToken> | undefined;
  refreshAfter: number;
  expiresOn: number;
  /** After a failed refresh, no new attempt before this time. */
  nextRefresh: number;
}

/**
 * Whether `entry` may still be served at all: until {@link EXPIRY_MARGIN_MS} before it expires.
 *
 * @example
 * ```ts
 * if (servable(entry, Date.now())) return entry.token; // a failed refresh serves the cached token
 * ```
 */
export function servable(entry: CacheEntry, now: number): boolean {
  return now < entry.expiresOn - EXPIRY_MARGIN_MS;
}

/** What a lookup finds: see {@link MemoryCache.lookup}. */
type CacheState = "fresh" | "refreshable" | "expired" | "miss";

/**
 * Tokens by cache key (see target.ts): every entry the credential obtained — its own tenant's and
 * other tenants', with and without CAE. Entries are replaced by newer tokens and dropped once too
 * close to expiry.
 */
export class MemoryCache {
  readonly #entries = new Map<string, CacheEntry>();


  /** The cached path: the resolved promise of a servable entry before its refreshAfter, else undefined. */
  resolved(key: string, now: number): Promise<AccessToken> | undefined {
    const entry = this.#entries.get(key);
    return entry !== undefined && now < entry.refreshAfter ? entry.resolved : undefined;
  }

  /**
   * The entry under `key` and what to do with it: `fresh` before its refreshAfter (or while a
   * failed refresh pauses), `refreshable` from then until {@link EXPIRY_MARGIN_MS} before expiry,
   * `expired` after that (the entry is dropped), `miss` when there is none.
   */
  lookup(key: string, now: number): [CacheState, CacheEntry?] {
    const entry = this.#entries.get(key);
    if (entry === undefined) return ["miss"];
    if (now < entry.refreshAfter) return ["fresh", entry];
    if (!servable(entry, now)) {
      this.#entries.delete(key);
      return ["expired", entry];
    }
    return [now < entry.nextRefresh ? "fresh" : "refreshable", entry];
  }

  /**
   * Caches `token` under `key`; `checkAt` brings its refreshAfter forward (the shared cache's next
   * look). `servable`: the cached path may return it.
   */
  remember(key: string, token: AccessToken, servable: boolean, checkAt?: number): AccessToken {
    const refreshAfter = checkAt === undefined ? token.refreshAfterTimestamp : Math.min(token.refreshAfterTimestamp, checkAt);
    this.#entries.set(key, { token, resolved: servable ? Promise.resolve(token) : undefined, expiresOn: token.expiresOnTimestamp, refreshAfter, nextRefresh: 0 });
    return token;
  }

  /**
   * A refresh of `entry` failed: no new one for {@link REFRESH_RETRY_MS}. True for the first of the
   * failed refresh's waiters (the one that reports it); the others find the pause already set.
   */
  refreshFailed(entry: CacheEntry, now: number): boolean {
    if (entry.nextRefresh > now) return false;
    entry.nextRefresh = now + REFRESH_RETRY_MS;
    return true;
  }
}
