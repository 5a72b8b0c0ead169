/**
 * The load and soak run shared by `npm run soak` (test/soak.ts: 100 callers, 20,000 calls, 60 s)
 * and its short version in the portable suite (test/soak.test.ts: 5 s). Portable: no
 * runtime-specific API except the optional heap probe, which looks for what the runtime offers.
 *
 * The emulator issues 3-second tokens with `refresh_in: 1` and answers 10% of the token requests
 * with a transient 503 (a probabilistic fault restricted to the soak's app), plus one certain 503
 * on the first refresh. Callers are paced so the calls spread evenly over the run.
 */
import { ClientSecretCredential, type AccessToken } from "../../src/core.ts";
import type { EmulatorControl } from "../../src/testing/types.ts";

const SCOPE = "https://management.azure.com/.default";

export interface SoakOptions {
  emulator: EmulatorControl;
  /** Base URL of the emulator (the credential's authorityHost). */
  emulatorUrl: string;
  /** The credential class as the runtime's users import it (default: the core's). */
  Credential?: typeof ClientSecretCredential;
  /** A unique id (tenant and client ids of the soak's app). */
  id: (prefix: string) => string;
  durationMs: number;
  callers: number;
  /** Total getToken calls, spread evenly over the callers and the duration. */
  calls: number;
  /** Token lifetime and refresh_in, in seconds (default 3 and 1). */
  expiresIn?: number;
  refreshIn?: number;
  /** Share of token requests answered 503 (default 0.1). */
  failureRate?: number;
  /** Bytes of heap in use after a full GC, where the runtime can tell. */
  heap?: () => number;
  /** Called with progress lines (the CLI prints them). */
  progress?: (line: string) => void;
}

/**
 * The retry options of the soak's credential. With 10% independent 503s, a refresh fails only if
 * 7 attempts in a row meet one: 1e-7 per refresh — so "every call gets a token" is not left to
 * chance (with the default 3 retries it would fail about once per 10,000 refreshes). Backoff is
 * short because the tokens are: a 3 s token is always refreshed within its 30 s expiry margin, so
 * callers wait for each refresh.
 */
export const SOAK_RETRY = { maxRetries: 6, retryDelayInMs: 20, maxRetryDelayInMs: 500 } as const;

export interface SoakReport {
  durationMs: number;
  callers: number;
  calls: number;
  /** Calls that did not get a token valid when returned (with the first few reasons). */
  failed: number;
  failures: string[];
  /** Token requests the emulator saw during the run: answered 200, answered by the 503 fault, other. */
  requests: number;
  ok: number;
  served503: number;
  other: number;
  /** The asserted bound on requests answered 200: one per refresh interval, + the one in flight. */
  maxOk: number;
  minOk: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The shortest remaining validity of a returned token, ms. */
  minValidityMs: number;
  heapBefore?: number;
  /** Heap at half time: flat means the second half adds (almost) nothing. */
  heapMid?: number;
  heapAfter?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** Looks for a way to force a full GC and read the heap in use: Bun.gc, or gc() with --expose-gc. */
export function heapProbe(): (() => number) | undefined {
  const g = globalThis as unknown as {
    gc?: () => void;
    Bun?: { gc(force: boolean): void };
    Deno?: { memoryUsage(): { heapUsed: number } };
    process?: { memoryUsage(): { heapUsed: number } };
  };
  const read = g.Deno ? () => g.Deno!.memoryUsage().heapUsed : g.process?.memoryUsage ? () => g.process!.memoryUsage().heapUsed : undefined;
  if (!read) return undefined;
  if (g.Bun) return () => (g.Bun!.gc(true), g.Bun!.gc(true), read());
  if (typeof g.gc === "function") return () => (g.gc!(), g.gc!(), read());
  return undefined;
}

/** Runs the soak and returns its figures (it asserts nothing: see {@link soakProblems}). */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const Credential = o.Credential ?? ClientSecretCredential;
  const tenantId = o.id("soak-tenant");
  const clientId = o.id("soak-client");
  const secret = `soak-secret-${o.id("s")}`;
  const expiresIn = o.expiresIn ?? 3;
  const refreshIn = o.refreshIn ?? 1;
  await o.emulator.addApp({ tenantId, clientId, secrets: [secret], expiresIn, refreshIn });
  const credential = new Credential(tenantId, clientId, secret, { authorityHost: o.emulatorUrl, retryOptions: SOAK_RETRY });

  const perCaller = Math.ceil(o.calls / o.callers);
  const total = perCaller * o.callers;
  const latencies = new Float64Array(total);
  const failures: string[] = [];
  let failed = 0;
  let minValidityMs = Infinity;
  let done = 0;

  /** Each caller makes `each` calls; call j (over all callers) is due at start + j × duration / calls. */
  const drive = async (durationMs: number, each: number, record: boolean) => {
    const interval = durationMs / (each * o.callers);
    const start = now();
    await Promise.all(
      Array.from({ length: o.callers }, async (_, i) => {
        for (let k = 0; k < each; k++) {
          const wait = start + (i + k * o.callers) * interval - now();
          if (wait > 1) await sleep(wait);
          const t0 = now();
          let token: AccessToken | undefined;
          try {
            token = await credential.getToken(SCOPE);
          } catch (e) {
            if (record) {
              failed++;
              if (failures.length < 5) failures.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
            }
            continue;
          }
          const validity = token.expiresOnTimestamp - Date.now();
          if (!record) continue;
          latencies[done++] = now() - t0;
          if (validity < minValidityMs) minValidityMs = validity;
          if (!(validity > 0) || typeof token.token !== "string" || token.token.length < 20) {
            failed++;
            if (failures.length < 5) failures.push(`a token not valid when returned (${validity} ms left)`);
          }
        }
      }),
    );
  };

  // Warm up without faults (code paths compiled, connections open), then measure.
  await credential.getToken(SCOPE);
  await drive(Math.min(1000, o.durationMs / 5), Math.max(1, Math.floor(perCaller / 20)), false);
  const heapBefore = o.heap?.();
  o.progress?.(`warm; heap ${heapBefore === undefined ? "not measurable" : mb(heapBefore)}; running ${total} calls over ${o.durationMs / 1000} s…`);

  const before = (await o.emulator.requests()).filter((r) => r.clientId === clientId).length;
  await o.emulator.injectFault({ kind: "status", status: 503, clientId });
  await o.emulator.injectFault({ kind: "status", status: 503, clientId, probability: o.failureRate ?? 0.1, times: "forever" });
  const started = Date.now();
  let heapMid: number | undefined;
  const mid = o.heap ? setTimeout(() => (heapMid = o.heap!()), o.durationMs / 2) : undefined;
  await drive(o.durationMs, perCaller, true);
  clearTimeout(mid);
  const durationMs = Date.now() - started;
  await o.emulator.clearFaults();
  const heapAfter = o.heap?.();

  const log = (await o.emulator.requests()).filter((r) => r.clientId === clientId).slice(before);
  const sorted = latencies.slice(0, done).sort();
  const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN);
  const intervals = durationMs / (refreshIn * 1000);
  const report: SoakReport = {
    durationMs,
    callers: o.callers,
    calls: done + failed,
    failed,
    failures,
    requests: log.length,
    ok: log.filter((r) => r.status === 200).length,
    served503: log.filter((r) => r.status === 503 && r.fault === "status").length,
    other: log.filter((r) => r.status !== 200 && !(r.status === 503 && r.fault === "status")).length,
    maxOk: Math.ceil(intervals) + 2,
    minOk: Math.max(1, Math.floor(intervals / 4)),
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : NaN,
    minValidityMs,
  };
  if (heapBefore !== undefined) report.heapBefore = heapBefore;
  if (heapAfter !== undefined) report.heapAfter = heapAfter;
  if (heapMid !== undefined) report.heapMid = heapMid;
  return report;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** What the soak must show; returns the broken promises (empty = passed). */
export function soakProblems(r: SoakReport, expectedCalls: number, maxHeapGrowthBytes: number): string[] {
  const p: string[] = [];
  if (r.calls !== expectedCalls) p.push(`${r.calls} calls made, ${expectedCalls} expected`);
  if (r.failed) p.push(`${r.failed} calls did not get a valid token: ${r.failures.join(" | ")}`);
  if (r.ok > r.maxOk) p.push(`${r.ok} token requests answered 200 > ${r.maxOk} (one per refresh interval + 2)`);
  if (r.ok < r.minOk) p.push(`${r.ok} token requests answered 200 < ${r.minOk}: tokens were not refreshed each interval`);
  if (r.other) p.push(`${r.other} token requests failed other than by the injected 503`);
  if (r.served503 < 1) p.push("no injected 503 was met");
  if (r.heapBefore !== undefined && r.heapAfter !== undefined && r.heapAfter - r.heapBefore > maxHeapGrowthBytes) {
    p.push(`the heap grew by ${mb(r.heapAfter - r.heapBefore)} (> ${mb(maxHeapGrowthBytes)})`);
  }
  if (r.heapMid !== undefined && r.heapAfter !== undefined && r.heapAfter - r.heapMid > maxHeapGrowthBytes / 4) {
    p.push(`the heap grew by ${mb(r.heapAfter - r.heapMid)} in the second half (> ${mb(maxHeapGrowthBytes / 4)}): not flat`);
  }
  return p;
}

export function formatSoak(r: SoakReport): string {
  const heap =
    r.heapBefore !== undefined && r.heapAfter !== undefined
      ? `heap after GC ${mb(r.heapBefore)} → ${r.heapMid !== undefined ? `${mb(r.heapMid)} (half time) → ` : ""}${mb(r.heapAfter)}`
      : "heap not measurable here";
  return [
    `${r.calls} getToken calls by ${r.callers} callers in ${(r.durationMs / 1000).toFixed(1)} s, ${r.failed} failed; min validity left ${Math.round(r.minValidityMs)} ms`,
    `${r.requests} token requests: ${r.ok} answered 200 (bound ${r.minOk}–${r.maxOk}), ${r.served503} transient 503s survived, ${r.other} other`,
    `latency p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(2)} ms, max ${r.maxMs.toFixed(1)} ms; ${heap}`,
  ].join("\n");
}
