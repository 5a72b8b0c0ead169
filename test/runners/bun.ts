/** Runs the portable suite on Bun: `bun test/runners/bun.ts`. */
import * as lib from "../../src/bun.ts";
import { redisStores, runSuite } from "../support/platform.ts";
import "../suite.ts";

declare const Bun: { env: Record<string, string | undefined>; file(path: string): { bytes(): Promise<Uint8Array> }; write(path: string, text: string): Promise<number>; inspect(v: unknown): string };
declare const process: { on(e: "unhandledRejection", f: (r: unknown) => void): void; exit(code: number): never };

await runSuite({
  runtime: "bun",
  lib,
  env: { get: (k) => Bun.env[k], set: (k, v) => void (Bun.env[k] = v) },
  readFile: (p) => Bun.file(p).bytes(),
  writeFile: async (p, text) => void (await Bun.write(p, text)),
  inspect: (v) => Bun.inspect(v),
  onUnhandledRejection: (handler) => process.on("unhandledRejection", handler),
  tokenStores: () => redisStores(Bun.env.REDIS_URL),
  exit: (code) => process.exit(code),
});
