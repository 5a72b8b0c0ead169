/**
 * The Node.js adapter: files through node:fs/promises (loaded at the first read), environment from
 * process.env.
 *
 * `process` is the global, not `import process from "node:process"`: building that module's
 * namespace reads every property of `process`, whose lazy getters load Node internals — about
 * 10 ms added to the import of entra-edge, for nothing.
 */
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import { concat } from "../../lib/bytes.ts";
import type { NodeFsPromises, NodeProcess } from "./globals.d.ts";

declare const process: NodeProcess;

/** Read size: one read for any certificate or token file (a PEM is a few KB), at most a few for a big PFX. */
const READ_CHUNK = 64 * 1024;

/**
 * node:fs/promises, at the first file read, not with the package: through
 * `process.getBuiltinModule` (Node ≥ 20.16), which skips building the ES module namespace —
 * about 1 ms less than `import("node:fs/promises")` on a first read.
 */
async function fsPromises(): Promise<NodeFsPromises> {
  // @ts-ignore -- Node's types are not loaded in the core's type check; the shape used is in ./globals.d.ts
  return (process.getBuiltinModule?.("node:fs/promises") as NodeFsPromises | undefined) ?? ((await import("node:fs/promises")) as unknown as NodeFsPromises);
}

export const nodeRuntime: RuntimeAdapter = {
  name: "Node.js",
  readFile: async (path, limit) => {
    // A FileHandle read, not createReadStream: a read stream loads Node's streams on first use,
    // 4–5 ms of CPU in a fresh process for a file of a few KB. Reads stop one byte past the
    // limit, so /dev/zero or a huge file costs at most limit + 1 bytes.
    const file = await (await fsPromises()).open(path, "r");
    try {
      const chunks: Uint8Array[] = [];
      let total = 0;
      while (total <= limit) {
        const buffer = new Uint8Array(Math.min(READ_CHUNK, limit + 1 - total));
        const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        chunks.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
        total += bytesRead;
      }
      return concat(chunks);
    } finally {
      await file.close();
    }
  },
  env: () => process.env,
};
