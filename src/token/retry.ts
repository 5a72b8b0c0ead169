/**
 * Retry policy pieces: which answers are retried, how long to wait (exponential backoff with
 * jitter, or what the server asks for), the throttle guard after a 429, and abortable waits.
 *
 * @module
 */
import type { RetryOptions } from "../credentials/types.ts";
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

/** The wait the server asks for, in ms: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` (seconds or HTTP date). */
export function serverRetryDelay(headers: Headers, now: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms", "retry-after"]) {
    const v = headers.get(name);
    if (v === null) continue;
    const seconds = name === "retry-after";
    if (DECIMAL.test(v)) return Number(v) * (seconds ? 1000 : 1);
    if (seconds) {
      const date = Date.parse(v);
      return isNaN(date) ? undefined : Math.max(0, date - now);
    }
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

/** When the throttle on `key` ends, or undefined when it is not throttled (any more). */
export function throttledUntil(key: string, now: number): number | undefined {
  const until = throttled.get(key);
  return until! > now ? until : undefined;
}

export function throttle(key: string, until: number): void {
  // Bounded: the oldest entry makes room (expired entries are harmless until then).
  if (throttled.size >= MAX_THROTTLE_ENTRIES) throttled.delete(throttled.keys().next().value as string);
  throttled.set(key, Math.max(until, throttled.get(key) ?? 0));
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
