/**
 * The `entra-edge` command on Deno: process glue around the portable CLI in src/cli/.
 * `deno run -A src/runtime/deno/cli.ts <command>` (or narrower: --allow-env, --allow-net for the
 * authority host and 127.0.0.1, --allow-read for certificate files).
 *
 * @module
 */
import { runCli } from "../../cli/main.ts";
import { denoRuntime } from "./adapter.ts";
import type { DenoNamespace, DenoWriter } from "./globals.d.ts";
import { serveDeno } from "./serve.ts";

declare const Deno: DenoNamespace;

const encoder = new TextEncoder();

function writeAll(stream: DenoWriter, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

const code = await runCli({
  args: Deno.args,
  runtime: denoRuntime,
  stdout: (text) => writeAll(Deno.stdout, text),
  stderr: (text) => writeAll(Deno.stderr, text),
  serve: serveDeno,
  untilSignal: () =>
    new Promise((resolve) => {
      const handlers = {
        SIGINT: () => stop("SIGINT"),
        SIGTERM: () => stop("SIGTERM"),
      };
      const stop = (signal: "SIGINT" | "SIGTERM") => {
        Deno.removeSignalListener("SIGINT", handlers.SIGINT);
        Deno.removeSignalListener("SIGTERM", handlers.SIGTERM);
        resolve(signal);
      };
      Deno.addSignalListener("SIGINT", handlers.SIGINT);
      Deno.addSignalListener("SIGTERM", handlers.SIGTERM);
    }),
  writeFile: (path, text) => Deno.writeTextFile(path, text),
  removeFile: (path) => Deno.remove(path, { recursive: true }).catch(() => {}),
  tempDir: () => Deno.makeTempDir({ prefix: "entra-edge-emulator-" }),
});
Deno.exit(code);
