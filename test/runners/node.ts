/** Runs the portable suite on Node (via tsx). */
import { createServer } from "node:net";
import { readFile } from "node:fs/promises";
import { inspect } from "node:util";
import { fileURLToPath } from "node:url";
import { EntraEmulator, serveEmulator } from "../../src/testing.ts";
import { reportUnhandledRejection, run } from "../harness.ts";
import * as lib from "../../src/node.ts";
import { envAppVariables } from "../support/env-app.ts";
import "../suite.ts";

process.on("unhandledRejection", reportUnhandledRejection);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

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
  },
  { filter: process.env.TEST_FILTER, print: (l) => console.log(l) },
);
await served.close();
console.log(`RESULT ${JSON.stringify({ passed: result.passed, failed: result.failed })}`);
process.exit(result.failed ? 1 : 0);
