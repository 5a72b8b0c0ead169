/**
 * The Worker example built the way users deploy it: wrangler itself (`wrangler deploy --dry-run
 * --outdir`, default and `--minify`), offline, from an app folder holding examples/worker's
 * wrangler.toml and source with the packed entra-edge installed by name; the output runs as it is
 * in the newest workerd (Miniflare) at the wrangler.toml's compatibility date, gets a token from
 * the emulator and lists the subscription from the fake ARM (examples/run.ts).
 *
 * Run by test/runners/tooling.ts --suite wrangler on the pinned Node 24 (wrangler needs Node >= 22.12).
 */
import { spawnSync } from "node:child_process";
import process from "node:process";
import type { Readable } from "node:stream";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { equal, match, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";
import { runExample, SUBSCRIPTION } from "../../examples/run.ts";
import { loadMiniflare, NEWEST_WORKERD } from "../runners/runtimes.ts";
import { installPacked, packed, run } from "./process.ts";

/** Wrangler sends nothing anywhere and writes its settings and logs under the run's folder. */
function wranglerEnv(base: string): Record<string, string> {
  return { WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", XDG_CONFIG_HOME: `${base}/config`, CI: "true" };
}

/**
 * How to run a command without a network: a fresh network namespace (`unshare -n` as root,
 * `unshare -rn` where user namespaces are allowed). Undefined when neither works here.
 */
function offline(): string[] | undefined {
  for (const prefix of [["unshare", "-n"], ["unshare", "-rn"]]) {
    const r = spawnSync(prefix[0]!, [...prefix.slice(1), "true"], { stdio: "ignore" });
    if (r.status === 0) return prefix;
  }
  return undefined;
}

let app: Promise<{ base: string; dir: string }> | undefined;

/** An app folder: examples/worker's wrangler.toml and src/, and the packed entra-edge installed. */
function exampleApp(t: TestContext): Promise<{ base: string; dir: string }> {
  app ??= (async () => {
    const { base, tarball } = await packed(t.root!, "wrangler");
    const dir = `${base}/worker`;
    await mkdir(dir, { recursive: true });
    await cp(`${t.root}/examples/worker/wrangler.toml`, `${dir}/wrangler.toml`);
    await cp(`${t.root}/examples/worker/src`, `${dir}/src`, { recursive: true });
    await writeFile(`${dir}/package.json`, JSON.stringify({ name: "example-worker", private: true, type: "module" }, null, 2));
    await installPacked(tarball, dir);
    return { base, dir };
  })();
  return app;
}

for (const minify of [false, true]) {
  const flag = minify ? " --minify" : "";
  test(`wrangler: deploy --dry-run${flag} builds examples/worker offline from the installed package; the output runs in ${NEWEST_WORKERD.name}, gets a token from the emulator and lists the subscription`, async (t) => {
    const { base, dir } = await exampleApp(t);
    const toml = await readFile(`${dir}/wrangler.toml`, "utf8");
    const date = /^compatibility_date\s*=\s*"(\d{4}-\d{2}-\d{2})"/m.exec(toml)?.[1];
    ok(date, `wrangler.toml has a compatibility_date:\n${toml}`);
    ok(!/^\s*compatibility_flags\b/m.test(toml), "no compatibility flags (no nodejs_compat)");

    const out = `${base}/out${minify ? "-min" : ""}`;
    const wrangler = [process.execPath, `${t.root}/node_modules/wrangler/bin/wrangler.js`, "deploy", "--dry-run", "--outdir", out, ...(minify ? ["--minify"] : [])];
    const isolated = offline();
    if (!isolated) console.log(`  [wrangler] unshare cannot make a network namespace here: wrangler runs with the network reachable`);
    const [command, ...args] = [...(isolated ?? []), ...wrangler];
    const built = await run(command!, args, { cwd: dir, env: wranglerEnv(base), timeoutMs: 120_000 });
    const said = `${built.stdout}\n${built.stderr}`;
    equal(built.code, 0, said);
    match(said, /--dry-run: exiting now/, said);
    ok(existsSync(`${out}/index.js`), `wrangler wrote ${out}/index.js:\n${said}`);
    const js = await readFile(`${out}/index.js`, "utf8");
    ok(!/\bfrom\s*["']node:|\brequire\(["']node:/.test(js), "the Worker imports no node: module");
    ok(js.includes("ERR_CERT_MALFORMED") && !js.includes("test/runners"), "it is the example's bundle with entra-edge's certificate code");
    if (minify) ok(js.split("\n").length < 200, `--minify made few lines (${js.split("\n").length})`);
    else ok(js.split("\n").length > 1000, `the default build is not minified (${js.split("\n").length} lines)`);

    const { code, output } = await runExample("worker", {
      scriptPath: `${out}/index.js`,
      Miniflare: await loadMiniflare(NEWEST_WORKERD.miniflare),
      compatibilityDate: date!,
    });
    equal(code, 0, output);
    ok(output.includes(SUBSCRIPTION), output);
    match(output, /token requests: 1\b/, "two Worker requests, one token (the isolate's cache)");
  }, { timeoutMs: 240_000 });
}

test(`${NEWEST_WORKERD.name}: ${NEWEST_WORKERD.compatibilityDate} is the newest compatibility date its workerd supports (the next day is refused)`, async () => {
  const Miniflare = await loadMiniflare(NEWEST_WORKERD.miniflare);
  const next = new Date(Date.parse(`${NEWEST_WORKERD.compatibilityDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const script = `export default { fetch() { return new Response("ok"); } };`;
  const at = new Miniflare({ modules: true, script, compatibilityDate: NEWEST_WORKERD.compatibilityDate });
  try {
    equal(await (await at.dispatchFetch("http://date.local/")).text(), "ok");
  } finally {
    await at.dispose();
  }
  let refused = "";
  // workerd's own words go to its stderr (kept out of the test output)
  const after = new Miniflare({ modules: true, script, compatibilityDate: next, handleRuntimeStdio: (out: Readable, err: Readable) => (out.resume(), err.on("data", (c: Buffer) => (refused += c))) });
  try {
    await after.ready;
  } catch (e) {
    refused += String((e as Error).message);
  } finally {
    await after.dispose().catch(() => {});
  }
  match(refused, new RegExp(`newest date supported by this server binary is "${NEWEST_WORKERD.compatibilityDate}"`), `a newer workerd? then move ${NEWEST_WORKERD.name} to its newest date (test/runners/runtimes.ts). Got: ${refused || "no error"}`);
}, { timeoutMs: 60_000 });
