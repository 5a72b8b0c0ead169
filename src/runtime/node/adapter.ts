/**
 * The Node.js adapter: files through node:fs/promises, environment from process.env.
 *
 * `process` is the global, not `import process from "node:process"`: building that module's
 * namespace reads every property of `process`, whose lazy getters load Node internals — about
 * 10 ms added to the import of entra-edge, for nothing.
 */
import { readFile } from "node:fs/promises";
import type { RuntimeAdapter } from "../../adapter.ts";
import type { NodeProcess } from "./globals.d.ts";

declare const process: NodeProcess;

export const nodeRuntime: RuntimeAdapter = {
  name: "Node.js",
  readFile: async (path) => {
    const data = await readFile(path);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  },
  env: () => process.env,
};
