/**
 * The Node.js adapter: files through node:fs (loaded at the first read; see ./read.ts: regular
 * files and character devices only, never waiting on a FIFO), environment from process.env.
 *
 * `process` is the global, not `import process from "node:process"`: building that module's
 * namespace reads every property of `process`, whose lazy getters load Node internals — about
 * 10 ms added to the import of entra-edge, for nothing.
 */
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import type { NodeFs, NodeProcess } from "./globals.d.ts";
import { readNonBlocking } from "./read.ts";

declare const process: NodeProcess;

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

export const nodeRuntime: RuntimeAdapter = {
  name: "Node.js",
  // Non-blocking and bounded: a FIFO is refused at once (it would hold a libuv thread forever), /dev/zero read no further than the limit.
  readFile: async (path, limit, what) => readNonBlocking(await nodeFs(), "Node.js", path, limit, what),
  env: () => process.env,
};
