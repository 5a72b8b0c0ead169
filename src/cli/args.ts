/**
 * A small argument parser for the CLI: `--name value`, `--name=value`, boolean flags, repeatable
 * options, positionals and `--`. Errors are {@link UsageError}s (exit code 2). Option values are
 * never echoed in messages: some of them are secrets (`emulator --app tenant:client:secret`).
 *
 * @module
 */
import { editDistance } from "../token/options.ts";
import { shownArg } from "./format.ts";

/** The command line is wrong: exit code 2, with the command's usage line. */
export class UsageError extends Error {
  override name = "UsageError" as const;
}

/** What a command accepts. */
interface OptionSpec {
  /** `true`: a flag without a value. */
  boolean?: boolean;
  /** May be given more than once (values are collected in order). */
  repeat?: boolean;
  /** Short alias, e.g. `h` for `-h`. */
  short?: string;
}

interface Parsed {
  /** Flags and option values by long name (repeatable options: string[]). */
  options: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
}

/** What an unknown option probably meant: `--password-env` for a password, else the nearest option (names only: values are never echoed). */
function unknownHint(name: string, spec: Record<string, OptionSpec>): string {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(name)) return "";
  if (/^(password|pass|pw|pwd|passphrase|certificate-?password)$/i.test(name) && "password-env" in spec) {
    return ": a password is never taken on the command line (shell history, ps): put it in an environment variable and give --password-env <VAR>";
  }
  const near = nearest(name, Object.keys(spec));
  return near ? ` (did you mean --${near}?)` : "";
}

/**
 * Parses `args` against `spec`. Unknown options, missing values and values given to flags are
 * usage errors.
 *
 * @example
 * ```ts
 * parseArgs(["--scope", "https://graph.microsoft.com/.default", "--json"], { scope: {}, json: { boolean: true } });
 * // { options: { scope: "https://graph.microsoft.com/.default", json: true }, positionals: [] }
 * ```
 */
export function parseArgs(args: readonly string[], spec: Record<string, OptionSpec>): Parsed {
  const options: Parsed["options"] = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(spec).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else {
      const long = byShort.get(arg.slice(1));
      if (!long) throw new UsageError(`unknown option ${shownArg(arg.slice(0, 2))}`);
      name = long;
    }
    const s = spec[name];
    // Described, not quoted, unless shaped like an option: a private key pasted here starts with "-----BEGIN".
    if (!s) throw new UsageError(`unknown option ${shownArg(`--${name}`)}${unknownHint(name, spec)}`);
    if (s.boolean) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) throw new UsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    if (s.repeat) {
      const list = (options[name] as string[] | undefined) ?? [];
      list.push(value);
      options[name] = list;
    } else if (options[name] !== undefined) throw new UsageError(`--${name} was given more than once`);
    else options[name] = value;
  }
  return { options, positionals };
}

/**
 * A command's arguments parsed against `spec` (which has a `help` flag), or undefined when
 * `--help` / `-h` was given — then `help` has been printed, and the command exits 0.
 *
 * @example
 * ```ts
 * const parsed = commandArgs(args, SPEC, CERT_HELP, io.stdout);
 * if (!parsed) return EXIT.ok;
 * ```
 */
export function commandArgs(args: readonly string[], spec: Record<string, OptionSpec>, help: string, print: (text: string) => void): Parsed | undefined {
  const parsed = parseArgs(args, spec);
  if (!flag(parsed, "help")) return parsed;
  print(help);
  return undefined;
}

/** A string option (undefined when absent). */
export function stringOption(parsed: Parsed, name: string): string | undefined {
  const v = parsed.options[name];
  return typeof v === "string" ? v : undefined;
}

/** A repeatable option's values (empty when absent). */
export function listOption(parsed: Parsed, name: string): string[] {
  const v = parsed.options[name];
  return Array.isArray(v) ? v : [];
}

/** A flag. */
export function flag(parsed: Parsed, name: string): boolean {
  return parsed.options[name] === true;
}

/**
 * The name of `names` nearest to `typed` (Levenshtein distance, case and `-`/`_` ignored, at most
 * 40 characters each: bounded work), when it is near enough to be a typo — at most 2 edits, or a
 * third of the name — else undefined.
 *
 * @example
 * ```ts
 * nearest("tokn", ["token", "cert", "emulator"]); // "token"
 * nearest("secret", ["secrets", "certificates"]); // "secrets"
 * ```
 */
export function nearest(typed: string, names: readonly string[]): string | undefined {
  const norm = (k: string) => k.toLowerCase().replace(/[_-]/g, "").slice(0, 40);
  const a = norm(typed);
  let best: [number, string] | undefined;
  for (const name of names) {
    const d = editDistance(a, norm(name));
    if (!best || d < best[0]) best = [d, name];
  }
  return best && best[0] <= Math.max(2, best[1].length / 3) ? best[1] : undefined;
}
