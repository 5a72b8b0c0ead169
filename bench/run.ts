/**
 * `npm run bench [-- --quick]`: the packed, installed entra-edge side by side with
 * @azure/identity and @azure/msal-node, against the Entra emulator served over TLS with a test CA.
 *
 * The orchestrator (this process) builds and packs the package and installs the tarball with the
 * peers in an empty folder (install.ts), builds Workers from it with wrangler, makes the CA and
 * serves the emulator, then runs every measurement in fresh child processes inside that folder
 * (which trust the CA through NODE_EXTRA_CA_CERTS or DENO_CERT, set before they start): on the
 * machine's Node and the pinned Node 22 and 24 builds, Deno and Bun. It prints the tables with a
 * PASS/FAIL per budget and writes bench/results.json, bench/RESULTS.md and README.md's
 * figures (bench/readme.ts). `--quick` takes fewer samples and writes nothing; `--render` measures
 * nothing and writes RESULTS.md and README's figures again from bench/results.json (after a change
 * of wording in report.ts or readme.ts).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PINNED_NODE, NEWEST_WORKERD, WRANGLER_NODE } from "../test/runners/runtimes.ts";
import { RESULT_PREFIX, type ChildTask, type CredentialKind, type LibraryName, type NodeName, type RuntimeName, type Target } from "./config.ts";
import { installPackage, type Installed } from "./install.ts";
import { closure, layoutOf, type Layout } from "./layout.ts";
import { CONFIGURATION } from "./libraries.ts";
import { loadNow, machineInfo } from "./machine.ts";
import { calibrate } from "./measure/calibrate.ts";
import { nodeBundles, splitWorker, wranglerWorkers, type App, type WranglerMode } from "./measure/bundles.ts";
import type { CpuFloorResult, CpuPartsResult, CpuResult } from "./measure/cpu.ts";
import { measureImports, type ImportSubject } from "./measure/imports.ts";
import type { LazySteps } from "./measure/lazy.ts";
import { applyReadme } from "./readme.ts";
import { COMPILE_CACHED, evaluateBudgets, renderMarkdown, withHistory, summarizeCpu, summarizeFloor, summarizeParts, summarizeLayout, type Results, type RuntimeResults } from "./report.ts";
import { startServer, type BenchServer } from "./server.ts";
import { median } from "./stats.ts";
import { makeTestTls } from "./tls.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const benchDir = fileURLToPath(new URL(".", import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

const argv = process.argv.slice(2);
for (const a of argv) if (a !== "--quick" && a !== "--render") throw new Error(`unknown argument ${a} (npm run bench [-- --quick | --render])`);
const quick = argv.includes("--quick");
/** Samples: fresh processes per import subject, per CPU kind; warm iterations of the first-token loop. */
const N = quick ? { imports: 3, cpu: 2, parts: 1, coldstart: 3, first: 5, heap: 200, calibration: 3 } : { imports: 9, cpu: 5, parts: 3, coldstart: 7, first: 25, heap: 1000, calibration: 7 };

const LIBRARIES: LibraryName[] = ["entra-edge", "@azure/identity", "@azure/msal-node"];
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SCOPE = "https://management.azure.com/.default";
const SECRET = `bench-${crypto.randomUUID()}`;
const CERTS = `${root}test/fixtures/certs/`;
const manifest = JSON.parse(readFileSync(`${CERTS}manifest.json`, "utf8")) as { name: string; sha256?: string; password?: string }[];
const pemText = readFileSync(`${CERTS}pem-pkcs8.pem`, "utf8");
const leafPem = readFileSync(`${CERTS}pem-pkcs8.leaf.pem`, "utf8");

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** The machine's Node and the pinned builds, by major version (a pinned build of the machine's major is skipped). */
function nodes(): Record<NodeName, string> {
  const out: Record<NodeName, string> = { [`node${process.versions.node.split(".")[0]}`]: process.execPath };
  for (const binary of Object.values(PINNED_NODE)) {
    if (!existsSync(binary)) continue;
    const major = Number(/node(\d+)/.exec(binary)?.[1]);
    if (major && !out[`node${major}`]) out[`node${major}`] = binary;
  }
  return out;
}

interface ChildRun<T> {
  result: T;
  counts: ReturnType<BenchServer["counts"]>;
}

class Bench {
  constructor(
    readonly server: BenchServer,
    readonly installed: Installed,
    readonly caFile: string,
    readonly nodeBinaries: Record<NodeName, string>,
  ) {}

  command(runtime: RuntimeName, task: ChildTask, extra: { gc?: boolean; loadLog?: string }): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
    const json = JSON.stringify(task);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: this.caFile, NO_COLOR: "1" };
    const child = this.installed.child;
    if (runtime === "deno") return { command: bin("deno"), args: ["run", "-A", child, json], env: { ...env, DENO_CERT: this.caFile } };
    if (runtime === "bun") return { command: bin("bun"), args: [child, json], env };
    const args: string[] = [];
    if (extra.gc) args.push("--expose-gc");
    if (extra.loadLog) {
      args.push("--import", `${benchDir}measure/load-log.mjs`);
      env.BENCH_LOAD_LOG = extra.loadLog;
    }
    return { command: this.nodeBinaries[runtime]!, args: [...args, child, json], env };
  }

  run<T>(runtime: RuntimeName, task: ChildTask, extra: { gc?: boolean; loadLog?: string } = {}): Promise<ChildRun<T>> {
    const { command, args, env } = this.command(runtime, task, extra);
    this.server.resetCounts();
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd: this.installed.dir, env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), 600_000);
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      child.on("close", (code) => {
        clearTimeout(timer);
        const line = out.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
        if (code !== 0 || !line) {
          reject(new Error(`${task.task} ${task.library} ${task.kind} on ${runtime}: exit ${code}\n${err.slice(-3000)}${out.slice(-1000)}`));
          return;
        }
        resolve({ result: JSON.parse(line.slice(RESULT_PREFIX.length)) as T, counts: this.server.counts() });
      });
    });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const nodeBinaries = nodes();
  const nodeNames = Object.keys(nodeBinaries) as NodeName[];
  const host = nodeNames[0]!;
  log(`entra-edge bench${quick ? " (quick: fewer samples, nothing written)" : ""}: ${nodeNames.join(", ")}, deno, bun`);
  const machine = machineInfo(root, nodeBinaries);
  const scratch = mkdtempSync(join(tmpdir(), "entra-edge-bench-"));
  const tls = makeTestTls();
  const server = await startServer(tls);
  try {
    log("host speed: the calibration workload (fresh processes, every Node)");
    const calibrationStart = calibrate(nodeBinaries, N.calibration);
    const installed = await installPackage(root, scratch, log);
    machine.packages = installed.versions;
    const pkgDir = join(installed.dir, "node_modules/entra-edge");
    const layouts: Record<string, Layout> = {};
    for (const entry of ["node", "bun", "deno", "workerd"]) layouts[entry] = layoutOf(pkgDir, `dist/${entry}.js`);
    const nodeLayout = layouts.node!;
    const pkcs12 = nodeLayout.lazy.find((f) => nodeLayout.files[f]!.pkcs12);
    const jose = nodeLayout.lazy.find((f) => nodeLayout.files[f]!.packages.includes("jose") && !nodeLayout.files[f]!.packages.includes("asn1js"));
    if (!pkcs12 || !jose) throw new Error(`the installed dist/node.js has no lazy PKCS#12 chunk or jose chunk: lazy files ${nodeLayout.lazy.join(", ")}`);
    const chunks = { jose: `file://${join(pkgDir, jose)}`, pkcs12: `file://${join(pkgDir, pkcs12)}` };

    const builds: [App, WranglerMode][] = [
      ["secret", "default"],
      ["secret", "minify"],
      ["secret", "minify-no-keep-names"],
      ["pem", "default"],
      ["pem", "minify"],
      ["pfx", "default"],
      ["pfx", "minify"],
    ];
    const wrangler = wranglerWorkers({ appDir: installed.dir, root, node: PINNED_NODE[WRANGLER_NODE], compatibilityDate: NEWEST_WORKERD.compatibilityDate, builds, log });
    log("esbuild: the split Worker layout and Node apps");
    const split = [await splitWorker(installed.dir, "pem"), await splitWorker(installed.dir, "pfx")];
    const bundles = await nodeBundles(installed.dir);

    const emulator = server.emulator;
    const register = (clientId: string) => emulator.addApp({ tenantId: TENANT, clientId, secrets: [SECRET], certificates: [leafPem] });
    const fresh = () => {
      emulator.reset();
      register("bench-app");
    };
    fresh();
    const openid = await emulator.handle(new Request(`${server.url}/${TENANT}/v2.0/.well-known/openid-configuration`));
    const target: Target = {
      url: server.url,
      tenantId: TENANT,
      clientId: "bench-app",
      scope: SCOPE,
      secret: SECRET,
      pemPath: `${CERTS}pem-pkcs8.pem`,
      pemKey: /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pemText)![0],
      thumbprintSha256: manifest.find((m) => m.name === "pem-pkcs8")!.sha256!,
      pfxPath: `${CERTS}pfx-openssl3-default.pfx`,
      legacyPfxPath: `${CERTS}pfx-legacy.pfx`,
      pfxPassword: manifest.find((m) => m.name === "pfx-legacy")!.password!,
      authorityMetadata: await (openid as Response).text(),
    };
    const bench = new Bench(server, installed, tls.caFile, nodeBinaries);
    const task = (runtime: RuntimeName, library: LibraryName, kind: CredentialKind, t: ChildTask["task"], more: Partial<ChildTask> = {}): ChildTask => ({
      task: t,
      runtime,
      library,
      kind,
      entry: library === "entra-edge" ? "entra-edge" : library,
      target,
      ...more,
    });

    const runs: Partial<Record<RuntimeName, RuntimeResults>> = {};
    const suite = async (runtime: RuntimeName, libraries: LibraryName[]) => {
      const run: RuntimeResults = { cached: [], first: [], coldStart: [], concurrency: [] };
      for (const library of libraries) {
        for (const kind of ["secret", "pem"] as const) {
          fresh();
          log(`[${runtime}] cached getToken: ${library} ${kind}`);
          const r = await bench.run<RuntimeResults["cached"][number]["result"]>(runtime, task(runtime, library, kind, "cached"));
          run.cached.push({ library, kind, result: r.result, requests: r.counts });
        }
      }
      for (const library of libraries) {
        const kinds: CredentialKind[] = library === "entra-edge" ? ["secret", "pem", "pfx", "legacy-pfx"] : ["secret", "pem"];
        for (const kind of kinds) {
          fresh();
          log(`[${runtime}] first token of a new credential (warm process): ${library} ${kind}`);
          const r = await bench.run<RuntimeResults["first"][number]["result"]>(runtime, task(runtime, library, kind, "first", { iterations: N.first }));
          run.first.push({ library, kind, result: r.result, requests: r.counts });
        }
        if (library !== "entra-edge") for (const kind of ["pfx", "legacy-pfx"] as const) run.first.push({ library, kind, unsupported: "not supported (PEM only)" });
      }
      for (const kind of ["secret", "pem"] as const) {
        for (const library of libraries) {
          fresh();
          log(`[${runtime}] cold start (fresh processes): ${library} ${kind}`);
          const times: number[] = [];
          for (let i = 0; i < N.coldstart; i++) times.push((await bench.run<{ ms: number }>(runtime, task(runtime, library, kind, "coldstart"))).result.ms);
          run.coldStart.push({ library, kind, medianMs: median(times), samples: times.length });
        }
      }
      for (const count of [100, 1000]) {
        for (const library of libraries) {
          fresh();
          const clientId = `concurrency-${library.replace(/\W/g, "")}-${count}`;
          register(clientId);
          emulator.setDelay(200);
          log(`[${runtime}] ${count} concurrent cold calls: ${library}`);
          const r = await bench.run<RuntimeResults["concurrency"][number]["result"]>(runtime, task(runtime, library, "secret", "concurrency", { count, target: { ...target, clientId } }));
          const tokenRequests = emulator.requests().filter((q) => q.clientId === clientId).length;
          run.concurrency.push({ library, count, tokenRequests, result: r.result, requests: r.counts });
          emulator.setDelay(0);
        }
      }
      return run;
    };

    // The machine's Node: the whole comparison with the peers.
    const hostRun = await suite(host, LIBRARIES);
    hostRun.heap = [];
    for (const library of LIBRARIES) {
      for (const kind of ["secret", "pem"] as const) {
        fresh();
        log(`[${host}] heap per credential: ${library} ${kind}`);
        const r = await bench.run<NonNullable<RuntimeResults["heap"]>[number]["result"]>(host, task(host, library, kind, "heap", { count: N.heap }), { gc: true });
        hostRun.heap.push({ library, kind, result: r.result });
      }
    }
    runs[host] = hostRun;
    fresh();
    log(`[${host}] when the heavy parts load (module load log)`);
    const loadLog = join(scratch, "load.log");
    writeFileSync(loadLog, "");
    const lazySteps = (await bench.run<LazySteps>(host, task(host, "entra-edge", "pem", "lazy"), { loadLog })).result;

    // Import time: every Node with the peers, Deno and Bun alone; fresh processes, interleaved.
    const imports: Results["imports"] = {};
    for (const runtime of [...nodeNames, "deno", "bun"] as RuntimeName[]) {
      log(`[${runtime}] import time (fresh processes)`);
      const libs = runtime.startsWith("node") ? LIBRARIES : (["entra-edge"] as LibraryName[]);
      const subjects: ImportSubject[] = libs.map((name) => ({
        name,
        command: runtime === "deno" ? bin("deno") : runtime === "bun" ? bin("bun") : nodeBinaries[runtime as NodeName]!,
        args: runtime === "deno" ? ["run", "-A", installed.probe, name] : [installed.probe, name],
        cwd: installed.dir,
      }));
      // Node ≥ 22.1 can keep V8's compiled code between processes (NODE_COMPILE_CACHE, or
      // module.enableCompileCache() in the app): what entra-edge's import costs with it.
      const major = runtime.startsWith("node") ? Number(machine.runtimes[runtime]?.split(".")[0]) : 0;
      if (major >= 22) subjects.push({ ...subjects[0]!, name: COMPILE_CACHED, env: { NODE_COMPILE_CACHE: join(scratch, `compile-cache-${runtime}`) } });
      imports[runtime] = measureImports(subjects, N.imports);
    }

    // CPU of the first token in fresh processes: the real path on every runtime, the parts on every Node.
    const cpu: Results["cpu"] = {};
    const cpuParts: Results["cpuParts"] = {};
    const cpuFloor: NonNullable<Results["cpuFloor"]> = {};
    for (const runtime of [...nodeNames, "deno", "bun"] as RuntimeName[]) {
      cpu[runtime] = {};
      // The floor of the PEM token, in the same run: the bare assertion with no library.
      log(`[${runtime}] CPU of a bare PEM assertion (no library: jose + WebCrypto) in fresh processes`);
      const floor: CpuFloorResult[] = [];
      for (let i = 0; i < N.cpu; i++) floor.push((await bench.run<CpuFloorResult>(runtime, task(runtime, "entra-edge", "pem", "cpu-floor", { chunks }))).result);
      cpuFloor[runtime] = summarizeFloor(floor);
      for (const kind of ["secret", "pem", "pfx", "legacy-pfx"] as const) {
        fresh();
        log(`[${runtime}] CPU of the first token in fresh processes: ${kind}`);
        const samples: CpuResult[] = [];
        for (let i = 0; i < N.cpu; i++) samples.push((await bench.run<CpuResult>(runtime, task(runtime, "entra-edge", kind, "cpu", { count: 15 }))).result);
        cpu[runtime]![kind] = summarizeCpu(samples);
      }
      if (!runtime.startsWith("node")) continue;
      cpuParts[runtime as NodeName] = {};
      for (const kind of ["secret", "pem", "pfx", "legacy-pfx"] as const) {
        fresh();
        log(`[${runtime}] CPU per part (fresh processes, one profiled): ${kind}`);
        const plain: CpuPartsResult[] = [];
        for (let i = 0; i < N.parts; i++) plain.push((await bench.run<CpuPartsResult>(runtime, task(runtime, "entra-edge", kind, "cpu-parts", { chunks }))).result);
        const profiled = (await bench.run<CpuPartsResult>(runtime, task(runtime, "entra-edge", kind, "cpu-parts", { chunks, profile: true }))).result;
        cpuParts[runtime as NodeName]![kind] = summarizeParts(plain, profiled);
      }
    }

    for (const runtime of ["deno", "bun"] as const) runs[runtime] = await suite(runtime, ["entra-edge"]);

    const toPackages = (urls: string[]) => {
      const files = urls.filter((u) => u.includes("/node_modules/entra-edge/")).map((u) => u.slice(u.indexOf("/node_modules/entra-edge/") + "/node_modules/entra-edge/".length));
      const packages = new Set<string>();
      for (const f of files) for (const p of nodeLayout.files[f]?.packages ?? []) packages.add(p);
      for (const u of urls) {
        const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
        if (m && m[1] !== "entra-edge") packages.add(m[1]!);
      }
      return { files, packages: [...packages].sort() };
    };

    log("host speed: the calibration workload again");
    const calibrationEnd = calibrate(nodeBinaries, N.calibration);
    machine.load.end = loadNow();
    const results: Results = {
      machine,
      configuration: CONFIGURATION,
      tarball: installed.tarball,
      layout: Object.fromEntries(Object.entries(layouts).map(([k, l]) => [k, summarizeLayout(l, k === "node" || k === "bun" ? closure(l, pkcs12) : undefined)])),
      runs,
      imports,
      cpu,
      cpuFloor,
      cpuParts,
      workers: wrangler.workers,
      wranglerOffline: wrangler.offline,
      split,
      nodeBundles: bundles,
      lazy: lazySteps.steps.map((s) => ({ step: s.step, ...toPackages(s.urls) })),
      budgets: [],
      calibration: { start: calibrationStart, end: calibrationEnd },
    };
    results.budgets = evaluateBudgets(results);
    results.history = withHistory(results, commit(), previousHistory());
    const markdown = renderMarkdown(results);
    console.log(markdown);
    if (quick) log("--quick: nothing written");
    else {
      writeFileSync(`${benchDir}results.json`, `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(`${benchDir}RESULTS.md`, markdown);
      writeFileSync(`${root}README.md`, applyReadme(readFileSync(`${root}README.md`, "utf8"), results));
      log("wrote bench/results.json, bench/RESULTS.md and README.md's figures");
    }
    for (const b of results.budgets) log(`${b.verdict.padEnd(12)} ${b.name}: ${b.measured}`);
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${machine.load.start.join(" ")} → ${machine.load.end.join(" ")}`);
    if (results.budgets.some((b) => b.verdict === "FAIL")) process.exitCode = 1;
  } finally {
    await server.close();
    tls.remove();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The measured checkout: short commit, `-dirty` with uncommitted changes. */
function commit(): string {
  const git = (args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  try {
    return `${git(["rev-parse", "--short", "HEAD"])}${git(["status", "--porcelain", "--untracked-files=no"]) ? "-dirty" : ""}`;
  } catch {
    return "unknown";
  }
}

/** The history of the last full run's results.json (none before the history was kept). */
function previousHistory(): NonNullable<Results["history"]> {
  try {
    return (JSON.parse(readFileSync(`${benchDir}results.json`, "utf8")) as Results).history ?? [];
  } catch {
    return [];
  }
}

function render(): void {
  const results = JSON.parse(readFileSync(`${benchDir}results.json`, "utf8")) as Results;
  writeFileSync(`${benchDir}RESULTS.md`, renderMarkdown(results));
  writeFileSync(`${root}README.md`, applyReadme(readFileSync(`${root}README.md`, "utf8"), results));
  log("wrote bench/RESULTS.md and README.md's figures from bench/results.json");
}

if (argv.includes("--render")) render();
else await main();
