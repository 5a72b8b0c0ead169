/** The few runtime services a child process needs, on Node, Deno and Bun alike. */

interface CpuUsage {
  user: number;
  system: number;
}
declare const Deno: { args: string[]; exit(code?: number): never } | undefined;
declare const process:
  | {
      argv: string[];
      exit(code?: number): never;
      memoryUsage(): { heapUsed: number };
      cpuUsage(): CpuUsage;
      threadCpuUsage?(): CpuUsage;
      versions: Record<string, string | undefined>;
    }
  | undefined;

export function args(): string[] {
  return typeof Deno !== "undefined" ? Deno.args : process!.argv.slice(2);
}

export function exit(code: number): never {
  return typeof Deno !== "undefined" ? Deno.exit(code) : process!.exit(code);
}

export const now = (): number => performance.now();

/** CPU time of the whole process (every thread: main, JIT compilers, GC helpers, the crypto thread pool), ms. */
export function cpuNow(): number {
  const c = process!.cpuUsage();
  return (c.user + c.system) / 1000;
}

/**
 * CPU time of the main thread alone, ms, where the runtime can tell precisely (Node ≥ 22.19 /
 * 23.9, Bun); else undefined. Deno has `process.threadCpuUsage` too, but in 10 ms steps.
 */
export function mainThreadCpuNow(): number | undefined {
  if (typeof Deno !== "undefined") return undefined;
  const f = process?.threadCpuUsage;
  if (typeof f !== "function") return undefined;
  const c = f.call(process);
  return (c.user + c.system) / 1000;
}

/** True on Node (not Deno or Bun, which also define `process`). */
export const isNode = (): boolean => typeof Deno === "undefined" && !process?.versions.bun && !!process?.versions.node;

/** Yields to the event loop (lets sockets settle between samples). */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
