/**
 * The `entra-edge` command on Bun: process glue around the portable CLI in src/cli/.
 * `bun src/runtime/cli-bun.ts <command>`.
 *
 * @module
 */
import { runCli } from "../cli/main.ts";
import { bunRuntime } from "./bun.ts";
import { serveBun } from "./serve-bun.ts";

declare const process: {
  argv: string[];
  stdout: { write(text: string, callback?: () => void): boolean };
  stderr: { write(text: string, callback?: () => void): boolean };
  on(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  off(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code: number): never;
};

function flushed(stream: { write(text: string, callback?: () => void): boolean }): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

const code = await runCli({
  args: process.argv.slice(2),
  runtime: bunRuntime,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  serve: serveBun,
  untilSignal: () =>
    new Promise((resolve) => {
      const onInt = () => stop("SIGINT");
      const onTerm = () => stop("SIGTERM");
      const stop = (signal: string) => {
        process.off("SIGINT", onInt);
        process.off("SIGTERM", onTerm);
        resolve(signal);
      };
      process.on("SIGINT", onInt);
      process.on("SIGTERM", onTerm);
    }),
});
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
