/**
 * Runs the portable suite inside workerd: bundles test/runners/workerd.ts with esbuild (workerd
 * conditions), starts Miniflare without nodejs_compat, serves the emulator on 127.0.0.1 for the
 * Worker to reach over loopback, and relays the Worker's per-test lines.
 *
 * `--workerd workerd-2026-08` picks one of the installed versions (test/runners/runtimes.ts;
 * default: the oldest) and its compatibility date.
 *
 * Then it runs the tests that need several Worker requests (test/workerd/requests.test.ts) from
 * here, with the same emulator and filter; their lines and counts join the suite's.
 */
import { build } from "esbuild";
import { envAppVariables } from "../support/env-app.ts";
import { closedUrl, ROOT, servedEmulator } from "../support/platform.ts";
import { WORKER_BUILD } from "../support/worker-build.ts";
import { fuzzSettings, reportUnhandledRejection, run } from "../harness.ts";
import * as core from "../../src/core.ts";
import { registerRequestTests } from "../workerd/requests.test.ts";
import { loadMiniflare, WORKERD } from "./runtimes.ts";

const arg = process.argv.indexOf("--workerd");
const version = arg === -1 ? WORKERD[0]! : WORKERD.find((w) => w.name === process.argv[arg + 1]);
if (!version) throw new Error(`unknown --workerd ${process.argv[arg + 1]}: use ${WORKERD.map((w) => w.name).join(" or ")}`);
const Miniflare = await loadMiniflare(version.miniflare);

const bundle = await build({
  ...WORKER_BUILD,
  entryPoints: [`${ROOT}/test/runners/workerd.ts`],
  target: "es2022",
  // Only the emulator's serve helpers (never loaded in a Worker) name node: modules.
  external: ["node:*", "cloudflare:*"],
  // package.json says "sideEffects": false (true for the library); the suite registers tests on import.
  ignoreAnnotations: true,
});
const script = bundle.outputFiles[0]!.text;

const closed = await closedUrl();
const { emulator, served } = await servedEmulator({ control: true });
const mf = new Miniflare({
  modules: true,
  script,
  // The Worker's own environment (read through `import { env } from "cloudflare:workers"`).
  bindings: envAppVariables(served.url),
  kvNamespaces: ["TOKEN_CACHE"],
  compatibilityDate: version.compatibilityDate,
  // no nodejs_compat (no compatibility flags at all): the library must not need it
});
let passed = 0;
let failed = 0;
try {
  const res = await mf.dispatchFetch("http://suite.local/run", {
    method: "POST",
    body: JSON.stringify({ emulatorUrl: served.url, closedUrl: closed, filter: process.env.TEST_FILTER, fuzz: fuzzSettings((k) => process.env[k]) }),
  });
  if (res.status !== 200) console.log(`✗ [workerd] the Worker answered ${res.status}: ${(await res.text()).slice(0, 2000)}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffer += decoder.decode(value, { stream: true });
    let i: number;
    while ((i = buffer.indexOf("\n")) !== -1) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const m = /^RESULT (.*)$/.exec(line);
      if (m) ({ passed, failed } = JSON.parse(m[1]!));
      else console.log(line);
    }
    if (done) break;
  }
  registerRequestTests(Miniflare, version.compatibilityDate);
  process.on("unhandledRejection", reportUnhandledRejection);
  const host = await run(
    { runtime: "workerd", lib: core, emulator, emulatorUrl: served.url, closedUrl: closed, root: ROOT },
    { filter: process.env.TEST_FILTER, print: (l) => console.log(l) },
  );
  passed += host.passed;
  failed += host.failed;
} catch (e) {
  console.log(`✗ [workerd] runner failed: ${e instanceof Error ? e.stack : String(e)}`);
  failed++;
} finally {
  await mf.dispose();
  await served.close();
}
console.log(`RESULT ${JSON.stringify({ passed, failed })}`);
process.exit(failed ? 1 : 0);
