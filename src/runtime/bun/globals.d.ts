/**
 * The parts of Bun's global that src/runtime/bun/ uses, declared once so that these files
 * type-check without Bun's types. Each file declares `Bun` from here (`declare const Bun:
 * BunGlobal`), a module-scoped declaration. Bun's `process` is Node's: see ../node/globals.d.ts.
 *
 * @module
 */

/** What `Bun.serve` returns. */
interface BunServer {
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}

/** Options of `Bun.serve`. */
interface BunServeOptions {
  hostname?: string;
  port?: number;
  fetch: (request: Request) => Response | Promise<Response>;
  tls?: { cert: string; key: string };
  error?: (error: unknown) => Response | Promise<Response>;
}

/** `Bun.file(path)`: read whole, or a slice of it. */
interface BunFile {
  bytes(): Promise<Uint8Array>;
  slice(start: number, end: number): BunFile;
}

/** `Bun`: files, the environment and serving. */
export interface BunGlobal {
  file(path: string): BunFile;
  env: Record<string, string | undefined>;
  serve(options: BunServeOptions): BunServer;
}

// A declaration file exports every top-level name unless it says what it exports: this does.
export {};
