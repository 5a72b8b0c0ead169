/**
 * `npm run bench [-- --runtime node,deno,bun] [-- --quick]`: entra-edge side by side with
 * @azure/identity and @azure/msal-node, against the Entra emulator served over TLS with a test CA.
 *
 * The orchestrator (this process) makes the CA, serves the emulator, builds the library, then runs
 * every measurement in fresh child processes (which trust the CA through NODE_EXTRA_CA_CERTS or
 * DENO_CERT, set before they start), measures bundles with esbuild, prints the tables with a
 * PASS/FAIL per budget, and writes bench/RESULTS.md and bench/results.json. A run limited to some
 * runtimes keeps the other runtimes' sections of results.json (each section carries its date).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildChild, buildLibrary } from "./build.ts";
import { RESULT_PREFIX, type ChildTask, type CredentialKind, type LibraryName, type RuntimeName, type Target } from "./config.ts";
import { CONFIGURATION } from "./libraries.ts";
import { loadNow, machineInfo } from "./machine.ts";
import { measureBundles } from "./measure/bundles.ts";
import { measureImports, probeArgs, type ImportSubject } from "./measure/imports.ts";
import { evaluateBudgets, renderMarkdown, type Results, type RuntimeResults } from "./report.ts";
import { startServer, type BenchServer } from "./server.ts";
import { median } from "./stats.ts";
import { makeTestTls } from "./tls.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const benchDir = fileURLToPath(new URL(".", import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

const argv = process.argv.slice(2);
const runtimeArg = argv.indexOf("--runtime");
const runtimes = (runtimeArg === -1 ? "node,deno,bun" : argv[runtimeArg + 1] ?? "").split(",").filter(Boolean) as RuntimeName[];
for (const r of runtimes) if (!["node", "deno", "bun"].includes(r)) throw new Error(`--runtime: unknown runtime ${r} (node, deno, bun)`);
const quick = argv.includes("--quick");

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

interface ChildRun<T> {
  result: T;
  counts: ReturnType<BenchServer["counts"]>;
}

let nodeChild = "";

function childCommand(runtime: RuntimeName, task: ChildTask, caFile: string, extra: { gc?: boolean; loadLog?: string }): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const json = JSON.stringify(task);
  const child = `${benchDir}child.ts`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: caFile, NO_COLOR: "1" };
  if (runtime === "deno") return { command: bin("deno"), args: ["run", "--config", `${root}deno.json`, "-A", child, json], env: { ...env, DENO_CERT: caFile } };
  if (runtime === "bun") return { command: bin("bun"), args: [child, json], env };
  const args: string[] = [];
  if (extra.gc) args.push("--expose-gc");
  if (extra.loadLog) {
    args.push("--import", `${benchDir}measure/load-log.mjs`);
    env.BENCH_LOAD_LOG = extra.loadLog;
  }
  return { command: process.execPath, args: [...args, nodeChild, json], env };
}

function runChild<T>(server: BenchServer, runtime: RuntimeName, task: ChildTask, caFile: string, extra: { gc?: boolean; loadLog?: string } = {}): Promise<ChildRun<T>> {
  const { command, args, env } = childCommand(runtime, task, caFile, extra);
  server.resetCounts();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
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
      resolve({ result: JSON.parse(line.slice(RESULT_PREFIX.length)) as T, counts: server.counts() });
    });
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  log(`entra-edge bench: runtimes ${runtimes.join(", ")}${quick ? " (quick)" : ""}`);
  const tls = makeTestTls();
  const server = await startServer(tls);
  const scratch = mkdtempSync(join(tmpdir(), "entra-edge-bench-"));
  try {
    log("building the library (esbuild, like tsup) …");
    const built = await buildLibrary(root);
    nodeChild = await buildChild(root);
    const emulator = server.emulator;
    const register = (clientId: string) => emulator.addApp({ tenantId: TENANT, clientId, secrets: [SECRET], certificates: [leafPem] });
    const fresh = () => {
      emulator.reset();
      register("bench-app");
    };
    fresh();
    const openid = await emulator.handle(new Request(`${server.url}/${TENANT}/v2.0/.well-known/openid-configuration`));
    const authorityMetadata = await (openid as Response).text();
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
      authorityMetadata,
    };

    const previous: Partial<Results> = existsSync(`${benchDir}results.json`) ? (JSON.parse(readFileSync(`${benchDir}results.json`, "utf8")) as Results) : {};
    const results: Results = {
      machine: machineInfo(root),
      configuration: CONFIGURATION,
      runs: { ...(previous.runs ?? {}) },
      bundles: previous.bundles ?? [],
      budgets: [],
    };

    for (const runtime of runtimes) {
      const entry = runtime === "node" ? built.node : runtime === "bun" ? built.bun : pathToFileURL(`${root}src/deno.ts`).href;
      const libraries = runtime === "node" ? LIBRARIES : (["entra-edge"] as LibraryName[]);
      const run: RuntimeResults = {
        date: new Date().toISOString(),
        entry: runtime === "deno" ? "src/deno.ts (TypeScript source, as JSR serves it)" : `esbuild build of src/${runtime}.ts (like tsup: ESM, dependencies external)`,
        cached: [],
        first: [],
        coldStart: [],
        concurrency: [],
        imports: [],
      };
      const task = (library: LibraryName, kind: CredentialKind, t: ChildTask["task"], more: Partial<ChildTask> = {}): ChildTask => ({
        task: t,
        runtime,
        library,
        kind,
        entry,
        target,
        ...more,
      });

      for (const library of libraries) {
        for (const kind of ["secret", "pem"] as const) {
          fresh();
          log(`[${runtime}] cached getToken: ${library} ${kind}`);
          const r = await runChild<RuntimeResults["cached"][number]["result"]>(server, runtime, task(library, kind, "cached"), tls.caFile);
          run.cached.push({ library, kind, result: r.result, requests: r.counts });
        }
      }

      for (const library of libraries) {
        const kinds: CredentialKind[] = library === "entra-edge" ? ["secret", "pem", "pfx", "legacy-pfx"] : ["secret", "pem"];
        for (const kind of kinds) {
          fresh();
          log(`[${runtime}] first token: ${library} ${kind}`);
          const r = await runChild<RuntimeResults["first"][number]["result"]>(server, runtime, task(library, kind, "first", { iterations: quick ? 5 : 25 }), tls.caFile);
          run.first.push({ library, kind, result: r.result, requests: r.counts });
        }
        if (library !== "entra-edge") {
          for (const kind of ["pfx", "legacy-pfx"] as const) run.first.push({ library, kind, unsupported: "not supported (PEM only)" });
        }
      }

      for (const kind of ["secret", "pem"] as const) {
        for (const library of libraries) {
          fresh();
          log(`[${runtime}] cold start (fresh processes): ${library} ${kind}`);
          const times: number[] = [];
          for (let i = 0; i < (quick ? 3 : 9); i++) times.push((await runChild<{ ms: number }>(server, runtime, task(library, kind, "coldstart"), tls.caFile)).result.ms);
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
          const r = await runChild<RuntimeResults["concurrency"][number]["result"]>(
            server,
            runtime,
            task(library, "secret", "concurrency", { count, target: { ...target, clientId } }),
            tls.caFile,
          );
          const tokenRequests = emulator.requests().filter((q) => q.clientId === clientId).length;
          run.concurrency.push({ library, count, tokenRequests, result: r.result, requests: r.counts });
          emulator.setDelay(0);
        }
      }

      if (runtime === "node") {
        run.heap = [];
        for (const library of libraries) {
          for (const kind of ["secret", "pem"] as const) {
            fresh();
            log(`[node] heap per credential: ${library} ${kind}`);
            const r = await runChild<NonNullable<RuntimeResults["heap"]>[number]["result"]>(
              server,
              runtime,
              task(library, kind, "heap", { count: quick ? 200 : 1000 }),
              tls.caFile,
              { gc: true },
            );
            run.heap.push({ library, kind, result: r.result });
          }
        }
        fresh();
        log("[node] when pkijs loads (module load log)");
        const loadLog = join(scratch, "load.log");
        writeFileSync(loadLog, "");
        const lazy = await runChild<NonNullable<RuntimeResults["lazy"]>>(server, runtime, task("entra-edge", "pem", "lazy"), tls.caFile, { loadLog });
        run.lazy = lazy.result;
      }

      log(`[${runtime}] import time (fresh processes)`);
      const subjects: ImportSubject[] = [];
      const cmd = runtime === "node" ? process.execPath : bin(runtime);
      subjects.push({
        name: "entra-edge",
        what: runtime === "deno" ? "src/deno.ts" : `built dist (${runtime}.js, dependencies from node_modules)`,
        command: cmd,
        args: probeArgs(runtime, entry, root),
      });
      if (runtime === "node") {
        for (const peer of ["@azure/identity", "@azure/msal-node"]) subjects.push({ name: peer, what: `import("${peer}") from node_modules (ESM)`, command: cmd, args: probeArgs(runtime, peer, root) });
      }
      run.imports = measureImports(subjects, quick ? 5 : 11);
      results.runs[runtime] = run;
    }

    if (runtimes.includes("node")) {
      log("bundle sizes (esbuild)");
      results.bundles = await measureBundles(root);
    }

    results.machine.load.end = loadNow();
    results.budgets = evaluateBudgets(results);
    const markdown = renderMarkdown(results, `npm run bench${runtimeArg === -1 ? "" : ` -- --runtime ${runtimes.join(",")}`}`);
    writeFileSync(`${benchDir}results.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(`${benchDir}RESULTS.md`, markdown);
    console.log(markdown);
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote bench/RESULTS.md and bench/results.json`);
    if (results.budgets.some((b) => b.verdict === "FAIL")) process.exitCode = 1;
  } finally {
    await server.close();
    tls.remove();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
