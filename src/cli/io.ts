/**
 * What the portable CLI needs from the process around it. The per-runtime glue
 * (`src/runtime/<runtime>/cli.ts`) builds one and calls `runCli`; the CLI
 * itself never touches a runtime API.
 *
 * @module
 */
import type { RuntimeAdapter } from "../lib/runtime.ts";
import type { ServedEmulator, ServeOptions } from "../runtime/serve.ts";
import type { EmulatorHandler } from "../testing/handler.ts";

export interface CliIO {
  /** The arguments after the program name. */
  args: readonly string[];
  /** The runtime adapter: the environment and file reading, exactly as the library uses them. */
  runtime: RuntimeAdapter;
  /** Writes to standard output (text is written as given; lines end with "\n"). */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Serves a fetch handler on 127.0.0.1 (the emulator). */
  serve(handler: EmulatorHandler, options: ServeOptions): Promise<ServedEmulator>;
  /** Resolves with the signal's name when the user asks the process to stop (SIGINT / SIGTERM). */
  untilSignal(): Promise<string>;
  /** Writes a text file (the CA that `emulator --tls` makes); absent where the CLI cannot write files. */
  writeFile?(path: string, text: string): Promise<void>;
  /** Removes a file or folder and what it holds (the temporary CA folder, at exit). */
  removeFile?(path: string): Promise<void>;
  /** Makes a new private temporary folder and returns its path. */
  tempDir?(): Promise<string>;
}

/** The environment as a lookup (empty when the runtime has none). */
export function envOf(io: CliIO): (name: string) => string | undefined {
  const env = io.runtime.env?.();
  return (name) => {
    const v = env?.[name];
    return typeof v === "string" ? v : undefined;
  };
}
