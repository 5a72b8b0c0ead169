#!/usr/bin/env node
/**
 * The `entra-edge` command on Node.js (the npm `bin`, built to dist/cli.js): process glue around
 * the portable CLI in src/cli/. From a clone: `node --import tsx src/runtime/node/cli.ts <command>`.
 *
 * @module
 */
import { runCli } from "../../cli/main.ts";
import { nodeRuntime } from "./adapter.ts";
import type { NodeProcess } from "./globals.d.ts";
import { nodeFiles } from "./files.ts";
import { flushed, untilSignal } from "./process.ts";

declare const process: NodeProcess;

// A closed pipe (`entra-edge cert app.pfx | head -3`) ends the output, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli({
  args: process.argv.slice(2),
  runtime: nodeRuntime,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  serve: async (handler, options) => (await import("./serve.ts")).serveNode(handler, options),
  untilSignal,
  ...nodeFiles,
});
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// Exit now: idle keep-alive connections to the authority must not hold the process open.
process.exit(code);
