/**
 * Issue 13: README "Proxies and custom transports", each recipe through a real HTTP proxy —
 * Debian's tinyproxy (test/runners/system.ts provisions it), started here on 127.0.0.1 with a log
 * file — to the emulator served over HTTPS: the proxy's log must show the CONNECT to the
 * emulator's port, and the child must get a token the emulator verifies. Node: undici's fetch with
 * a ProxyAgent on 20, 22 and 24, and the runtime's own NODE_USE_ENV_PROXY where it has it (what
 * each version does is asserted, so a README sentence that goes stale fails here); Deno:
 * `Deno.createHttpClient({ proxy })`; Bun: `fetch(url, { proxy })`; and the real
 * `@azure/core-rest-pipeline` as `httpClient` on Node, Deno and Bun. Also a TLS certificate the
 * runtime does not trust: the error names the runtime's cause and is not retried.
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { equal, match, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";
import { createTlsCertificates } from "../../src/testing.ts";

interface ChildResult {
  ok: boolean;
  detail: string;
  attempts: number;
  port: number;
  code?: string;
}

const NODES: Record<string, (root: string) => string> = {
  node20: () => process.execPath,
  node22: (root) => `${root}/node_modules/node22/bin/node`,
  node24: (root) => `${root}/node_modules/node24/bin/node`,
  node26: (root) => `${root}/node_modules/node26/bin/node`,
};

function commandFor(root: string, runtime: string): [string, string[], string] {
  if (runtime === "deno") return [`${root}/node_modules/.bin/deno`, ["run", "--config", "deno.json", "--allow-net", "--allow-read", "--allow-env", "--allow-sys", "test/interop/transport-child.ts"], "DENO_CERT"];
  if (runtime === "bun") return [`${root}/node_modules/.bin/bun`, ["test/interop/transport-child.ts"], "NODE_EXTRA_CA_CERTS"];
  return [NODES[runtime]!(root), ["--import", "tsx", "test/interop/transport-child.ts"], "NODE_EXTRA_CA_CERTS"];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Setup {
  dir: string;
  ca: string;
  cert: string;
  key: string;
  proxyUrl: string;
  log: string;
}

let setup: Promise<Setup> | undefined;

/** One tinyproxy and one TLS certificate set for the whole file (stopped and removed when the process exits). */
function proxyAndCertificates(t: TestContext): Promise<Setup> {
  return (setup ??= (async () => {
    const dir = `${t.root}/.tmp/transports-${process.pid}`;
    await mkdir(dir, { recursive: true });
    const { ca, server } = await createTlsCertificates();
    const files = { ca: `${dir}/ca.pem`, cert: `${dir}/server.pem`, key: `${dir}/server.key` };
    await Promise.all([writeFile(files.ca, ca.certificatePem), writeFile(files.cert, server.certificatePem), writeFile(files.key, server.privateKeyPem)]);
    const port = await freePort();
    const log = `${dir}/tinyproxy.log`;
    await writeFile(`${dir}/tinyproxy.conf`, `Listen 127.0.0.1\nPort ${port}\nTimeout 60\nLogFile "${log}"\nLogLevel Connect\nMaxClients 50\nAllow 127.0.0.1\n`);
    ok(existsSync("/usr/bin/tinyproxy"), "tinyproxy is installed (test/runners/system.ts: tinyproxy-bin)");
    const proxy = spawn("/usr/bin/tinyproxy", ["-d", "-c", `${dir}/tinyproxy.conf`], { stdio: "ignore" });
    process.on("exit", () => {
      proxy.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    });
    for (let i = 0; i < 100 && !(await readFile(log, "utf8").catch(() => "")).includes("Reloading config file finished"); i++) await new Promise((r) => setTimeout(r, 50));
    return { dir, ...files, proxyUrl: `http://127.0.0.1:${port}`, log };
  })());
}

async function runChild(t: TestContext, runtime: string, transport: string, extraEnv: Record<string, string> = {}, trust = true): Promise<ChildResult> {
  const s = await proxyAndCertificates(t);
  const [command, args, caEnv] = commandFor(t.root!, runtime);
  const env: Record<string, string | undefined> = { ...process.env, TLS_CERT_FILE: s.cert, TLS_KEY_FILE: s.key, PROXY_URL: s.proxyUrl, TRANSPORT: transport, NO_COLOR: "1", ...extraEnv };
  for (const k of ["NODE_EXTRA_CA_CERTS", "DENO_CERT", "NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NODE_USE_ENV_PROXY"]) if (!(k in extraEnv)) delete env[k];
  if (trust) env[caEnv] = s.ca;
  const child = spawn(command, args, { cwd: t.root, env, stdio: ["ignore", "pipe", "pipe"] });
  t.cleanup(() => child.exitCode === null && child.kill("SIGKILL"));
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c));
  child.stderr.on("data", (c: Buffer) => (output += c));
  await new Promise((resolve) => child.on("close", resolve));
  const line = output.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) console.log(output.split("\n").map((l) => `    ${l}`).join("\n"));
  ok(line, `${runtime} ${transport}: no RESULT line`);
  return JSON.parse(line!.slice(7)) as ChildResult;
}

/** The CONNECTs tinyproxy logged to 127.0.0.1:`port`. */
async function connects(t: TestContext, port: number): Promise<number> {
  const log = await readFile((await proxyAndCertificates(t)).log, "utf8");
  return log.split("\n").filter((l) => l.includes(`CONNECT 127.0.0.1:${port} HTTP/1.1`)).length;
}

async function throughProxy(t: TestContext, runtime: string, transport: string, extraEnv: Record<string, string> = {}): Promise<ChildResult> {
  const r = await runChild(t, runtime, transport, extraEnv);
  ok(r.ok, `${runtime} ${transport}: ${r.detail}`);
  equal(await connects(t, r.port), 1, `${runtime} ${transport}: tinyproxy logged the CONNECT to the emulator`);
  return r;
}

for (const node of Object.keys(NODES)) {
  test(`transports: ${node} — undici's fetch with a ProxyAgent gets a token through tinyproxy (CONNECT logged)`, (t) => throughProxy(t, node, "undici"), { timeoutMs: 90_000 });
  test(`transports: ${node} — @azure/core-rest-pipeline's createDefaultHttpClient() with proxyPolicy as httpClient gets a token through tinyproxy`, (t) => throughProxy(t, node, "http-client"), { timeoutMs: 90_000 });
}

test("transports: Node's own NODE_USE_ENV_PROXY=1 + HTTPS_PROXY — used by fetch on 22, 24 and 26, ignored on 20 (README says which)", async (t) => {
  const proxyUrl = (await proxyAndCertificates(t)).proxyUrl;
  const proxyEnv = { NODE_USE_ENV_PROXY: "1", HTTPS_PROXY: proxyUrl };
  for (const node of ["node22", "node24", "node26"]) await throughProxy(t, node, "env", proxyEnv);
  const r20 = await runChild(t, "node20", "env", proxyEnv);
  ok(r20.ok, r20.detail);
  equal(await connects(t, r20.port), 0, "Node 20 does not proxy fetch by itself");
}, { timeoutMs: 120_000 });

test("transports: Deno — Deno.createHttpClient({ proxy }) as fetch's client gets a token through tinyproxy", (t) => throughProxy(t, "deno", "deno"), { timeoutMs: 90_000 });
test("transports: Deno — @azure/core-rest-pipeline as httpClient gets a token through tinyproxy", (t) => throughProxy(t, "deno", "http-client"), { timeoutMs: 90_000 });
test("transports: Bun — fetch(url, { proxy }) gets a token through tinyproxy", (t) => throughProxy(t, "bun", "bun"), { timeoutMs: 90_000 });
test("transports: Bun — @azure/core-rest-pipeline as httpClient gets a token through tinyproxy", (t) => throughProxy(t, "bun", "http-client"), { timeoutMs: 90_000 });

test("transports: a TLS certificate the runtime does not trust — Node, Deno and Bun name the cause, one attempt (not retried)", async (t) => {
  const expected: Record<string, RegExp> = {
    node20: /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/,
    node24: /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/,
    deno: /certificate/i,
    bun: /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT|certificate/i,
  };
  for (const [runtime, cause] of Object.entries(expected)) {
    const r = await runChild(t, runtime, "untrusted", {}, false);
    equal(r.ok, false, `${runtime}: no token without the CA`);
    match(r.detail, /^AuthenticationError: ClientSecretCredential could not get a token: Could not get an answer from 127\.0\.0\.1:\d+: /, runtime);
    match(r.detail, cause, `${runtime} names the cause`);
    match(r.detail, /its TLS certificate is not trusted here \(not retried\)/, runtime);
    equal(r.attempts, 1, `${runtime}: not retried`);
  }
}, { timeoutMs: 120_000 });
