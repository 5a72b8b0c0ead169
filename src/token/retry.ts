/**
 * Retry policy pieces: which answers are retried, how long to wait (exponential backoff with
 * jitter, or what the server asks for), the throttle guard after a 429, and abortable waits.
 *
 * @module
 */
import type { RetryOptions } from "../credentials/types.ts";

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
    if (!Number.isFinite(v) || v < 0 || (k === "tryTimeoutInMs" && v === 0)) {
      throw new TypeError(`${credential}: retryOptions.${k} must be a ${k === "tryTimeoutInMs" ? "positive" : "non-negative"} number.`);
    }
  }
  return p;
}

/** Statuses that are worth another attempt. Other 4xx answers are final. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** The wait the server asks for, in ms: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` (seconds or HTTP date). */
export function serverRetryDelay(headers: Headers, now: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = headers.get(name);
    if (v !== null && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  }
  const v = headers.get("retry-after");
  if (v === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
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

export function throttledUntil(key: string, now: number): number | undefined {
  const until = throttled.get(key);
  if (until === undefined) return undefined;
  if (until <= now) {
    throttled.delete(key);
    return undefined;
  }
  return until;
}

export function throttle(key: string, until: number): void {
  if (throttled.size >= MAX_THROTTLE_ENTRIES) {
    const now = Date.now();
    for (const [k, v] of throttled) if (v <= now) throttled.delete(k);
    if (throttled.size >= MAX_THROTTLE_ENTRIES) throttled.delete(throttled.keys().next().value as string);
  }
  throttled.set(key, Math.max(until, throttled.get(key) ?? 0));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it fires. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
