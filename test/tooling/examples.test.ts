/**
 * The examples run from a fresh clone with the README's commands, and type-check there.
 *
 * The clone: this repository's files as `git clone` gives them (tracked and new, not ignored: no
 * dist/, no .tmp/) in a folder of this run, with node_modules linked to the installed one (what
 * `npm install` puts there), then `npm run prepare` — the step `npm install` runs after installing,
 * which builds dist/. Then, as examples/README.md says: `npm run example -- node|deno|bun|worker`.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { dirname } from "node:path";
import process from "node:process";
import { equal, match, ok } from "../assert.ts";
import { test } from "../harness.ts";
import { SUBSCRIPTION } from "../../examples/run.ts";

function exec(cwd: string, command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string> = { NO_COLOR: "1" };
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("AZURE_") && !k.startsWith("npm_")) env[k] = v;
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

let cloning: Promise<string> | undefined;

/** The fresh clone, made once per run (removed at exit); its dist/ built by `npm run prepare`. */
function freshClone(root: string): Promise<string> {
  cloning ??= (async () => {
    const dir = `${root}/.tmp/clone-${process.pid}`;
    rmSync(dir, { recursive: true, force: true });
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const files = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
    if (files.status !== 0) throw new Error(`git ls-files failed: ${files.stderr}`);
    for (const file of files.stdout.split("\0").filter(Boolean)) {
      if (!existsSync(`${root}/${file}`)) continue; // deleted, not yet committed
      mkdirSync(dirname(`${dir}/${file}`), { recursive: true });
      cpSync(`${root}/${file}`, `${dir}/${file}`);
    }
    ok(!existsSync(`${dir}/dist`), "the clone has no dist/");
    symlinkSync(`${root}/node_modules`, `${dir}/node_modules`, "dir");
    const prepare = await exec(dir, "npm", ["run", "prepare"]);
    equal(prepare.code, 0, `npm run prepare (run by npm install) in the clone:\n${prepare.output}`);
    ok(existsSync(`${dir}/dist/node.js`) && existsSync(`${dir}/dist/index.d.ts`), "npm install's prepare step built dist/");
    return dir;
  })();
  return cloning;
}

for (const name of ["node", "deno", "bun", "worker"]) {
  test(`examples: from a fresh clone after npm install, \`npm run example -- ${name}\` gets a token from the emulator and lists the subscription from the fake ARM`, async (t) => {
    const clone = await freshClone(t.root!);
    if (name === "node") {
      // The README's direct command resolves "entra-edge" (to the dist/ npm install built): without AZURE_* it says what to configure.
      const direct = await exec(clone, process.execPath, ["examples/node/main.mjs"]);
      ok(direct.code !== 0 && /CredentialUnavailableError/.test(direct.output) && !/ERR_MODULE_NOT_FOUND/.test(direct.output), `node examples/node/main.mjs without configuration:\n${direct.output}`);
    }
    const { code, output } = await exec(clone, "npm", ["run", "--silent", "example", "--", name]);
    equal(code, 0, output);
    ok(output.includes(SUBSCRIPTION), output);
    if (name === "worker") match(output, /token requests: 1\b/, "two Worker requests, one token (the isolate's cache)");
  }, { timeoutMs: 240_000 });
}

test("examples: porting — the Python azure-identity example ported line by line gets a token with a secret, a PEM and a PFX with its password (the authority as the seed's full URL)", async (t) => {
  const clone = await freshClone(t.root!);
  const { code, output } = await exec(clone, "npm", ["run", "--silent", "example", "--", "porting"]);
  equal(code, 0, output);
  for (const label of ["secret", "pem", "pfx"]) match(output, new RegExp(`^${label}: Bearer token, expires_on \\d{10} \\(\\d{4}-`, "m"), output);
}, { timeoutMs: 240_000 });

test("examples: in the fresh clone they type-check (tsc for Node, Bun and the Worker; deno check for Deno, importing the JSR package through the workspace)", async (t) => {
  const clone = await freshClone(t.root!);
  const denoJson = JSON.parse(readFileSync(`${clone}/examples/deno/deno.json`, "utf8")) as { imports: Record<string, string> };
  match(denoJson.imports["entra-edge"] ?? "", /^(jsr:@entra-edge\/entra-edge|npm:entra-edge)@/, "examples/deno/deno.json imports the package as a user would, not a path into src/");
  const tsc = await exec(clone, `${clone}/node_modules/.bin/tsc`, ["-p", "examples/tsconfig.json"]);
  equal(tsc.code, 0, tsc.output);
  const deno = await exec(clone, `${clone}/node_modules/.bin/deno`, ["check", "--config", "examples/deno/deno.json", "examples/deno/main.ts"]);
  equal(deno.code, 0, deno.output);
}, { timeoutMs: 240_000 });
