/**
 * The wrangler step of `npm test`: builds examples/worker with wrangler and runs the output in the
 * newest workerd (test/tooling/wrangler.test.ts). Runs on the pinned Node 24, which wrangler and
 * the newest Miniflare need (Node >= 22.12).
 */
import { fileURLToPath } from "node:url";
import * as lib from "../../src/node.ts";
import { EntraEmulator, serveEmulator } from "../../src/testing.ts";
import { reportUnhandledRejection, run } from "../harness.ts";
import "../tooling/wrangler.test.ts";

process.on("unhandledRejection", reportUnhandledRejection);

const emulator = new EntraEmulator({ control: true });
const served = await serveEmulator(emulator);
const result = await run(
  {
    runtime: "node",
    lib,
    emulator,
    emulatorUrl: served.url,
    closedUrl: "http://127.0.0.1:9",
    root: fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, ""),
  },
  { filter: process.env.TEST_FILTER, print: (l) => console.log(l.replace("[node]", "[wrangler]")) },
);
await served.close();
console.log(`RESULT ${JSON.stringify({ passed: result.passed, failed: result.failed })}`);
process.exit(result.failed ? 1 : 0);
