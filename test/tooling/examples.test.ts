/** The examples run against the emulator with one command each, and type-check. */
import { spawn } from "node:child_process";
import { equal, match, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";
import { runExample, SUBSCRIPTION } from "../../examples/run.ts";

function exec(t: TestContext, command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: t.root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

for (const name of ["node", "deno", "bun", "worker"]) {
  test(`examples: ${name} gets a token from the emulator and lists the subscription from the fake ARM`, async () => {
    const { code, output } = await runExample(name);
    equal(code, 0, output);
    ok(output.includes(SUBSCRIPTION), output);
    if (name === "worker") match(output, /token requests: 1\b/, "two Worker requests, one token (the isolate's cache)");
  }, { timeoutMs: 120_000 });
}

test("examples: porting — the Python azure-identity example ported line by line gets a token with a secret, a PEM and a PFX with its password (the authority as the seed's full URL)", async () => {
  const { code, output } = await runExample("porting");
  equal(code, 0, output);
  for (const label of ["secret", "pem", "pfx"]) match(output, new RegExp(`^${label}: Bearer token, expires_on \\d{10} \\(\\d{4}-`, "m"), output);
}, { timeoutMs: 120_000 });

test("examples: they type-check (tsc for Node, Bun and the Worker; deno check for Deno)", async (t) => {
  const tsc = await exec(t, `${t.root}/node_modules/.bin/tsc`, ["-p", "examples/tsconfig.json"]);
  equal(tsc.code, 0, tsc.output);
  const deno = await exec(t, `${t.root}/node_modules/.bin/deno`, ["check", "--config", "examples/deno/deno.json", "examples/deno/main.ts"]);
  equal(deno.code, 0, deno.output);
}, { timeoutMs: 120_000 });
