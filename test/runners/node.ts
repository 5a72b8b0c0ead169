/** Runs the portable suite on Node (via tsx). */
import { createServer } from "node:net";
import { readFile } from "node:fs/promises";
import { inspect } from "node:util";
import { fileURLToPath } from "node:url";
import { EntraEmulator, serveEmulator } from "../../src/testing.ts";
import { fuzzSettings, reportUnhandledRejection, run } from "../harness.ts";
import * as lib from "../../src/node.ts";
import { envAppVariables } from "../support/env-app.ts";
import { memoryTokenCache, redisTokenCache } from "../../src/core.ts";
import { createClient } from "redis";
import "../suite.ts";

process.on("unhandledRejection", reportUnhandledRejection);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

// A real redis-server started by test/run.ts (REDIS_URL) backs the Redis token store.
const redis = process.env.REDIS_URL ? await createClient({ url: process.env.REDIS_URL }).connect() : undefined;
const tokenStores = { memory: memoryTokenCache(), ...(redis ? { redis: redisTokenCache(redis) } : {}) };

const emulator = new EntraEmulator();
const served = await serveEmulator(emulator);
Object.assign(process.env, envAppVariables(served.url));
const result = await run(
  {
    runtime: "node",
    lib,
    emulator,
    emulatorUrl: served.url,
    closedUrl: `http://127.0.0.1:${await closedPort()}`,
    readFile: async (p) => new Uint8Array(await readFile(p)),
    root: fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, ""),
    inspect: (v) => inspect(v, { showHidden: true, depth: 8 }),
    fuzz: fuzzSettings((k) => process.env[k]),
    tokenStores,
  },
  { filter: process.env.TEST_FILTER, print: (l) => console.log(l) },
);
await served.close();
await redis?.quit();
console.log(`RESULT ${JSON.stringify({ passed: result.passed, failed: result.failed })}`);
process.exit(result.failed ? 1 : 0);
