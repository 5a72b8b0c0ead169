/**
 * `entra-edge emulator` run in-process on every runtime through the portable CLI (src/cli/), with
 * an in-memory runtime: files it reads, files it writes, and a `serve` that hands the test the
 * handler the CLI would serve. Covers --config, --tls (the CA file and the trust lines),
 * --public-url, --federated, --expires-in/--refresh-in, --control, a port in use (exit 3 and a
 * `next:` line) and the usage errors — and that secrets are never printed.
 */
import { runCli, type CliIO } from "../src/cli/main.ts";
import type { RuntimeAdapter } from "../src/lib/runtime.ts";
import type { EmulatorHandler } from "../src/testing/handler.ts";
import { createTestCertificate } from "../src/testing/x509.ts";
import { deepEqual, equal, match, notIncludes, ok } from "./assert.ts";
import { test } from "./harness.ts";
import { externalBytes } from "./support/external.ts";
import { fixture, fixtureBytes, passwordOf } from "./support/fixtures.ts";

const GRAPH = "https://graph.microsoft.com/.default";
const utf8 = (s: string) => new TextEncoder().encode(s);

interface Started {
  /** Resolves once the CLI printed "Press Ctrl+C" (or ended). */
  ready: Promise<void>;
  handler: () => EmulatorHandler;
  options: () => Record<string, unknown>;
  stdout: () => string;
  stderr: () => string;
  written: Map<string, string>;
  removed: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number>;
  done: Promise<number>;
}

/** Starts the CLI with `args`, `files` to read and an environment; `serve` can be replaced (a port in use). */
function startCli(args: string[], files: Record<string, string | Uint8Array> = {}, serve?: CliIO["serve"], url = "http://127.0.0.1:4000", env: Record<string, string> = {}): Started {
  let stdout = "";
  let stderr = "";
  let handler: EmulatorHandler | undefined;
  let options: Record<string, unknown> = {};
  let signal!: (name: string) => void;
  let ready!: () => void;
  const readyPromise = new Promise<void>((r) => (ready = r));
  const written = new Map<string, string>();
  const removed: string[] = [];
  const runtime: RuntimeAdapter = {
    name: "the test runtime",
    readFile: async (path) => {
      const data = files[path];
      if (data === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
      return typeof data === "string" ? utf8(data) : data;
    },
    env: () => env,
  };
  const io: CliIO = {
    args,
    runtime,
    stdout: (s) => {
      stdout += s;
      if (s.includes("Press Ctrl+C")) ready();
    },
    stderr: (s) => void (stderr += s),
    serve:
      serve ??
      (async (h, o) => {
        handler = h;
        options = o as Record<string, unknown>;
        const secure = (o as { tls?: unknown }).tls !== undefined;
        const base = secure ? url.replace(/^http:/, "https:") : url;
        return { url: base, port: Number(new URL(base).port), close: async () => {} };
      }),
    untilSignal: () => new Promise((r) => (signal = r)),
    writeFile: async (path, text) => void written.set(path, text),
    removeFile: async (path) => void removed.push(path),
    tempDir: async () => "/tmp/entra-edge-emulator-test",
  };
  const done = runCli(io).then((code) => {
    ready();
    return code;
  });
  return {
    ready: readyPromise,
    handler: () => handler!,
    options: () => options,
    stdout: () => stdout,
    stderr: () => stderr,
    written,
    removed,
    stop: async () => {
      signal("SIGTERM");
      return done;
    },
    done,
  };
}

async function call(handler: EmulatorHandler, url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const result = await handler(new Request(url, init));
  if (typeof result === "symbol") throw new Error("dropped");
  const text = await result.text();
  return { status: result.status, body: text ? JSON.parse(text) : undefined };
}

const secretForm = (clientId: string, secret: string) => ({ method: "POST", body: new URLSearchParams({ client_id: clientId, client_secret: secret, grant_type: "client_credentials", scope: GRAPH }) });

test("emulator CLI: --config (secrets with end dates, certificate files with validity, federated credentials, workloads) with --tls prints the trust lines and AZURE_* lines and serves what the file says — never a secret", async (t) => {
  const cert = await createTestCertificate({ subject: "cli-config" });
  const config = {
    port: 4100,
    tls: true,
    expiresIn: 1200,
    apps: [
      { tenantId: "contoso", clientId: "secret-app", secrets: ["config-secret-value-1", { value: "config-old-secret-2", expiresOn: "2020-01-01T00:00:00Z" }], refreshIn: 600, claims: { roles: ["Reader"] } },
      { tenantId: "contoso", clientId: "cert-app", certificates: [{ file: "certs/app.pem", expiresOn: "2020-06-01T00:00:00Z" }, "certs/app.pem"] },
      { tenantId: "contoso", clientId: "fed-app", federatedCredentials: [{ issuer: "k8s", subject: "system:serviceaccount:default:app" }] },
    ],
    workloads: [{ issuer: "github", subject: "repo:contoso/app:ref:refs/heads/main", requestToken: "config-request-token-3" }],
  };
  const cli = startCli(["emulator", "--config", "/etc/emu/emulator.json"], { "/etc/emu/emulator.json": JSON.stringify(config), "/etc/emu/certs/app.pem": cert.certificatePem });
  t.cleanup(() => cli.stop());
  await cli.ready;
  const out = cli.stdout();
  equal(cli.stderr(), "", "no errors");
  equal(cli.options().port, 4100);
  ok(cli.options().tls, "served with TLS");
  match(out, /Entra emulator listening on https:\/\/127\.0\.0\.1:4000\n/);
  const caPath = "/tmp/entra-edge-emulator-test/entra-edge-emulator-ca.pem";
  match(cli.written.get(caPath) ?? "", /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/, "the CA certificate was written");
  for (const v of ["NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE", "DENO_CERT"]) match(out, new RegExp(`\\n  ${v}=${caPath}\\s`), v);
  match(out, /disableInstanceDiscovery: true/);
  match(out, /App secret-app in tenant contoso: 2 client secret\(s\) from the config file\n  AZURE_AUTHORITY_HOST=https:\/\/127\.0\.0\.1:4000\n  AZURE_TENANT_ID=contoso\n  AZURE_CLIENT_ID=secret-app\n  AZURE_CLIENT_SECRET=<a secret of the app in the config file>/);
  match(out, new RegExp(`App cert-app in tenant contoso: certificate ${cert.sha1Thumbprint} \\(/etc/emu/certs/app\\.pem\\)`));
  match(out, /App fed-app in tenant contoso: federated credential \(issuer https:\/\/127\.0\.0\.1:4000\/issuer\/k8s, subject system:serviceaccount:default:app\)/);
  match(out, /ACTIONS_ID_TOKEN_REQUEST_URL=https:\/\/127\.0\.0\.1:4000\/issuer\/github\/token/);
  for (const secret of ["config-secret-value-1", "config-old-secret-2", "config-request-token-3"]) notIncludes(out + cli.stderr(), secret, "never printed");

  const h = cli.handler();
  const base = "https://127.0.0.1:4000/contoso/oauth2/v2.0/token";
  const good = await call(h, base, secretForm("secret-app", "config-secret-value-1"));
  equal(good.status, 200);
  equal(good.body.expires_in, 1200, "expiresIn from the file");
  equal(good.body.refresh_in, 600, "the app's own refreshIn");
  deepEqual(JSON.parse(atob(good.body.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).roles, ["Reader"], "the app's claims");
  deepEqual((await call(h, base, secretForm("secret-app", "config-old-secret-2"))).body.error_codes, [7000222], "the secret's end date");
  const gh = await call(h, "https://127.0.0.1:4000/issuer/github/token?audience=api://AzureADTokenExchange", { headers: { authorization: "Bearer config-request-token-3" } });
  equal(gh.status, 200, "the workload");
  const k8s = await call(h, "https://127.0.0.1:4000/issuer/k8s/.well-known/openid-configuration");
  equal(k8s.body.issuer, "https://127.0.0.1:4000/issuer/k8s");
  // A log line per token request.
  match(cli.stdout(), /POST \/contoso\/oauth2\/v2\.0\/token client=secret-app auth=secret -> 401 AADSTS7000222\n/);
  equal(await cli.stop(), 0);
  match(cli.stdout(), /Stopped \(SIGTERM\)/);
  deepEqual(cli.removed, ["/tmp/entra-edge-emulator-test"], "the temporary CA folder is removed at exit");
});

test("emulator CLI: --public-url, --federated, --expires-in/--refresh-in, --control and --tls-cert/--tls-key", async (t) => {
  const { createTlsCertificates } = await import("../src/testing/x509.ts");
  const { server } = await createTlsCertificates();
  const cli = startCli(
    ["emulator", "--tls-cert", "server.pem", "--tls-key", "server.key", "--public-url", "https://login.test.example/", "--app", "contoso:app:flag-secret-value-4", "--federated", "contoso:fed:https://token.actions.example|repo:x/y:ref:main|api://custom", "--expires-in", "900", "--refresh-in", "450", "--control"],
    { "server.pem": server.certificatePem, "server.key": server.privateKeyPem },
  );
  t.cleanup(() => cli.stop());
  await cli.ready;
  equal(cli.stderr(), "");
  deepEqual(cli.options().tls, { cert: server.certificatePem, key: server.privateKeyPem }, "served with the given certificate and key");
  const out = cli.stdout();
  match(out, /listening on https:\/\/127\.0\.0\.1:4000 \(public URL https:\/\/login\.test\.example\)\n/);
  match(out, /AZURE_AUTHORITY_HOST=https:\/\/login\.test\.example\n/);
  match(out, /control API:\s+https:\/\/127\.0\.0\.1:4000\/__emulator\//);
  match(out, /federated credential \(issuer https:\/\/token\.actions\.example, subject repo:x\/y:ref:main\)/);
  notIncludes(out, "flag-secret-value-4");
  const h = cli.handler();
  const config = await call(h, "https://127.0.0.1:4000/contoso/v2.0/.well-known/openid-configuration");
  equal(config.body.token_endpoint, "https://login.test.example/contoso/oauth2/v2.0/token", "discovery carries the public URL");
  const token = await call(h, "https://127.0.0.1:4000/contoso/oauth2/v2.0/token", secretForm("app", "flag-secret-value-4"));
  equal(token.body.expires_in, 900);
  equal(token.body.refresh_in, 450);
  const control = await call(h, "https://127.0.0.1:4000/__emulator/requests", { method: "POST", headers: { "content-type": "application/json" }, body: "[]" });
  equal(control.status, 200, "the control API is on");
  equal(control.body.result.length, 1);
});

test("emulator CLI: concurrent token requests are each logged with their own status when answered (review 11: in-flight ones were logged '-> 0' by the first to end)", async (t) => {
  const cli = startCli(["emulator", "--app", "contoso:app:concurrent-secret-5", "--control"]);
  t.cleanup(() => cli.stop());
  await cli.ready;
  const h = cli.handler();
  const control = (method: string, args: unknown[]) => call(h, `http://127.0.0.1:4000/__emulator/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(args) });
  equal((await control("setDelay", [50])).status, 200);
  const token = "http://127.0.0.1:4000/contoso/oauth2/v2.0/token";
  const answers = await Promise.all([
    ...Array.from({ length: 5 }, () => call(h, token, secretForm("app", "concurrent-secret-5"))),
    call(h, token, secretForm("app", "a-wrong-secret")),
  ]);
  deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200, 401]);
  const lines = cli.stdout().split("\n").filter((l) => l.includes(" POST /contoso/oauth2/v2.0/token "));
  equal(lines.length, 6, lines.join("\n"));
  equal(lines.filter((l) => l.endsWith("client=app auth=secret -> 200")).length, 5, lines.join("\n"));
  equal(lines.filter((l) => / -> 401 AADSTS7000215$/.test(l)).length, 1, lines.join("\n"));
  notIncludes(cli.stdout(), "concurrent-secret-5");
});

test("emulator CLI: a registered secret sent as the client id (the arguments swapped) is neither printed in the request log nor kept in the emulator's log (review 12)", async (t) => {
  const secret = "Abc8Q~x.y_Z-swapped-secret-6";
  const cli = startCli(["emulator", "--app", `contoso:app:${secret}`, "--control"]);
  t.cleanup(() => cli.stop());
  await cli.ready;
  const h = cli.handler();
  const answer = await call(h, "http://127.0.0.1:4000/contoso/oauth2/v2.0/token", secretForm(secret, "app"));
  equal(answer.status, 400);
  notIncludes(cli.stdout() + cli.stderr(), secret);
  match(cli.stdout(), /client=\(a registered client secret, not shown\) auth=secret -> 400/);
  const log = await call(h, "http://127.0.0.1:4000/__emulator/requests", { method: "POST", headers: { "content-type": "application/json" }, body: "[]" });
  notIncludes(JSON.stringify(log.body), secret);
});

test("emulator CLI: --cert with a key under 2048 bits is registered and says at once that ClientCertificateCredential refuses it (review 11: silent)", async (t) => {
  const cli = startCli(["emulator", "--cert", "contoso:small:/certs/hello.p12", "--password-env", "P"], { "/certs/hello.p12": externalBytes("bc-pkcs12-hello-world.p12") }, undefined, undefined, { P: "hello world" });
  t.cleanup(() => cli.stop());
  await cli.ready;
  match(cli.stdout(), /App small in tenant contoso: certificate [0-9A-F]{40} \(\/certs\/hello\.p12\) — its RSA key has 1024 bits: ClientCertificateCredential refuses keys under 2048 bits, as Entra needs\n/);
  equal(cli.stderr(), "");
});

test("emulator CLI: a port in use exits 3 with the reason and a next: line; TLS files that cannot be read exit 3", async () => {
  const inUse = startCli(["emulator", "--port", "4000", "--app", "c:a:s"], {}, () => Promise.reject(Object.assign(new Error("127.0.0.1:4000 is already in use (another emulator, or another program, listens there)"), { code: "EADDRINUSE" })));
  equal(await inUse.done, 3, inUse.stderr());
  match(inUse.stderr(), /^entra-edge emulator: 127\.0\.0\.1:4000 is already in use/);
  match(inUse.stderr(), /\nnext: stop what listens on port 4000, or choose another with --port <n> \(--port 0 takes a free one\)\n$/);
  const tlsMissing = startCli(["emulator", "--tls-cert", "nope.pem", "--tls-key", "nope.key"]);
  equal(await tlsMissing.done, 3, tlsMissing.stderr());
  match(tlsMissing.stderr(), /\nnext: check the --tls-cert\/--tls-key files/);
  const configMissing = startCli(["emulator", "--config", "missing.json"]);
  equal(await configMissing.done, 3, configMissing.stderr());
  match(configMissing.stderr(), /Cannot read the config file missing\.json[\s\S]*\nnext: check the --config path\n/);
});

test("emulator CLI: usage errors exit 2 with the reason — TLS flags that do not go together, a malformed --federated, config-file mistakes", async () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [["emulator", "--tls-cert", "a.pem"], {}, /--tls-cert and --tls-key go together/],
    [["emulator", "--tls", "--tls-cert", "a.pem", "--tls-key", "a.key"], {}, /either --tls or --tls-cert\/--tls-key/],
    [["emulator", "--ca-file", "ca.pem"], {}, /--ca-file says where --tls writes its CA: give --tls too/],
    [["emulator", "--federated", "contoso:app:https://issuer.example"], {}, /--federated needs tenant:client:<issuer>\|<subject>/],
    [["emulator", "--public-url", "not a url"], {}, /--public-url must be a URL/],
    [["emulator", "--expires-in", "soon"], {}, /--expires-in takes a whole number of seconds/],
    [["emulator", "--config", "c.json"], { "c.json": "{ not json" }, /--config c\.json is not JSON/],
    [["emulator", "--config", "c.json"], { "c.json": JSON.stringify({ app: [] }) }, /--config: unknown field 'app'/],
    [["emulator", "--config", "c.json"], { "c.json": JSON.stringify({ apps: [{ tenantId: "t" }] }) }, /every app needs a tenantId and a clientId/],
    [["emulator", "--config", "c.json"], { "c.json": JSON.stringify({ apps: [{ tenantId: "t", clientId: "c", secrets: [{ value: "config-secret-value-5", expires: "2020" }] }] }) }, /a secret has an unknown field 'expires'/],
    [["emulator", "--config", "c.json"], { "c.json": JSON.stringify({ workloads: [{ subject: "s" }] }) }, /addWorkload needs a requestToken/],
  ];
  for (const [args, files, expected] of cases) {
    const cli = startCli(args, files);
    equal(await cli.done, 2, `${args.join(" ")}: ${cli.stderr()}`);
    match(cli.stderr(), expected, args.join(" "));
    match(cli.stderr(), /\nUsage: entra-edge emulator /);
    notIncludes(cli.stderr() + cli.stdout(), "config-secret-value-5", "no secret echoed");
    equal(cli.options().port, undefined, "nothing was served");
  }
});

test("emulator CLI: for an app whose certificate is a password-protected PFX, the AZURE_* lines name AZURE_CLIENT_CERTIFICATE_PASSWORD and the variable that holds it (never the password)", async () => {
  const e = fixture("pfx-legacy");
  const password = passwordOf(e)!;
  const cli = startCli(["emulator", "--cert", "contoso:pfx-app:app.pfx", "--password-env", "PFX_PW"], { "app.pfx": fixtureBytes(e.file) }, undefined, undefined, { PFX_PW: password });
  await cli.ready;
  match(cli.stdout(), /\n  AZURE_CLIENT_CERTIFICATE_PATH=app\.pfx\n  AZURE_CLIENT_CERTIFICATE_PASSWORD=<the password in PFX_PW>\n/);
  notIncludes(cli.stdout() + cli.stderr(), password, "password");
  equal(await cli.stop(), 0);
  // a PEM without a password: no password line
  const pem = startCli(["emulator", "--cert", "contoso:pem-app:app.pem"], { "app.pem": fixtureBytes(fixture("pem-pkcs8").file) });
  await pem.ready;
  match(pem.stdout(), /AZURE_CLIENT_CERTIFICATE_PATH=app\.pem\n\n/);
  equal(await pem.stop(), 0);
});

/** The exit code of a CLI run that should refuse to start, or "started" (then it is stopped). */
async function refusal(cli: Started): Promise<number | "started"> {
  await cli.ready;
  if (!cli.stdout().includes("Press Ctrl+C")) return cli.done;
  await cli.stop();
  return "started";
}

test("emulator CLI: config mistakes are usage errors that say what is wrong — secrets as a string (each character was a secret), an unknown app field with the nearest name (a 'secret' was ignored), an app with no credential (review 10 D6)", async () => {
  const app = { tenantId: "contoso", clientId: "my-app" };
  const cases: [unknown, RegExp][] = [
    [{ apps: [{ ...app, secrets: "config-secret-value-5" }] }, /--config: apps\[0\]\.secrets must be an array \(got a string of 21 characters\): "secrets": \["<secret>"\]/],
    [{ apps: [{ ...app, secret: "config-secret-value-5" }] }, /--config: apps\[0\] unknown field 'secret' \(did you mean 'secrets'\?\) \(known: tenantId, clientId, secrets, certificates, federatedCredentials, expiresIn, refreshIn, claims\)/],
    [{ apps: [{ ...app, certificates: "app.pem" }] }, /--config: apps\[0\]\.certificates must be an array \(got a string of 7 characters\)/],
    [{ apps: [app] }, /--config: the app my-app in tenant contoso has no credential: give it "secrets"/],
    [{ apps: ["contoso"] }, /--config: apps\[0\] must be an object/],
    [{ aps: [] }, /--config: unknown field 'aps' \(did you mean 'apps'\?\)/],
  ];
  for (const [config, expected] of cases) {
    const cli = startCli(["emulator", "--config", "c.json"], { "c.json": JSON.stringify(config) });
    equal(await refusal(cli), 2, `${JSON.stringify(config)}: ${cli.stdout()}${cli.stderr()}`);
    match(cli.stderr(), expected);
    notIncludes(cli.stderr() + cli.stdout(), "config-secret-value-5", "no secret echoed");
  }
});

test("emulator CLI: a secret put where a config file's certificate path goes is not printed (judged on what the file says, not on the path joined onto its folder), nor the runtime's error text; a --tls-cert that is not there says so plainly (review 10 D5, N5)", async () => {
  const secret = "Abc8Q~x.y_Z-1234567890abcdef";
  const cli = startCli(["emulator", "--config", "/srv/app/c.json"], { "/srv/app/c.json": JSON.stringify({ apps: [{ tenantId: "contoso", clientId: "my-app", certificates: [secret] }] }) });
  equal(await refusal(cli), 3, cli.stderr());
  match(cli.stderr(), /^entra-edge emulator: CredentialUnavailableError: Cannot read \(a path of 28 characters, not shown\) \(no such file\)\. Check the path/);
  notIncludes(cli.stderr() + cli.stdout(), secret);
  notIncludes(cli.stderr(), "ENOENT");
  // A path-shaped entry is still named, joined onto the config file's folder.
  const named = startCli(["emulator", "--config", "/srv/app/c.json"], { "/srv/app/c.json": JSON.stringify({ apps: [{ tenantId: "contoso", clientId: "my-app", certificates: ["certs/app.pem"] }] }) });
  equal(await refusal(named), 3, named.stderr());
  match(named.stderr(), /Cannot read "\/srv\/app\/certs\/app\.pem" \(no such file\)/);
  const tls = startCli(["emulator", "--tls-cert", "nope.pem", "--tls-key", "nope.key", "--app", "c:a:s"]);
  equal(await refusal(tls), 3, tls.stderr());
  match(tls.stderr(), /^entra-edge emulator: CredentialUnavailableError: Cannot read the --tls-cert file "nope\.pem" \(no such file\)\.\n/);
  notIncludes(tls.stderr(), "ENOENT");
});

test("emulator CLI: the request log line shows a client_id's (and path's) line feed and every control character escaped, so a request cannot forge a log line (review 10 L8)", async (t) => {
  const cli = startCli(["emulator", "--app", "contoso:my-app:s3cret-value"]);
  t.cleanup(() => cli.stop());
  await cli.ready;
  const forged = "x\r\n2026-12-02T00:00:00.000Z POST /contoso/oauth2/v2.0/token client=my-app auth=secret -> 200\u2028\u001b[2J";
  const form = new URLSearchParams({ client_id: forged, client_secret: "nope", grant_type: "client_credentials", scope: GRAPH });
  await call(cli.handler(), "http://127.0.0.1:4000/contoso/oauth2/v2.0/token", { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  await call(cli.handler(), "http://127.0.0.1:4000/contoso%0A2026-12-02T00:00:00.000Z/oauth2/v2.0/token", { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  const lines = cli.stdout().split("\n");
  equal(lines.filter((l) => l.startsWith("2026-12-02T00:00:00.000Z")).length, 0, cli.stdout());
  match(cli.stdout(), /client=x\\u000d\\u000a2026-12-02T00:00:00\.000Z POST \/contoso\/oauth2\/v2\.0\/token client=my-app auth=secret -> 200\\u2028\\u001b\[2J auth=secret -> 400 AADSTS/);
});

test("emulator CLI: --public-url is held to authorityHost's rules, with the library's wording and without echoing it — no user or password, query or fragment; http: only on loopback — so the AZURE_AUTHORITY_HOST line it prints is one the library takes (review 10 L10)", async () => {
  const { ClientSecretCredential } = await import("../src/core.ts");
  for (const url of ["https://user:Abc8Q~x.y_Z-1234567890@proxy.example", "https://proxy.example/path?q=1", "https://proxy.example/#x", "http://emu.internal:8080", "ftp://proxy.example"]) {
    const cli = startCli(["emulator", "--public-url", url, "--app", "t:c:s"]);
    equal(await refusal(cli), 2, `${url}: ${cli.stdout()}${cli.stderr()}`);
    match(cli.stderr(), /^entra-edge emulator: --public-url must be an https: URL \(or a bare host\) without credentials, query or fragment, such as "https:\/\/login\.microsoftonline\.com" \(http: only for localhost, 127\.0\.0\.1 and \[::1\]\)\. It is the AZURE_AUTHORITY_HOST/, url);
    notIncludes(cli.stderr() + cli.stdout(), "Abc8Q~", url);
    notIncludes(cli.stderr() + cli.stdout(), "proxy.example", url);
  }
  for (const url of ["http://localhost:4000/", "https://login.test.example:8443", "http://127.0.0.1:9/"]) {
    const cli = startCli(["emulator", "--public-url", url, "--app", "t:c:s"]);
    await cli.ready;
    const host = /AZURE_AUTHORITY_HOST=(\S+)\n/.exec(cli.stdout())?.[1];
    ok(host, `${url}: ${cli.stdout()}${cli.stderr()}`);
    new ClientSecretCredential("t", "c", "s", { authorityHost: host }); // the library takes it
    equal(await cli.stop(), 0);
  }
});
