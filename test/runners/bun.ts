/** Runs the portable suite on Bun: `bun test/runners/bun.ts`. */
import { EntraEmulator, serveEmulator } from "../../src/testing.ts";
import { fuzzSettings, reportUnhandledRejection, run } from "../harness.ts";
import * as lib from "../../src/bun.ts";
import { envAppVariables } from "../support/env-app.ts";
import { memoryTokenCache, redisTokenCache } from "../../src/core.ts";
import { createClient } from "redis";
import "../suite.ts";

declare const Bun: {
  env: Record<string, string | undefined>;
  file(path: string): { bytes(): Promise<Uint8Array> };
  inspect(v: unknown): string;
  listen(o: { hostname: string; port: number; socket: Record<string, unknown> }): { port: number; stop(): void };
};
declare const process: { on(e: string, f: (r: unknown) => void): void; exit(code: number): never };

process.on("unhandledRejection", reportUnhandledRejection);

const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
const closedPort = probe.port;
probe.stop();

const redis = Bun.env.REDIS_URL ? await createClient({ url: Bun.env.REDIS_URL }).connect() : undefined;
const tokenStores = { memory: memoryTokenCache(), ...(redis ? { redis: redisTokenCache(redis) } : {}) };

const emulator = new EntraEmulator();
const served = await serveEmulator(emulator);
Object.assign(Bun.env, envAppVariables(served.url));
const result = await run(
  {
    runtime: "bun",
    lib,
    emulator,
    emulatorUrl: served.url,
    closedUrl: `http://127.0.0.1:${closedPort}`,
    readFile: (p) => Bun.file(p).bytes(),
    root: new URL("../..", import.meta.url).pathname.replace(/\/$/, ""),
    inspect: (v) => Bun.inspect(v),
    tokenStores,
    fuzz: fuzzSettings((k) => Bun.env[k]),
  },
  { filter: Bun.env.TEST_FILTER, print: (l) => console.log(l) },
);
await served.close();
await redis?.quit();
console.log(`RESULT ${JSON.stringify({ passed: result.passed, failed: result.failed })}`);
process.exit(result.failed ? 1 : 0);
