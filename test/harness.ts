/**
 * The portable test harness: test files register cases with `test()`, and each runtime's thin
 * runner (test/runners/*, through test/support/platform.ts on Node, Deno and Bun) calls `run()`
 * with what that runtime provides. No runtime-specific API is used here, so the same files run on
 * Node, Deno, Bun and workerd.
 */
import type { EmulatorControl } from "../src/testing/types.ts";

/** The runtime's entry of the library (src/node.ts, src/deno.ts, src/bun.ts or src/workerd.ts). */
export type RuntimeLib = typeof import("../src/core.ts"); // every entry's classes derive from the core's

export type Runtime = "node" | "deno" | "bun" | "workerd";

/** What a runner hands to the suite. */
export interface Platform {
  runtime: Runtime;
  /** Control of the emulator served on 127.0.0.1 (in-process, or over HTTP from workerd). */
  emulator: EmulatorControl;
  /** Base URL of that emulator, used as `authorityHost`. */
  emulatorUrl: string;
  /** A URL on 127.0.0.1 where nothing listens. */
  closedUrl: string;
  /** The library as this runtime's users import it (its runtime entry, with its adapter). */
  lib: RuntimeLib;
  /** Reads a file on runtimes that have files; absent inside workerd. */
  readFile?: (path: string) => Promise<Uint8Array>;
  /** Writes a text file (replacing it) on runtimes that have files; absent inside workerd. */
  writeFile?: (path: string, text: string) => Promise<void>;
  /** The AZURE_FEDERATED_TOKEN_FILE the runner put in the runtime's environment (a path under test/generated/ it may write). */
  tokenFile?: string;
  /**
   * The runtime's own environment (process.env, Deno.env, Bun.env), which the runner seeded with
   * the env app; absent inside workerd (its bindings are fixed). A test that sets a variable puts
   * the old value back in a cleanup.
   */
  env?: { get(name: string): string | undefined; set(name: string, value: string): void };
  /** Absolute path of the repository root, on runtimes that have files. */
  root?: string;
  /** Shared token cache stores this runtime offers (memory; Workers KV, Deno KV, Redis where available). */
  tokenStores?: Record<string, import("../src/types.ts").TokenCache>;
  /**
   * Node and Bun with redis-server installed: starts a redis-server of the test's own and connects
   * a node-redis client to it the way README shows (no `'error'` listener); `kill()` ends the
   * server with SIGKILL (an outage).
   */
  ownRedis?: () => Promise<{ client: import("../src/types.ts").RedisClientLike; kill(): void; close(): Promise<void> }>;
  /** The runtime's own object inspector (util.inspect, Deno.inspect, Bun.inspect); absent inside workerd. */
  inspect?: (value: unknown) => string;
  /** Fuzz settings from the runner's environment (FUZZ_RUNS, FUZZ_SEED); see {@link fuzzSettings}. */
  fuzz?: FuzzSettings;
}

/** How many cases each fuzz property runs and from which seed (defaults chosen by test/fuzz.test.ts). */
export interface FuzzSettings {
  runs?: number;
  seed?: number;
}

/** Reads FUZZ_RUNS / FUZZ_SEED through a runner's environment lookup (workerd: sent by its host). */
export function fuzzSettings(get: (name: string) => string | undefined): FuzzSettings {
  const num = (v: string | undefined) => (v !== undefined && /^-?\d+$/.test(v.trim()) ? Number(v) : undefined);
  return { runs: num(get("FUZZ_RUNS")), seed: num(get("FUZZ_SEED")) };
}

export interface TestContext extends Platform {
  /** A fresh id unique to this test run (for tenant / client ids). */
  id(prefix?: string): string;
  /** Moves `Date.now()` forward for the rest of the test (restored afterwards). */
  advanceClock(ms: number): void;
  /** Registers a function run after the test, pass or fail. */
  cleanup(fn: () => unknown): void;
}

interface Case {
  name: string;
  fn: (t: TestContext) => unknown;
  timeoutMs: number;
}

const cases: Case[] = [];

/** Registers a test. Tests run one after another in registration order. */
export function test(name: string, fn: (t: TestContext) => unknown, options: { timeoutMs?: number } = {}): void {
  cases.push({ name, fn, timeoutMs: options.timeoutMs ?? 15_000 });
}

const afterEachHooks: (() => unknown)[] = [];

/** Registers a check run after every test (a throw fails that test). */
export function afterEach(fn: () => unknown): void {
  afterEachHooks.push(fn);
}

let unhandled: unknown[] = [];

/** Runners call this from their runtime's unhandled-rejection hook: the running test then fails. */
export function reportUnhandledRejection(reason: unknown): void {
  unhandled.push(reason);
}

export interface Result {
  runtime: Runtime;
  passed: number;
  failed: number;
  failures: { name: string; error: string }[];
  lines: string[];
}

let counter = 0;

function describe(error: unknown): string {
  if (error instanceof Error) {
    const stack = error.stack && error.stack.includes(error.message) ? error.stack : `${error.name}: ${error.message}\n${error.stack ?? ""}`;
    return stack.split("\n").slice(0, 6).join("\n");
  }
  return String(error);
}

/**
 * Runs every registered case (or those whose name contains `filter`). `print` receives one line
 * per test as it finishes.
 */
export async function run(platform: Platform, options: { filter?: string; print?: (line: string) => void } = {}): Promise<Result> {
  const print = options.print ?? (() => {});
  const result: Result = { runtime: platform.runtime, passed: 0, failed: 0, failures: [], lines: [] };
  const realNow = Date.now;
  for (const c of cases) {
    if (options.filter && !c.name.includes(options.filter)) continue;
    const cleanups: (() => unknown)[] = [];
    let offset = 0;
    const ctx: TestContext = {
      ...platform,
      id: (prefix = "id") => `${prefix}-${platform.runtime}-${++counter}-${Math.random().toString(36).slice(2, 8)}`,
      advanceClock(ms) {
        offset += ms;
        Date.now = () => realNow() + offset;
      },
      cleanup(fn) {
        cleanups.push(fn);
      },
    };
    unhandled = [];
    const started = realNow();
    let error: unknown;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await platform.emulator.reset();
      await Promise.race([
        (async () => c.fn(ctx))(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`test timed out after ${c.timeoutMs} ms`)), c.timeoutMs);
        }),
      ]);
    } catch (e) {
      error = e;
    } finally {
      clearTimeout(timer);
      Date.now = realNow;
      for (const fn of [...cleanups.reverse(), ...afterEachHooks]) {
        try {
          await fn();
        } catch (e) {
          error ??= e;
        }
      }
    }
    // Let pending rejections surface before judging the test.
    await new Promise((r) => setTimeout(r, 0));
    if (!error && unhandled.length > 0) error = new Error(`unhandled rejection: ${describe(unhandled[0])}`);
    const ms = realNow() - started;
    if (error) {
      result.failed++;
      const text = describe(error);
      result.failures.push({ name: c.name, error: text });
      const line = `✗ [${platform.runtime}] ${c.name} (${ms} ms)\n    ${text.replace(/\n/g, "\n    ")}`;
      result.lines.push(line);
      print(line);
    } else {
      result.passed++;
      const line = `✓ [${platform.runtime}] ${c.name} (${ms} ms)`;
      result.lines.push(line);
      print(line);
    }
  }
  return result;
}
