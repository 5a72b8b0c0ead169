/** The machine, runtime and package versions a run was made with. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  /** 1-, 5- and 15-minute load averages at the start and the end of the run (other work on the machine shows here). */
  load: { start: number[]; end?: number[] };
  /** Runtime name → version (node20, node22, node24, deno, bun, wrangler, esbuild). */
  runtimes: Record<string, string>;
  /** Package versions as installed in the bench's app folder (the tarball and the peers). */
  packages: Record<string, string>;
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8" }).trim().split("\n")[0]!;
  } catch {
    return "not available";
  }
}

export function loadNow(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

export function machineInfo(root: string, nodes: Record<string, string>): MachineInfo {
  const pkg = (name: string) => {
    try {
      return (JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
    } catch {
      return "not installed";
    }
  };
  const list = cpus();
  const runtimes: Record<string, string> = {};
  for (const [name, binary] of Object.entries(nodes)) runtimes[name] = version(binary, ["--version"]).replace(/^v/, "");
  runtimes.deno = version(`${root}node_modules/.bin/deno`, ["--version"]).split(" ")[1] ?? "not available";
  runtimes.bun = version(`${root}node_modules/.bin/bun`, ["--version"]);
  runtimes.wrangler = pkg("wrangler");
  runtimes.esbuild = pkg("esbuild");
  return {
    date: new Date().toISOString(),
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()}`,
    load: { start: loadNow() },
    runtimes,
    packages: {},
  };
}
