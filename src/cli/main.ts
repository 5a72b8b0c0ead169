/**
 * The `entra-edge` command line, portable: it receives everything runtime-specific through
 * {@link CliIO} and resolves to the exit code. The per-runtime glue lives in
 * `src/runtime/cli-{node,deno,bun}.ts`.
 *
 * @module
 */
import { showPath } from "../certificate/path.ts";
import { VERSION } from "../lib/version.ts";
import { nearest, UsageError } from "./args.ts";
import { certCommand } from "./cert.ts";
import { emulatorCommand } from "./emulator.ts";
import { describe, errorJson, EXIT, exitCodeOf } from "./errors.ts";
import { escapeControls, shownArg } from "./format.ts";
import { CERT_HELP, EMULATOR_HELP, MAIN_HELP, TOKEN_HELP } from "./help.ts";
import type { CliIO } from "./io.ts";
import { tokenCommand } from "./token.ts";

export type { CliIO } from "./io.ts";
export { EXIT } from "./errors.ts";

const COMMANDS: Record<string, { run: (io: CliIO, args: readonly string[]) => Promise<number>; help: string }> = {
  token: { run: tokenCommand, help: TOKEN_HELP },
  cert: { run: certCommand, help: CERT_HELP },
  emulator: { run: emulatorCommand, help: EMULATOR_HELP },
};

/** The usage line of a command's help (its first line). */
function usageLine(help: string): string {
  return help.split("\n")[0]!.replace(/^Usage: /, "");
}

/**
 * Runs the CLI with `io.args` and resolves to the exit code (0 ok, 1 unexpected, 2 usage,
 * 3 configuration, 4 refused by Entra, 5 no answer from Entra: network, or a page that is not Entra's).
 *
 * @example
 * ```ts
 * const code = await runCli({ args: ["token", "--scope", scope], runtime, stdout, stderr, serve, untilSignal });
 * ```
 */
export function runCli(io: CliIO): Promise<number> {
  // What the CLI prints holds text from outside (an endpoint's error description, file names,
  // error messages): its control characters are escaped here, at the one place all output passes.
  return run({ ...io, stdout: (text) => io.stdout(escapeControls(text)), stderr: (text) => io.stderr(escapeControls(text)) });
}

async function run(io: CliIO): Promise<number> {
  const [name, ...rest] = io.args;
  if (name === undefined) {
    io.stderr(MAIN_HELP);
    return EXIT.usage;
  }
  if (name === "--help" || name === "-h") {
    io.stdout(MAIN_HELP);
    return EXIT.ok;
  }
  if (name === "help") {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    io.stdout(topic ? topic.help : MAIN_HELP);
    return EXIT.ok;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    // Echoed only when shaped like an option or a command word: a key or secret given here is described.
    const shown = name.startsWith("-") ? shownArg(name.split("=", 1)[0]!) : /^[A-Za-z][A-Za-z-]{0,19}$/.test(name) ? `"${name}"` : showPath(name);
    const near = /^[A-Za-z][A-Za-z-]{0,19}$/.test(name) ? nearest(name, Object.keys(COMMANDS)) : undefined;
    io.stderr(`entra-edge: unknown command ${shown}${near ? ` (did you mean ${near}?)` : ""}\nUsage: entra-edge <token|cert|emulator> [options]\nnext: ${near ? `run entra-edge ${near} --help` : "run entra-edge --help"}\n`);
    return EXIT.usage;
  }
  try {
    return await command.run(io, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`entra-edge ${name}: ${error.message}\nUsage: ${usageLine(command.help)}\nnext: run entra-edge ${name} --help for the details\n`);
      if (rest.includes("--json")) io.stdout(JSON.stringify(errorJson(error), null, 2) + "\n");
      return EXIT.usage;
    }
    const code = exitCodeOf(error);
    if (code !== EXIT.failure) {
      // A configuration error outside a command's own handling (Deno refusing the environment before the command ran).
      io.stderr(`entra-edge ${name}: ${describe(error)}\nnext: ${/--allow-/.test(describe(error)) ? "run again with the permission flag the message names" : `run entra-edge ${name} --help for what it needs`}\n`);
      if (rest.includes("--json")) io.stdout(JSON.stringify(errorJson(error), null, 2) + "\n");
      return code;
    }
    io.stderr(`entra-edge ${name}: unexpected error: ${describe(error)}\nnext: this is a bug in entra-edge or an error of the runtime: report it with the command line and this message (leave out secrets)\n`);
    if (rest.includes("--json")) io.stdout(JSON.stringify(errorJson(error), null, 2) + "\n");
    return EXIT.failure;
  }
}
