/**
 * The `entra-edge` CLI as users run it: the built bin (`node dist/cli.js`), the Deno and Bun glue
 * (`deno run src/runtime/deno/cli.ts`, `bun src/runtime/bun/cli.ts`) and `npm start`, spawned as
 * processes against the emulator the tooling runner serves.
 */
import { Buffer } from "node:buffer";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import process from "node:process";
import { equal, match, notIncludes, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";
import { badFixtures, fixture, fixtureBase64, fixtureText, goodFixtures, hexToBase64Url, type FixtureEntry } from "../support/fixtures.ts";
import { ARM, GRAPH, secretApp, type TestApp } from "../support/helpers.ts";
import { ensureBuilt, run, start, type Ran } from "./process.ts";

type Runtime = "node" | "deno" | "bun";

/** Runs the CLI on a runtime with exactly `env` as its AZURE_* configuration. */
async function cli(t: TestContext, args: string[], env: Record<string, string> = {}, runtime: Runtime = "node"): Promise<Ran> {
  const root = t.root!;
  if (runtime === "node") {
    await ensureBuilt(root);
    return run(process.execPath, [`${root}/dist/cli.js`, ...args], { cwd: root, env, timeoutMs: 60_000 });
  }
  if (runtime === "deno") {
    return run(`${root}/node_modules/.bin/deno`, ["run", "--allow-env", "--allow-read", "--allow-net=127.0.0.1", `${root}/src/runtime/deno/cli.ts`, ...args], { cwd: root, env, timeoutMs: 60_000 });
  }
  return run(`${root}/node_modules/.bin/bun`, [`${root}/src/runtime/bun/cli.ts`, ...args], { cwd: root, env, timeoutMs: 60_000 });
}

function appEnv(t: TestContext, app: TestApp, extra: Record<string, string> = {}): Record<string, string> {
  return { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId, AZURE_CLIENT_SECRET: app.secret, AZURE_AUTHORITY_HOST: t.emulatorUrl, ...extra };
}

function both(r: Ran): string {
  return `${r.stdout}\n${r.stderr}`;
}

function show(r: Ran): string {
  return `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/;

test("cli: token against the emulator prints type, expiry, scope and where it came from — not the token, not the secret", async (t) => {
  const app = await secretApp(t);
  const r = await cli(t, ["token", "--scope", GRAPH], appEnv(t, app));
  equal(r.code, 0, show(r));
  match(r.stdout, /token type:\s+Bearer/);
  match(r.stdout, /expires:\s+\d{4}-\d\d-\d\dT[\d:.]+Z \(in (59 min|1 h)\)/);
  match(r.stdout, new RegExp(`scope:\\s+${GRAPH.replace(/[./]/g, "\\$&")}`));
  match(r.stdout, new RegExp(`authority:\\s+${t.emulatorUrl}`));
  match(r.stdout, new RegExp(`tenant:\\s+${app.tenantId}`));
  match(r.stdout, new RegExp(`client id:\\s+${app.clientId}`));
  match(r.stdout, /credential:\s+client secret \(AZURE_CLIENT_SECRET\)/);
  match(r.stdout, /token:\s+hidden \(add --show-token to print it\)/);
  ok(!JWT.test(both(r)), "no token without --show-token");
  notIncludes(both(r), app.secret, "client secret");
  const requests = (await t.emulator.requests()).filter((q) => q.clientId === app.clientId);
  equal(requests.length, 1, "one token request");
  equal(requests[0]!.scope, GRAPH);
});

test("cli: token --json parses and has the fields; --show-token prints a token the emulator verifies", async (t) => {
  const app = await secretApp(t);
  const r = await cli(t, ["token", "--scope", ARM, "--json", "--show-token"], appEnv(t, app));
  equal(r.code, 0, show(r));
  const out = JSON.parse(r.stdout) as Record<string, any>;
  equal(out.tokenType, "Bearer");
  ok(Math.abs(Date.parse(out.expiresOn) - out.expiresOnTimestamp) < 1, "expiresOn is the ISO form of expiresOnTimestamp");
  ok(out.expiresInSeconds > 3000 && out.expiresInSeconds <= 3600, `expires in about an hour: ${out.expiresInSeconds}`);
  ok(Date.parse(out.refreshAfter) < out.expiresOnTimestamp, "refreshAfter before expiry");
  equal(out.scopes.join(" "), ARM);
  equal(out.source.kind, "environment");
  equal(out.source.authorityHost, t.emulatorUrl);
  equal(out.source.tenantId, app.tenantId);
  equal(out.source.clientId, app.clientId);
  const claims = await t.emulator.verifyAccessToken(out.token);
  equal(claims.appid, app.clientId);
  equal(claims.aud, "https://management.azure.com");
  notIncludes(both(r), app.secret, "client secret");

  const human = await cli(t, ["token", "--scope", ARM, "--show-token"], appEnv(t, app));
  equal(human.code, 0, show(human));
  const token = human.stdout.match(/token:\s+(\S+)/)?.[1];
  ok(token && JWT.test(token), show(human));
  equal((await t.emulator.verifyAccessToken(token!)).appid, app.clientId);
});

test("cli: token with a certificate from AZURE_CLIENT_CERTIFICATE_PATH (PFX + password)", async (t) => {
  const pfx = fixture("pfx-chain-legacy");
  const app = await secretApp(t, { secrets: [], certificates: [fixtureText(pfx.leaf!)] });
  const env = { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId, AZURE_AUTHORITY_HOST: t.emulatorUrl, AZURE_CLIENT_CERTIFICATE_PATH: `${t.root}/test/fixtures/certs/${pfx.file}`, AZURE_CLIENT_CERTIFICATE_PASSWORD: pfx.password! };
  const r = await cli(t, ["token", "--scope", ARM], env);
  equal(r.code, 0, show(r));
  match(r.stdout, /credential:\s+certificate file ".*pfx-chain-legacy\.pfx" \(AZURE_CLIENT_CERTIFICATE_PATH\)/);
  notIncludes(both(r), pfx.password!, "certificate password");
  const [request] = (await t.emulator.requests()).filter((q) => q.clientId === app.clientId);
  equal(request?.clientAuth, "assertion");
  equal(request?.assertion?.header.x5t, hexToBase64Url(pfx.sha1!));
});

test("cli: token with a wrong secret exits 4 with the AADSTS code, a next step, and no secret", async (t) => {
  const app = await secretApp(t);
  const wrong = `${app.secret}-wrong`;
  const r = await cli(t, ["token", "--scope", ARM], appEnv(t, app, { AZURE_CLIENT_SECRET: wrong }));
  equal(r.code, 4, show(r));
  match(r.stderr, /AuthenticationError: .*AADSTS7000215/);
  match(r.stderr, /HTTP 401/);
  match(r.stderr, /\nnext: .*AADSTS7000215/);
  notIncludes(both(r), wrong, "the wrong secret");
  notIncludes(both(r), app.secret, "the secret");
  const json = await cli(t, ["token", "--scope", ARM, "--json"], appEnv(t, app, { AZURE_CLIENT_SECRET: wrong }));
  equal(json.code, 4, show(json));
  const out = JSON.parse(json.stdout) as { error: Record<string, any> };
  equal(out.error.exitCode, 4);
  equal(out.error.statusCode, 401);
  equal(out.error.errorCodes[0], 7000215);
  equal(out.error.code, "ERR_ENTRA_REFUSED", "whose word: Entra's");
  equal(out.error.error, "invalid_client", "Entra's OAuth error");
  notIncludes(both(json), wrong, "the wrong secret (JSON)");
});

test("cli: token with nothing configured exits 3 and names the missing variables", async (t) => {
  const r = await cli(t, ["token", "--scope", ARM]);
  equal(r.code, 3, show(r));
  match(r.stderr, /CredentialUnavailableError: .*AZURE_TENANT_ID, AZURE_CLIENT_ID, one of AZURE_CLIENT_SECRET/);
  match(r.stderr, /next: .*entra-edge token --demo/);
  const partial = await cli(t, ["token", "--scope", ARM, "--demo"], { AZURE_TENANT_ID: "contoso" });
  equal(partial.code, 3, `partly configured is not the demo:\n${show(partial)}`);
  match(partial.stderr, /AZURE_CLIENT_ID/);
});

test("cli: token against an unreachable authority exits 5 with a next step", async (t) => {
  const app = await secretApp(t);
  const r = await cli(t, ["token", "--scope", ARM], appEnv(t, app, { AZURE_AUTHORITY_HOST: t.closedUrl }));
  equal(r.code, 5, show(r));
  match(r.stderr, /AuthenticationError: .*no HTTP answer/);
  match(r.stderr, new RegExp(`next: check that ${t.closedUrl} can be reached`));
  // --json: the code says what happened; there is no OAuth error, because Entra sent none.
  const json = await cli(t, ["token", "--scope", ARM, "--json"], appEnv(t, app, { AZURE_AUTHORITY_HOST: t.closedUrl }));
  equal(json.code, 5, show(json));
  const out = JSON.parse(json.stdout) as { error: Record<string, unknown> };
  equal(out.error.code, "ERR_ENTRA_UNREACHABLE");
  equal(out.error.statusCode, 0);
  ok(!("error" in out.error), `no made-up OAuth error: ${json.stdout}`);
  notIncludes(both(r), app.secret, "client secret");
});

test("cli: usage errors exit 2 with the usage line, without echoing values", async (t) => {
  const cases: [string[], RegExp][] = [
    [["token"], /token needs --scope <scope>/],
    [["token", "--scope"], /--scope needs a value/],
    [["token", "--scope", ARM, "--bogus=secret-value-1"], /unknown option --bogus\n/],
    [["token", "--scope", ARM, "stray-value-2"], /token takes no arguments/],
    [["token", "--scope", ARM, "--tenant", "not a tenant!"], /--tenant must be a tenant id/],
    // The library's tenant rules, not a looser regex of the CLI's own (these reached getToken and exited 1).
    [["token", "--scope", ARM, "--tenant", "common"], /--tenant must be a tenant id/],
    [["token", "--scope", ARM, "--tenant", "contoso..example"], /--tenant must be a tenant id/],
    [["token", "--scope", ARM, "--tenant", "t".repeat(300)], /--tenant must be a tenant id/],
    [["cert"], /cert takes exactly one file/],
    [["cert", "a.pem", "--password-env", "P@ssw0rd-value-3"], /--password-env takes the NAME/],
    [["emulator", "--app", "tenant-only-value-4"], /--app needs tenant:client:secret/],
    [["emulator", "--port", "http"], /--port must be a number/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [[], /Usage:/],
  ];
  for (const [args, expected] of cases) {
    const r = await cli(t, args);
    equal(r.code, 2, `${args.join(" ")}: ${show(r)}`);
    match(r.stderr, expected, `${args.join(" ")}`);
    for (const value of ["secret-value-1", "stray-value-2", "P@ssw0rd-value-3", "tenant-only-value-4"]) notIncludes(both(r), value, `${args.join(" ")} echoes no value`);
  }
});

test("cli: --help for each command, --version is package.json's", async (t) => {
  const version = await cli(t, ["--version"]);
  equal(version.code, 0);
  equal(version.stdout.trim(), (await import(`${t.root}/package.json`, { with: { type: "json" } })).default.version);
  for (const [args, expected] of [
    [["--help"], /Commands:\n\s+token/],
    [["token", "--help"], /Usage: entra-edge token --scope <scope>[\s\S]*Exit codes: 0 ok, 1 unexpected .*, 2 usage, 3 .*\n.*4 .*5 /],
    [["cert", "--help"], /Usage: entra-edge cert <file> \[--password-env <VAR>\][\s\S]*never\s+taken on the command line/],
    [["emulator", "-h"], /Usage: entra-edge emulator \[--port <n>\][\s\S]*SIGTERM/],
    [["help", "token"], /Usage: entra-edge token/],
  ] as [string[], RegExp][]) {
    const r = await cli(t, args);
    equal(r.code, 0, show(r));
    match(r.stdout, expected, args.join(" "));
  }
});

/** Runs `cert` for fixtures a few at a time (each is a process). */
async function certRuns(t: TestContext, entries: FixtureEntry[]): Promise<{ entry: FixtureEntry; r: Ran }[]> {
  const out: { entry: FixtureEntry; r: Ran }[] = [];
  for (let i = 0; i < entries.length; i += 4) {
    const batch = entries.slice(i, i + 4).map(async (entry) => {
      const args = ["cert", `${t.root}/test/fixtures/certs/${entry.file}`];
      const env: Record<string, string> = {};
      if (entry.password !== null) {
        args.push("--password-env", "FIXTURE_PASSWORD");
        env.FIXTURE_PASSWORD = entry.password;
      }
      return { entry, r: await cli(t, args, env) };
    });
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

test("cli: cert prints the thumbprints openssl computed for every good fixture (password via --password-env)", async (t) => {
  ok(goodFixtures.length >= 15, "the manifest lists the good fixtures");
  for (const { entry, r } of await certRuns(t, goodFixtures)) {
    const name = entry.name;
    equal(r.code, 0, `${name}: ${show(r)}`);
    match(r.stdout, new RegExp(`thumbprint \\(SHA-1\\):\\s+${entry.sha1}\\b`), `${name}: SHA-1`);
    match(r.stdout, new RegExp(`thumbprint \\(SHA-256\\):\\s+${entry.sha256}\\b`), `${name}: SHA-256`);
    ok(r.stdout.includes(`x5t:`) && r.stdout.includes(` ${hexToBase64Url(entry.sha1!)} `), `${name}: x5t`);
    ok(r.stdout.includes(` ${hexToBase64Url(entry.sha256!)} `), `${name}: x5t#S256`);
    match(r.stdout, new RegExp(`subject:\\s+${entry.subject!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n`), `${name}: subject`);
    match(r.stdout, new RegExp(`key:\\s+RSA ${entry.keyBits} bits`), `${name}: key size`);
    match(r.stdout, new RegExp(`chain \\(${entry.chainLength}, leaf first\\)`), `${name}: chain`);
    match(r.stdout, new RegExp(`valid until:\\s+${entry.notAfter!.replace("Z", ".000Z")}`), `${name}: notAfter`);
    // (checked where the password is not a word the output uses anyway, like "password")
    if (entry.password && /[^a-z]/i.test(entry.password)) notIncludes(both(r), entry.password, `${name}: password not printed`);
    match(r.stdout, entry.password !== null ? /password:\s+from FIXTURE_PASSWORD/ : /password:\s+none given/, `${name}: password source`);
  }
}, { timeoutMs: 120_000 });

test("cli: cert of every bad fixture exits 3 with the CertificateError code and a next step where one helps", async (t) => {
  // (a certificate-only PEM is the file uploaded to the portal: `cert` shows its thumbprints — below)
  const runs = await certRuns(t, badFixtures.filter((e) => e.file !== "bad-cert-only.pem"));
  ok(runs.length >= 14, "the manifest lists the bad fixtures");
  for (const { entry, r } of runs) {
    equal(r.code, 3, `${entry.name}: ${show(r)}`);
    match(r.stderr, new RegExp(`CertificateError \\(${entry.expect}\\)`), `${entry.name}`);
    if (entry.password && /[^a-z]/i.test(entry.password)) notIncludes(both(r), entry.password, `${entry.name}: password not printed`);
    if (entry.expect === "ERR_CERT_PASSWORD_REQUIRED") match(r.stderr, /next: .*--password-env <VAR>/);
  }
  const json = await cli(t, ["cert", `${t.root}/test/fixtures/certs/bad-mismatch.pem`, "--json"]);
  equal(json.code, 3);
  equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, "ERR_CERT_KEY_MISMATCH");
  const missing = await cli(t, ["cert", `${t.root}/test/fixtures/certs/no-such-file.pem`]);
  equal(missing.code, 3, show(missing));
  match(missing.stderr, /Cannot read ".*no-such-file\.pem"/);
  const unset = await cli(t, ["cert", `${t.root}/test/fixtures/certs/pfx-legacy.pfx`, "--password-env", "UNSET_PASSWORD_VARIABLE"]);
  equal(unset.code, 3, show(unset));
  match(unset.stderr, /--password-env names UNSET_PASSWORD_VARIABLE, which is not set/);
}, { timeoutMs: 120_000 });

test("cli: cert of an unsupported algorithm (PEM's old Proc-Type encryption, a GOST PFX) ends with a next: line that fits the message, not the RSA key-size advice (review 6, D2)", async (t) => {
  const dir = `${t.root}/.tmp/cli-unsupported-${process.pid}`;
  mkdirSync(dir, { recursive: true });
  t.cleanup(() => rmSync(dir, { recursive: true, force: true }));
  // openssl's -traditional PEM encryption (Proc-Type: 4,ENCRYPTED / DEK-Info), with the certificate after the key
  const key = await run("openssl", ["genrsa", "-aes256", "-traditional", "-passout", "pass:Trad-1", "-out", `${dir}/trad.key`, "2048"], { cwd: dir, timeoutMs: 60_000 });
  equal(key.code, 0, key.stderr);
  writeFileSync(`${dir}/trad.pem`, `${readFileSync(`${dir}/trad.key`, "utf8")}${fixtureText(fixture("pem-pkcs8").leaf!)}`);
  for (const [file, env] of [
    [`${dir}/trad.pem`, { AZURE_CLIENT_CERTIFICATE_PASSWORD: "Trad-1" }],
    [`${t.root}/test/fixtures/external/bc-gostPfx.p12`, { AZURE_CLIENT_CERTIFICATE_PASSWORD: "1" }],
  ] as const) {
    const r = await cli(t, ["cert", file], env);
    equal(r.code, 3, show(r));
    match(r.stderr, /CertificateError \(ERR_CERT_UNSUPPORTED_ALGORITHM\)/, file);
    match(r.stderr, /\nnext: convert it as the message says, or re-export it with OpenSSL 3's defaults: openssl pkcs12 -export /, file);
    ok(!/RSA key of 2048 bits/.test(r.stderr), `${file}: no key-size advice for an algorithm: ${r.stderr}`);
  }
}, { timeoutMs: 120_000 });

test("cli: cert of a certificate-only PEM or DER (the file uploaded to the portal) prints its thumbprints, exit 0; a PFX without a key still exits 3", async (t) => {
  const entry = fixture("pfx-chain");
  const leafPem = fixtureText(entry.leaf!);
  const der = Buffer.from(leafPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  const dir = `${t.root}/.tmp/cli-cert-only-${process.pid}`;
  mkdirSync(dir, { recursive: true });
  t.cleanup(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(`${dir}/app.cer`, der);
  writeFileSync(`${dir}/app-base64.cer`, der.toString("base64"));
  for (const file of [`${t.root}/test/fixtures/certs/${entry.leaf}`, `${dir}/app.cer`, `${dir}/app-base64.cer`]) {
    const r = await cli(t, ["cert", file]);
    equal(r.code, 0, show(r));
    match(r.stdout, /certificate only \(no private key\) — the file to upload to the app registration/);
    match(r.stdout, new RegExp(`thumbprint \\(SHA-1\\):\\s+${entry.sha1}`));
    match(r.stdout, new RegExp(`thumbprint \\(SHA-256\\):\\s+${entry.sha256}`));
    match(r.stdout, new RegExp(`x5t:\\s+${hexToBase64Url(entry.sha1!)}`));
  }
  const json = await cli(t, ["cert", `${dir}/app.cer`, "--json"]);
  equal(json.code, 0, show(json));
  const body = JSON.parse(json.stdout) as { certificateOnly: boolean; sha1Thumbprint: string };
  equal(body.certificateOnly, true);
  equal(body.sha1Thumbprint, entry.sha1);
  const pfx = await cli(t, ["cert", `${t.root}/test/fixtures/certs/bad-cert-only.pfx`], { AZURE_CLIENT_CERTIFICATE_PASSWORD: fixture("bad-cert-only-pfx").password ?? "" });
  equal(pfx.code, 3, show(pfx));
  match(pfx.stderr, /\nnext: /);
}, { timeoutMs: 120_000 });

test("cli: token says it talked to the emulator, not Microsoft Entra ID; every configuration error ends with a next: line", async (t) => {
  const app = await secretApp(t);
  const r = await cli(t, ["token", "--scope", GRAPH], appEnv(t, app));
  equal(r.code, 0, show(r));
  match(r.stdout, new RegExp(`^Got an access token from an Entra emulator at ${t.emulatorUrl} \\(not Microsoft Entra ID\\)\\.`));
  const cases: [Record<string, string>, number, RegExp, RegExp][] = [
    [{ AZURE_AUTHORITY_HOST: `${t.emulatorUrl}/another-tenant` }, 3, /AZURE_AUTHORITY_HOST ends in "another-tenant", not AZURE_TENANT_ID/, /^next: set AZURE_AUTHORITY_HOST to a host .* or to the authority ending in AZURE_TENANT_ID/m],
    [{ AZURE_AUTHORITY_HOST: "http://login.example.com" }, 3, /AZURE_AUTHORITY_HOST must be an https: URL \(or a bare host\)/, /^next: set AZURE_AUTHORITY_HOST/m],
    [{ AZURE_CLIENT_SECRET: `${app.secret}\n` }, 3, /AZURE_CLIENT_SECRET ends with a newline/, /^next: set AZURE_CLIENT_SECRET again without the newline/m],
    [{ AZURE_AUTHORITY_HOST: `${t.emulatorUrl}/${app.tenantId}` }, 0, /^Got an access token from an Entra emulator/, /^/],
  ];
  for (const [extra, code, said, next] of cases) {
    const e = await cli(t, ["token", "--scope", GRAPH], appEnv(t, app, extra));
    equal(e.code, code, show(e));
    match(both(e), said, show(e));
    match(code ? e.stderr : e.stdout, next, show(e));
    notIncludes(both(e), app.secret);
  }
}, { timeoutMs: 120_000 });

test("cli: cert --json has the thumbprints; AZURE_CLIENT_CERTIFICATE_PASSWORD is used when --password-env is absent", async (t) => {
  const entry = fixture("pfx-chain");
  const r = await cli(t, ["cert", `${t.root}/test/fixtures/certs/${entry.file}`, "--json"], { AZURE_CLIENT_CERTIFICATE_PASSWORD: entry.password! });
  equal(r.code, 0, show(r));
  const out = JSON.parse(r.stdout) as Record<string, any>;
  equal(out.sha1Thumbprint, entry.sha1);
  equal(out.sha256Thumbprint, entry.sha256);
  equal(out.x5t, hexToBase64Url(entry.sha1!));
  equal(out.x5tS256, hexToBase64Url(entry.sha256!));
  equal(out.keySize, entry.keyBits);
  equal(out.chain.length, entry.chainLength);
  equal(out.chain[0].subject, entry.subject);
  equal(out.passwordFrom, "AZURE_CLIENT_CERTIFICATE_PASSWORD");
  equal(out.format, "PFX (PKCS#12)");
});

test("cli: emulator --port 0 --app/--cert serves; credentials get tokens from the URL it prints; SIGTERM stops it", async (t) => {
  await ensureBuilt(t.root!);
  const pfx = fixture("pfx-legacy");
  const secret = `emulator-cli-secret-${t.id("s")}`;
  const proc = start(process.execPath, [`${t.root}/dist/cli.js`, "emulator", "--port", "0", "--app", `contoso:secret-app:${secret}`, "--cert", `contoso:cert-app:${t.root}/test/fixtures/certs/${pfx.leaf}`], { cwd: t.root!, timeoutMs: 60_000 });
  t.cleanup(() => proc.child.kill("SIGKILL"));
  const [, url] = await proc.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
  await proc.waitFor(/Press Ctrl\+C to stop/);
  const out = proc.output();
  match(out, new RegExp(`AZURE_AUTHORITY_HOST=${url}\\n`));
  match(out, /AZURE_CLIENT_ID=secret-app\n\s+AZURE_CLIENT_SECRET=<the secret given with --app>/);
  match(out, new RegExp(`cert-app in tenant contoso: certificate ${pfx.sha1}`));
  const { ClientSecretCredential, ClientCertificateCredential } = t.lib;
  const a = await new ClientSecretCredential("contoso", "secret-app", secret, { authorityHost: url }).getToken(ARM);
  ok(JWT.test(a.token), "a token for the secret app");
  const c = await new ClientCertificateCredential("contoso", "cert-app", { certificate: fixtureBase64(pfx.file), certificatePassword: pfx.password! }, { authorityHost: url }).getToken(ARM);
  ok(JWT.test(c.token), "a token for the certificate app");
  await proc.waitFor(/client=cert-app auth=assertion -> 200/);
  match(proc.output(), /client=secret-app auth=secret -> 200/);
  notIncludes(proc.output(), secret, "the --app secret is never printed");
  proc.child.kill("SIGTERM");
  const exit = await proc.exited;
  equal(exit.code, 0, proc.output());
  match(proc.output(), /Stopped \(SIGTERM\)/);
}, { timeoutMs: 60_000 });

test("cli: token on Deno (src/runtime/deno/cli.ts) and Bun (src/runtime/bun/cli.ts): exit 0, 3 and 4 as on Node", async (t) => {
  for (const runtime of ["deno", "bun"] as const) {
    const app = await secretApp(t);
    const ok0 = await cli(t, ["token", "--scope", ARM, "--json", "--show-token"], appEnv(t, app), runtime);
    equal(ok0.code, 0, `${runtime}: ${show(ok0)}`);
    const out = JSON.parse(ok0.stdout) as Record<string, any>;
    equal(out.source.clientId, app.clientId);
    equal((await t.emulator.verifyAccessToken(out.token)).appid, app.clientId, `${runtime}: the token verifies`);
    const none = await cli(t, ["token", "--scope", ARM], {}, runtime);
    equal(none.code, 3, `${runtime}: ${show(none)}`);
    match(none.stderr, new RegExp(`not set in the ${runtime === "deno" ? "Deno" : "Bun"} environment`), `${runtime}: its own adapter`);
    const wrong = await cli(t, ["token", "--scope", ARM], appEnv(t, app, { AZURE_CLIENT_SECRET: "wrong-secret-value" }), runtime);
    equal(wrong.code, 4, `${runtime}: ${show(wrong)}`);
    match(wrong.stderr, /AADSTS7000215/);
    notIncludes(both(wrong), "wrong-secret-value", `${runtime}: no secret printed`);
    const cert = await cli(t, ["cert", `${t.root}/test/fixtures/certs/pfx-legacy.pfx`, "--password-env", "P"], { P: fixture("pfx-legacy").password! }, runtime);
    equal(cert.code, 0, `${runtime}: ${show(cert)}`);
    ok(cert.stdout.includes(fixture("pfx-legacy").sha1!), `${runtime}: cert thumbprint`);
  }
}, { timeoutMs: 120_000 });

test("cli: npm start runs the demo when nothing is configured, and uses AZURE_* when set", async (t) => {
  const demo = await run("npm", ["start", "--silent"], { cwd: t.root!, timeoutMs: 120_000 });
  equal(demo.code, 0, show(demo));
  match(demo.stdout, /No AZURE_\* credentials are set, so this is the demo/);
  match(demo.stdout, /Got an access token from the built-in Entra emulator \(demo\)/);
  match(demo.stdout, /token type:\s+Bearer/);
  match(demo.stdout, /expires:\s+\d{4}-.*\(in (59 min|1 h)\)/);
  match(demo.stdout, /scope:\s+https:\/\/management\.azure\.com\/\.default/);
  match(demo.stdout, /authority:\s+http:\/\/127\.0\.0\.1:\d+/);
  match(demo.stdout, /verified:\s+signature and claims checked by the emulator/);
  match(demo.stdout, /token:\s+hidden/);
  ok(!JWT.test(both(demo)), "no token without --show-token");
  const shown = await run("npm", ["start", "--silent", "--", "--show-token"], { cwd: t.root!, timeoutMs: 120_000 });
  equal(shown.code, 0, show(shown));
  match(shown.stdout, /token:\s+eyJ[\w-]+\.[\w-]+\.[\w-]+\n/);

  const app = await secretApp(t);
  const real = await run("npm", ["start", "--silent"], { cwd: t.root!, env: appEnv(t, app, { AZURE_SCOPE: GRAPH }), timeoutMs: 120_000 });
  equal(real.code, 0, show(real));
  // AZURE_* point at the test emulator, and the output says so (issue 13: it said "Microsoft Entra ID")
  match(real.stdout, /Got an access token from an Entra emulator at http:\/\/127\.0\.0\.1:\d+ \(not Microsoft Entra ID\)\./);
  match(real.stdout, new RegExp(`client id:\\s+${app.clientId}`));
  match(real.stdout, /scope:\s+https:\/\/graph\.microsoft\.com\/\.default/);
  ok(!/demo/.test(real.stdout), "configured: no demo");
  notIncludes(both(real), app.secret, "client secret");
}, { timeoutMs: 120_000 });

test("cli: Deno in a terminal (a pseudo-terminal through script) does not prompt: a missing --allow-env or --allow-read is exit 3 with the message naming the flag and a next: line", async (t) => {
  const root = t.root!;
  const deno = `${root}/node_modules/.bin/deno`;
  // `script -qec` gives Deno a terminal: without the querySync check Deno stops at "Allow? [y/n/A]" and waits (killed after 60 s).
  const inTerminal = (flags: string, args: string) => run("script", ["-qec", `${deno} run ${flags} ${root}/src/runtime/deno/cli.ts ${args}`, "/dev/null"], { cwd: root, timeoutMs: 60_000 });
  const env = await inTerminal("--allow-net=127.0.0.1", `token --scope ${GRAPH}`);
  const envOut = env.stdout.replace(/\r\n/g, "\n");
  equal(env.code, 3, show(env));
  match(envOut, /entra-edge token: CredentialUnavailableError: Deno may not read the environment variable AZURE_SCOPE: run with --allow-env/);
  match(envOut, /\nnext: run again with the permission flag the message names\n/);
  notIncludes(envOut, "Allow?");
  const read = await inTerminal("--allow-env", "cert test/fixtures/certs/pem-pkcs8.pem");
  const readOut = read.stdout.replace(/\r\n/g, "\n");
  equal(read.code, 3, show(read));
  match(readOut, /Deno may not read the certificate file "test\/fixtures\/certs\/pem-pkcs8\.pem": run with --allow-read=test\/fixtures\/certs\/pem-pkcs8\.pem/);
  match(readOut, /\nnext: run again with the permission flag the message names\n/);
  notIncludes(readOut, "Allow?");
}, { timeoutMs: 120_000 });

test("cli: Deno, `cert /dev/stdin` and `cert /dev/fd/3` (a file redirected) with --allow-read: the message names -A, not --allow-read, and with -A the file is read (review 5, L4)", async (t) => {
  const root = t.root!;
  const deno = `${root}/node_modules/.bin/deno`;
  const pem = `${root}/test/fixtures/certs/pem-pkcs8.pem`;
  const hint = /: Deno opens \/dev, \/proc and \/sys paths \(such as \/dev\/stdin and \/dev\/fd\/N\) only with every permission, not with --allow-read: run with -A \(or pass the certificate contents instead of a path\)\.\nnext: run again with the permission flag the message names\n$/;
  for (const [path, redirect] of [["/dev/stdin", `< ${pem}`], ["/dev/fd/3", `3< ${pem}`]] as const) {
    for (const flags of [`--allow-read=${path}`, "--allow-read", ""]) {
      const denied = await run("bash", ["-c", `${deno} run --no-prompt --allow-env ${flags} ${root}/src/runtime/deno/cli.ts cert ${path} ${redirect}`], { cwd: root, timeoutMs: 60_000 });
      equal(denied.code, 3, `${flags} ${path}: ${show(denied)}`);
      match(denied.stderr, hint, `${flags} ${path}`);
    }
    // What the message says is enough.
    const allowed = await run("bash", ["-c", `${deno} run --no-prompt -A ${root}/src/runtime/deno/cli.ts cert ${path} ${redirect}`], { cwd: root, timeoutMs: 60_000 });
    equal(allowed.code, 0, `-A ${path}: ${show(allowed)}`);
    match(allowed.stdout, new RegExp(`^${path}: PEM, usable by ClientCertificateCredential\n`));
  }
}, { timeoutMs: 120_000 });

test("cli: Deno with -A, a character device that may have nothing to read (/dev/full; /dev/kmsg and /dev/hwrng where the machine has them), or a file of /proc (/proc/kmsg), as the certificate file exits 3 at once, before opening it — Deno has no non-blocking read: /dev/kmsg's read waited forever and the process never exited (attack review of session 10, M1); /dev/zero is still read to the size limit", async (t) => {
  const root = t.root!;
  const deno = `${root}/node_modules/.bin/deno`;
  const devices = ["/dev/full", ...["/dev/kmsg", "/dev/hwrng"].filter((d) => existsSync(d))];
  for (const device of devices) {
    const started = performance.now();
    const r = await run(deno, ["run", "--no-prompt", "-A", `${root}/src/runtime/deno/cli.ts`, "cert", device], { cwd: root, timeoutMs: 60_000 });
    equal(r.code, 3, `${device}: ${show(r)}`);
    match(r.stderr, new RegExp(`Deno does not read the certificate file "${device}": it is a character device that may have nothing to read \\(of the devices, only /dev/null, /dev/zero, /dev/random and /dev/urandom are read\\), not a regular file, and reading it could wait forever\\.`), device);
    ok(performance.now() - started < 20_000, `${device}: ${Math.round(performance.now() - started)} ms`);
  }
  // /proc/kmsg: a regular file whose read blocks as /dev/kmsg's does (second attack review); a /proc file in any case
  for (const file of ["/proc/kmsg", "/proc/self/status"]) {
    const started = performance.now();
    const r = await run(deno, ["run", "--no-prompt", "-A", `${root}/src/runtime/deno/cli.ts`, "cert", file], { cwd: root, timeoutMs: 60_000 });
    equal(r.code, 3, `${file}: ${show(r)}`);
    match(r.stderr, new RegExp(`Deno does not read the certificate file "${file}": it is (a file of /proc or /sys \\(such as /proc/kmsg, whose read can wait for ever\\)|a character device that may have nothing to read .*), not a regular file`), file);
    ok(performance.now() - started < 20_000, `${file}: ${Math.round(performance.now() - started)} ms`);
  }
  // a file redirected as /dev/stdin resolves to the file: still read
  const pem = `${root}/test/fixtures/certs/pem-pkcs8.pem`;
  const stdin = await run("bash", ["-c", `${deno} run --no-prompt -A ${root}/src/runtime/deno/cli.ts cert /dev/stdin < ${pem}`], { cwd: root, timeoutMs: 60_000 });
  equal(stdin.code, 0, show(stdin));
  const zero = await run(deno, ["run", "--no-prompt", "-A", `${root}/src/runtime/deno/cli.ts`, "cert", "/dev/zero"], { cwd: root, timeoutMs: 60_000 });
  match(zero.stderr, /CertificateError \(ERR_CERT_MALFORMED\): .*at most 4194304 are accepted/, show(zero));
}, { timeoutMs: 240_000 });

test("cli: a FIFO as the certificate file (cert, and token through AZURE_CLIENT_CERTIFICATE_PATH) exits 3 at once on Node, Deno and Bun, saying it is not a regular file — it hung forever", async (t) => {
  const dir = `${t.root}/.tmp/cli-fifo-${t.id("d")}`;
  mkdirSync(dir, { recursive: true });
  t.cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const fifo = `${dir}/app.pem`;
  equal((await run("mkfifo", [fifo], { cwd: dir })).code, 0, "mkfifo");
  const app = await secretApp(t);
  for (const runtime of ["node", "deno", "bun"] as const) {
    const cert = await cli(t, ["cert", fifo], {}, runtime);
    equal(cert.code, 3, `${runtime} cert: ${show(cert)}`);
    match(cert.stderr, /does not read the certificate file "[^"]*app\.pem": it is a FIFO/, runtime);
    match(cert.stderr, /\nnext: save the certificate to a regular file and run: entra-edge cert <file>\n$/, runtime);
    ok(cert.ms < 30_000, `${runtime}: ${cert.ms} ms`);
    const token = await cli(t, ["token", "--scope", GRAPH], { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId, AZURE_CLIENT_CERTIFICATE_PATH: fifo, AZURE_AUTHORITY_HOST: t.emulatorUrl }, runtime);
    equal(token.code, 3, `${runtime} token: ${show(token)}`);
    match(token.stderr, /it is a FIFO/, runtime);
    match(token.stderr, /\nnext: copy the certificate to a regular file and set AZURE_CLIENT_CERTIFICATE_PATH to it/, runtime);
  }
}, { timeoutMs: 120_000 });
