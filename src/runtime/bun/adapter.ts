/** The Bun adapter: files through Bun.file, environment from Bun.env. */
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import type { BunGlobal } from "./globals.d.ts";

declare const Bun: BunGlobal;

export const bunRuntime: RuntimeAdapter = {
  name: "Bun",
  // A slice stops the read past the limit (Bun's stream() of a device such as /dev/zero fails).
  readFile: (path, limit) => Bun.file(path).slice(0, limit + 1).bytes(),
  env: () => Bun.env,
  variable: (name) => Bun.env[name],
};
