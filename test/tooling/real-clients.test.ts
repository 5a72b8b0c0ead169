/**
 * Real Microsoft clients against `entra-edge emulator --tls`, run the way a user runs them: the
 * packed tarball installed in an empty folder, its `entra-edge` bin started with `--tls`, and the
 * clients given only what the emulator printed — AZURE_* lines and the CA file in
 * REQUESTS_CA_BUNDLE (MSAL for Python, Debian's python3-msal, `$MSAL_PYTHON`) or
 * NODE_EXTRA_CA_CERTS (msal-node and @azure/identity from npm, in a Node child process). Each gets
 * tokens with a secret and with a certificate, and Entra's codes for a wrong secret (AADSTS7000215)
 * and an expired certificate (AADSTS700027, "The key used is expired"). The emulator's request log
 * (its --control API) shows what each client sent: MSAL for Python's padded `x5t`, msal-node's
 * `x5t#S256` and `x5c`.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { deepEqual, equal, match, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";
import { connectEmulator, createTestCertificate, type TestCertificate } from "../../src/testing.ts";
import { pythonWithMsal } from "../runners/system.ts";
import { installPacked, packed, start } from "./process.ts";

/** fetch over node:https trusting `ca` (this process did not start with NODE_EXTRA_CA_CERTS). */
function fetchTrusting(ca: string): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const req = new Request(input, init);
    const body = req.body ? Buffer.from(await req.arrayBuffer()) : undefined;
    return new Promise((resolve, reject) => {
      const r = httpsRequest(req.url, { method: req.method, headers: Object.fromEntries(req.headers), ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: res.headers as Record<string, string> })));
      });
      r.on("error", reject);
      r.end(body);
    });
  };
}

function runChild(t: TestContext, command: string, args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; output: string }> {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(childEnv)) if (k.startsWith("AZURE_") || /^(NODE_EXTRA_CA_CERTS|REQUESTS_CA_BUNDLE|SSL_CERT_FILE|CURL_CA_BUNDLE|DENO_CERT|HTTPS?_PROXY|https?_proxy)$/.test(k)) delete childEnv[k];
  const child = spawn(command, args, { cwd, env: { ...childEnv, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  t.cleanup(() => child.exitCode === null && child.kill("SIGKILL"));
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c));
    child.stderr.on("data", (c: Buffer) => (output += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

type Line = Record<string, unknown> & { case?: string };
const lines = (output: string): Line[] => output.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Line);

test("real clients: MSAL for Python, msal-node and @azure/identity get tokens from `entra-edge emulator --tls` (the packed tarball's bin) and Entra's codes for a wrong secret and an expired certificate", async (t) => {
  const python = process.env.MSAL_PYTHON ?? pythonWithMsal();
  ok(python, "MSAL for Python: npm test provisions python3-msal and passes its interpreter as MSAL_PYTHON");
  const { base, tarball } = await packed(t.root!);
  const app = `${base}/real-clients-${t.id("app")}`;
  await mkdir(app, { recursive: true });
  await writeFile(`${app}/package.json`, JSON.stringify({ name: "real-clients", private: true, type: "module" }));
  await installPacked(tarball, app);
  const certs: Record<string, TestCertificate> = {
    valid: await createTestCertificate({ subject: "real-clients app" }),
    expired: await createTestCertificate({ subject: "real-clients expired", notBefore: "2020-01-01T00:00:00Z", notAfter: "2021-01-01T00:00:00Z" }),
  };
  const files = { valid: `${app}/app.pem`, expired: `${app}/expired.pem` };
  await writeFile(files.valid, certs.valid!.pem);
  await writeFile(files.expired, certs.expired!.pem);
  const tenant = t.id("tenant");
  const secret = `real-clients-secret-${t.id("s")}`;

  const cli = start(`${app}/node_modules/.bin/entra-edge`, ["emulator", "--tls", "--port", "0", "--control", "--app", `${tenant}:app:${secret}`, "--cert", `${tenant}:cert-app:${files.valid}`, "--cert", `${tenant}:old-app:${files.expired}`], { cwd: app, timeoutMs: 240_000 });
  t.cleanup(() => cli.child.kill("SIGKILL"));
  const [, url] = await cli.waitFor(/listening on (https:\/\/127\.0\.0\.1:\d+)\n/, 60_000);
  await cli.waitFor(/Press Ctrl\+C to stop/);
  const out = cli.output();
  const caFile = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(out)?.[1];
  ok(caFile && existsSync(caFile), `the CA file it printed exists (${caFile})`);
  for (const v of ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE", "DENO_CERT"]) match(out, new RegExp(`${v}=${caFile!.replace(/[.]/g, "\\.")}`), v);
  match(out, new RegExp(`AZURE_AUTHORITY_HOST=${url}\\n`));
  const ca = await readFile(caFile!, "utf8");
  match(ca, /^-----BEGIN CERTIFICATE-----\n/);
  const emulator = connectEmulator(url!, { fetch: fetchTrusting(ca) });
  const verify = async (token: unknown, appid: string) => equal((await emulator.verifyAccessToken(String(token))).appid, appid, `a token of ${appid}`);

  // curl, with the line the emulator printed for it (SSL_CERT_FILE alone does not make curl trust it).
  const body = new URLSearchParams({ grant_type: "client_credentials", client_id: "app", client_secret: secret, scope: "https://graph.microsoft.com/.default" }).toString();
  const curl = await runChild(t, "curl", ["-sS", "--fail", "-d", body, `${url}/${tenant}/oauth2/v2.0/token`], { CURL_CA_BUNDLE: caFile! }, app);
  equal(curl.code, 0, `curl with CURL_CA_BUNDLE: ${curl.output.slice(0, 300)}`);
  await verify((JSON.parse(curl.output) as { access_token: string }).access_token, "app");
  // curl -u: HTTP Basic client authentication (client_secret_basic, which discovery advertises), as Entra accepts it.
  const basicBody = new URLSearchParams({ grant_type: "client_credentials", scope: "https://graph.microsoft.com/.default" }).toString();
  const basic = await runChild(t, "curl", ["-sS", "--fail", "-u", `app:${secret}`, "-d", basicBody, `${url}/${tenant}/oauth2/v2.0/token`], { CURL_CA_BUNDLE: caFile! }, app);
  equal(basic.code, 0, `curl -u: ${basic.output.slice(0, 300)}`);
  await verify((JSON.parse(basic.output) as { access_token: string }).access_token, "app");

  // MSAL for Python, with what the emulator printed.
  const py = await runChild(t, python!, [`${t.root}/test/interop/msal_python.py`], {
    AZURE_AUTHORITY_HOST: url!,
    AZURE_TENANT_ID: tenant,
    AZURE_CLIENT_ID: "app",
    AZURE_CLIENT_SECRET: secret,
    REQUESTS_CA_BUNDLE: caFile!,
    CERT_CLIENT_ID: "cert-app",
    CERT_PEM: files.valid,
    CERT_THUMBPRINT: certs.valid!.sha1Thumbprint,
    EXPIRED_CLIENT_ID: "old-app",
    EXPIRED_PEM: files.expired,
    EXPIRED_THUMBPRINT: certs.expired!.sha1Thumbprint,
  }, app);
  const pyLines = lines(py.output);
  if (py.code !== 0 || !pyLines.some((l) => l.done)) console.log(py.output);
  equal(py.code, 0, "MSAL for Python exits 0");
  const pyCase = (name: string) => pyLines.find((l) => l.case === name) ?? {};
  const done = pyLines.find((l) => l.done);
  console.log(`  real clients: MSAL for Python ${String(done?.msal)} on Python ${String(done?.python)} (${python})`);
  for (const name of ["secret", "secret, instance discovery from the emulator"]) await verify(pyCase(name).access_token, "app");
  for (const name of ["certificate", "certificate with x5c"]) await verify(pyCase(name).access_token, "cert-app");
  deepEqual(pyCase("wrong secret").error_codes, [7000215], "MSAL for Python: wrong secret");
  deepEqual(pyCase("expired certificate").error_codes, [700027], "MSAL for Python: expired certificate");
  match(String(pyCase("expired certificate").error_description), /The key used is expired/);

  const log = await emulator.requests();
  const pyCert = log.find((r) => r.clientId === "cert-app" && r.headers["x-client-sku"] === "MSAL.Python");
  ok(pyCert, "MSAL for Python's certificate request is in the log");
  match(String(pyCert!.assertion!.header.x5t), /=$/, "MSAL for Python sends x5t padded");
  equal(pyCert!.assertion!.payload.nbf, undefined, "and no nbf");

  // msal-node and @azure/identity in Node, trusting the CA through NODE_EXTRA_CA_CERTS.
  const node = await runChild(t, process.execPath, ["--import", "tsx", "test/interop/node-clients.ts"], {
    NODE_EXTRA_CA_CERTS: caFile!,
    AZURE_AUTHORITY_HOST: url!,
    AZURE_TENANT_ID: tenant,
    AZURE_CLIENT_ID: "app",
    AZURE_CLIENT_SECRET: secret,
    CERT_CLIENT_ID: "cert-app",
    CERT_PEM: files.valid,
    CERT_SHA256: certs.valid!.sha256Thumbprint,
    EXPIRED_CLIENT_ID: "old-app",
    EXPIRED_PEM: files.expired,
    EXPIRED_SHA256: certs.expired!.sha256Thumbprint,
  }, t.root!);
  const nodeLines = lines(node.output);
  if (node.code !== 0 || !/RESULT \{"failed":0\}/.test(node.output)) console.log(node.output);
  match(node.output, /RESULT \{"failed":0\}/, "no case threw");
  const nodeCase = (name: string) => nodeLines.find((l) => l.case === name) ?? {};
  for (const name of ["msal-node: client secret", "msal-node: client secret, cloudDiscoveryMetadata from the emulator's /common/discovery/instance", "@azure/identity: EnvironmentCredential with the AZURE_* lines the emulator printed (the README's lines)", "@azure/identity: ClientSecretCredential"]) {
    await verify(nodeCase(name).token, "app");
  }
  for (const name of ["msal-node: certificate (PS256, x5t#S256) with x5c", "@azure/identity: ClientCertificateCredential with sendCertificateChain"]) await verify(nodeCase(name).token, "cert-app");
  for (const name of ["msal-node: wrong client secret", "@azure/identity: ClientSecretCredential, wrong secret"]) deepEqual(nodeCase(name).aadsts, ["AADSTS7000215"], name);
  for (const name of ["msal-node: expired certificate", "@azure/identity: ClientCertificateCredential, expired certificate"]) {
    deepEqual(nodeCase(name).aadsts, ["AADSTS700027"], name);
    equal(nodeCase(name).keyExpired, true, `${name}: "The key used is expired"`);
  }
  // MSAL for Python sends x5t (SHA-1) only; msal-node (under @azure/identity too) x5t#S256 with PS256.
  const msalCert = (await emulator.requests()).filter((r) => r.clientId === "cert-app" && r.assertion?.header["x5t#S256"] !== undefined);
  equal(msalCert.length, 2, "msal-node's and @azure/identity's certificate requests are in the log");
  ok(msalCert.every((r) => r.status === 200 && r.assertion!.header.alg === "PS256" && Array.isArray(r.assertion!.header.x5c)), "PS256, x5t#S256 and the x5c chain (x5c / sendCertificateChain)");

  cli.child.kill("SIGTERM");
  equal((await cli.exited).code, 0, cli.output());
  match(cli.output(), /Stopped \(SIGTERM\)/);
  ok(!existsSync(caFile!), "the throwaway CA file is removed at exit");
}, { timeoutMs: 300_000 });

/** The lines between `README:begin` and `README:end` in `file`, dedented by `indent` spaces. */
async function readmeBlock(root: string, file: string, indent = 0): Promise<string> {
  const text = await readFile(`${root}/${file}`, "utf8");
  const lines = text.split("\n");
  const from = lines.findIndex((l) => /^\s*(\/\/|#) README:begin$/.test(l));
  const to = lines.findIndex((l) => /^\s*(\/\/|#) README:end$/.test(l));
  ok(from >= 0 && to > from, `${file} marks its README lines`);
  return lines.slice(from + 1, to).map((l) => l.slice(indent)).join("\n") + "\n";
}

test("real clients: README shows exactly the lines the tests run (the jose resource server, MSAL for Python, @azure/identity)", async (t) => {
  const readme = await readFile(`${t.root}/README.md`, "utf8");
  for (const [file, indent] of [["test/support/resource-server.ts", 0], ["test/interop/msal_python.py", 0], ["test/interop/node-clients.ts", 2]] as const) {
    const block = await readmeBlock(t.root!, file, indent);
    ok(readme.includes("```" + (file.endsWith(".py") ? "python" : "ts") + "\n" + (file.endsWith("node-clients.ts") ? 'import { EnvironmentCredential } from "@azure/identity";\n' : "") + block + "```"), `README has the block of ${file}:\n${block}`);
  }
});
