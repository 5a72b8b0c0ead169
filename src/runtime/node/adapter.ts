/**
 * The Node.js adapter: files through node:fs/promises (imported at the first read), environment from
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

export const nodeRuntime: RuntimeAdapter = {
  name: "Node.js",
  readFile: async (path, limit) => {
    // Imported at the first file read, not with the package; `end` (inclusive) stops the read
    // one byte past the limit.
    // @ts-ignore -- Node's types are not loaded in the core's type check; the shape used is in ./globals.d.ts
    const { createReadStream } = (await import("node:fs")) as unknown as NodeFs;
    const chunks: Uint8Array[] = [];
    for await (const chunk of createReadStream(path, { end: limit })) chunks.push(chunk);
    return concat(chunks);
  },
  env: () => process.env,
};
