/**
 * Azure SDK interop on Node, Bun and Deno: makes a test CA (openssl), serves HTTPS fakes of Key
 * Vault and ARM that verify bearer tokens with this process's Entra emulator, and runs
 * test/interop/run.ts in a child process per runtime with the CA trusted from start-up
 * (NODE_EXTRA_CA_CERTS for Node and Bun, DENO_CERT for Deno). The child drives the real
 * `@azure/keyvault-secrets` and `@azure/arm-resources` clients with entra-edge credentials and
 * checks the emulator's and the fakes' request logs itself; this test wants every case passed.
 * A third HTTPS fake answers Key Vault's keys/{name}/{version}/sign (test/support/key-vault-sign.ts)
 * for `keyVaultSigner`, and this test checks the sign requests it saw.
 */
import { spawn } from "node:child_process";
import { atLeast, deepEqual, equal, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";
import { startFakeArm } from "../interop/fake-arm.ts";
import { startFakeKeyVault } from "../interop/fake-keyvault.ts";
import { startConnectProxy } from "../interop/proxy.ts";
import { makeTestTls } from "../interop/tls.ts";
import { serveHttps } from "../interop/fake-service.ts";
import { fakeKeyVault, type FakeKeyVault } from "../support/key-vault-sign.ts";
import { createTestCertificate } from "../../src/testing/x509.ts";

/** Cases in test/interop/interop.test.ts; a child that runs fewer fails this test. */
const INTEROP_CASES = 12;
/** The tenant of the Key Vault sign fake's tokens (the child registers its apps there). */
const SIGN_TENANT = "interop-sign-tenant";

interface RuntimeCommand {
  command: (root: string) => string;
  args: string[];
  /** How this runtime is told to trust the test CA. */
  caEnv: "NODE_EXTRA_CA_CERTS" | "DENO_CERT";
}

const deno = (sys: string) => ["run", "--config", "deno.json", "--allow-net=127.0.0.1", "--allow-read=.", "--allow-env", sys, "test/interop/run.ts"];

/**
 * Deno 2.9: the SDK's user-agent policy calls `os.release()` (`--allow-sys=osRelease`). Its
 * `node:https` honours DENO_CERT as is; with NODE_EXTRA_CA_CERTS it also loads the root store,
 * which needs the sys permission "ca" — and `--allow-sys=ca` is refused ("unknown sys
 * descriptor"), so only a blanket `--allow-sys` works there.
 */
const RUNTIMES: Record<string, RuntimeCommand> = {
  node: { command: () => process.execPath, args: ["--import", "tsx", "test/interop/run.ts"], caEnv: "NODE_EXTRA_CA_CERTS" },
  bun: { command: (root) => `${root}/node_modules/.bin/bun`, args: ["test/interop/run.ts"], caEnv: "NODE_EXTRA_CA_CERTS" },
  deno: { command: (root) => `${root}/node_modules/.bin/deno`, args: deno("--allow-sys=osRelease"), caEnv: "DENO_CERT" },
  "deno --allow-sys": { command: (root) => `${root}/node_modules/.bin/deno`, args: deno("--allow-sys"), caEnv: "NODE_EXTRA_CA_CERTS" },
};

/** Runs the interop cases in a child process; the test's cleanup ends it if it is still running (timeout). */
function runChild(t: TestContext, runtime: RuntimeCommand, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const root = t.root!;
  const childEnv: Record<string, string | undefined> = { ...process.env };
  // The child runs all its cases, and trusts exactly the CA it is given, the way it is given.
  for (const name of ["TEST_FILTER", "NODE_EXTRA_CA_CERTS", "DENO_CERT", "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "all_proxy", "no_proxy"]) {
    delete childEnv[name];
  }
  Object.assign(childEnv, env, { NO_COLOR: "1" });
  const child = spawn(runtime.command(root), runtime.args, { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  t.cleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

async function interop(t: TestContext, name: string): Promise<void> {
  ok(t.root, "the tooling runner gives the repository root");
  const root = t.root!;
  const tls = await makeTestTls(`${root}/.tmp`);
  t.cleanup(() => tls.remove());
  const verify = (token: string) => Promise.resolve(t.emulator.verifyAccessToken(token));
  const vault = await startFakeKeyVault(tls, verify);
  t.cleanup(() => vault.close());
  const arm = await startFakeArm(tls, verify);
  t.cleanup(() => arm.close());
  const portOf = (url: string) => Number(new URL(url).port);
  const proxy = await startConnectProxy([
    { match: (host) => host.endsWith(".vault.azure.net"), port: portOf(vault.url) },
    { match: (host) => host === "management.azure.com", port: portOf(arm.url) },
  ]);
  t.cleanup(() => proxy.close());
  // Key Vault's sign operation over HTTPS: the fake's origin is the address it is served on.
  const signingCert = await createTestCertificate({ subject: "interop key vault signer" });
  let signFake: FakeKeyVault | undefined;
  const sign = await serveHttps(tls, (request) => signFake!.fetch(request));
  t.cleanup(() => sign.close());
  signFake = await fakeKeyVault({ emulator: t.emulator, tenantId: SIGN_TENANT, keyPem: signingCert.privateKeyPem, origin: sign.url });

  const runtime = RUNTIMES[name]!;
  const { code, output } = await runChild(t, runtime, {
    [runtime.caEnv]: tls.caFile,
    INTEROP_EMULATOR_URL: t.emulatorUrl,
    INTEROP_VAULT_URL: vault.url,
    INTEROP_ARM_URL: arm.url,
    INTEROP_PROXY_URL: proxy.url,
    INTEROP_SIGN_KEY_ID: signFake.keyId,
    INTEROP_SIGN_CERTIFICATE: signingCert.certificatePem,
    INTEROP_SIGN_TENANT: SIGN_TENANT,
  });
  const lines = output.split("\n");
  const resultLine = lines.find((l) => l.startsWith("RESULT "));
  const result = resultLine ? (JSON.parse(resultLine.slice("RESULT ".length)) as { passed: number; failed: number }) : undefined;
  if (!result || result.failed > 0 || code !== 0) {
    // The whole child output, indented (so no line is taken for the runner's own RESULT line).
    console.log(`  ${name} child output (exit ${code}):\n${lines.map((l) => `    ${l}`).join("\n")}`);
  }
  const failed = lines.filter((l) => l.startsWith("✗ ")).map((l) => l.slice(2, 160));
  ok(result, `the ${name} child printed no result (exit ${code}); its output is above`);
  equal(result!.failed, 0, `failed interop cases on ${name} (details above): ${failed.join(" | ")}`);
  atLeast(result!.passed, INTEROP_CASES, `interop cases passed on ${name}`);
  equal(code, 0, `exit code of the ${name} child`);
  deepEqual([...new Set(proxy.tunnels())].sort(), ["contoso-kv.vault.azure.net:443", "management.azure.com:443"], "what the SDK tunnelled through the proxy");
  // Key Vault's sign over HTTPS: a probe and an assertion for RS256 and for PS256, each accepted.
  deepEqual(signFake.requests.map((r) => `${r.method} ${r.query} ${r.alg} ${r.status}`), ["RS256", "RS256", "PS256", "PS256"].map((alg) => `POST ?api-version=7.4 ${alg} 200`), "Key Vault sign requests");
}

for (const name of Object.keys(RUNTIMES)) {
  test(`interop: @azure/keyvault-secrets and @azure/arm-resources with entra-edge credentials on ${name} (HTTPS fakes, test CA via ${RUNTIMES[name]!.caEnv})`, (t) => interop(t, name), {
    timeoutMs: 180_000,
  });
}
