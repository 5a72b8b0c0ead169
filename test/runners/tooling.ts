/**
 * Node-only checks of what is built and shipped (bundles, package exports, the tarball, the CLI).
 * They use the same harness and assertions as the portable suite; `npm test` runs them as the
 * "tooling" step. With `--suite wrangler` it runs the wrangler step instead
 * (test/tooling/wrangler.test.ts, on the pinned Node 24 that wrangler and the newest Miniflare need).
 */
import * as lib from "../../src/node.ts";
import { reportUnhandledRejection, run } from "../harness.ts";
import { ROOT, servedEmulator } from "../support/platform.ts";

const SUITES: Record<string, () => Promise<unknown>> = {
  tooling: () => import("../tooling/suite.ts"),
  wrangler: () => import("../tooling/wrangler.test.ts"),
};
const arg = process.argv.indexOf("--suite");
const suite = arg === -1 ? "tooling" : process.argv[arg + 1]!;
if (!SUITES[suite]) throw new Error(`unknown --suite ${suite}: use ${Object.keys(SUITES).join(" or ")}`);
await SUITES[suite]!();

process.on("unhandledRejection", reportUnhandledRejection);

const { emulator, served } = await servedEmulator({ control: true });
const result = await run(
  {
    runtime: "node",
    lib,
    emulator,
    emulatorUrl: served.url,
    closedUrl: "http://127.0.0.1:9",
    root: ROOT,
  },
  { filter: process.env.TEST_FILTER, print: (l) => console.log(l.replace("[node]", `[${suite}]`)) },
);
await served.close();
console.log(`RESULT ${JSON.stringify({ passed: result.passed, failed: result.failed })}`);
process.exit(result.failed ? 1 : 0);
