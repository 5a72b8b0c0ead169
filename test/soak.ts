/**
 * `npm run soak`: the load and soak run (not part of `npm test`, which runs a 5 s version from
 * test/soak.test.ts on every runtime). 100 concurrent callers make 20,000 getToken calls over a
 * minute against the emulator served on 127.0.0.1, which issues 3-second tokens with
 * `refresh_in: 1` and answers 10% of the token requests with a transient 503.
 *
 * It checks that every call gets a token valid when returned, that token requests answered 200
 * stay within one per refresh interval (+ 2) and that every other request is an injected 503 that
 * was survived, and that the heap after a full GC grows by less than 8 MB over the run and by
 * less than 2 MB over its second half (flat, not leaking); it prints a summary and exits non-zero
 * when a check fails.
 *
 *   npm run soak
 *   npm run soak -- --runtime deno        (or bun; node is the default)
 *   npm run soak -- --duration 30 --callers 50 --calls 5000
 *
 * Runs unchanged on Node (via tsx, with --expose-gc), Deno (--v8-flags=--expose-gc) and Bun
 * (Bun.gc); `--runtime` re-runs this file under the named runtime from node_modules/.bin.
 */
import { EntraEmulator, serveEmulator } from "../src/testing.ts";
import { formatSoak, heapProbe, mb, runSoak, soakProblems } from "./support/soak.ts";

interface Host {
  Deno?: { args: string[]; exit(code: number): never };
  Bun?: unknown;
  process?: { argv: string[]; exit(code: number): never; execPath: string };
}
const host = globalThis as unknown as Host;
const runtime = host.Deno ? "deno" : host.Bun ? "bun" : "node";
const argv = host.Deno ? host.Deno.args : host.process!.argv.slice(2);
const exit = (code: number): never => (host.Deno ? host.Deno.exit(code) : host.process!.exit(code));

function option(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? undefined : argv[i + 1];
}
function numberOption(name: string, fallback: number): number {
  const v = option(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!(n > 0)) {
    console.error(`--${name} needs a positive number`);
    return exit(2);
  }
  return n;
}

const wanted = option("runtime") ?? runtime;
if (!["node", "deno", "bun"].includes(wanted)) {
  console.error(`--runtime must be node, deno or bun (workerd runs the 5 s version in npm test)`);
  exit(2);
}

if (wanted !== runtime) {
  // Re-run this file under the wanted runtime, with a way to force GC there.
  const childProcess = "node:child_process";
  const { spawn } = (await import(childProcess)) as { spawn: (cmd: string, args: string[], o: object) => { on(e: "close", f: (code: number | null) => void): void } };
  const root = new URL("..", import.meta.url).pathname;
  const rest = argv.filter((_, i) => argv[i] !== "--runtime" && argv[i - 1] !== "--runtime");
  const [command, args] =
    wanted === "deno"
      ? [`${root}node_modules/.bin/deno`, ["run", "--v8-flags=--expose-gc", "--config", "deno.json", "--allow-net=127.0.0.1", "--allow-read=.", "--allow-env", "test/soak.ts", ...rest]]
      : wanted === "bun"
        ? [`${root}node_modules/.bin/bun`, ["test/soak.ts", ...rest]]
        : [host.process!.execPath, ["--expose-gc", "--import", "tsx", "test/soak.ts", ...rest]];
  const child = spawn(command, args, { cwd: root, stdio: "inherit" });
  const code = await new Promise<number | null>((r) => child.on("close", r));
  exit(code ?? 1);
}

const durationMs = numberOption("duration", 60) * 1000;
const callers = numberOption("callers", 100);
const calls = numberOption("calls", 20_000);
const maxHeapGrowth = numberOption("max-heap-growth-mb", 8) * 1024 * 1024;
const expected = Math.ceil(calls / callers) * callers;

const lib = (await import(`../src/${runtime}.ts`)) as typeof import("../src/core.ts");
const heap = heapProbe();
if (!heap) console.log(`(no way to force a GC here: the heap is not measured; run node with --expose-gc, deno with --v8-flags=--expose-gc)`);

const emulator = new EntraEmulator();
const served = await serveEmulator(emulator);
let counter = 0;
let code = 1;
console.log(`soak on ${runtime}: ${callers} callers, ${expected} getToken calls over ${durationMs / 1000} s; 3 s tokens, refresh_in 1 s, 10% transient 503s`);
try {
  const report = await runSoak({
    emulator,
    emulatorUrl: served.url,
    Credential: lib.ClientSecretCredential,
    id: (prefix) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`,
    durationMs,
    callers,
    calls,
    ...(heap ? { heap } : {}),
    progress: (line) => console.log(line),
  });
  console.log(formatSoak(report));
  if (report.heapBefore !== undefined && report.heapAfter !== undefined) {
    console.log(`heap growth ${mb(report.heapAfter - report.heapBefore)} (limit ${mb(maxHeapGrowth)})`);
  }
  const problems = soakProblems(report, expected, maxHeapGrowth);
  if (problems.length) console.log(`FAILED:\n- ${problems.join("\n- ")}`);
  else console.log("soak passed");
  code = problems.length ? 1 : 0;
} finally {
  await served.close();
}
exit(code);
