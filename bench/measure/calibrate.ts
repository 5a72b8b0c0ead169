/**
 * The host's speed: bench/measure/calibrate.mjs (a fixed workload with no entra-edge code) in
 * fresh processes on every Node, at the start and at the end of a run. The first-token CPU
 * budgets are absolute milliseconds, and on a shared VM the same code measures ±30 % apart from
 * one hour to the next; this workload does not change with entra-edge's code, so comparing it
 * across runs (Results.history) tells a slow host from a slow change.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { NodeName } from "../config.ts";
import { median } from "../stats.ts";

/** CPU ms of the workload's three parts and their sum (medians over the processes). */
export interface Calibration {
  code: number;
  jit: number;
  webcrypto: number;
  total: number;
  samples: number;
}

const script = fileURLToPath(new URL("./calibrate.mjs", import.meta.url));

function once(binary: string): Omit<Calibration, "samples"> {
  const r = spawnSync(binary, [script], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Omit<Calibration, "samples">;
  } catch {
    throw new Error(`the calibration workload failed on ${binary} (exit ${r.status}): ${r.stderr.slice(0, 800)}`);
  }
}

/** Medians of `samples` fresh processes per Node, interleaved (one unmeasured run each first). */
export function calibrate(nodes: Record<NodeName, string>, samples: number): Record<NodeName, Calibration> {
  const entries = Object.entries(nodes) as [NodeName, string][];
  for (const [, binary] of entries) once(binary);
  const runs = new Map<NodeName, Omit<Calibration, "samples">[]>(entries.map(([n]) => [n, []]));
  for (let i = 0; i < samples; i++) for (const [name, binary] of entries) runs.get(name)!.push(once(binary));
  const round = (n: number) => Math.round(n * 100) / 100;
  const out = {} as Record<NodeName, Calibration>;
  for (const [name, r] of runs) {
    out[name] = { code: round(median(r.map((x) => x.code))), jit: round(median(r.map((x) => x.jit))), webcrypto: round(median(r.map((x) => x.webcrypto))), total: round(median(r.map((x) => x.total))), samples: r.length };
  }
  return out;
}
