/**
 * Time limits that prove bounded work, not wall speed: a limit a loaded machine does not break,
 * and a super-linear parser still does.
 *
 * A call within `fastMs` passes at once (a plain wall-clock limit, as before). A slower one is
 * weighed against a reference workload timed right after it, in the same process: one key
 * derivation at the iteration cap (PBKDF2-HMAC-SHA-256, 600,000 iterations, through WebCrypto —
 * what the slowest legitimate certificate inputs spend their time on). A machine k× slower (load
 * from other processes, a slower runner) makes both k× slower, so the ratio holds; the call passes
 * when it took at most `units` references. The reference is timed twice and the slower is taken
 * (the generous reading: the load may have eased since the call).
 *
 * Measured on the 2-core VM (Node 20, load 4–5, test/fuzz.test.ts's limit of 20): the slowest
 * regression inputs, 100 keys at the iteration cap that KdfBudget stops after 4 derivations, take
 * 4–11 references; the same 100 keys with a budget each (the code before KdfBudget) took 122
 * (16 s), and a stand-in PEM header scanner that rescans the rest of the text for each of the
 * regression's 100,000 header lines (quadratic) 179 (32 s), against 0.3 for our parser. With three
 * CPU-burning processes beside the tests, the old 2 s limit failed (3.5 s for the 100 keys on Node
 * 20, 2.3 s on Node 22, 3.4 s on Deno) and this one passed: the regression and cap tests on all
 * seven runtimes, every fuzz property on Node 20.
 *
 * @module
 */

const encoder = new TextEncoder();
let base: Promise<CryptoKey> | undefined;

/**
 * One reference workload's time now, in ms: PBKDF2-HMAC-SHA-256 for 600,000 iterations (as six
 * derivations of 100,000, workerd's maximum) — one key derivation at the iteration cap.
 *
 * @example
 * ```ts
 * const ms = await referenceMs(); // ~130 ms on Node 20 on the 2-core VM, several times that under load
 * ```
 */
export async function referenceMs(): Promise<number> {
  base ??= crypto.subtle.importKey("raw", encoder.encode("reference"), "PBKDF2", false, ["deriveBits"]);
  const key = await base;
  const started = performance.now();
  for (let i = 0; i < 6; i++) await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(16), iterations: 100_000 }, key, 256);
  return performance.now() - started;
}

/** A time limit: `fastMs` of wall time, or `units` reference workloads' time (see the module). */
export interface WorkLimit {
  fastMs: number;
  units: number;
}

/** The limit as the tests' names and messages say it. */
export function describeLimit(limit: WorkLimit): string {
  return `${limit.fastMs >= 1000 ? `${limit.fastMs / 1000} s` : `${limit.fastMs} ms`} (on a slower or loaded machine: ${limit.units} reference workloads' time)`;
}

/**
 * Why a call that took `ms` is over `limit`, or undefined when it is within it.
 *
 * @example
 * ```ts
 * const over = await overLimit(ms, { fastMs: 2_000, units: 50 });
 * if (over) throw new Error(`${what}: ${over}`);
 * ```
 */
export async function overLimit(ms: number, limit: WorkLimit): Promise<string | undefined> {
  if (ms <= limit.fastMs) return undefined;
  const reference = Math.max(await referenceMs(), await referenceMs());
  const units = ms / reference;
  if (units <= limit.units) return undefined;
  return `took ${Math.round(ms)} ms (> ${limit.fastMs} ms), ${units.toFixed(1)} reference workloads of ${reference.toFixed(1)} ms measured right after (> ${limit.units})`;
}
