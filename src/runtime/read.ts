/**
 * Reading a certificate or token file without waiting forever: what Node and Bun (through
 * node:fs) and Deno share. Only a regular file or a character device (such as /dev/zero, read no
 * further than the limit) is read. A FIFO — a named pipe, process substitution `<(…)`, a piped
 * /dev/stdin — a socket or a folder is refused at once: opening or reading a pipe waits for a
 * writer, and on Node that wait holds one of libuv's four threads forever (every later file read
 * and DNS lookup of the process then queues behind it, and the process never exits).
 *
 * @module
 */
import { showPath } from "../certificate/path.ts";
import { CredentialUnavailableError } from "../lib/errors.ts";

/**
 * The error for a file that is not read: `kind` says what it is ("a FIFO (named pipe)", …),
 * `what` names the file ("federated token file"; default "certificate file"). The path is shown
 * only as {@link showPath} allows.
 *
 * @example
 * ```ts
 * if (stats.isFIFO()) throw notAFile("Node.js", path, "a FIFO (named pipe)", what);
 * ```
 */
export function notAFile(runtime: string, path: string, kind: string, what = "certificate file"): CredentialUnavailableError {
  const instead = what === "certificate file" ? "pass the certificate contents instead ({ certificate })" : "pass the token through getAssertion instead";
  return new CredentialUnavailableError(
    `${runtime} does not read the ${what} ${showPath(path)}: it is ${kind}, not a regular file${/folder|block|cannot be opened/.test(kind) ? "" : ", and reading it could wait forever"}. Write the contents to a regular file and give its path, or ${instead}.`,
  );
}

/** The file-type checks of a stat result (node:fs Stats). */
export interface FileKind {
  isFile(): boolean;
  isCharacterDevice(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isDirectory(): boolean;
}

/**
 * What a file that is neither a regular file nor a character device is, for {@link notAFile};
 * undefined when it may be read.
 *
 * @example
 * ```ts
 * const kind = refusedKind(await fstat(fd)); // "a FIFO (…)" for a named pipe, undefined for a regular file
 * if (kind) throw notAFile("Node.js", path, kind, what);
 * ```
 */
export function refusedKind(stats: FileKind): string | undefined {
  if (stats.isFile() || stats.isCharacterDevice()) return undefined;
  if (stats.isFIFO()) return "a FIFO (a named pipe, or a pipe such as <(…) or a piped /dev/stdin)";
  if (stats.isSocket()) return "a socket";
  if (stats.isDirectory()) return "a folder";
  return "a block device";
}
