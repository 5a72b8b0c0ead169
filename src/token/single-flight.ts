/**
 * Single flight (DESIGN "Single flight"): concurrent `getToken` calls for one key share one
 * request. Each caller may leave on its own abort signal; the request is aborted when the last one
 * left. A failure rejects every waiter and is not kept: the next call starts a new flight.
 *
 * @module
 */
import type { AbortSignalLike } from "../types.ts";

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

/**
 * The caller's abort reason; signals without `reason` (older AbortSignalLike) get an AbortError.
 *
 * @example
 * ```ts
 * if (signal?.aborted) throw abortReason(signal);
 * ```
 */
export function abortReason(signal: AbortSignalLike): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

/**
 * Calls `f` when `signal` fires (at once if it has), and returns what unregisters it: how the
 * attempt, the retry wait and each flight waiter follow the signal they are given.
 *
 * @example
 * ```ts
 * const off = whenAborted(signal, () => controller.abort(signal.reason));
 * try { await work(); } finally { off(); }
 * ```
 */
export function whenAborted(signal: AbortSignalLike, f: () => void): () => void {
  if (signal.aborted) {
    f();
    return () => {};
  }
  let set = followers.get(signal);
  if (!set) {
    const s = (set = new Set());
    followers.set(signal, s);
    // (once it fired, `aborted` answers first: the entry is not used again)
    signal.addEventListener("abort", () => s.forEach((g) => g()), { once: true });
  }
  const mine = set.add(f);
  return () => mine.delete(f);
}

/**
 * What follows each signal: ONE "abort" listener per signal, however many calls wait on it — an
 * app that passes one request-wide signal to a dozen concurrent getToken calls made Node print
 * MaxListenersExceededWarning (past 10 listeners; review 7). The listener stays until the signal
 * fires or is collected; the calls' entries leave the set when they end.
 */
const followers = new WeakMap<AbortSignalLike, Set<() => void>>();

/** The flights in progress, by key. */
export class SingleFlight<T> {
  readonly #flights = new Map<string, Flight<T>>();

  /** Whether a flight of `key` is in progress (a refresh's later callers are served the cached token). */
  flying(key: string): boolean {
    return this.#flights.has(key);
  }

  /**
   * Waits for the flight of `key`, starting it with `start` when there is none. `signal` ends this
   * caller's wait (rejecting with its reason); once every caller left, the flight's own signal —
   * the one `start` received — is aborted.
   */
  join(key: string, start: (signal: AbortSignal) => Promise<T>, signal: AbortSignalLike | undefined): Promise<T> {
    let flight = this.#flights.get(key);
    if (flight === undefined) {
      const controller = new AbortController();
      const f: Flight<T> = { controller, waiters: 0, promise: undefined as unknown as Promise<T> };
      f.promise = start(controller.signal).finally(() => {
        if (this.#flights.get(key) === f) this.#flights.delete(key);
      });
      // Every waiter observes the outcome; this keeps a flight that all waiters left from being "unhandled".
      f.promise.catch(() => {});
      this.#flights.set(key, f);
      flight = f;
    }
    const joined = flight;
    joined.waiters++;
    if (!signal) return joined.promise;
    return new Promise<T>((resolve, reject) => {
      const off = whenAborted(signal, () => {
        const reason = abortReason(signal);
        // The last one to leave aborts the request.
        if (--joined.waiters === 0) {
          if (this.#flights.get(key) === joined) this.#flights.delete(key);
          joined.controller.abort(reason);
        }
        reject(reason);
      });
      // (Already left: settling again is a no-op.)
      joined.promise.then(resolve, reject).finally(off);
    });
  }
}
