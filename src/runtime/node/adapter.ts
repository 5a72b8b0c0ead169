/**
 * The Node.js adapter: files through node:fs (loaded at the first read), environment from
 * process.env.
 *
 * `process` is the global, not `import process from "node:process"`: building that module's
 * namespace reads every property of `process`, whose lazy getters load Node internals — about
 * 10 ms added to the import of entra-edge, for nothing.
 */
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import { concat } from "../../lib/bytes.ts";
import type { NodeFs, NodeProcess } from "./globals.d.ts";

declare const process: NodeProcess;

/** Read size: one read for any certificate or token file (a PEM is a few KB), a few for a big PFX. */
const READ_CHUNK = 64 * 1024;

/**
 * node:fs at the first file read, not with the package: through `process.getBuiltinModule`
 * (Node ≥ 20.16), which skips building the ES module namespace, and its callback API, which Node
 * has loaded already — `node:fs/promises` loads more of Node on first use (about 2 ms of CPU on
 * Node 22 and 24), a read stream much more (Node's streams: 5–8 ms).
 */
async function nodeFs(): Promise<NodeFs> {
  // @ts-ignore -- Node's types are not loaded in the core's type check; the shape used is in ./globals.d.ts
  return (process.getBuiltinModule?.("node:fs") as NodeFs | undefined) ?? ((await import("node:fs")) as unknown as NodeFs);
}

/** A node:fs callback call as a promise. */
function call<T>(run: (done: (error: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));
}

export const nodeRuntime: RuntimeAdapter = {
  name: "Node.js",
  readFile: async (path, limit) => {
    // Reads stop one byte past the limit, so /dev/zero or a huge file costs at most limit + 1 bytes.
    const fs = await nodeFs();
    const fd = await call<number>((done) => fs.open(path, "r", done));
    try {
      const chunks: Uint8Array[] = [];
      let total = 0;
      while (total <= limit) {
        const buffer = new Uint8Array(Math.min(READ_CHUNK, limit + 1 - total));
        const read = await call<number>((done) => fs.read(fd, buffer, 0, buffer.length, null, done));
        if (read === 0) break;
        chunks.push(read === buffer.length ? buffer : buffer.subarray(0, read));
        total += read;
      }
      return concat(chunks);
    } finally {
      await call<void>((done) => fs.close(fd, done));
    }
  },
  env: () => process.env,
  variable: (name) => process.env[name],
};
