/**
 * The system components the test suite needs (programs that are not npm packages), in one list,
 * and the provisioning `npm test` (test/run.ts) does before it runs anything: whatever is missing is installed
 * with apt-get where that can work (Linux with apt-get and dpkg, as root), and otherwise the run
 * stops with one message naming the exact install command.
 *
 * A later issue that needs another program adds one entry to {@link SYSTEM_REQUIREMENTS}.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import process from "node:process";

export interface SystemRequirement {
  /** The command (or module) the tests use, as a person would name it. */
  name: string;
  /** The Debian/Ubuntu package that provides it. */
  debianPackage: string;
  /** What to install elsewhere (Homebrew and most distributions name it so). */
  elsewhere: string;
  /** Which tests need it (said in messages). */
  neededBy: string;
  /** Step families of test/run.ts that use it (a subset run provisions only what its steps use). */
  families: readonly string[];
  /** Where it is (an executable path), or undefined when it is missing. */
  find(): string | undefined;
}

/** The first `name` on PATH that is an executable file. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (!dir) continue;
    const file = `${dir}/${name}`;
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * A Python 3 that imports `msal`. Debian's python3-msal installs for the system interpreter
 * (/usr/bin/python3), which need not be the `python3` first on PATH (pyenv, a virtualenv), so that
 * one is tried first. The MSAL interop tests run this interpreter: test/run.ts passes it on as
 * MSAL_PYTHON.
 */
export function pythonWithMsal(): string | undefined {
  const candidates = ["/usr/bin/python3", onPath("python3")].filter((p): p is string => !!p);
  for (const python of new Set(candidates)) {
    const r = spawnSync(python, ["-c", "import msal"], { stdio: "ignore", timeout: 30_000 });
    if (r.status === 0) return python;
  }
  return undefined;
}

export const SYSTEM_REQUIREMENTS: readonly SystemRequirement[] = [
  {
    name: "redis-server",
    debianPackage: "redis-server",
    elsewhere: "redis",
    neededBy: "Redis token-store tests",
    families: ["node", "bun"],
    find: () => onPath("redis-server"),
  },
  {
    // tinyproxy-bin is the program alone; the tinyproxy package adds a system service.
    name: "tinyproxy",
    debianPackage: "tinyproxy-bin",
    elsewhere: "tinyproxy",
    neededBy: "HTTP proxy tests",
    families: ["node", "deno", "bun", "tooling"],
    find: () => onPath("tinyproxy"),
  },
  {
    name: "MSAL for Python",
    debianPackage: "python3-msal",
    elsewhere: "msal (pip install msal)",
    neededBy: "MSAL interop tests",
    families: ["tooling"],
    find: pythonWithMsal,
  },
  {
    name: "openssl",
    debianPackage: "openssl",
    elsewhere: "openssl",
    neededBy: "the interop tests' test CA",
    families: ["tooling"],
    find: () => onPath("openssl"),
  },
  {
    name: "curl",
    debianPackage: "curl",
    elsewhere: "curl",
    neededBy: "the emulator's printed CURL_CA_BUNDLE line, tried with curl",
    families: ["tooling"],
    find: () => onPath("curl"),
  },
];

/** Why provisioning stopped the run; `message` is the one line to print. */
export class ProvisionError extends Error {
  override name = "ProvisionError";
}

export interface ProvisionOptions {
  /** Step families about to run (requirements of other families are not needed). */
  families: readonly string[];
  /** Install what is missing where possible (default true; TEST_PROVISION=no turns it off). */
  install?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The requirements of these families that are missing. */
export function missingRequirements(families: readonly string[], list: readonly SystemRequirement[] = SYSTEM_REQUIREMENTS): SystemRequirement[] {
  return list.filter((r) => r.families.some((f) => families.includes(f)) && !r.find());
}

/** The command that installs these requirements on Debian/Ubuntu (with sudo when not root). */
export function installCommand(missing: readonly SystemRequirement[], root = isRoot()): string {
  return `${root ? "" : "sudo "}apt-get install -y --no-install-recommends ${missing.map((r) => r.debianPackage).join(" ")}`;
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function apt(args: string[], log: (line: string) => void): boolean {
  log(`  apt-get ${args.join(" ")}`);
  const r = spawnSync("apt-get", args, {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    encoding: "utf8",
    timeout: 600_000,
  });
  if (r.status !== 0) log(`  apt-get ${args[0]} failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? "").trim().split("\n").slice(-2).join(" / ")}`);
  return r.status === 0;
}

/**
 * Makes sure every requirement of `families` is present: installs what is missing (Debian/Ubuntu
 * as root: `apt-get install`, and `apt-get update` only if the install fails without it), or
 * throws a {@link ProvisionError} whose message names what is missing and the command to run.
 *
 * @example
 * ```ts
 * try {
 *   provisionSystem({ families: ["node", "tooling"] });
 * } catch (e) {
 *   if (e instanceof ProvisionError) { console.error(e.message); process.exit(1); }
 *   throw e;
 * }
 * ```
 */
export function provisionSystem(options: ProvisionOptions): { installed: string[] } {
  const log = options.log ?? (() => {});
  const missing = missingRequirements(options.families);
  if (missing.length === 0) return { installed: [] };
  const names = missing.map((r) => `${r.name} (${r.neededBy})`).join(", ");
  const stop = (why: string) =>
    new ProvisionError(`npm test needs ${names}, missing on this machine; ${why}. Install with: ${installCommand(missing)} and run npm test again.`);
  const debianLike = process.platform === "linux" && !!onPath("apt-get") && !!onPath("dpkg");
  if (!debianLike) {
    throw new ProvisionError(
      `npm test needs ${names}, missing on this machine, and can install them only on Debian/Ubuntu (apt-get). ` +
        `Install them with your package manager (Debian/Ubuntu: ${installCommand(missing, false)}; ` +
        `elsewhere: ${missing.map((r) => r.elsewhere).join(", ")}), then run npm test again.`,
    );
  }
  if (options.install === false) throw stop("TEST_PROVISION=no says not to install them");
  if (!isRoot()) throw stop("installing them needs root");
  const packages = missing.map((r) => r.debianPackage);
  log(`Installing what the tests need: ${packages.join(", ")}`);
  const install = ["install", "-y", "-qq", "--no-install-recommends", ...packages];
  if (!apt(install, log)) {
    if (!apt(["update", "-qq"], log) || !apt(install, log)) throw stop("apt-get could not install them (see above)");
  }
  const still = missingRequirements(options.families, missing);
  if (still.length > 0) throw stop(`after apt-get install, still missing: ${still.map((r) => r.name).join(", ")}`);
  return { installed: packages };
}
