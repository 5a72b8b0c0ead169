/**
 * Workload identity federation on every runtime, against the emulator acting as the external OIDC
 * issuer: WorkloadIdentityCredential with a token file that rotates (Node, Deno, Bun; a Worker has
 * no files and says so, and takes getAssertion), githubActionsAssertion against the emulator's
 * GitHub-style `GET /issuer/{name}/token` on loopback, the cloud's default audience, and the hints
 * federated refusals carry.
 */
import { AuthenticationError, ClientAssertionCredential, CredentialUnavailableError } from "../src/core.ts";
import { deepEqual, equal, match, notIncludes, ok, rejects, throws } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";
import { ENV_APP } from "./support/env-app.ts";
import { ARM, FAST_RETRY, GRAPH } from "./support/helpers.ts";
import { endlessAnswer, within } from "./support/endless.ts";
import { formsOf, leakOf } from "./support/sentinels.ts";

const VAULT = "https://vault.azure.net/.default";
const STORAGE = "https://storage.azure.com/.default";
const SUBJECT = "system:serviceaccount:default:workload";

/** The `jti` of a JWT (what tells two external tokens apart in the emulator's log). */
const jtiOf = (jwt: string) => JSON.parse(atob(jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).jti as string;

async function federatedApp(t: TestContext, issuer: string, subject = SUBJECT, extra: { tenantId?: string; clientId?: string; audiences?: string[] } = {}) {
  const tenantId = extra.tenantId ?? t.id("tenant");
  const clientId = extra.clientId ?? t.id("client");
  const issuerUrl = await t.emulator.issuerUrl(issuer);
  await t.emulator.addApp({ tenantId, clientId, federatedCredentials: [{ issuer: issuerUrl, subject, ...(extra.audiences ? { audiences: extra.audiences } : {}) }] });
  return { tenantId, clientId, issuerUrl };
}

const federatedLog = async (t: TestContext) => (await t.emulator.requests()).filter((r) => r.clientAuth === "federated");

test("WorkloadIdentityCredential: the token file is read for every token request — a rotated file's new token is used next, a cached token reads nothing; a stale file is AADSTS700024 saying so; a missing file names the path and the variable", async (t) => {
  if (!t.writeFile || !t.tokenFile) {
    // workerd: no files. A token file is unavailable with the path and what to do instead.
    const e = await rejects(new t.lib.WorkloadIdentityCredential({ tenantId: "t", clientId: "c", tokenFilePath: "/var/run/token" }).getToken(ARM), { name: "CredentialUnavailableError" });
    match(e.message, /Cloudflare Workers has no file system, so the federated token file "\/var\/run\/token" \(tokenFilePath\) cannot be read\. Pass the token through a function instead: .*getAssertion/);
    return;
  }
  const app = await federatedApp(t, "k8s");
  const file = `${t.tokenFile}-${t.id("rotated")}`;
  const first = await t.emulator.issueExternalToken({ issuer: "k8s", subject: SUBJECT });
  await t.writeFile(file, `${first}\n`); // kubelet writes no newline; other tools do
  const credential = new t.lib.WorkloadIdentityCredential({ tenantId: app.tenantId, clientId: app.clientId, tokenFilePath: file, authorityHost: t.emulatorUrl, retryOptions: FAST_RETRY });
  const a = await credential.getToken(ARM);
  equal((await t.emulator.verifyAccessToken(a.token)).appid, app.clientId);
  equal((await federatedLog(t))[0]!.assertion!.payload.jti, jtiOf(first));

  // Rotated: the next request (another scope) presents the new token.
  const second = await t.emulator.issueExternalToken({ issuer: "k8s", subject: SUBJECT });
  await t.writeFile(file, second);
  await credential.getToken(GRAPH);
  equal((await federatedLog(t))[1]!.assertion!.payload.jti, jtiOf(second), "the rotated token");

  // A cached token reads nothing: garbage in the file does not matter until a request is needed.
  await t.writeFile(file, "not a token");
  equal((await credential.getToken(ARM)).token, a.token);
  equal((await federatedLog(t)).length, 2);

  // Stale: Entra's 700024, with the hint that the file itself was stale.
  await t.writeFile(file, await t.emulator.issueExternalToken({ issuer: "k8s", subject: SUBJECT, expiresIn: -600 }));
  const stale = await rejects(credential.getToken(VAULT), { name: "AuthenticationError" });
  ok(stale instanceof AuthenticationError);
  deepEqual(stale.errorResponse.errorCodes?.includes(700024), true);
  match(stale.message, /reads the file again for every token request, so the file itself was stale: check that the projected service-account token is mounted and rotated/);
  match(stale.message, new RegExp(file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")));

  // Missing: the path and where it came from.
  const missing = `${file}-missing`;
  const e = await rejects(new t.lib.WorkloadIdentityCredential({ tenantId: app.tenantId, clientId: app.clientId, tokenFilePath: missing, authorityHost: t.emulatorUrl }).getToken(ARM), {
    name: "CredentialUnavailableError",
  });
  match(e.message, /cannot read the federated token file ".*-missing" named by tokenFilePath/);
  const fromEnv = new t.lib.WorkloadIdentityCredential({ env: { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId, AZURE_FEDERATED_TOKEN_FILE: missing, AZURE_AUTHORITY_HOST: t.emulatorUrl } });
  await rejects(fromEnv.getToken(ARM), { name: "CredentialUnavailableError", message: /named by AZURE_FEDERATED_TOKEN_FILE/ });
  await t.writeFile(file, "");
  await rejects(new t.lib.WorkloadIdentityCredential({ tenantId: app.tenantId, clientId: app.clientId, tokenFilePath: file, authorityHost: t.emulatorUrl }).getToken(ARM), {
    name: "CredentialUnavailableError",
    message: /is empty/,
  });
});

test("WorkloadIdentityCredential: @azure/identity's variables from the runtime's own environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST) or { env }; a Worker's token comes from getAssertion", async (t) => {
  const app = await federatedApp(t, "aks", SUBJECT, { tenantId: ENV_APP.tenantId, clientId: ENV_APP.clientId });
  const token = () => t.emulator.issueExternalToken({ issuer: "aks", subject: SUBJECT });
  if (t.writeFile && t.tokenFile) {
    await t.writeFile(t.tokenFile, await token());
    const credential = new t.lib.WorkloadIdentityCredential();
    equal((await t.emulator.verifyAccessToken((await credential.getToken(ARM)).token)).appid, ENV_APP.clientId, "no options: the runtime's environment");
    deepEqual(JSON.parse(JSON.stringify(credential)), { credential: "WorkloadIdentityCredential", tenantId: ENV_APP.tenantId, clientId: ENV_APP.clientId, configured: true });
  } else {
    // The Worker's bindings name a token file: unavailable, saying to pass getAssertion.
    await rejects(new t.lib.WorkloadIdentityCredential().getToken(ARM), { name: "CredentialUnavailableError", message: /no file system.*AZURE_FEDERATED_TOKEN_FILE.*getAssertion/ });
  }
  // getAssertion: every runtime (tenant and client from the environment / bindings)
  let calls = 0;
  const viaFunction = new t.lib.WorkloadIdentityCredential({ getAssertion: () => (calls++, token()) });
  await viaFunction.getToken(GRAPH);
  await viaFunction.getToken(GRAPH);
  equal(calls, 1, "called for each token request, not for cached tokens");
  // { env } instead of the runtime's
  const viaEnv = new t.lib.WorkloadIdentityCredential({ env: { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId, AZURE_AUTHORITY_HOST: t.emulatorUrl }, getAssertion: token });
  await viaEnv.getToken(STORAGE);
  equal((await federatedLog(t)).length, t.writeFile ? 3 : 2);
  // Nothing configured: every missing piece named
  const none = await rejects(new t.lib.WorkloadIdentityCredential({ env: {} }).getToken(ARM), { name: "CredentialUnavailableError" });
  match(none.message, /tenantId \(AZURE_TENANT_ID\), clientId \(AZURE_CLIENT_ID\), tokenFilePath \(AZURE_FEDERATED_TOKEN_FILE\) are not set as an option or in the env object passed to it/);
  // Caller mistakes: TypeErrors at once
  throws(() => new t.lib.WorkloadIdentityCredential({ tokenFilePath: 42 as never }), { name: "TypeError", message: /tokenFilePath must be a non-empty string/ });
  throws(() => new t.lib.WorkloadIdentityCredential({ tokenFilePath: "/x", getAssertion: token }), { name: "TypeError", message: /one of tokenFilePath and getAssertion/ });
  throws(() => new t.lib.WorkloadIdentityCredential({ getAssertion: "token" as never }), { name: "TypeError", message: /getAssertion must be a function/ });
  throws(() => new t.lib.WorkloadIdentityCredential({ tenantId: "bad tenant!", clientId: "c", getAssertion: token }), { name: "TypeError" });
  // The token never shows
  const value = await token();
  const failing = new t.lib.WorkloadIdentityCredential({ tenantId: app.tenantId, clientId: "unknown-client", authorityHost: t.emulatorUrl, getAssertion: () => value });
  const refused = await rejects(failing.getToken(ARM), { name: "AuthenticationError" });
  for (const text of [refused.message, String(refused.stack), JSON.stringify(refused), JSON.stringify(failing), t.inspect?.(failing) ?? "", t.inspect?.(refused) ?? ""]) notIncludes(text, value.split(".")[2]!);
});

test("githubActionsAssertion: GET ACTIONS_ID_TOKEN_REQUEST_URL&audience=… with 'Authorization: bearer <request token>' (the emulator's GitHub-style endpoint on loopback), one ID token per audience until a minute before its exp", async (t) => {
  const subject = "repo:contoso/app:ref:refs/heads/main";
  const requestToken = `gh-request-${t.id("token")}`;
  const app = await federatedApp(t, "github", subject);
  await t.emulator.addWorkload({ issuer: "github", subject, requestToken, expiresIn: 300 });
  const url = `${app.issuerUrl}/token?api-version=2.0`;
  const seen: { url: string; authorization: string | null }[] = [];
  const spy = (input: string, init: RequestInit) => {
    seen.push({ url: input, authorization: new Headers(init.headers).get("authorization") });
    return fetch(input, init);
  };
  const source = t.lib.githubActionsAssertion({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }, fetch: spy });
  const credential = new ClientAssertionCredential(app.tenantId, app.clientId, source, { authorityHost: t.emulatorUrl, retryOptions: FAST_RETRY });
  equal((await t.emulator.verifyAccessToken((await credential.getToken(ARM)).token)).appid, app.clientId);
  await credential.getToken(GRAPH);
  equal(seen.length, 1, "the ID token is kept for the second token request");
  const asked = new URL(seen[0]!.url);
  equal(asked.searchParams.get("api-version"), "2.0", "the URL's own query is kept");
  equal(asked.searchParams.get("audience"), "api://AzureADTokenExchange");
  equal(seen[0]!.authorization, `bearer ${requestToken}`);
  equal((await federatedLog(t)).length, 2);
  // Shortly before exp (less than a minute left) a new one is asked for.
  t.advanceClock(250_000);
  await credential.getToken(VAULT);
  equal(seen.length, 2, "a fresh ID token near its exp");
  // Concurrent first calls share one request.
  const another = t.lib.githubActionsAssertion({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }, fetch: spy });
  const [x, y] = await Promise.all([another(), another()]);
  equal(x, y);
  equal(seen.length, 3);
  // The runtime's own environment (the runner set ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN for the issuer gh-env)
  const envApp = await federatedApp(t, ENV_APP.githubIssuer, subject);
  await t.emulator.addWorkload({ issuer: ENV_APP.githubIssuer, subject, requestToken: ENV_APP.githubRequestToken });
  const fromEnv = new ClientAssertionCredential(envApp.tenantId, envApp.clientId, t.lib.githubActionsAssertion(), { authorityHost: t.emulatorUrl });
  equal((await t.emulator.verifyAccessToken((await fromEnv.getToken(ARM)).token)).appid, envApp.clientId, "variables from the runtime's environment");
});

test("githubActionsAssertion: the audience follows the authority host's cloud (…USGov, …China) unless given; without the variables or with a refused request token the error says `permissions: id-token: write`, never the token", async (t) => {
  const subject = "repo:contoso/app:environment:prod";
  const requestToken = `gh-request-${t.id("token")}`;
  const app = await federatedApp(t, "github", subject, { audiences: ["api://custom"] });
  await t.emulator.addWorkload({ issuer: "github", subject, requestToken });
  const env = { ACTIONS_ID_TOKEN_REQUEST_URL: `${app.issuerUrl}/token`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken };
  const audiences: string[] = [];
  const spy = (input: string, init: RequestInit) => (audiences.push(new URL(input).searchParams.get("audience")!), fetch(input, init));
  const source = t.lib.githubActionsAssertion({ env, fetch: spy });
  await source({ authorityHost: "https://login.microsoftonline.us" });
  await source({ authorityHost: "https://login.chinacloudapi.cn" });
  await source({ authorityHost: "https://login.microsoftonline.com" });
  await source();
  deepEqual(audiences, ["api://AzureADTokenExchangeUSGov", "api://AzureADTokenExchangeChina", "api://AzureADTokenExchange"], "one per cloud; the public cloud's kept");
  // audience given: asked for, and accepted by a federated credential with that audience
  const custom = new ClientAssertionCredential(app.tenantId, app.clientId, t.lib.githubActionsAssertion({ env, audience: "api://custom", fetch: spy }), { authorityHost: t.emulatorUrl });
  await custom.getToken(ARM);
  equal(audiences.at(-1), "api://custom");

  const none = await rejects(new ClientAssertionCredential(app.tenantId, app.clientId, t.lib.githubActionsAssertion({ env: {} }), { authorityHost: t.emulatorUrl }).getToken(ARM), {
    name: "CredentialUnavailableError",
  });
  match(none.message, /ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set in the env object passed to it\. The workflow job needs `permissions: id-token: write`/);
  await rejects(t.lib.githubActionsAssertion({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: env.ACTIONS_ID_TOKEN_REQUEST_URL } })(), { name: "CredentialUnavailableError", message: /ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set/ });
  const wrong = "wrong-request-token-sentinel";
  const refused = await rejects(t.lib.githubActionsAssertion({ env: { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: wrong } })(), { name: "CredentialUnavailableError" });
  match(refused.message, /answered HTTP 401: Bad credentials.*The request token was refused: The workflow job needs `permissions: id-token: write`/);
  notIncludes(refused.message + String(refused.stack), wrong);
  throws(() => t.lib.githubActionsAssertion({ audience: "" }), { name: "TypeError", message: /audience must be a non-empty string/ });
  throws(() => t.lib.githubActionsAssertion({ fetch: "no" as never }), { name: "TypeError", message: /fetch must be a function/ });
});

test("githubActionsAssertion: the request token goes only to an https: URL without userinfo (http: on loopback), and an endpoint's echo of it (whole, cut short, encoded) is never quoted", async (t) => {
  const requestToken = "Zq8vWm3Kx7Lp2Nd9Rt5Hy1Bc6Fg4Js0Ue";
  const sent: string[] = [];
  const spy = async (input: string) => {
    sent.push(input);
    return Response.json({ value: "a.b.c" });
  };
  for (const url of ["http://example.com/x", "http://10.0.0.5/token", "https://user:pass@example.com/x", "ftp://example.com/x", "file:///etc/passwd", 'data:application/json,{"value":"a.b.c"}']) {
    const source = t.lib.githubActionsAssertion({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }, fetch: spy });
    await rejects(source(), { name: "CredentialUnavailableError", message: /ACTIONS_ID_TOKEN_REQUEST_URL must be an https: URL without user or password .*the request token is not sent/ }, url);
  }
  deepEqual(sent, [], "nothing was sent");
  for (const url of ["https://pipelines.actions.githubusercontent.com/abc/idtoken?api-version=2.0", "http://127.0.0.1:9/token", "http://localhost:9/token"]) {
    await t.lib.githubActionsAssertion({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }, fetch: spy })();
  }
  equal(sent.length, 3);
  const forms = formsOf(requestToken, 8);
  for (const [how, echo] of [
    ["whole", (b: string) => `token ${b} is not valid`],
    ["cut short", (b: string) => `token ${b.slice(0, 20)}...`],
    ["URI-encoded", (b: string) => `token ${encodeURIComponent(`x ${b}`)}`],
  ] as const) {
    const echoing = async (_input: string, init: RequestInit) => Response.json({ message: echo(new Headers(init.headers).get("authorization")!) }, { status: 401 });
    const refused = await rejects(t.lib.githubActionsAssertion({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example/x", ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }, fetch: echoing })(), {
      name: "CredentialUnavailableError",
      message: /answered HTTP 401: token .*The request token was refused/,
    });
    for (const text of [refused.message, String(refused.stack), JSON.stringify(refused), t.inspect?.(refused) ?? ""]) equal(leakOf(text, forms), undefined, `${how}: ${text.slice(0, 160)}`);
  }
});

test("federated refusals carry what to compare: issuer (700211), audience (700212), subject — case-sensitive — (700213, 7002138), the token's lifetime (700024)", async (t) => {
  const app = await federatedApp(t, "ci", "repo:Contoso/App:ref:refs/heads/main");
  const refusal = async (options: { issuer?: string; subject?: string; audience?: string; expiresIn?: number }) => {
    const assertion = await t.emulator.issueExternalToken({ issuer: "ci", subject: "repo:Contoso/App:ref:refs/heads/main", ...options });
    const credential = new ClientAssertionCredential(app.tenantId, app.clientId, () => assertion, { authorityHost: t.emulatorUrl });
    return rejects(credential.getToken(ARM), { name: "AuthenticationError" });
  };
  match((await refusal({ issuer: "other-ci" })).message, /AADSTS700211.*Compare the token's issuer \(iss\) with the federated credential's Issuer/);
  match((await refusal({ audience: "api://wrong" })).message, /AADSTS700212.*Compare the token's audience \(aud\) with the federated credential's Audience/);
  match((await refusal({ subject: "repo:Contoso/App:ref:refs/heads/dev" })).message, /AADSTS700213.*Compare the token's subject \(sub\).*case-sensitive/);
  match((await refusal({ subject: "repo:contoso/app:ref:refs/heads/main" })).message, /AADSTS7002138.*only in letter case/);
  match((await refusal({ expiresIn: -600 })).message, /AADSTS700024.*a federated token lives minutes.*get a fresh one for each token request/);
});

test("WorkloadIdentityCredential: a malformed AZURE_TENANT_ID, AZURE_CLIENT_ID or AZURE_AUTHORITY_HOST is a CredentialUnavailableError from getToken naming the variable (as EnvironmentCredential's); the same value as an option is a TypeError naming the option (review 4, L5)", async (t) => {
  const { WorkloadIdentityCredential } = t.lib;
  const getAssertion = () => "header.payload.signature";
  const base = { AZURE_TENANT_ID: "contoso", AZURE_CLIENT_ID: "app" };
  const secretLike = "Zq8Q~abcdefghijklmnopqrstuvwxyz0123456789";
  const cases: [Record<string, string>, RegExp][] = [
    [{ AZURE_AUTHORITY_HOST: "http://evil.example" }, /^WorkloadIdentityCredential is unavailable: AZURE_AUTHORITY_HOST must be an https: URL \(or a bare host\)/],
    [{ AZURE_TENANT_ID: "common" }, /^WorkloadIdentityCredential is unavailable: AZURE_TENANT_ID cannot be "common": the client credentials flow needs a specific tenant\.$/],
    [{ AZURE_TENANT_ID: "a/b" }, /^WorkloadIdentityCredential is unavailable: AZURE_TENANT_ID must be a directory id or a domain/],
    [{ AZURE_CLIENT_ID: "a b" }, /^WorkloadIdentityCredential is unavailable: AZURE_CLIENT_ID must be the app registration's Application \(client\) ID/],
    [{ AZURE_CLIENT_ID: secretLike }, /^WorkloadIdentityCredential is unavailable: AZURE_CLIENT_ID looks like a client secret: it must be the app's Application \(client\) ID\.$/],
    [{ AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/fabrikam" }, /AZURE_AUTHORITY_HOST ends in "fabrikam", not AZURE_TENANT_ID "contoso"/],
  ];
  for (const [vars, message] of cases) {
    const credential = new WorkloadIdentityCredential({ env: { ...base, ...vars }, getAssertion });
    const e = await rejects(credential.getToken(ARM), { name: "CredentialUnavailableError", message }, JSON.stringify(vars));
    ok(e instanceof CredentialUnavailableError);
    notIncludes(e.message, "Zq8Q~", "a secret-like value is not quoted");
    deepEqual(credential.toJSON(), { credential: "WorkloadIdentityCredential", configured: false });
  }
  // The same values as options: the constructor's TypeError names the option.
  throws(() => new WorkloadIdentityCredential({ env: base, getAssertion, authorityHost: "http://evil.example" }), { name: "TypeError", message: /^WorkloadIdentityCredential: authorityHost must be an https: URL/ });
  throws(() => new WorkloadIdentityCredential({ env: base, getAssertion, tenantId: "common" }), { name: "TypeError", message: /^WorkloadIdentityCredential: tenantId cannot be "common"/ });
  throws(() => new WorkloadIdentityCredential({ env: base, getAssertion, clientId: "a b" }), { name: "TypeError", message: /^WorkloadIdentityCredential: clientId must be/ });
  throws(() => new WorkloadIdentityCredential({ env: { ...base, AZURE_TENANT_ID: "common" }, getAssertion, retryOptions: { maxRetries: -1 } }), { name: "TypeError", message: /retryOptions\.maxRetries/ }, "explicit options are checked, the environment's problem aside");
  // additionallyAllowedTenants is an option here (as in @azure/identity, only EnvironmentCredential reads the variable): the refusal says so.
  const variable = new WorkloadIdentityCredential({ env: { ...base, AZURE_ADDITIONALLY_ALLOWED_TENANTS: "*" }, getAssertion });
  await rejects(variable.getToken(ARM, { tenantId: "fabrikam" }), { name: "CredentialUnavailableError", message: /tenant fabrikam is not allowed: add it to additionallyAllowedTenants, or "\*" for any\.$/ });
});

test("githubActionsAssertion: an endless answer is refused at 64 KiB (the rest not read, the body not quoted), and one that outlives the token request's attempt stops being read when the attempt ends (review 10 D1)", async (t) => {
  const env = { ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example/x", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "Zq8vWm3Kx7Lp2Nd9Rt5Hy1Bc6Fg4Js0Ue" };
  const endless = endlessAnswer();
  const refused = await rejects(t.lib.githubActionsAssertion({ env, fetch: endless.fetch })(), {
    name: "CredentialUnavailableError",
    message: /token\.actions\.example answered HTTP 200 with more than 64 KiB \(an ID token answer is a few KB\): refused, the rest not read/,
  });
  notIncludes(refused.message, '{"value"');
  ok(endless.pulled() <= 96 * 1024, `read ${endless.pulled()} bytes of it`);
  equal(await within(endless.cancelled, 5_000), undefined, "the answer was cancelled");

  const slow = endlessAnswer({ trickle: true });
  try {
    const credential = new ClientAssertionCredential(t.id("tenant"), t.id("client"), t.lib.githubActionsAssertion({ env, fetch: slow.fetch }), {
      authorityHost: t.emulatorUrl,
      retryOptions: { maxRetries: 0, tryTimeoutInMs: 300 },
    });
    await rejects(credential.getToken(ARM), { message: /no client assertion within 300 ms/ });
    equal(await within(slow.cancelled, 5_000), undefined, "the answer stopped being read when the attempt ended");
    equal(slow.signals[0]?.aborted, true, "the request's signal fired with the attempt");
  } finally {
    slow.stop();
  }
});
