/**
 * What the portable CLI (src/cli/) prints, run in-process on every runtime with an in-memory
 * runtime adapter: arguments holding keys or secrets are described, never echoed; text from the
 * token endpoint reaches the terminal with its control characters escaped; every error ends with
 * a `next:` line (usage errors, a bad --scope, an unset --password-env variable, a file that is
 * not a regular file).
 */
import { runCli } from "../src/cli/main.ts";
import type { RuntimeAdapter } from "../src/lib/runtime.ts";
import { notAFile } from "../src/runtime/read.ts";
import { equal, match, notIncludes, ok } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";
import { fixture, fixtureBytes, fixtureText } from "./support/fixtures.ts";
import { ARM, GRAPH } from "./support/helpers.ts";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process: `files` it may read (a function: what the read throws), `env` its whole environment. */
async function cli(args: string[], env: Record<string, string> = {}, files: Record<string, string | (() => never)> = {}): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const runtime: RuntimeAdapter = {
    name: "the test runtime",
    readFile: async (path) => {
      const data = files[path];
      if (typeof data === "function") data();
      if (data === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
      return new TextEncoder().encode(data as string);
    },
    env: () => env,
  };
  const code = await runCli({
    args,
    runtime,
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    serve: () => Promise.reject(new Error("no serving in this test")),
    untilSignal: () => new Promise(() => {}),
  });
  return { code, stdout, stderr };
}

const show = (r: Ran) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
/** Any 12 characters of the key's base64 body, or its first line: the key must not appear in any part. */
function notLeaked(r: Ran, secret: string, what: string): void {
  const body = secret.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  for (let i = 0; i + 12 <= body.length; i += 12) notIncludes(r.stdout + r.stderr, body.slice(i, i + 12), `${what}: a piece of the key`);
  notIncludes(r.stdout + r.stderr, "BEGIN PRIVATE KEY", what);
}

test("cli messages: a private key, base64 or secret given where a file, option or command belongs is described, never echoed (stderr and --json); a typo'd option is still named", async () => {
  const pem = fixtureText("pem-pkcs8.pem");
  const key = pem.slice(pem.indexOf("-----BEGIN PRIVATE KEY-----"));
  for (const args of [["cert", key], ["cert", key, "--json"], ["cert", "--json", `--${key}`], ["token", key, "--json"], ["emulator", key], [key]]) {
    const r = await cli(args);
    const what = `entra-edge ${args.map((a) => a.slice(0, 12)).join(" ")}`;
    equal(r.code, 2, `${what}\n${show(r)}`);
    notLeaked(r, key, what);
    match(r.stderr, /(unknown option|unknown command) \((a path of )?\d+ characters, not shown\)/, what);
    match(r.stderr, /\nnext: run entra-edge (\w+ )?--help/, what);
    if (args.includes("--json")) equal(JSON.parse(r.stdout).error.exitCode, 2);
  }
  // only the option's name before "=" is echoed
  const inline = await cli([`--x=${key}`]);
  notLeaked(inline, key, "--x=<key>");
  match(inline.stderr, /unknown command --x\n/);
  // a secret pasted as the command
  const secret = "Abc8Q~abcdefghijklmnopqrstuvwxyz0123456789";
  const s = await cli([secret]);
  equal(s.code, 2);
  notIncludes(s.stderr, secret.slice(0, 12), "secret");
  const typo = await cli(["token", "--scoep", GRAPH]);
  equal(typo.code, 2);
  match(typo.stderr, /unknown option --scoep \(did you mean --scope\?\)\n/);
  const word = await cli(["tokne"]);
  match(word.stderr, /unknown command "tokne" \(did you mean token\?\)\n[\s\S]*next: run entra-edge token --help\n$/);
  const far = await cli(["deploy"]);
  match(far.stderr, /unknown command "deploy"\n[\s\S]*next: run entra-edge --help\n$/);
});

test("cli messages: --scope with a space is a usage error (exit 2, next: line, --json exitCode 2); AZURE_SCOPE is a space-separated list of scopes", async (t: TestContext) => {
  const env = { AZURE_TENANT_ID: t.id("tenant"), AZURE_CLIENT_ID: t.id("client"), AZURE_CLIENT_SECRET: "cli-messages-secret", AZURE_AUTHORITY_HOST: t.emulatorUrl };
  for (const args of [["token", "--scope", `${GRAPH} ${ARM}`], ["token", "--scope", "x\ty"], ["token", "--scope", GRAPH, "--scope", "a b", "--json"]]) {
    const r = await cli(args, env);
    equal(r.code, 2, show(r));
    match(r.stderr, /--scope takes one scope \(printable, no spaces, at most 1024 characters\): for several, repeat it \(--scope A --scope B\)/);
    match(r.stderr, /\nnext: run entra-edge token --help for the details\n$/);
    notIncludes(r.stderr, "unexpected error");
    if (args.includes("--json")) equal(JSON.parse(r.stdout).error.exitCode, 2);
  }
  const bad = await cli(["token"], { ...env, AZURE_SCOPE: `${GRAPH} \u0007bell` });
  equal(bad.code, 2, show(bad));
  match(bad.stderr, /AZURE_SCOPE holds scopes separated by spaces/);
  // two scopes from AZURE_SCOPE reach the endpoint as two (the emulator refuses two resources, as Entra: exit 4)
  const two = await cli(["token"], { ...env, AZURE_SCOPE: `  ${GRAPH}   ${ARM} ` });
  equal(two.code, 4, show(two));
  const requests = (await t.emulator.requests()).filter((q) => q.tenantId === env.AZURE_TENANT_ID);
  equal(requests.length, 1);
  equal(requests[0]!.scope, [ARM, GRAPH].sort().join(" "));
});

test("cli messages: control characters in the endpoint's answer (ESC sequences, an OSC title, BEL, a lone CR, C1) are escaped in everything printed; the library's message ends at the lone CR", async (t: TestContext) => {
  const env = { AZURE_TENANT_ID: t.id("tenant"), AZURE_CLIENT_ID: t.id("client"), AZURE_CLIENT_SECRET: "cli-messages-secret", AZURE_AUTHORITY_HOST: t.emulatorUrl };
  const description = "AADSTS7000215: bad \u001b[2J\u001b]0;pwned\u0007\u001b[31mRED\u001b[0m \u009b31m C1 \u202edesrever\u2066 \r overwritten";
  const body = JSON.stringify({ error: "invalid_client", error_description: description, error_codes: [7000215], correlation_id: "c0ffee00-0000-4000-8000-000000000000" });
  for (const json of [false, true]) {
    await t.emulator.injectFault({ kind: "status", status: 401, body, contentType: "application/json" });
    const r = await cli(["token", "--scope", GRAPH, ...(json ? ["--json"] : [])], env);
    equal(r.code, 4, show(r));
    const printed = r.stdout + r.stderr;
    ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(printed), `no control character printed: ${JSON.stringify(printed.slice(0, 400))}`);
    match(r.stderr, /bad \\u001b\[2J\\u001b\]0;pwned\\u0007\\u001b\[31mRED\\u001b\[0m \\u009b31m C1 \\u202edesrever\\u2066/);
    notIncludes(r.stderr, "overwritten", "the text after a lone CR is not in the library's message");
    match(r.stderr, /\nnext: .*AADSTS7000215/);
    if (json) ok(JSON.parse(r.stdout).error.message.includes("\u001b[2J"), "--json still parses, with the text as sent");
  }
  const cred = new t.lib.ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, "cli-messages-secret", { authorityHost: t.emulatorUrl, retryOptions: { maxRetries: 0 } });
  await t.emulator.injectFault({ kind: "status", status: 401, body, contentType: "application/json" });
  const e = await cred.getToken(GRAPH).then(() => undefined, (x: Error) => x);
  ok(e, "refused");
  notIncludes(e!.message, "overwritten", "firstLine ends at a lone CR");
  match(e!.message, /AADSTS7000215: bad /);
});

test("cli messages: next: lines say what to do — an unset --password-env variable, a certificate file that is not a regular file (cert and token)", async () => {
  const unset = await cli(["cert", "app.pfx", "--password-env", "UNSET_PFX_PASSWORD"], {}, { "app.pfx": "x" });
  equal(unset.code, 3, show(unset));
  match(unset.stderr, /--password-env names UNSET_PFX_PASSWORD, which is not set/);
  match(unset.stderr, /\nnext: set that variable to the certificate's password/);
  notIncludes(unset.stderr, "exists");
  const fifo = await cli(["cert", "/run/app.pem"], {}, { "/run/app.pem": () => { throw notAFile("the test runtime", "/run/app.pem", "a FIFO (a named pipe)"); } });
  equal(fifo.code, 3, show(fifo));
  match(fifo.stderr, /does not read the certificate file "\/run\/app\.pem": it is a FIFO/);
  match(fifo.stderr, /\nnext: save the certificate to a regular file and run: entra-edge cert <file>\n$/);
  const env = { AZURE_TENANT_ID: "t1", AZURE_CLIENT_ID: "c1", AZURE_CLIENT_CERTIFICATE_PATH: "/run/app.pem", AZURE_AUTHORITY_HOST: "http://127.0.0.1:9" };
  const token = await cli(["token", "--scope", GRAPH], env, { "/run/app.pem": () => { throw notAFile("the test runtime", "/run/app.pem", "a FIFO (a named pipe)"); } });
  equal(token.code, 3, show(token));
  match(token.stderr, /\nnext: copy the certificate to a regular file and set AZURE_CLIENT_CERTIFICATE_PATH to it/);
});

test("cli messages: entra-edge cert shows a file name's line feed (and every control character) escaped, so a file name cannot forge an output line (review 10 L8)", async () => {
  const name = "/tmp/nl\n  sha1Thumbprint:       0000000000000000000000000000000000000000\nx.pem";
  const r = await cli(["cert", name], {}, { [name]: fixtureText("pem-pkcs8.pem") });
  equal(r.code, 0, show(r));
  equal(r.stdout.split("\n").filter((l) => /^\s*sha1Thumbprint:\s+0{40}/.test(l)).length, 0, show(r));
  match(r.stdout, /^\/tmp\/nl\\u000a  sha1Thumbprint: {7}0{40}\\u000ax\.pem: PEM, /);
});

test("cli messages: an answer that is not Entra's (a proxy's HTML 200 or 403, JSON that is not Entra's) exits 5 — no answer from Entra — not 4 'Entra refused', with a next: line saying so; no 'a application/json body' (review 10 N4)", async (t: TestContext) => {
  const env = { AZURE_TENANT_ID: t.id("tenant"), AZURE_CLIENT_ID: t.id("client"), AZURE_CLIENT_SECRET: "cli-messages-secret", AZURE_AUTHORITY_HOST: t.emulatorUrl };
  for (const [status, contentType, body] of [
    [200, "text/html", "<html>sign in to the proxy</html>"],
    [403, "text/html", "<html>blocked by the proxy</html>"],
    [400, "application/json", "{ not json"],
  ] as const) {
    for (const json of [false, true]) {
      await t.emulator.injectFault({ kind: "status", status, body, contentType });
      const r = await cli(["token", "--scope", GRAPH, ...(json ? ["--json"] : [])], env);
      equal(r.code, 5, show(r));
      if (json) equal(JSON.parse(r.stdout).error.exitCode, 5, show(r));
      match(r.stderr, new RegExp(`\\nnext: the answer \\(HTTP ${status}\\) is not Entra's: is a proxy or gateway between here and `), show(r));
      if (contentType === "application/json") match(r.stderr, /with a body of 10 characters \(application\/json\)/, show(r));
    }
  }
});

test("cli messages: a --config that is a FIFO says what it is (it said only '(CredentialUnavailableError)'), and one that is not there says 'no such file' without the runtime's text (review 10 N5)", async () => {
  const fifo = await cli(["emulator", "--config", "c.json"], {}, { "c.json": () => { throw notAFile("the test runtime", "c.json", "a FIFO (a named pipe, or a pipe such as <(…) or a piped /dev/stdin)"); } });
  equal(fifo.code, 3, show(fifo));
  match(fifo.stderr, /^entra-edge emulator: CredentialUnavailableError: Cannot read the config file c\.json \(it is a FIFO \(a named pipe, or a pipe such as <\(…\) or a piped \/dev\/stdin\), not a regular file: reading it could wait forever\)\. Check the path\.\nnext: check the --config path\n$/, show(fifo));
  // a folder is not said to be a wait (attack review of session 10)
  const folder = await cli(["emulator", "--config", "d.json"], {}, { "d.json": () => { throw notAFile("the test runtime", "d.json", "a folder"); } });
  equal(folder.code, 3, show(folder));
  match(folder.stderr, /Cannot read the config file d\.json \(it is a folder, not a regular file\)\. Check the path\./, show(folder));
  const missing = await cli(["emulator", "--config", "missing.json"]);
  equal(missing.code, 3, show(missing));
  match(missing.stderr, /Cannot read the config file missing\.json \(no such file\)\./, show(missing));
  notIncludes(missing.stderr, "ENOENT");
});

test("cli messages: what a newcomer types first is pointed the right way — cert --password (a password is never an argument: --password-env), a misspelt command or option (did you mean), a PFX without a password (--password-env <VAR> on the first line, not the library's certificatePassword) (review 11 N3)", async () => {
  const pw = await cli(["cert", "app.pfx", "--password", "pw-value-1"]);
  equal(pw.code, 2, show(pw));
  match(pw.stderr, /^entra-edge cert: unknown option --password: a password is never taken on the command line \(shell history, ps\): put it in an environment variable and give --password-env <VAR>\n/);
  notIncludes(pw.stderr + pw.stdout, "pw-value-1");
  const tokn = await cli(["tokn"]);
  equal(tokn.code, 2, show(tokn));
  match(tokn.stderr, /^entra-edge: unknown command "tokn" \(did you mean token\?\)\n/);
  const opt = await cli(["cert", "app.pem", "--jsn"]);
  match(opt.stderr, /unknown option --jsn \(did you mean --json\?\)/);
  const pfx = btoa(Array.from(fixtureBytes(fixture("pfx-legacy").file), (b) => String.fromCharCode(b)).join(""));
  const noPassword = await cli(["cert", "app.pfx.b64"], {}, { "app.pfx.b64": pfx });
  equal(noPassword.code, 3, show(noPassword));
  match(noPassword.stderr, /^entra-edge cert: CertificateError \(ERR_CERT_PASSWORD_REQUIRED\): The PFX is (protected by a password|encrypted): put it in an environment variable and give --password-env <VAR>\.\nnext: /, show(noPassword));
  notIncludes(noPassword.stderr, "certificatePassword");
});
