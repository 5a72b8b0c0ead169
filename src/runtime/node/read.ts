/**
 * A bounded, non-blocking file read through node:fs's callback API — Node's adapter and Bun's
 * (Bun implements node:fs; its own `Bun.file` read of a FIFO waits for a writer forever).
 *
 * @module
 */
import { concat } from "../../lib/bytes.ts";
import { notAFile, refusedKind, type FileKind } from "../read.ts";
import type { NodeFs, NodeProcess } from "./globals.d.ts";

declare const process: NodeProcess;

/** Read size: one read for any certificate or token file (a PEM is a few KB), a few for a big PFX. */
const READ_CHUNK = 64 * 1024;

/**
 * node:fs at the first file read, not with the package: through `process.getBuiltinModule`
 * (Node ≥ 20.16), which skips building the ES module namespace, and its callback API, which Node
 * has loaded already — `node:fs/promises` loads more of Node on first use (about 2 ms of CPU on
 * Node 22 and 24), a read stream much more (Node's streams: 5–8 ms). Bun implements both.
 *
 * @example
 * ```ts
 * const bytes = await readNonBlocking(await nodeFs(), "Bun", path, limit);
 * ```
 */
export async function nodeFs(): Promise<NodeFs> {
  // @ts-ignore -- Node's types are not loaded in the core's type check; the shape used is in ./globals.d.ts
  return (process.getBuiltinModule?.("node:fs") as NodeFs | undefined) ?? ((await import("node:fs")) as unknown as NodeFs);
}

/** A node:fs callback call as a promise. */
function call<T>(run: (done: (error: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));
}

/**
 * Reads at most `limit + 1` bytes of `path` (so /dev/zero or a huge file costs no more). The file
 * is opened with O_NONBLOCK — a FIFO's open then returns at once instead of waiting for a writer
 * on one of libuv's threads — and refused unless fstat says it is a regular file or a character
 * device; a device with nothing to read (a terminal) is refused too, not waited for.
 *
 * @example
 * ```ts
 * const bytes = await readNonBlocking(fs, "Node.js", "/var/run/secrets/azure/tokens/azure-identity-token", 65536, "federated token file");
 * ```
 */
export async function readNonBlocking(fs: NodeFs, runtime: string, path: string, limit: number, what?: string): Promise<Uint8Array> {
  const fd = await call<number>((done) => fs.open(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0), done)).catch(async (e: { code?: unknown }) => {
    // A Unix socket cannot be opened (ENXIO): say what it is, as for a FIFO. So cannot /dev/tty
    // in a process without a terminal, which is a device, not a socket (attack review of session 10).
    if (e?.code === "ENXIO") {
      const stats = await call<FileKind>((done) => fs.stat(path, done)).catch(() => undefined);
      throw notAFile(runtime, path, stats?.isCharacterDevice() ? "a device that cannot be opened (ENXIO: /dev/tty without a terminal, or a device that is not there)" : "a socket", what);
    }
    throw e;
  });
  try {
    const kind = refusedKind(await call((done) => fs.fstat(fd, done)));
    if (kind) throw notAFile(runtime, path, kind, what);
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (total <= limit) {
      const buffer = new Uint8Array(Math.min(READ_CHUNK, limit + 1 - total));
      let read: number;
      try {
        read = await call<number>((done) => fs.read(fd, buffer, 0, buffer.length, null, done));
      } catch (e) {
        if ((e as { code?: unknown }).code === "EAGAIN") throw notAFile(runtime, path, "a device with nothing to read (a terminal?)", what);
        throw e;
      }
      if (read === 0) break;
      chunks.push(read === buffer.length ? buffer : buffer.subarray(0, read));
      total += read;
    }
    return concat(chunks);
  } finally {
    await call<void>((done) => fs.close(fd, done));
  }
}
