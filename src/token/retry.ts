/**
 * The retry rules of DESIGN "Retry", as a pure decision: given one failed attempt, whether to try
 * again and after how long — the server's Retry-After, else exponential backoff with jitter —
 * and whether identical requests must now fail fast (a 429). The request loop in client.ts acts on
 * the decision; waiting is {@link sleep}.
 *
 * @module
 */
import { whenAborted } from "./single-flight.ts";

/** The retry options, defaults filled in and checked (see options.ts). */
export interface RetryPolicy {
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
  tryTimeoutInMs: number;
}

/**
 * Whether an answer with this status is worth another attempt: 408, 429 and the transient 5xx.
 * Other 4xx answers are final.
 *
 * @example
 * ```ts
 * isRetryableStatus(503); // true
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return [408, 429, 500, 502, 503, 504].includes(status);
}

/** What {@link decide} needs to know of a failed attempt. */
export interface FailedAttempt {
  /** The answer's status; 0 when no HTTP answer arrived. */
  status: number;
  /** A network error, a timeout or a retryable status (an answer over 1 MiB is not). */
  retryable: boolean;
  /** The wait the server asked for (Retry-After and the like), in ms. */
  retryAfterMs?: number;
}

/** What to do after a failed attempt. */
export interface Decision {
  /** How long to wait before the next attempt: the server's Retry-After, else the backoff. */
  delayMs: number;
  /** After a 429: identical requests fail fast for this long (throttle.ts caps it). */
  throttleMs: number | undefined;
  /**
   * Why there is no next attempt, or undefined: wait `delayMs` and try again. `final`: the answer
   * is not retryable; `exhausted`: `maxRetries` is used up; `soft`: a still-valid token is cached
   * (a refresh makes one attempt: it neither retries nor waits out a pause); `too long`: the server asks
   * for a longer wait than `maxRetryDelayInMs`.
   */
  stop: "final" | "exhausted" | "soft" | "too long" | undefined;
}

/**
 * Decides what follows failed attempt number `attempt` (1 for the first). `soft`: a still-valid
 * token is cached, which is served if this refresh fails. `jitter` (0 to 1) places the backoff
 * between half its step and the whole step ("equal jitter").
 *
 * @example
 * ```ts
 * decide({ status: 503, retryable: true }, 1, policy, false, 0.5); // { delayMs: 600, throttleMs: undefined, stop: undefined } with retryDelayInMs 800
 * decide({ status: 429, retryable: true, retryAfterMs: 5000 }, 1, policy, true); // stop: "soft", throttleMs: 5000
 * decide({ status: 503, retryable: true }, 1, policy, true); // stop: "soft" (a refresh is not retried)
 * decide({ status: 503, retryable: true, retryAfterMs: 1 }, 1, policy, false); // delayMs: 400 (never under half the step)
 * ```
 */
export function decide(failure: FailedAttempt, attempt: number, policy: RetryPolicy, soft: boolean | undefined, jitter = Math.random()): Decision {
  const { status, retryAfterMs } = failure;
  const step = Math.min(policy.maxRetryDelayInMs, policy.retryDelayInMs * 2 ** (attempt - 1));
  // A server's wait is honoured, but never shorter than the backoff's own least wait (half the
  // step): `retry-after-ms: 0.9` retried at once, six attempts in 15 ms (review 5).
  const delayMs = Math.round(retryAfterMs === undefined ? step / 2 + jitter * (step / 2) : Math.max(retryAfterMs, step / 2));
  return {
    delayMs,
    throttleMs: status === 429 ? delayMs : undefined,
    stop: !failure.retryable
      ? "final"
      : attempt > policy.maxRetries
        ? "exhausted"
        : soft
          ? "soft"
          : retryAfterMs! > policy.maxRetryDelayInMs
            ? "too long"
            : undefined,
  };
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it fires.
 *
 * @example
 * ```ts
 * await sleep(decision.delayMs, signal);
 * ```
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    whenAborted(signal, () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
