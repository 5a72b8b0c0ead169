/** The Bun adapter: files through Bun.file, environment from Bun.env. */
import type { RuntimeAdapter } from "../adapter.ts";

declare const Bun: {
  file(path: string): { bytes(): Promise<Uint8Array> };
  env: Record<string, string | undefined>;
};

export const bunRuntime: RuntimeAdapter = {
  name: "Bun",
  readFile: (path) => Bun.file(path).bytes(),
  env: () => Bun.env,
};
