/**
 * The Deno adapter: files through Deno.open, environment through Deno.env. A missing
 * `--allow-read` / `--allow-env` becomes a CredentialUnavailableError that names the flag — also
 * in a terminal, where Deno would otherwise stop and prompt: a permission in the "prompt" state is
 * treated as not granted (Deno.permissions.querySync is asked first); what a credential reads
 * unasked (AZURE_AUTHORITY_HOST, through `variable`) only with a granted permission. Only a
 * regular file or a character device is read (../read.ts): a FIFO is refused before Deno.open,
 * which would wait for a writer forever, and a terminal is not read.
 */
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import { CredentialUnavailableError } from "../../lib/errors.ts";
import { readAtMost } from "../../lib/stream.ts";
import { showPath } from "../../certificate/path.ts";
import { notAFile, refusedKind } from "../read.ts";
import { refuseCompositePrimes } from "./rsa-primes.ts";
import type { DenoNamespace, DenoPermission } from "./globals.d.ts";

declare const Deno: DenoNamespace;

/** Deno 2 throws NotCapable when a permission flag is missing (PermissionDenied is the OS saying no). */
function missingPermission(e: unknown): boolean {
  return e instanceof Error && e.name === "NotCapable";
}

/** Granted now, without prompting: "prompt" (a terminal would ask) counts as not granted. */
function granted(permission: DenoPermission): boolean {
  return Deno.permissions?.querySync ? Deno.permissions.querySync(permission).state === "granted" : true;
}

/**
 * Paths Deno 2 opens only for a program with every permission, whatever `--allow-read` grants
 * ("Requires all access … run again with the --allow-all flag"): /dev (but /dev/null, /dev/zero,
 * /dev/random, /dev/urandom and /dev/tty), /proc and /sys — so /dev/stdin and /dev/fd/N too (tested
 * with Deno 2.9 on Linux; test/tooling/cli.test.ts).
 */
const ALL_ACCESS = /^\/(proc|sys)(\/|$)|^\/dev(\/(?!(null|zero|u?random|tty)$)|$)/;

/**
 * The message of a missing --allow-read: the path (and the flag's value) only as showPath allows.
 * For a path Deno opens only with every permission (ALL_ACCESS, or Deno's own error says so),
 * `--allow-read` is not enough: the message says -A.
 */
function readDenied(path: string, what: string | undefined, e?: unknown): CredentialUnavailableError {
  const shown = showPath(path);
  const how =
    ALL_ACCESS.test(path) || (e instanceof Error && /\ball access\b/.test(e.message))
      ? "Deno opens /dev, /proc and /sys paths (such as /dev/stdin and /dev/fd/N) only with every permission, not with --allow-read: run with -A"
      : `run with --allow-read=${shown.startsWith('"') ? path : "<that path>"}`;
  return new CredentialUnavailableError(`Deno may not read the ${what ?? "certificate file"} ${shown}: ${how}${what ? "" : " (or pass the certificate contents instead of a path)"}.`);
}

/** Deno's FileInfo as the file-type checks of ../read.ts. */
function kindOf(info: { isFile: boolean; isDirectory: boolean; isFifo: boolean | null; isCharDevice: boolean | null; isSocket: boolean | null }): string | undefined {
  return refusedKind({ isFile: () => info.isFile, isCharacterDevice: () => info.isCharDevice === true, isFIFO: () => info.isFifo === true, isSocket: () => info.isSocket === true, isDirectory: () => info.isDirectory });
}

/** The character devices that are read: each answers at once (the ones Deno opens with --allow-read alone, but /dev/tty). */
const ENDLESS_DEVICES = new Set(["/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"]);

/**
 * Why a file that stat calls a character device or a regular file is not read, or undefined, by
 * the path as it resolves (so /dev/stdin or /dev/fd/N redirected from a file is that file). Deno has
 * no non-blocking open (Node's and Bun's O_NONBLOCK read says EAGAIN at once): a read of a device
 * with nothing to give — /dev/kmsg past its last record, /dev/hwrng, a serial port — waits in one
 * of Deno's threads for ever, and the process can no longer exit; so can a file of /proc or /sys
 * (/proc/kmsg: second attack review of session 10), where no certificate or token is kept. Of the
 * devices only {@link ENDLESS_DEVICES} are read; the others, and /proc and /sys, are refused before
 * they are opened.
 */
async function unreadableKind(path: string, device: boolean): Promise<string | undefined> {
  const real = await Deno.realPath(path);
  if (!device) return /^\/(proc|sys)\//.test(real) ? "a file of /proc or /sys (such as /proc/kmsg, whose read can wait for ever)" : undefined;
  if (ENDLESS_DEVICES.has(real)) return undefined;
  if (/^\/dev\/(tty|pts\/|console$)/.test(real)) return "a terminal";
  return "a character device that may have nothing to read (of the devices, only /dev/null, /dev/zero, /dev/random and /dev/urandom are read)";
}

export const denoRuntime: RuntimeAdapter = {
  name: "Deno",
  // Deno 2.9's RSA signing panics (and the process ends) on a key whose p or q is composite.
  checkSigningKey: refuseCompositePrimes,
  async readFile(path, limit, what) {
    if (!granted({ name: "read", path })) throw readDenied(path, what);
    try {
      // stat before open: Deno.open of a FIFO blocks until a writer comes (a thread and the process held).
      const info = await Deno.stat(path);
      const kind = kindOf(info) ?? (await unreadableKind(path, info.isCharDevice === true));
      if (kind) throw notAFile("Deno", path, kind, what);
      const file = await Deno.open(path);
      if (file.isTerminal()) {
        file.close();
        throw notAFile("Deno", path, "a terminal", what);
      }
      return await readAtMost(file.readable, limit);
    } catch (e) {
      if (missingPermission(e)) throw readDenied(path, what, e);
      throw e;
    }
  },
  envObject: Deno.env,
  env() {
    // Variables are read one by one on access, so granular --allow-env=AZURE_TENANT_ID,... works.
    return new Proxy({} as Record<string, string | undefined>, {
      get(_target, name) {
        if (typeof name !== "string") return undefined;
        const denied = () => new CredentialUnavailableError(`Deno may not read the environment variable ${name}: run with --allow-env (or --allow-env=${name},...), or pass { env } to the credential.`);
        if (!granted({ name: "env", variable: name })) throw denied();
        try {
          return Deno.env.get(name);
        } catch (e) {
          if (missingPermission(e)) throw denied();
          throw e;
        }
      },
    });
  },
  variable(name) {
    // Only a granted permission is used: Deno.env.get would prompt (on a terminal) or throw
    // (--no-prompt, no terminal) without one, and querySync itself never prompts.
    try {
      return granted({ name: "env", variable: name }) ? Deno.env.get(name) : undefined;
    } catch {
      return undefined;
    }
  },
  envDenied: (names) => `Deno may not read ${names.join(", ")}: run with --allow-env=${names.join(",")} (or --allow-env), or pass { env } to the credential.`,
};
