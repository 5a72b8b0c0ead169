/** Runtime adapters through each runtime's own entry: certificate paths and EnvironmentCredential. */
import { deepEqual, equal, match, notIncludes, ok, rejects } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";
import { ENV_APP } from "./support/env-app.ts";
import { fixture, fixtureBase64, fixtureText, passwordOf } from "./support/fixtures.ts";
import { ARM, everyText, secretApp, tokenRequests } from "./support/helpers.ts";

const certPath = (t: TestContext, file: string) => `${t.root}/test/fixtures/certs/${file}`;

async function certApp(t: TestContext, name: string) {
  const e = fixture(name);
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, certificates: [fixtureText(e.leaf!)] });
  return { e, tenantId, clientId };
}

test("runtime: a certificate path is read through the runtime (Workers: CredentialUnavailableError)", async (t) => {
  for (const name of ["pem-pkcs8", "pfx-legacy"]) {
    const { e, tenantId, clientId } = await certApp(t, name);
    const source = { certificatePath: certPath(t, e.file), certificatePassword: passwordOf(e) };
    const cred = new t.lib.ClientCertificateCredential(tenantId, clientId, source, { authorityHost: t.emulatorUrl });
    if (t.runtime === "workerd") {
      await rejects(cred.getToken(ARM), { name: "CredentialUnavailableError", message: /no file system.*certificate contents/s });
      await rejects(t.lib.parseCertificate(source), { name: "CredentialUnavailableError" });
      equal(await tokenRequests(t), 0);
    } else {
      equal((await cred.getToken(ARM)).tokenType, "Bearer");
      equal((await t.lib.parseCertificate(source)).sha1Thumbprint, e.sha1);
    }
  }
  if (t.runtime !== "workerd") {
    const e = fixture("pem-pkcs8");
    equal((await t.lib.parseCertificate(certPath(t, e.file))).sha256Thumbprint, e.sha256, "a bare path string");
  }
});

test("runtime: a missing certificate file is CredentialUnavailableError naming the path", async (t) => {
  const cred = new t.lib.ClientCertificateCredential("t1", "c1", "/no/such/dir/app.pem", { authorityHost: t.emulatorUrl });
  const e = await rejects(cred.getToken(ARM), { name: "CredentialUnavailableError" });
  match(e.message, /\/no\/such\/dir\/app\.pem/);
});

test("runtime: EnvironmentCredential from the runtime's own environment", async (t) => {
  await t.emulator.addApp({ tenantId: ENV_APP.tenantId, clientId: ENV_APP.clientId, secrets: [ENV_APP.secret] });
  const cred = new t.lib.EnvironmentCredential();
  const token = await cred.getToken(ARM);
  equal((await t.emulator.verifyAccessToken(token.token)).appid, ENV_APP.clientId);
  notIncludes(JSON.stringify(cred) + (t.inspect?.(cred) ?? ""), ENV_APP.secret);
});

test("runtime: EnvironmentCredential with an env object: secret first, then certificate path, then inline certificate", async (t) => {
  const app = await secretApp(t);
  const base = { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId, AZURE_AUTHORITY_HOST: t.emulatorUrl };
  const bySecret = new t.lib.EnvironmentCredential({ env: { ...base, AZURE_CLIENT_SECRET: app.secret, AZURE_CLIENT_CERTIFICATE: "ignored" } });
  await bySecret.getToken(ARM);
  equal((await t.emulator.requests())[0]!.clientAuth, "secret");

  for (const name of ["pfx-legacy", "pem-encrypted-aes256", "pfx-openssl3-default"]) {
    const { e, tenantId, clientId } = await certApp(t, name);
    const env = {
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: clientId,
      AZURE_AUTHORITY_HOST: t.emulatorUrl,
      AZURE_CLIENT_CERTIFICATE: e.format === "pfx" ? fixtureBase64(e.file) : fixtureText(e.file),
      AZURE_CLIENT_CERTIFICATE_PASSWORD: passwordOf(e),
      AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: "1",
    };
    equal((await new t.lib.EnvironmentCredential({ env }).getToken(ARM)).tokenType, "Bearer", name);
    const rs = await t.emulator.requests();
    ok(Array.isArray(rs[rs.length - 1]!.assertion!.header.x5c), "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN=1 sends x5c");
  }

  if (t.runtime !== "workerd") {
    const { e, tenantId, clientId } = await certApp(t, "pfx-chain");
    const env = {
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: clientId,
      AZURE_AUTHORITY_HOST: t.emulatorUrl,
      AZURE_CLIENT_CERTIFICATE_PATH: certPath(t, e.file),
      AZURE_CLIENT_CERTIFICATE_PASSWORD: passwordOf(e),
      AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: "true",
    };
    await new t.lib.EnvironmentCredential({ env }).getToken(ARM);
    const rs = await t.emulator.requests();
    equal((rs[rs.length - 1]!.assertion!.header.x5c as string[]).length, 3);
  }
});

test("runtime: EnvironmentCredential unset or incomplete → CredentialUnavailableError naming what is missing", async (t) => {
  const e1 = await rejects(new t.lib.EnvironmentCredential({ env: {} }).getToken(ARM), { name: "CredentialUnavailableError" });
  match(e1.message, /AZURE_TENANT_ID, AZURE_CLIENT_ID, one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_CLIENT_CERTIFICATE/);
  const e2 = await rejects(new t.lib.EnvironmentCredential({ env: { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c" } }).getToken(ARM), { name: "CredentialUnavailableError" });
  match(e2.message, /one of AZURE_CLIENT_SECRET/);
  ok(!/AZURE_TENANT_ID/.test(e2.message), "only what is missing");
  const e3 = await rejects(new t.lib.EnvironmentCredential({ env: { AZURE_TENANT_ID: "common", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s-e-c-r-e-t" } }).getToken(ARM), {
    name: "CredentialUnavailableError",
    message: /specific tenant/,
  });
  notIncludes(everyText(e3), "s-e-c-r-e-t");
  // the core entry has no environment: it says to pass { env }
  const core = await import("../src/core.ts");
  await rejects(new core.EnvironmentCredential().getToken(ARM), { name: "CredentialUnavailableError", message: /pass \{ env \}/ });
  equal(await tokenRequests(t), 0);
});

test("runtime: EnvironmentCredential reads AZURE_ADDITIONALLY_ALLOWED_TENANTS and ignores non-string bindings", async (t) => {
  const app = await secretApp(t);
  const other = t.id("other");
  await t.emulator.addApp({ tenantId: other, clientId: app.clientId, secrets: [app.secret] });
  const env = {
    AZURE_TENANT_ID: app.tenantId,
    AZURE_CLIENT_ID: app.clientId,
    AZURE_CLIENT_SECRET: app.secret,
    AZURE_AUTHORITY_HOST: t.emulatorUrl,
    AZURE_ADDITIONALLY_ALLOWED_TENANTS: `first-tenant; ${other}`,
    SOME_KV_BINDING: { get() {} },
  };
  const cred = new t.lib.EnvironmentCredential({ env });
  await cred.getToken(ARM, { tenantId: other });
  await rejects(cred.getToken(ARM, { tenantId: "not-listed" }), { name: "CredentialUnavailableError" });
  deepEqual((await t.emulator.requests()).map((r) => r.tenantId), [other]);
});

test("runtime: Deno with --allow-read but not -A: a /dev/stdin, /dev/fd/N or /proc/self/fd/N path (also relative) names -A, which Deno needs for them, not --allow-read, which it has (review 5, L4; Deno only)", async (t) => {
  if (t.runtime !== "deno") return; // Node, Bun: no permissions; Workers: no files
  // The suite's Deno runs with --allow-read (and not -A): Deno itself refuses these ("Requires all access").
  const up = "../".repeat(20); // a relative path from any working folder up to 20 deep, short enough to be quoted: it does not start with /dev, so Deno's own error ("Requires all access") tells
  for (const path of ["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0", `${up}dev/stdin`]) {
    const e = await rejects(t.lib.parseCertificate({ certificatePath: path }), { name: "CredentialUnavailableError" });
    match(e.message, /^Deno may not read the certificate file .*: Deno opens \/dev, \/proc and \/sys paths \(such as \/dev\/stdin and \/dev\/fd\/N\) only with every permission, not with --allow-read: run with -A \(or pass the certificate contents instead of a path\)\.$/, path);
  }
});

test("runtime: a certificate path to an endless file (/dev/zero) is refused after 4 MiB, reading no further (Workers: CredentialUnavailableError)", async (t) => {
  const started = performance.now();
  const e = await rejects(t.lib.parseCertificate({ certificatePath: "/dev/zero" }), { name: t.runtime === "workerd" ? "CredentialUnavailableError" : "CertificateError" });
  if (t.runtime !== "workerd") {
    equal((e as unknown as { code: string }).code, "ERR_CERT_MALFORMED");
    match(e.message, /larger than 4194304 bytes \(read no further\)/);
    ok(performance.now() - started < 5_000, `refused in ${Math.round(performance.now() - started)} ms`);
  }
});

test("runtime: a FIFO, socket-like or folder given as a token or certificate file is refused at once, naming what it is — no read waits for a writer, and later file reads still work (Workers: no files)", async (t) => {
  if (t.runtime === "workerd") return;
  // test/run.ts makes this FIFO (mkfifo) and never opens it for writing: an open() or read() of it would wait forever.
  const fifo = `${t.root}/test/generated/fifo`;
  const started = performance.now();
  const cert = new t.lib.ClientCertificateCredential("t1", "c1", fifo, { authorityHost: t.emulatorUrl, retryOptions: { maxRetries: 0 } });
  const e1 = await rejects(cert.getToken(ARM), { name: "CredentialUnavailableError" });
  match(e1.message, /does not read the certificate file "[^"]*\/test\/generated\/fifo": it is a FIFO \(a named pipe.*not a regular file.*Write the contents to a regular file/);
  await rejects(t.lib.parseCertificate({ certificatePath: fifo }), { name: "CredentialUnavailableError", message: /it is a FIFO/ });
  for (let i = 0; i < 5; i++) {
    // more attempts than Node has libuv threads (4): before, each one left a thread blocked in open()
    const wif = new t.lib.WorkloadIdentityCredential({ tenantId: "t1", clientId: "c1", tokenFilePath: fifo, authorityHost: t.emulatorUrl, retryOptions: { maxRetries: 0, tryTimeoutInMs: 2000 } });
    const e2 = await rejects(wif.getToken(ARM), { name: "CredentialUnavailableError" });
    match(e2.message, /federated token file "[^"]*fifo".*it is a FIFO.*pass the token through getAssertion instead/);
  }
  const folder = new t.lib.WorkloadIdentityCredential({ tenantId: "t1", clientId: "c1", tokenFilePath: `${t.root}/test/fixtures`, authorityHost: t.emulatorUrl, retryOptions: { maxRetries: 0 } });
  const f = await rejects(folder.getToken(ARM), { name: "CredentialUnavailableError", message: /it is a folder, not a regular file\. / });
  ok(!/wait forever/.test(f.message), `a folder is not said to wait: ${f.message}`);
  // A Unix socket (test/run.ts leaves one): named as such (Node and Bun: its open() fails with ENXIO).
  await rejects(t.lib.parseCertificate({ certificatePath: `${t.root}/test/generated/socket` }), { name: "CredentialUnavailableError", message: /it is a socket, not a regular file/ });
  // /dev/tty: without a terminal its open() fails with ENXIO too, and it was called "a socket" (attack review of session 10)
  const tty = await rejects(t.lib.parseCertificate({ certificatePath: "/dev/tty" }), { name: "CredentialUnavailableError" });
  ok(!/a socket/.test(tty.message), `/dev/tty: ${tty.message}`);
  if (t.runtime !== "deno") match(tty.message, /it is (a device that cannot be opened \(ENXIO: \/dev\/tty without a terminal, or a device that is not there\)|a device with nothing to read \(a terminal\?\)), not a regular file/);
  const dir = await rejects(t.lib.parseCertificate({ certificatePath: `${t.root}/test/fixtures` }), { name: "CredentialUnavailableError", message: /it is a folder, not a regular file\. / });
  ok(!/wait forever/.test(dir.message), dir.message);
  // the runtime's file reads (and the emulator's DNS-free 127.0.0.1) still work
  const e = fixture("pem-pkcs8");
  equal((await t.lib.parseCertificate({ certificatePath: certPath(t, e.file) })).sha256Thumbprint, e.sha256);
  equal(await tokenRequests(t), 0);
  ok(performance.now() - started < 10_000, `refused in ${Math.round(performance.now() - started)} ms`);
});
