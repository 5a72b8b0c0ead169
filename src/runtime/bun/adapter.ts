/**
 * The Bun adapter: files through Bun's node:fs (see ../node/read.ts: regular files and character
 * devices only — `Bun.file` of a FIFO waits for a writer forever and keeps the process alive),
 * environment from Bun.env.
 */
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import { nodeFs, readNonBlocking } from "../node/read.ts";
import type { BunGlobal } from "./globals.d.ts";

declare const Bun: BunGlobal;

export const bunRuntime: RuntimeAdapter = {
  name: "Bun",
  readFile: async (path, limit, what) => readNonBlocking(await nodeFs(), "Bun", path, limit, what),
  env: () => Bun.env,
  variable: (name) => Bun.env[name],
};
