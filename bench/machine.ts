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
  /** 1-minute load average when the run started and when it ended (other work on the machine shows here). */
  load: { start: number; end?: number };
  runtimes: Record<string, string>;
  packages: Record<string, string>;
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8" }).trim().split("\n")[0]!;
  } catch {
    return "not available";
  }
}

export function loadNow(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

export function machineInfo(root: string): MachineInfo {
  const pkg = (name: string) => {
    try {
      return (JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
    } catch {
      return "not installed";
    }
  };
  const own = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string };
  const list = cpus();
  return {
    date: new Date().toISOString(),
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()}`,
    load: { start: Math.round(loadavg()[0]! * 100) / 100 },
    runtimes: {
      node: process.versions.node,
      deno: version(`${root}node_modules/.bin/deno`, ["--version"]).split(" ")[1] ?? "not available",
      bun: version(`${root}node_modules/.bin/bun`, ["--version"]),
    },
    packages: {
      "entra-edge": `${own.version} (this tree)`,
      "@azure/identity": pkg("@azure/identity"),
      "@azure/msal-node": pkg("@azure/msal-node"),
      "@azure/msal-common": pkg("@azure/msal-common"),
      jose: pkg("jose"),
      asn1js: pkg("asn1js"),
      pkijs: pkg("pkijs"),
      esbuild: pkg("esbuild"),
    },
  };
}
