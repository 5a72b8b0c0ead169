/**
 * The Node.js adapter: files through node:fs (loaded at the first read; see ./read.ts: regular
 * files and character devices only, never waiting on a FIFO), environment from process.env.
 *
 * `process` is the global, not `import process from "node:process"`: building that module's
 * namespace reads every property of `process`, whose lazy getters load Node internals — about
 * 10 ms added to the import of entra-edge, for nothing.
 */
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import type { NodeProcess } from "./globals.d.ts";
import { nodeFs, readNonBlocking } from "./read.ts";

declare const process: NodeProcess;

export const nodeRuntime: RuntimeAdapter = {
  name: "Node.js",
  // Non-blocking and bounded: a FIFO is refused at once (it would hold a libuv thread forever), /dev/zero read no further than the limit.
  readFile: async (path, limit, what) => readNonBlocking(await nodeFs(), "Node.js", path, limit, what),
  env: () => process.env,
  variable: (name) => process.env[name],
};
