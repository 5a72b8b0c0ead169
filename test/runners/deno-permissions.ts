/**
 * Deno without permissions: run as `deno run --no-prompt --allow-net=127.0.0.1 test/runners/deno-permissions.ts`
 * (no --allow-read, no --allow-env). A certificate path and the environment must fail with a
 * CredentialUnavailableError that names the missing flag.
 */
import * as lib from "../../src/deno.ts";
import { match, rejects } from "../assert.ts";
import { run, test } from "../harness.ts";
import { fixture, fixtureText } from "../support/fixtures.ts";

declare const Deno: { exit(code: number): never };

test("deno permissions: a certificate path without --allow-read → CredentialUnavailableError naming --allow-read", async () => {
  const path = "test/fixtures/certs/pem-pkcs8.pem";
  const cred = new lib.ClientCertificateCredential("tenant-p", "client-p", path, { authorityHost: "http://127.0.0.1:9" });
  const e = await rejects(cred.getToken("https://management.azure.com/.default"), { name: "CredentialUnavailableError" });
  match(e.message, /--allow-read/);
  await rejects(lib.parseCertificate({ certificatePath: path }), { name: "CredentialUnavailableError", message: /--allow-read/ });
});

test("deno permissions: a /dev/stdin, /dev/fd/N or /proc/self/fd/N path without --allow-read → the message says -A, which Deno needs for such paths, not --allow-read=<path>, which is not enough (review 5, L4)", async () => {
  for (const path of ["/dev/stdin", "/dev/fd/0", "/proc/self/fd/3"]) {
    const e = await rejects(lib.parseCertificate({ certificatePath: path }), { name: "CredentialUnavailableError" });
    match(e.message, new RegExp(`^Deno may not read the certificate file "${path}": Deno opens /dev, /proc and /sys paths \\(such as /dev/stdin and /dev/fd/N\\) only with every permission, not with --allow-read: run with -A \\(or pass the certificate contents instead of a path\\)\\.$`));
    const wif = new lib.WorkloadIdentityCredential({ tenantId: "tenant-p", clientId: "client-p", tokenFilePath: path, authorityHost: "http://127.0.0.1:9" });
    const f = await rejects(wif.getToken("https://management.azure.com/.default"), { name: "CredentialUnavailableError" });
    match(f.message, /Deno may not read the federated token file "[^"]+": Deno opens \/dev, \/proc and \/sys paths .* only with every permission, not with --allow-read: run with -A\./);
  }
  // A plain path keeps the narrow flag, and /dev/null is one --allow-read covers.
  for (const path of ["certs/app.pem", "/dev/null"]) await rejects(lib.parseCertificate({ certificatePath: path }), { name: "CredentialUnavailableError", message: new RegExp(`: run with --allow-read=${path} `) });
});

test("deno permissions: EnvironmentCredential without --allow-env → CredentialUnavailableError naming --allow-env", async () => {
  const e = await rejects(new lib.EnvironmentCredential().getToken("https://management.azure.com/.default"), { name: "CredentialUnavailableError" });
  match(e.message, /--allow-env/);
  // one run names every variable it needs (issue 13: it took six runs, one variable each)
  match(e.message, /may not read AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, .*AZURE_ADDITIONALLY_ALLOWED_TENANTS: run with --allow-env=AZURE_TENANT_ID,AZURE_CLIENT_ID,AZURE_CLIENT_SECRET,/);
  // with an env object, no permission is needed
  await rejects(new lib.EnvironmentCredential({ env: {} }).getToken("https://management.azure.com/.default"), { name: "CredentialUnavailableError", message: /AZURE_TENANT_ID/ });
});

test("deno permissions: WorkloadIdentityCredential and githubActionsAssertion without --allow-env / --allow-read → CredentialUnavailableError naming the flag, from getToken", async () => {
  const e = await rejects(new lib.WorkloadIdentityCredential().getToken("https://management.azure.com/.default"), { name: "CredentialUnavailableError" });
  match(e.message, /--allow-env/);
  const file = new lib.WorkloadIdentityCredential({ tenantId: "tenant-p", clientId: "client-p", tokenFilePath: "/var/run/secrets/azure/tokens/azure-identity-token", authorityHost: "http://127.0.0.1:9" });
  const f = await rejects(file.getToken("https://management.azure.com/.default"), { name: "CredentialUnavailableError" });
  match(f.message, /federated token file "\/var\/run\/secrets\/azure\/tokens\/azure-identity-token" named by tokenFilePath \(Deno may not read the federated token file .*: run with --allow-read=\/var\/run\/secrets\/azure\/tokens\/azure-identity-token\.\)/);
  await rejects(lib.githubActionsAssertion()(), { name: "CredentialUnavailableError", message: /--allow-env/ });
});

test("deno permissions: a JWT given as tokenFilePath, a path over 100 characters and PEM text as a certificate path are described, not quoted, in the missing --allow-read message", async () => {
  const jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJpc3MiOiJodHRwczovL2s4cyIsInN1YiI6InN5c3RlbTpzZXJ2aWNlYWNjb3VudDpkZWZhdWx0OmFwcCJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl";
  const long = `/var/run/secrets/azure/tokens/${"x".repeat(150)}`;
  for (const path of [jwt, long]) {
    const cred = new lib.WorkloadIdentityCredential({ tenantId: "tenant-p", clientId: "client-p", tokenFilePath: path, authorityHost: "http://127.0.0.1:9" });
    const e = await rejects(cred.getToken("https://management.azure.com/.default"), { name: "CredentialUnavailableError" });
    match(e.message, /Deno may not read the federated token file \(a path of \d+ characters, not shown\): run with --allow-read=<that path>\./);
    for (const part of [path.slice(0, 40), path.slice(-40), "xxxxxxxxxxxxxxxxxxxx"]) if (e.message.includes(part)) throw new Error(`the path is quoted: ${e.message}`);
  }
  const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";
  const e = await rejects(lib.parseCertificate({ certificatePath: pem }), { name: "CredentialUnavailableError" });
  if (e.message.includes("MIIEvQIBADANBgkq")) throw new Error(`the key is quoted: ${e.message}`);
});

test("deno permissions: a token endpoint --allow-net does not cover → CredentialUnavailableError naming --allow-net=<host>, at once (no retries)", async () => {
  const started = Date.now();
  const cred = new lib.ClientSecretCredential("tenant-p", "client-p", "secret-p", { authorityHost: "http://localhost:1234", retryOptions: { retryDelayInMs: 2000 } });
  const e = await rejects(cred.getToken("https://management.azure.com/.default"), { name: "CredentialUnavailableError" });
  match(e.message, /ClientSecretCredential: this runtime may not connect to localhost:1234: run with --allow-net=localhost:1234\./);
  if (Date.now() - started > 1500) throw new Error(`took ${Date.now() - started} ms: retried?`);
});

test("deno permissions: AZURE_AUTHORITY_HOST (set by test/run.ts) without --allow-env is not read — no prompt, no error: every credential (WorkloadIdentityCredential with its options too) keeps the public cloud, an option still wins", async () => {
  const urls: string[] = [];
  const fetch = (url: string) => {
    urls.push(url);
    return Promise.resolve(Response.json({ token_type: "Bearer", expires_in: 3600, access_token: "made-up" }));
  };
  const pem = fixtureText(fixture("pem-pkcs8").file); // a module constant: no --allow-read needed
  const make = (options: { fetch: typeof fetch; authorityHost?: string }) => [
    new lib.ClientSecretCredential("tenant-p", "client-p", "secret-p", options),
    new lib.ClientAssertionCredential("tenant-p", "client-p", () => "a.b.c", options),
    new lib.ClientCertificateCredential("tenant-p", "client-p", { certificate: pem }, options),
  ];
  // --no-prompt: a Deno.env.get of the variable would throw NotCapable here (and prompt on a terminal without --no-prompt).
  const [secret, assertion, certificate] = make({ fetch });
  await secret!.getToken("https://management.azure.com/.default");
  await assertion!.getToken("https://management.azure.com/.default");
  await certificate!.getToken("https://management.azure.com/.default");
  // WorkloadIdentityCredential with everything passed reads no environment either (review 5: it asked Deno for AZURE_AUTHORITY_HOST and failed).
  await new lib.WorkloadIdentityCredential({ tenantId: "tenant-p", clientId: "client-p", getAssertion: () => "a.b.c", fetch }).getToken("https://management.azure.com/.default");
  const [withOption] = make({ fetch, authorityHost: "https://login.chinacloudapi.cn" });
  await withOption!.getToken("https://management.azure.com/.default");
  if (JSON.stringify(urls) !== JSON.stringify(["https://login.microsoftonline.com/tenant-p/oauth2/v2.0/token", "https://login.microsoftonline.com/tenant-p/oauth2/v2.0/token", "https://login.microsoftonline.com/tenant-p/oauth2/v2.0/token", "https://login.microsoftonline.com/tenant-p/oauth2/v2.0/token", "https://login.chinacloudapi.cn/tenant-p/oauth2/v2.0/token"])) {
    throw new Error(`the token requests went to ${JSON.stringify(urls)}`);
  }
});

const noEmulator = {
  addApp() {},
  injectFault() {},
  clearFaults() {},
  setDelay() {},
  requests: () => [],
  verifyAccessToken: () => ({}),
  reset() {},
  clock: { now: () => Date.now(), set() {}, advance() {}, reset() {} },
  forgeToken: () => "",
  issuerUrl: () => "",
  issueExternalToken: () => "",
  addWorkload() {},
};
const result = await run(
  { runtime: "deno", lib, emulator: noEmulator, emulatorUrl: "http://127.0.0.1:9", closedUrl: "http://127.0.0.1:9" },
  { print: (l) => console.log(l.replace("[deno]", "[deno, no permissions]")) },
);
console.log(`RESULT ${JSON.stringify({ passed: result.passed, failed: result.failed })}`);
Deno.exit(result.failed ? 1 : 0);
