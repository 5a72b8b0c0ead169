/**
 * `serveEmulator(emulator, { tls })` on Node, Deno and Bun: a child process per runtime, with a
 * throwaway CA made by `createTlsCertificates()` (WebCrypto, no openssl) trusted from start-up the
 * way users trust it (NODE_EXTRA_CA_CERTS for Node and Bun, DENO_CERT for Deno), runs
 * test/interop/https-child.ts and must pass every check. And the CLI's `--tls` on each runtime.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { get as httpsGet } from "node:https";
import { equal, match, ok } from "../assert.ts";
import { ensureBuilt, run, start } from "./process.ts";
import { test, type TestContext } from "../harness.ts";
import { createTlsCertificates } from "../../src/testing.ts";

const RUNTIMES: Record<string, { command: (root: string) => string; args: string[]; caEnv: string }> = {
  node: { command: () => process.execPath, args: ["--import", "tsx", "test/interop/https-child.ts"], caEnv: "NODE_EXTRA_CA_CERTS" },
  bun: { command: (root) => `${root}/node_modules/.bin/bun`, args: ["test/interop/https-child.ts"], caEnv: "NODE_EXTRA_CA_CERTS" },
  deno: { command: (root) => `${root}/node_modules/.bin/deno`, args: ["run", "--config", "deno.json", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", "test/interop/https-child.ts"], caEnv: "DENO_CERT" },
};

async function tlsFiles(t: TestContext): Promise<{ ca: string; cert: string; key: string }> {
  const dir = `${t.root}/.tmp/emulator-https-${process.pid}-${t.id("d")}`;
  await mkdir(dir, { recursive: true });
  t.cleanup(() => rm(dir, { recursive: true, force: true }));
  const { ca, server } = await createTlsCertificates();
  const files = { ca: `${dir}/ca.pem`, cert: `${dir}/server.pem`, key: `${dir}/server.key` };
  await Promise.all([writeFile(files.ca, ca.certificatePem), writeFile(files.cert, server.certificatePem), writeFile(files.key, server.privateKeyPem)]);
  return files;
}

for (const [name, runtime] of Object.entries(RUNTIMES)) {
  test(`emulator https: serveEmulator(emulator, { tls }) on ${name} — tokens over HTTPS with the CA in ${runtime.caEnv}, https discovery URLs, 413 past 9 MiB, EADDRINUSE`, async (t) => {
    const files = await tlsFiles(t);
    const env: Record<string, string | undefined> = { ...process.env, TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.key, [runtime.caEnv]: files.ca, NO_COLOR: "1" };
    for (const k of ["NODE_EXTRA_CA_CERTS", "DENO_CERT"]) if (k !== runtime.caEnv) delete env[k];
    const child = spawn(runtime.command(t.root!), runtime.args, { cwd: t.root, env, stdio: ["ignore", "pipe", "pipe"] });
    t.cleanup(() => child.exitCode === null && child.kill("SIGKILL"));
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c));
    child.stderr.on("data", (c: Buffer) => (output += c));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const line = output.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line || code !== 0) console.log(output.split("\n").map((l) => `    ${l}`).join("\n"));
    ok(line, `no RESULT line (exit ${code})`);
    const result = JSON.parse(line!.slice(7)) as { passed: number; failed: number };
    equal(result.failed, 0, "failed checks (output above)");
    equal(result.passed, 5, "checks passed");
    equal(code, 0);
  }, { timeoutMs: 120_000 });
}

/** The CLI of each runtime, from the sources (Node: the built bin, as npm installs it). */
const CLIS: Record<string, (root: string) => [string, string[]]> = {
  node: (root) => [process.execPath, [`${root}/dist/cli.js`]],
  deno: (root) => [`${root}/node_modules/.bin/deno`, ["run", "--config", "deno.json", "--allow-net=127.0.0.1", "--allow-read", "--allow-write", "--allow-env", "src/runtime/deno/cli.ts"]],
  bun: (root) => [`${root}/node_modules/.bin/bun`, ["src/runtime/bun/cli.ts"]],
};

test("emulator https: `entra-edge emulator --tls` on Node, Deno and Bun writes its CA where it says, serves HTTPS signed by it, and removes it at exit; a second emulator on the same port exits 3 with a next: line", async (t) => {
  await ensureBuilt(t.root!);
  for (const [name, cli] of Object.entries(CLIS)) {
    const [command, args] = cli(t.root!);
    const proc = start(command, [...args, "emulator", "--tls", "--port", "0", "--app", "contoso:app:cli-tls-secret"], { cwd: t.root!, timeoutMs: 90_000 });
    t.cleanup(() => proc.child.kill("SIGKILL"));
    const [, url, port] = await proc.waitFor(/listening on (https:\/\/127\.0\.0\.1:(\d+))\n/, 60_000);
    await proc.waitFor(/Press Ctrl\+C to stop/);
    const caFile = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(proc.output())?.[1];
    ok(caFile && existsSync(caFile), `${name}: the CA file exists`);
    const ca = await readFile(caFile!, "utf8");
    const config = await new Promise<string>((resolve, reject) => {
      httpsGet(`${url}/contoso/v2.0/.well-known/openid-configuration`, { ca }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c));
        res.on("end", () => resolve(body));
      }).on("error", reject);
    });
    equal((JSON.parse(config) as { token_endpoint: string }).token_endpoint, `${url}/contoso/oauth2/v2.0/token`, `${name}: HTTPS verified with the printed CA`);
    const second = await run(command, [...args, "emulator", "--port", port!], { cwd: t.root!, timeoutMs: 60_000 });
    equal(second.code, 3, `${name}: ${second.stderr}`);
    match(second.stderr, new RegExp(`127\\.0\\.0\\.1:${port} is already in use`), name);
    match(second.stderr, new RegExp(`\\nnext: stop what listens on port ${port}, or choose another with --port <n>`), name);
    proc.child.kill("SIGTERM");
    equal((await proc.exited).code, 0, `${name}: ${proc.output()}`);
    ok(!existsSync(caFile!), `${name}: the CA file is removed at exit`);
  }
}, { timeoutMs: 240_000 });
