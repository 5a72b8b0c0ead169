/**
 * The process glue the CLI needs on runtimes with Node's `process` (Node itself, and Bun, which
 * implements it): waiting for SIGINT/SIGTERM, and for the standard streams to drain before exit.
 *
 * @module
 */
import type { NodeProcess, NodeWritable } from "./globals.d.ts";

declare const process: NodeProcess;

/**
 * Resolves with the name of the first SIGINT or SIGTERM, then stops listening for them.
 *
 * @example
 * ```ts
 * const signal = await untilSignal(); // "SIGINT" after Ctrl-C
 * ```
 */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    const stop = (signal: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(signal);
    };
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
}

/**
 * Resolves when everything written to `stream` so far has been handed to the OS.
 *
 * @example
 * ```ts
 * await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
 * ```
 */
export function flushed(stream: NodeWritable): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}
