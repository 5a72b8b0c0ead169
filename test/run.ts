/**
 * `npm test`: prepares what the suite needs, type-checks, runs the portable suite on Node, Deno,
 * Bun and workerd one after another, and ends with one summed line `N passed, N failed`.
 *
 * Options: `--runtime node,deno` to run a subset; `TEST_FILTER=text` to run matching tests only.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { generate } from "./support/generate.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;
const arg = process.argv.indexOf("--runtime");
const wanted = arg === -1 ? ["typecheck", "node", "deno", "bun", "workerd", "tooling"] : process.argv[arg + 1]!.split(",");

interface Step {
  name: string;
  command: string;
  args: string[];
  /** Steps that report no RESULT line count as one test (passed when they exit 0). */
  single?: boolean;
}

const steps: Step[] = [
  { name: "typecheck", command: bin("tsc"), args: ["--noEmit", "-p", "tsconfig.json"], single: true },
  { name: "typecheck", command: bin("tsc"), args: ["--noEmit", "-p", "test/tsconfig.runtime.json"], single: true },
  // --expose-gc: the soak test measures the heap after a full GC where it can.
  { name: "node", command: process.execPath, args: ["--expose-gc", "--import", "tsx", "test/runners/node.ts"] },
  { name: "deno", command: bin("deno"), args: ["run", "--v8-flags=--expose-gc", "--config", "deno.json", "--allow-net=127.0.0.1,localhost", "--allow-read", "--allow-write", "--unstable-kv", "--allow-env", "test/runners/deno.ts"] },
  { name: "deno", command: bin("deno"), args: ["run", "--config", "deno.json", "--no-prompt", "--allow-net=127.0.0.1", "test/runners/deno-permissions.ts"] },
  { name: "bun", command: bin("bun"), args: ["test/runners/bun.ts"] },
  { name: "workerd", command: process.execPath, args: ["--import", "tsx", "test/runners/workerd-host.ts"] },
  { name: "tooling", command: process.execPath, args: ["--import", "tsx", "test/runners/tooling.ts"] },
];

function runStep(step: Step): Promise<{ passed: number; failed: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
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
        else console.log(line);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code) => {
      if (buffer) console.log(buffer);
      const ms = Date.now() - started;
      if (step.single) resolve({ passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, ms });
      else if (!result) {
        console.log(`✗ [${step.name}] the runner ended (exit ${code}) without a result`);
        resolve({ passed: 0, failed: 1, ms });
      } else resolve({ ...result, failed: result.failed + (code !== 0 && result.failed === 0 ? 1 : 0), ms });
    });
  });
}

/** A real redis-server on 127.0.0.1 for the Redis token store (installed by .ci/run: apt-get install redis-server). */
async function startRedis(): Promise<{ url: string; stop(): void } | undefined> {
  const { createServer } = await import("node:net");
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const failed = await new Promise<boolean>((resolve) => {
    child.once("error", () => resolve(true));
    setTimeout(() => resolve(false), 300);
  });
  if (failed) return undefined;
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill() };
}

await generate(root);
const redis = await startRedis();
if (redis) process.env.REDIS_URL = redis.url;
else console.log("✗ redis-server was not found: the Redis token-store tests will fail (apt-get install redis-server; .ci/run does it).");
let passed = 0;
let failed = 0;
const summary: string[] = [];
for (const step of steps) {
  if (!wanted.includes(step.name)) continue;
  console.log(`\n── ${step.name}: ${[step.command.replace(root, ""), ...step.args].join(" ")}`);
  const r = await runStep(step);
  passed += r.passed;
  failed += r.failed;
  summary.push(`  ${step.name.padEnd(10)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${(r.ms / 1000).toFixed(1)} s`);
}
console.log("\n" + summary.join("\n"));
redis?.stop();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
