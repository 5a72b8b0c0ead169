#!/usr/bin/env node
/**
 * The `entra-edge` command on Node.js (the npm `bin`, built to dist/cli.js): process glue around
 * the portable CLI in src/cli/. From a clone: `node --import tsx src/runtime/cli-node.ts <command>`.
 *
 * @module
 */
import process from "node:process";
import { runCli } from "../cli/main.ts";
import { nodeRuntime } from "./node.ts";

function write(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text);
}

/** Resolves when everything written so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

// A closed pipe (`entra-edge cert app.pfx | head -3`) ends the output, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli({
  args: process.argv.slice(2),
  runtime: nodeRuntime,
  stdout: (text) => write(process.stdout, text),
  stderr: (text) => write(process.stderr, text),
  serve: async (handler, options) => (await import("./serve-node.ts")).serveNode(handler, options),
  untilSignal: () =>
    new Promise((resolve) => {
      const stop = (signal: string) => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve(signal);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    }),
});
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// Exit now: idle keep-alive connections to the authority must not hold the process open.
process.exit(code);
