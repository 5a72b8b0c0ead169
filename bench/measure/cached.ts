/**
 * Cached `getToken`: one credential with a token in its cache, then batches of awaited calls.
 * A batch is sized to last ≥ 20 ms (so timer resolution does not matter); the result is the
 * median ns per call over the measured batches, after warm-up batches for the JIT.
 */
import type { Factory } from "../libraries.ts";
import type { ChildTask } from "../config.ts";
import { median, quartiles } from "../stats.ts";
import { now } from "../runtime.ts";

export interface CachedResult {
  nsPerCall: number;
  p25: number;
  p75: number;
  callsPerSecond: number;
  batchSize: number;
  batches: number;
}

export async function measureCached(factory: Factory, task: ChildTask): Promise<CachedResult> {
  const credential = factory(task.kind, task.target);
  await credential.getToken(); // fills the cache (the one network request)
  let size = 64;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < size; i++) await credential.getToken();
    if (now() - t0 >= 20 || size >= 1 << 22) break;
    size *= 2;
  }
  const samples: number[] = [];
  const warmup = 5;
  const batches = 25;
  for (let b = 0; b < warmup + batches; b++) {
    const t0 = now();
    for (let i = 0; i < size; i++) await credential.getToken();
    const ns = ((now() - t0) * 1e6) / size;
    if (b >= warmup) samples.push(ns);
  }
  const nsPerCall = median(samples);
  const [p25, p75] = quartiles(samples);
  return { nsPerCall, p25, p75, callsPerSecond: 1e9 / nsPerCall, batchSize: size, batches };
}
