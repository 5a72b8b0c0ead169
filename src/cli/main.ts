/**
 * The `entra-edge` command line, portable: it receives everything runtime-specific through
 * {@link CliIO} and resolves to the exit code. The per-runtime glue lives in
 * `src/runtime/cli-{node,deno,bun}.ts`.
 *
 * @module
 */
import { VERSION } from "../lib/version.ts";
import { UsageError } from "./args.ts";
import { certCommand } from "./cert.ts";
import { emulatorCommand } from "./emulator.ts";
import { describe, errorJson, EXIT } from "./errors.ts";
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
 * 3 configuration, 4 refused by Entra, 5 network).
 *
 * @example
 * ```ts
 * const code = await runCli({ args: ["token", "--scope", scope], runtime, stdout, stderr, serve, untilSignal });
 * ```
 */
export async function runCli(io: CliIO): Promise<number> {
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
    const shown = name.startsWith("-") ? name.split("=", 1)[0]!.slice(0, 40) : `"${name.slice(0, 40)}"`;
    io.stderr(`entra-edge: unknown command ${shown}\nUsage: entra-edge <token|cert|emulator> [options]; run entra-edge --help\n`);
    return EXIT.usage;
  }
  try {
    return await command.run(io, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`entra-edge ${name}: ${error.message}\nUsage: ${usageLine(command.help)}\nRun entra-edge ${name} --help for the details.\n`);
      if (rest.includes("--json")) io.stdout(JSON.stringify(errorJson(error), null, 2) + "\n");
      return EXIT.usage;
    }
    io.stderr(`entra-edge ${name}: unexpected error: ${describe(error)}\n`);
    if (rest.includes("--json")) io.stdout(JSON.stringify(errorJson(error), null, 2) + "\n");
    return EXIT.failure;
  }
}
