/**
 * The Node.js adapter: files through node:fs/promises (imported at the first read), environment from
 * process.env.
 *
 * `process` is the global, not `import process from "node:process"`: building that module's
 * namespace reads every property of `process`, whose lazy getters load Node internals — about
 * 10 ms added to the import of entra-edge, for nothing.
 */
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import type { NodeProcess } from "./globals.d.ts";

declare const process: NodeProcess;

export const nodeRuntime: RuntimeAdapter = {
  name: "Node.js",
  readFile: async (path) => {
    // Imported at the first read: the import of entra-edge does not pay for node:fs/promises.
    const { readFile } = (await import("node:fs/promises")) as { readFile(path: string): Promise<Uint8Array> };
    const data = await readFile(path);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  },
  env: () => process.env,
};
