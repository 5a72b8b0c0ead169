/**
 * Import time in fresh processes: `import-probe.mjs <specifier>` spawned `samples` times per
 * library (interleaved, after one unmeasured run each to warm the disk and Deno's cache); the
 * median of the in-process import() time.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median, quartiles } from "../stats.ts";

export interface ImportSubject {
  name: string;
  /** What is imported, as shown in the report. */
  what: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export interface ImportResult {
  name: string;
  what: string;
  medianMs: number;
  p25: number;
  p75: number;
  samples: number;
}

const probe = fileURLToPath(new URL("./import-probe.mjs", import.meta.url));

export function probeArgs(runtime: "node" | "deno" | "bun", spec: string, root: string): string[] {
  if (runtime === "deno") return ["run", "--config", `${root}deno.json`, "-A", probe, spec];
  return [probe, spec];
}

function once(s: ImportSubject): number {
  const r = spawnSync(s.command, s.args, { encoding: "utf8", env: { ...process.env, ...s.env } });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return (JSON.parse(line) as { ms: number }).ms;
  } catch {
    throw new Error(`import probe for ${s.name} failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  }
}

export function measureImports(subjects: ImportSubject[], samples = 11): ImportResult[] {
  for (const s of subjects) once(s);
  const times = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  for (let i = 0; i < samples; i++) for (const s of subjects) times.get(s.name)!.push(once(s));
  return subjects.map((s) => {
    const t = times.get(s.name)!;
    const [p25, p75] = quartiles(t);
    return { name: s.name, what: s.what, medianMs: median(t), p25, p75, samples: t.length };
  });
}
