/**
 * The 429 guard (DESIGN "Retry"): after a 429 the identical request (same URL, client, scopes and
 * claims) fails fast, without the network, until the server's Retry-After has passed — across
 * every credential in this isolate, because Entra throttles per app, not per object — but for at
 * most {@link MAX_THROTTLE_MS}. Entries expire on their own; the map is bounded.
 *
 * @module
 */
import { MAX_THROTTLE_ENTRIES, MAX_THROTTLE_MS } from "./limits.ts";

const throttled = new Map<string, number>();

/**
 * When the throttle on `key` ends, or undefined when it is not throttled (any more).
 *
 * @example
 * ```ts
 * if (throttledUntil(target.throttleKey, Date.now()) !== undefined) failFast();
 * ```
 */
export function throttledUntil(key: string, now: number): number | undefined {
  const until = throttled.get(key);
  return until! > now ? until : undefined;
}

/**
 * Throttles `key` for `ms` (at most {@link MAX_THROTTLE_MS}).
 *
 * @example
 * ```ts
 * throttle(`${url}\u0000${clientId}\u0000${scope}\u0000`, retryAfterMs);
 * ```
 */
export function throttle(key: string, ms: number): void {
  // Bounded: the oldest entry makes room (expired entries are harmless until then).
  if (throttled.size >= MAX_THROTTLE_ENTRIES) throttled.delete(throttled.keys().next().value as string);
  throttled.set(key, Math.max(Date.now() + Math.min(ms, MAX_THROTTLE_MS), throttled.get(key) ?? 0));
}
