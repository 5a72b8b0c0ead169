/** The Bun adapter: files through Bun.file, environment from Bun.env. */
import type { RuntimeAdapter } from "../../adapter.ts";
import type { BunGlobal } from "./globals.d.ts";

declare const Bun: BunGlobal;

export const bunRuntime: RuntimeAdapter = {
  name: "Bun",
  readFile: (path) => Bun.file(path).bytes(),
  env: () => Bun.env,
};
