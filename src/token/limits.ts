/**
 * The token core's bounds (what it is given, and what it takes at Entra's word): lib/limits.ts
 * holds every other bound. A module of their own, reached only from the token core: lib/limits.ts
 * is also imported by the lazily loaded PFX parsers, and a bundler turns a module reached through
 * a dynamic import into a lazy initialiser whose constants it cannot inline (~100 B gzip in every
 * client-secret Worker built from dist/).
 *
 * @module
 */

/** Longest tenant id or domain accepted (real ones: a GUID, or a domain of a few dozen characters). */
export const MAX_TENANT_LENGTH = 256;
/** Longest client id accepted (real ones are GUIDs). */
export const MAX_CLIENT_ID_LENGTH = 256;
/** Longest scope accepted. */
export const MAX_SCOPE_LENGTH = 1024;
/** Most scopes one `getToken` call may ask for. */
export const MAX_SCOPES = 32;

/** Token endpoint answers larger than this are refused (Entra's are a few KB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The longest `expires_in` taken at face value: 100 years. Entra's tokens live 1 day at most;
 * beyond this the number is garbage (and soon not a representable date).
 */
export const MAX_EXPIRES_IN_SECONDS = 100 * 365 * 24 * 3600;

/**
 * A token is refreshed at the latest this long after it was obtained, whatever its lifetime.
 * Entra's access tokens live 1 day at most (so their half-life refresh is never later than this);
 * an answer claiming years (a misconfigured proxy, a fake endpoint) must not pin a token in the
 * cache for years.
 */
export const MAX_REFRESH_AFTER_MS = 24 * 60 * 60_000;

/**
 * The longest server-requested wait taken at its word: a day. A larger number (`Retry-After:`
 * 10^400 written out in digits reads as Infinity, a date a year ahead) means "not now", which is what a day says too —
 * and every wait stays a finite number of ms.
 *
 * @example
 * ```ts
 * serverRetryDelay(new Headers({ "retry-after": "1" + "0".repeat(400) }), Date.now()); // MAX_SERVER_DELAY_MS
 * ```
 */
export const MAX_SERVER_DELAY_MS = 24 * 60 * 60_000;

/**
 * The longest a throttle lasts: 5 minutes, whatever the Retry-After. Entra's own Retry-After
 * values are seconds to a minute; a longer one is a proxy's mistake (or garbage such as `1e400`),
 * and honouring it would block the app — every credential in the process, a new one with a
 * rotated secret too — until a restart. After the cap one request goes out: if Entra still
 * throttles, that costs it one request per app and scope every 5 minutes, which is not hammering.
 *
 * @example
 * ```ts
 * throttle(key, Infinity); // throttledUntil(key, Date.now()) is at most Date.now() + MAX_THROTTLE_MS
 * ```
 */
export const MAX_THROTTLE_MS = 5 * 60_000;

/** Throttled requests remembered at once (per isolate); the oldest makes room. */
export const MAX_THROTTLE_ENTRIES = 1000;

/**
 * A refresh (the cached token is still valid: DESIGN "Refresh") makes one attempt of at most this
 * long (or `tryTimeoutInMs`, if shorter), and no retries: when it fails, the cached token is served
 * and the next refresh comes 30 s later. It bounds what the caller that refreshes waits while
 * Entra hangs (review 10: the whole retry chain, 4 × 30 s, with a valid token in hand); the
 * callers that come meanwhile get the cached token at once. Entra answers in well under a second.
 */
export const REFRESH_TRY_TIMEOUT_MS = 5_000;
