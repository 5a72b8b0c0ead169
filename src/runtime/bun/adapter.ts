/**
 * The Bun adapter: files through Bun's node:fs (see ../node/read.ts: regular files and character
 * devices only — `Bun.file` of a FIFO waits for a writer forever and keeps the process alive),
 * environment from Bun.env.
 */
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import type { NodeFs } from "../node/globals.d.ts";
import { readNonBlocking } from "../node/read.ts";
import type { BunGlobal } from "./globals.d.ts";

declare const Bun: BunGlobal;

export const bunRuntime: RuntimeAdapter = {
  name: "Bun",
  // @ts-ignore -- Node's types are not loaded in the core's type check; the shape used is in ../node/globals.d.ts
  readFile: async (path, limit, what) => readNonBlocking((await import("node:fs")) as unknown as NodeFs, "Bun", path, limit, what),
  env: () => Bun.env,
};
