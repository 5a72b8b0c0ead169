/**
 * Import time in fresh processes: the probe (copied into the install folder) spawned `samples`
 * times per subject, interleaved, after one unmeasured run each (to warm the disk cache and
 * Deno's); the median of the in-process `await import(…)` time and CPU.
 */
import { spawnSync } from "node:child_process";
import { median, quartiles } from "../stats.ts";

export interface ImportSubject {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** More environment for the process (e.g. NODE_COMPILE_CACHE: the unmeasured first run fills the cache). */
  env?: Record<string, string>;
}

export interface ImportResult {
  name: string;
  medianMs: number;
  p25: number;
  p75: number;
  cpuMs: number;
  samples: number;
}

function once(s: ImportSubject): { ms: number; cpuMs: number } {
  const r = spawnSync(s.command, s.args, { cwd: s.cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...s.env } });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as { ms: number; cpuMs: number };
  } catch {
    throw new Error(`import probe for ${s.name} (${s.command}) failed (exit ${r.status}): ${r.stderr.slice(0, 800)}`);
  }
}

export function measureImports(subjects: ImportSubject[], samples: number): ImportResult[] {
  for (const s of subjects) once(s);
  const times = new Map<string, { ms: number; cpuMs: number }[]>(subjects.map((s) => [s.name, []]));
  for (let i = 0; i < samples; i++) for (const s of subjects) times.get(s.name)!.push(once(s));
  return subjects.map((s) => {
    const t = times.get(s.name)!;
    const ms = t.map((x) => x.ms);
    const [p25, p75] = quartiles(ms);
    return { name: s.name, medianMs: median(ms), p25, p75, cpuMs: median(t.map((x) => x.cpuMs)), samples: t.length };
  });
}
