/** Runs the portable suite on Deno: `deno run --allow-net=127.0.0.1 --allow-read --allow-write --unstable-kv --allow-env test/runners/deno.ts`. */
import * as lib from "../../src/deno.ts";
import { denoKvTokenCache, type DenoKvLike } from "../../src/core.ts";
import { runSuite } from "../support/platform.ts";
import "../suite.ts";

declare const Deno: {
  env: { get(name: string): string | undefined; set(name: string, value: string): void };
  readFile(path: string): Promise<Uint8Array>;
  writeTextFile(path: string, text: string): Promise<void>;
  inspect(v: unknown, o?: Record<string, unknown>): string;
  openKv(path?: string): Promise<DenoKvLike & { close(): void }>;
  makeTempDir(): Promise<string>;
  exit(code: number): never;
};

await runSuite({
  runtime: "deno",
  lib,
  env: Deno.env,
  readFile: (p) => Deno.readFile(p),
  writeFile: (p, text) => Deno.writeTextFile(p, text),
  inspect: (v) => Deno.inspect(v, { showHidden: true, depth: 8 }),
  onUnhandledRejection: (handler) =>
    globalThis.addEventListener("unhandledrejection", (e) => {
      e.preventDefault();
      handler(e.reason);
    }),
  // Deno KV on a local file (needs --unstable-kv and write access to the temp dir).
  async tokenStores() {
    const kv = await Deno.openKv(`${await Deno.makeTempDir()}/token-cache.sqlite3`);
    return { stores: { "deno-kv": denoKvTokenCache(kv) }, close: () => kv.close() };
  },
  exit: (code) => Deno.exit(code),
});
