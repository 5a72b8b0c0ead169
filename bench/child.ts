/**
 * One measurement in a fresh process: `bench-child.mjs '<ChildTask JSON>'`, bundled from this file
 * (packages left as imports) into the folder where the packed package and the peers are
 * installed, so `import("entra-edge")` resolves the installed tarball. Runs on Node, Deno and
 * Bun; prints one `BENCH_RESULT {...}` line and exits (peers keep sockets open).
 */
import { RESULT_PREFIX, type ChildTask } from "./config.ts";
import { entraEdge, factoryFor } from "./libraries.ts";
import { args, exit, now } from "./runtime.ts";
import { measureCached } from "./measure/cached.ts";
import { measureConcurrency } from "./measure/concurrency.ts";
import { measureFirstToken } from "./measure/first-token.ts";

const task = JSON.parse(args()[0] ?? "{}") as ChildTask;
// Cold start: from before the library is imported until its first token (this process is fresh).
const started = now();

async function run(): Promise<unknown> {
  switch (task.task) {
    case "cached":
      return measureCached(await factoryFor(task.library, task.entry), task);
    case "first": {
      if (task.library === "entra-edge") {
        const { factory, module } = await entraEdge(task.entry);
        return measureFirstToken(factory, task, module);
      }
      return measureFirstToken(await factoryFor(task.library, task.entry), task);
    }
    case "coldstart": {
      const credential = (await factoryFor(task.library, task.entry))(task.kind, task.target);
      await credential.getToken();
      return { ms: now() - started };
    }
    case "concurrency":
      return measureConcurrency(await factoryFor(task.library, task.entry), task);
    case "heap":
      return (await import("./measure/heap.ts")).measureHeap(await factoryFor(task.library, task.entry), task);
    case "lazy":
      return (await import("./measure/lazy.ts")).measureLazy(task);
    case "cpu":
      return (await import("./measure/cpu.ts")).measureCpu(task);
    case "cpu-parts":
      return (await import("./measure/cpu.ts")).measureCpuParts(task);
    case "cpu-floor":
      return (await import("./measure/cpu.ts")).measureCpuFloor(task);
  }
}

try {
  const result = await run();
  console.log(RESULT_PREFIX + JSON.stringify(result));
  exit(0);
} catch (e) {
  console.error(`bench child (${task.task} ${task.library} ${task.kind} on ${task.runtime}) failed:`, e);
  exit(1);
}
