/**
 * The parts of Deno's global namespace that src/runtime/deno/ uses, declared once so that these
 * files type-check without Deno's types. Each file declares `Deno` from here
 * (`declare const Deno: DenoNamespace`): a module-scoped declaration, which shadows Deno's own
 * global instead of clashing with it under `deno check`.
 *
 * @module
 */

/** What `Deno.serve` returns. */
interface DenoServer {
  readonly addr: { port: number };
  shutdown(): Promise<void>;
}

/** Options of `Deno.serve`. */
interface DenoServeOptions {
  hostname?: string;
  port?: number;
  onListen?: (addr: { port: number }) => void;
  onError?: (error: unknown) => Response | Promise<Response>;
  /** TLS: the certificate chain and the private key, PEM. */
  cert?: string;
  key?: string;
}

/** An output stream (`Deno.stdout`, `Deno.stderr`). */
export interface DenoWriter {
  writeSync(bytes: Uint8Array): number;
}

/** A permission as Deno.permissions.querySync takes it. */
export type DenoPermission = { name: "read"; path: string } | { name: "env"; variable: string };

/** `Deno`: files, the environment, serving, the command line, signals and exit. */
export interface DenoNamespace {
  readFile(path: string): Promise<Uint8Array>;
  open(path: string): Promise<{ readable: ReadableStream<Uint8Array>; isTerminal(): boolean; close(): void }>;
  stat(path: string): Promise<{ isFile: boolean; isDirectory: boolean; isFifo: boolean | null; isCharDevice: boolean | null; isSocket: boolean | null }>;
  realPath(path: string): Promise<string>;
  /** Absent before Deno 1.36 (then the permission is only found out by trying). */
  permissions?: { querySync?(permission: DenoPermission): { state: "granted" | "prompt" | "denied" } };
  env: { get(name: string): string | undefined };
  serve(options: DenoServeOptions, handler: (request: Request) => Response | Promise<Response>): DenoServer;
  args: string[];
  stdout: DenoWriter;
  stderr: DenoWriter;
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  removeSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code: number): never;
  writeTextFile(path: string, text: string): Promise<void>;
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  makeTempDir(options?: { prefix?: string }): Promise<string>;
}

// A declaration file exports every top-level name unless it says what it exports: this does.
export {};
