/**
 * The `entra-edge` command on Bun: process glue around the portable CLI in src/cli/.
 * `bun src/runtime/bun/cli.ts <command>`. Bun's `process` is Node's, so the signal and flush
 * glue is Node's too (../node/process.ts).
 *
 * @module
 */
import { runCli } from "../../cli/main.ts";
import type { NodeProcess } from "../node/globals.d.ts";
import { nodeFiles } from "../node/files.ts";
import { flushed, untilSignal } from "../node/process.ts";
import { bunRuntime } from "./adapter.ts";
import { serveBun } from "./serve.ts";

declare const process: NodeProcess;

const code = await runCli({
  args: process.argv.slice(2),
  runtime: bunRuntime,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  serve: serveBun,
  untilSignal,
  ...nodeFiles,
});
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
