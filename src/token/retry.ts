/**
 * Retry policy pieces: which answers are retried, how long to wait (exponential backoff with
 * jitter, or what the server asks for), the throttle guard after a 429, and abortable waits.
 *
 * @module
 */
import type { RetryOptions } from "../types.ts";
import { DECIMAL } from "./response.ts";

export interface RetryPolicy {
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
  tryTimeoutInMs: number;
}

export function retryPolicy(credential: string, options: RetryOptions | undefined): RetryPolicy {
  const p: RetryPolicy = {
    maxRetries: options?.maxRetries ?? 3,
    retryDelayInMs: options?.retryDelayInMs ?? 800,
    maxRetryDelayInMs: options?.maxRetryDelayInMs ?? 60_000,
    tryTimeoutInMs: options?.tryTimeoutInMs ?? 30_000,
  };
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isFinite(v) || v < 0 || (k === "tryTimeoutInMs" && !v)) throw new TypeError(`${credential}: retryOptions.${k} must be a number ${k === "tryTimeoutInMs" ? ">" : "≥"} 0.`);
  }
  return p;
}

/** Statuses that are worth another attempt. Other 4xx answers are final. */
export function isRetryableStatus(status: number): boolean {
  return [408, 429, 500, 502, 503, 504].includes(status);
}

/**
 * The longest server-requested wait taken at its word: a day. A larger number (`Retry-After:
 * 1e400` reads as Infinity, a date a year ahead) means "not now", which is what a day says too —
 * and every wait stays a finite number of ms.
 *
 * @example
 * ```ts
 * serverRetryDelay(new Headers({ "retry-after": "1" + "0".repeat(400) }), Date.now()); // MAX_SERVER_DELAY_MS
 * ```
 */
export const MAX_SERVER_DELAY_MS = 86_400_000;

/**
 * The wait the server asks for, in ms (0 to {@link MAX_SERVER_DELAY_MS}): `retry-after-ms`,
 * `x-ms-retry-after-ms`, then `Retry-After` (seconds or HTTP date; a date in the past is 0).
 * Values that are not numbers (or dates) are skipped.
 */
export function serverRetryDelay(headers: Headers, now: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms", "retry-after"]) {
    const v = headers.get(name);
    if (v === null) continue;
    const seconds = name === "retry-after";
    const ms = DECIMAL.test(v) ? Number(v) * (seconds ? 1000 : 1) : seconds ? Date.parse(v) - now : NaN;
    if (!isNaN(ms)) return Math.min(Math.max(0, ms), MAX_SERVER_DELAY_MS);
  }
  return undefined;
}

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const step = Math.min(policy.maxRetryDelayInMs, policy.retryDelayInMs * 2 ** attempt);
  return step / 2 + Math.random() * (step / 2);
}

/**
 * The throttle guard: after a 429 the identical request (same URL, client and scopes) fails fast,
 * without the network, until the server's Retry-After has passed — across every credential in this
 * isolate, because Entra throttles per app, not per object. Entries expire on their own; the map is
 * bounded.
 */
const throttled = new Map<string, number>();
const MAX_THROTTLE_ENTRIES = 1000;

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
export const MAX_THROTTLE_MS = 300_000;

/** When the throttle on `key` ends, or undefined when it is not throttled (any more). */
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

/** Waits `ms`, or rejects with the signal's reason as soon as it fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}
