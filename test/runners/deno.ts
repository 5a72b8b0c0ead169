/** Runs the portable suite on Deno: `deno run --allow-net=127.0.0.1 --allow-read=. --allow-env test/runners/deno.ts`. */
import { EntraEmulator, serveEmulator } from "../../src/testing.ts";
import { fuzzSettings, reportUnhandledRejection, run } from "../harness.ts";
import * as lib from "../../src/deno.ts";
import { envAppVariables } from "../support/env-app.ts";
import { denoKvTokenCache, memoryTokenCache, type DenoKvLike } from "../../src/core.ts";
import "../suite.ts";

declare const Deno: {
  env: { get(name: string): string | undefined; set(name: string, value: string): void };
  readFile(path: string): Promise<Uint8Array>;
  listen(o: { hostname: string; port: number }): { addr: { port: number }; close(): void };
  exit(code: number): never;
  openKv(path?: string): Promise<DenoKvLike & { close(): void }>;
  makeTempDir(): Promise<string>;
  inspect(v: unknown, o?: Record<string, unknown>): string;
};

globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  reportUnhandledRejection(e.reason);
});

const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const closedPort = probe.addr.port;
probe.close();

// Deno KV on a local file (needs --unstable-kv and write access to the temp dir).
const kv = await Deno.openKv(`${await Deno.makeTempDir()}/token-cache.sqlite3`);
const tokenStores = { memory: memoryTokenCache(), "deno-kv": denoKvTokenCache(kv) };

const emulator = new EntraEmulator();
const served = await serveEmulator(emulator);
for (const [k, v] of Object.entries(envAppVariables(served.url))) Deno.env.set(k, v);
const result = await run(
  {
    runtime: "deno",
    lib,
    emulator,
    emulatorUrl: served.url,
    closedUrl: `http://127.0.0.1:${closedPort}`,
    readFile: (p) => Deno.readFile(p),
    root: new URL("../..", import.meta.url).pathname.replace(/\/$/, ""),
    inspect: (v) => Deno.inspect(v, { showHidden: true, depth: 8 }),
    tokenStores,
    fuzz: fuzzSettings((k) => Deno.env.get(k)),
  },
  { filter: Deno.env.get("TEST_FILTER"), print: (l) => console.log(l) },
);
await served.close();
kv.close();
console.log(`RESULT ${JSON.stringify({ passed: result.passed, failed: result.failed })}`);
Deno.exit(result.failed ? 1 : 0);
