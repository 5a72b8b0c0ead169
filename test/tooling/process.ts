/**
 * Helpers of the Node-only tooling tests: running commands, a clean environment for children,
 * building dist/ once per run, and the packed package installed in an app folder.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import process from "node:process";

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  /** Variables added to the clean environment (see {@link cleanEnv}). */
  env?: Record<string, string>;
  /** Killed (SIGKILL) after this long; the result then has `signal`. Generous: the machine may be loaded. */
  timeoutMs?: number;
}

/**
 * The parent's environment without any AZURE_* variable (children decide their own configuration)
 * and without colours.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("AZURE_")) env[k] = v;
  return { ...env, NO_COLOR: "1", ...extra };
}

/** Runs a command to completion and collects its output. */
export function run(command: string, args: string[], options: RunOptions): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: cleanEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A long-running child whose output can be awaited line by line. */
export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout (rejects if the process ends first or after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(command: string, args: string[], options: RunOptions): Running {
  const child = spawn(command, args, { cwd: options.cwd, env: cleanEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout!.on("data", (c: Buffer) => {
    stdout += c.toString();
    for (const l of listeners) l();
  });
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => `stdout:\n${stdout}\nstderr:\n${stderr}`,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = stdout.match(pattern);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} in the output after ${timeoutMs} ms\n${stdout}\n${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(() => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`the process ended before printing ${pattern}\n${stdout}\n${stderr}`));
        });
        check();
      });
    },
  };
}

let built: Promise<void> | undefined;

/** `npm run build` once per tooling run (tests that need dist/ call it; the first one builds). */
export function ensureBuilt(root: string): Promise<void> {
  built ??= (async () => {
    const r = await run("npm", ["run", "build"], { cwd: root, timeoutMs: 180_000 });
    if (r.code !== 0) throw new Error(`npm run build failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  })();
  return built;
}

/** Records that dist/ was just built by something else (`npm run check:package` builds first). */
export function markBuilt(): void {
  built ??= Promise.resolve();
}

export interface Packed {
  /** A folder of this run (removed at exit) holding the tarball; apps go in folders inside it. */
  base: string;
  tarball: string;
  /** The paths `npm pack` put in the tarball. */
  files: string[];
}

let packing: Promise<Packed> | undefined;

/** `npm pack` of the built package, once per process, into `.tmp/<name>-<pid>/` (removed at exit). */
export function packed(root: string, name = "tarball"): Promise<Packed> {
  packing ??= (async () => {
    await ensureBuilt(root);
    const base = `${root}/.tmp/${name}-${process.pid}`;
    await rm(base, { recursive: true, force: true });
    process.once("exit", () => rmSync(base, { recursive: true, force: true }));
    await mkdir(base, { recursive: true });
    const r = await run("npm", ["pack", "--json", "--pack-destination", base], { cwd: root, timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`npm pack failed:\n${r.stderr}`);
    const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
    return { base, tarball: `${base}/${info!.filename}`, files: info!.files.map((f) => f.path) };
  })();
  return packing;
}

/**
 * Installs the packed tarball in `dir` as an app would (`npm install <tarball>`; `dir` needs a
 * package.json). The dependencies (jose, asn1js, @noble/hashes) come from npm's cache when `npm ci` filled
 * it, else the registry.
 */
export async function installPacked(tarball: string, dir: string): Promise<void> {
  const r = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock", tarball], { cwd: dir, timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`npm install of the tarball failed:\n${r.stdout}\n${r.stderr}`);
}
