/**
 * Single flight (DESIGN "Single flight"): concurrent `getToken` calls for one key share one
 * request. Each caller may leave on its own abort signal; the request is aborted when the last one
 * left. A failure rejects every waiter and is not kept: the next call starts a new flight.
 *
 * A flight declares when it will next have moved on ({@link Due}: the end of its attempt's
 * timeout, or of its retry wait). On Workers the flight belongs to the request that started it,
 * and workerd drops that request's I/O and timers when it ends (its client left, or the handler
 * returned without awaiting): the flight never settles. So each later caller waits on its own
 * timer until that time plus {@link GRACE_MS}, and a flight that has not moved on by then is left:
 * the caller starts (or joins) a fresh one, in its own request.
 *
 * @module
 */
import type { AbortSignalLike } from "../types.ts";

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
  /**
   * Past this time the flight is gone: the time it declared it will have moved on by, plus
   * {@link GRACE_MS}. Infinity before its first declaration and once it settled.
   */
  until: number;
  /** The flight that replaced this one when it was gone: its other waiters follow it (even once it settled). */
  next?: Flight<T>;
}

/**
 * What a flight's work calls before each wait that its own timer bounds: "I will have moved on
 * within `ms`" (the attempt's `tryTimeoutInMs`, the retry's delay).
 */
export type Due = (ms: number) => void;

/**
 * How long past its declared time a flight is still waited for. Its own timer fired by then
 * unless its request is gone (a blocked event loop delays the waiters' timers as much).
 */
export const GRACE_MS = 1_000;

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
    const f = this.#flights.get(key);
    return f !== undefined && !gone(f);
  }

  /**
   * Waits for the flight of `key`, starting it with `start` when there is none (or the one there
   * is gone: see the module's doc). `signal` ends this caller's wait (rejecting with its reason);
   * once every caller left, the flight's own signal — the one `start` received — is aborted.
   * `start` calls `due` before each of its bounded waits. (`left`: the gone flight a waiter left.)
   */
  join(key: string, start: (signal: AbortSignal, due: Due) => Promise<T>, signal: AbortSignalLike | undefined, left?: Flight<T>): Promise<T> {
    let flight = left?.next ?? this.#flights.get(key);
    const mine = flight === undefined || gone(flight);
    if (mine) {
      const controller = new AbortController();
      const f: Flight<T> = { controller, waiters: 0, until: Infinity, promise: undefined as unknown as Promise<T> };
      if (flight) flight.next = f;
      f.promise = start(controller.signal, (ms) => (f.until = Date.now() + ms + GRACE_MS)).finally(() => {
        f.until = Infinity;
        if (this.#flights.get(key) === f) this.#flights.delete(key);
      });
      // Every waiter observes the outcome; this keeps a flight that all waiters left from being "unhandled".
      f.promise.catch(() => {});
      this.#flights.set(key, f);
      flight = f;
    }
    const joined = flight!;
    joined.waiters++;
    // Who started the flight needs no watch: its flight runs in its own request.
    if (mine && !signal) return joined.promise;
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let done = false;
      const off = signal
        ? whenAborted(signal, () => {
            done = true;
            clearTimeout(timer);
            const reason = abortReason(signal);
            // The last one to leave aborts the request.
            if (--joined.waiters === 0) {
              if (this.#flights.get(key) === joined) this.#flights.delete(key);
              joined.controller.abort(reason);
            }
            reject(reason);
          })
        : () => {};
      // This caller's own timer (so it runs in this caller's request): a flight gone past its time
      // is left for the fresh one that the first to leave starts. (A timer holds at most 2^31 - 1
      // ms: a longer one fires at once.)
      const watch = () =>
        (timer = setTimeout(
          () => done || (gone(joined) ? (off(), joined.waiters--, resolve(this.join(key, start, signal, joined))) : watch()),
          Math.min(joined.until - Date.now(), 2e9),
        ));
      if (!mine) watch();
      // (Already left: settling again is a no-op.)
      joined.promise.then(resolve, reject).finally(() => {
        done = true;
        clearTimeout(timer);
        off();
      });
    });
  }
}

/** A flight whose request is gone: it has not moved on by its declared time plus the grace. */
function gone(f: Flight<unknown>): boolean {
  return Date.now() > f.until;
}

/** One run of a {@link SharedWork}. */
interface Run<T> {
  promise: Promise<T>;
  /** When it should be done by (its starter's time); past this plus {@link GRACE_MS} it is gone. */
  until: number;
  done: boolean;
}

const LATE = Symbol("late");

/**
 * Work that concurrent callers share while it runs and keep once it succeeded — a certificate's
 * loading, the shared cache's key — started by the first caller with the time it should be done
 * by (its attempt's end). A failure is not kept: the next caller starts again. As with a flight, on
 * Workers the work belongs to the request that started it, and never settles once that request
 * ended (its I/O and timers are dropped): a caller that comes while it runs waits on its own timer
 * until that time plus {@link GRACE_MS}, then starts it afresh in its own request, and the callers
 * after it share that run. (Before, a credential whose first request left while its
 * `keyVaultSigner`'s probe signature ran waited on that signature in every later request.)
 *
 * A run that is merely slow (Node, Deno, Bun: nothing is dropped there) is not thrown away: the
 * fresh run settles with whichever of the two succeeds first, and a success that comes after its
 * run was replaced is kept. Only a caller that came with time left replaces a run, and gives the
 * replacement as much time as it had when it came; one that came with its time passed (an attempt
 * that ended and left its call behind) follows the runs others start; a caller whose `signal`
 * fires leaves at once, the run going on for the others.
 *
 * @example
 * ```ts
 * const key = new SharedWork(() => crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
 * await key.get(Date.now() + 30_000);
 * ```
 */
export class SharedWork<T> {
  readonly #start: (until: number) => Promise<T>;
  #run: Run<T> | undefined;

  constructor(start: (until: number) => Promise<T>) {
    this.#start = start;
  }

  /**
   * The work's result: kept, shared while its run has its time, or from a new run that should be
   * done by `until` (ms since the epoch). `signal` ends this caller's wait (with its reason), not the work.
   */
  async get(until: number, signal?: AbortSignalLike): Promise<T> {
    // The time this caller gives the work; none: it came with its time passed, left behind (told
    // when it came, not after waiting on a gone run). A run it starts later is due that long from then.
    const budget = until - Date.now();
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const run = this.#run;
      if (run?.done) return run.promise;
      const now = Date.now();
      const due = budget > 0 ? Math.max(until, now + budget) : until;
      // No run: start one. One gone (past its time plus the grace), and this caller not behind:
      // replace it (the replacement settles with the first success of the two). Its starter waits for it however long.
      if (!run || (budget > 0 && run.until + GRACE_MS <= now)) return this.#wait(this.#begin(due, run), undefined, signal) as Promise<T>;
      // Otherwise wait for it until it is gone (at most 2e9 ms a time: setTimeout's limit), then
      // look again; a caller left behind looks every GRACE_MS at a gone run, following whatever replaces it.
      const left = run.until + GRACE_MS - now;
      const result = await this.#wait(run, left > 0 ? Math.min(left, 2e9) : GRACE_MS, signal);
      if (result !== LATE) return result;
    }
  }

  /** `run`'s result, LATE once `ms` passed (if given), or the signal's reason. */
  #wait(run: Run<T>, ms: number | undefined, signal: AbortSignalLike | undefined): Promise<T | typeof LATE> {
    if (ms === undefined && !signal) return run.promise;
    return new Promise<T | typeof LATE>((resolve, reject) => {
      const timer = ms === undefined ? undefined : setTimeout(() => finish(() => resolve(LATE)), ms);
      const off = signal ? whenAborted(signal, () => finish(() => reject(abortReason(signal)))) : () => {};
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        off();
        settle();
      };
      run.promise.then(
        (v) => finish(() => resolve(v)),
        (e: unknown) => finish(() => reject(e)),
      );
    });
  }

  /** A new run due by `until`; replacing `gone`, it settles with the first success of the two (or the new one's failure). */
  #begin(until: number, gone: Run<T> | undefined): Run<T> {
    const fresh = Promise.resolve().then(() => this.#start(until));
    const promise = gone
      ? new Promise<T>((resolve, reject) => {
          gone.promise.then(resolve, () => {});
          fresh.then(resolve, reject);
        })
      : fresh;
    const run: Run<T> = { promise, until, done: false };
    this.#run = run;
    promise.then(
      () => {
        run.done = true;
        // A success is kept, even one that came after its run was replaced (a slow run, not a dropped one).
        if (!this.#run?.done) this.#run = run;
      },
      () => {
        if (this.#run === run) this.#run = undefined;
      },
    );
    return run;
  }
}
