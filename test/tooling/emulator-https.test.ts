/**
 * `serveEmulator(emulator, { tls })` on Node, Deno and Bun: a child process per runtime, with a
 * throwaway CA made by `createTlsCertificates()` (WebCrypto, no openssl) trusted from start-up the
 * way users trust it (NODE_EXTRA_CA_CERTS for Node and Bun, DENO_CERT for Deno), runs
 * test/interop/https-child.ts and must pass every check.
 */
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { equal, ok } from "../assert.ts";
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
