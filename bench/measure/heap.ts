/**
 * Heap per credential (Node, --expose-gc): build `count` credentials and get a token with each (so
 * each holds a cached token), keep them all, and divide the heapUsed growth after full GCs by
 * `count`. A warm-up batch is made first and dropped, so module code and JIT data are not counted.
 */
import type { ChildTask } from "../config.ts";
import type { BenchCredential, Factory } from "../libraries.ts";

declare const process: { memoryUsage(): { heapUsed: number; external: number } };
declare const gc: (() => void) | undefined;

export interface HeapResult {
  count: number;
  bytesPerCredential: number;
  externalPerCredential: number;
}

async function fill(factory: Factory, task: ChildTask, count: number, keep: BenchCredential[]): Promise<void> {
  const batch = 25;
  for (let i = 0; i < count; i += batch) {
    const made = Array.from({ length: Math.min(batch, count - i) }, () => factory(task.kind, task.target));
    await Promise.all(made.map((c) => c.getToken()));
    keep.push(...made);
  }
}

function collect(): void {
  if (typeof gc !== "function") throw new Error("run with --expose-gc");
  for (let i = 0; i < 4; i++) gc();
}

export async function measureHeap(factory: Factory, task: ChildTask): Promise<HeapResult> {
  const count = task.count ?? 1000;
  let warm: BenchCredential[] = [];
  await fill(factory, task, 50, warm);
  warm = [];
  await new Promise((resolve) => setTimeout(resolve, 50));
  collect();
  const before = process.memoryUsage();
  const kept: BenchCredential[] = [];
  await fill(factory, task, count, kept);
  await new Promise((resolve) => setTimeout(resolve, 50));
  collect();
  const after = process.memoryUsage();
  const result = {
    count: kept.length,
    bytesPerCredential: (after.heapUsed - before.heapUsed) / count,
    externalPerCredential: (after.external - before.external) / count,
  };
  kept.length = 0;
  return result;
}
