/**
 * The parts of Node's globals and built-in modules that src/runtime/node/ uses, declared once so
 * that these files type-check with or without `@types/node` (the core's check runs without it).
 * Bun implements the same `process`, so its CLI glue uses these shapes too.
 *
 * Each file that uses `process` declares it from here (`declare const process: NodeProcess`):
 * a module-scoped declaration, which shadows `@types/node`'s global instead of clashing with it.
 *
 * @module
 */

/** A standard stream of the process. */
export interface NodeWritable {
  write(text: string, callback?: () => void): boolean;
  on(event: "error", listener: (error: { code?: unknown }) => void): void;
}

/** `process`: the environment, the command line, the standard streams, signals and exit. */
export interface NodeProcess {
  env: Record<string, string | undefined>;
  /** Node ≥ 20.16 / 22.3: a built-in module without its ES module namespace. */
  getBuiltinModule?(id: string): unknown;
  argv: string[];
  stdout: NodeWritable;
  stderr: NodeWritable;
  exitCode?: number | string | null;
  on(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  off(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code?: number | string | null): never;
}

/** `node:http`'s request, as the emulator's serve helper reads it. */
export interface IncomingMessage extends AsyncIterable<Uint8Array> {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  socket: { destroy(): void };
}

/** `node:http`'s response, as the emulator's serve helper writes it. */
export interface ServerResponse {
  readonly headersSent: boolean;
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
  writeHead(status: number, headers: Record<string, string>): void;
  write(chunk: Uint8Array): boolean;
  end(chunk?: string): void;
  destroy(): void;
  on(event: "close", listener: () => void): void;
  once(event: "close" | "drain", listener: () => void): void;
  off(event: "close" | "drain", listener: () => void): void;
}

/** `node:http`'s server. */
interface HttpServer {
  listen(port: number, hostname: string, callback: () => void): void;
  once(event: "error", listener: (error: unknown) => void): void;
  off(event: "error", listener: (error: unknown) => void): void;
  address(): { port: number } | string | null;
  close(callback: () => void): void;
  closeAllConnections(): void;
}

/** The `node:http` module. */
export interface NodeHttp {
  createServer(listener: (req: IncomingMessage, res: ServerResponse) => void): HttpServer;
}

/** The `node:https` module (the same server, with a certificate and key). */
export interface NodeHttps {
  createServer(options: { cert: string; key: string }, listener: (req: IncomingMessage, res: ServerResponse) => void): HttpServer;
}

/** The `node:fs` module's callback API: a file opened, read into a buffer (`position` null: on from the last read) and closed. */
export interface NodeFs {
  /** O_NONBLOCK is absent on Windows. */
  constants: { O_RDONLY: number; O_NONBLOCK?: number };
  open(path: string, flags: number, callback: (error: Error | null, fd: number) => void): void;
  fstat(fd: number, callback: (error: Error | null, stats: FileKind) => void): void;
  stat(path: string, callback: (error: Error | null, stats: FileKind) => void): void;
  read(fd: number, buffer: Uint8Array, offset: number, length: number, position: null, callback: (error: Error | null, bytesRead: number) => void): void;
  close(fd: number, callback: (error: Error | null) => void): void;
}

import type { FileKind } from "../read.ts";

// A declaration file exports every top-level name unless it says what it exports: this does.
export {};
