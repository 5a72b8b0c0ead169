/** The Node.js adapter: files through node:fs/promises, environment from process.env. */
import { readFile } from "node:fs/promises";
import process from "node:process";
import type { RuntimeAdapter } from "../adapter.ts";

export const nodeRuntime: RuntimeAdapter = {
  name: "Node.js",
  readFile: async (path) => {
    const data = await readFile(path);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  },
  env: () => process.env,
};
