/**
 * Drop-in for real Azure SDK clients: entra-edge credentials given to `@azure/keyvault-secrets`'
 * `SecretClient` and `@azure/arm-resources`' `ResourceManagementClient`, unmodified from npm, talking
 * HTTPS to local fakes of Key Vault and ARM that accept only tokens the Entra emulator issued for
 * their audience and tenant. Covers Key Vault's `WWW-Authenticate` challenge (scope and tenant
 * from the challenge), tenant switching through `additionallyAllowedTenants`, CAE
 * `insufficient_claims` challenges on both services, and the services' production URLs
 * (`https://<name>.vault.azure.net`, `https://management.azure.com`) reached through a local
 * CONNECT proxy with default SDK options.
 *
 * Runs in a separate process on Node, Bun and Deno (test/interop/run.ts, started by
 * test/tooling/interop.test.ts with the test CA in NODE_EXTRA_CA_CERTS / DENO_CERT); the cases
 * only use fetch, the SDKs and the runtime's entra-edge entry.
 */
import { SecretClient } from "@azure/keyvault-secrets";
import { ResourceManagementClient } from "@azure/arm-resources";
import type { TokenCredential } from "@azure/core-auth";
import { deepEqual, equal, ok, rejects } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";
import { fixtureBase64, fixtureText } from "../support/fixtures.ts";
import { registerSentinel } from "../support/sentinels.ts";
import type { EmulatorRequest } from "../../src/testing/types.ts";
import { asTokenCredential, getTokenLikeTheSdk } from "./core-auth.ts";
import type { FakeRequest } from "./fake-service.ts";

export const VAULT_SCOPE = "https://vault.azure.net/.default";
export const ARM_SCOPE = "https://management.azure.com/.default";
/** What entra-edge sends as `claims` when the SDK asks with `enableCae: true` (it always does). */
const CAE_CLAIMS = { access_token: { xms_cc: { values: ["cp1"] } } };

/**
 * Where the fakes listen, and a CONNECT proxy that tunnels `*.vault.azure.net:443` and
 * `management.azure.com:443` to them (set by run.ts before the cases run).
 */
export const targets = { vaultUrl: "", armUrl: "", proxyUrl: "", signKeyId: "", signCertificate: "", signTenant: "" };

/** One measurement per SDK call, printed by run.ts as `METRIC` lines. */
export interface Metric {
  case: string;
  call: string;
  ms: number;
  /** Token requests the emulator saw during the call. */
  tokenRequests: number;
  /** Requests the fake saw during the call (challenge round-trips included). */
  serviceRequests: number;
}
export const metrics: Metric[] = [];

interface Fake {
  configure(config: unknown): Promise<void>;
  revoke(): Promise<number>;
  log(): Promise<FakeRequest[]>;
}

function fake(base: () => string): Fake {
  async function call(method: string, route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${base()}/__fake/${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const result = await response.json();
    if (!response.ok) throw new Error(`fake ${route}: ${JSON.stringify(result)}`);
    return result;
  }
  return {
    configure: async (config) => void (await call("POST", "configure", config)),
    revoke: async () => ((await call("POST", "revoke")) as { revokedAt: number }).revokedAt,
    log: async () => (await call("GET", "log")) as FakeRequest[],
  };
}

const vault = fake(() => targets.vaultUrl);
const arm = fake(() => targets.armUrl);

/** `METHOD auth status` of each request a fake saw. */
const summary = (log: FakeRequest[]) => log.map((r) => `${r.method} ${r.auth} ${r.status}${r.challenge ? ` ${r.challenge}-challenge` : ""}`);

/** Runs one SDK call and records its time and the token/service requests it caused. */
async function measure<T>(t: TestContext, service: Fake, name: string, call: string, fn: () => Promise<T>): Promise<T> {
  const tokensBefore = (await t.emulator.requests()).length;
  const serviceBefore = (await service.log()).length;
  const started = Date.now();
  const value = await fn();
  const ms = Date.now() - started;
  metrics.push({
    case: name,
    call,
    ms,
    tokenRequests: (await t.emulator.requests()).length - tokensBefore,
    serviceRequests: (await service.log()).length - serviceBefore,
  });
  return value;
}

/** A multi-tenant app registration: the same client id and secret in each tenant. */
async function secretApp(t: TestContext, tenants: string[]): Promise<{ clientId: string; secret: string }> {
  const clientId = t.id("client");
  const secret = `sentinel-interop-${t.id("s")}~Sdk`;
  registerSentinel(secret);
  for (const tenantId of tenants) await t.emulator.addApp({ tenantId, clientId, secrets: [secret] });
  return { clientId, secret };
}

function parsedClaims(r: EmulatorRequest | undefined): unknown {
  ok(r?.claims, "the token request carries claims");
  return JSON.parse(r!.claims!);
}

function checkToken(r: FakeRequest | undefined, aud: string, tid: string, appidacr: "1" | "2"): void {
  ok(r?.token, "the fake saw a token");
  equal(r!.token!.aud, aud, "token audience");
  equal(r!.token!.tid, tid, "token tenant");
  equal(r!.token!.appidacr, appidacr, "token client authentication (1 secret, 2 certificate)");
  deepEqual(r!.token!.xms_cc, ["cp1"], "the SDK asked for a CAE-capable token");
}

const KV_CASE = "keyvault: SecretClient with ClientSecretCredential";
test(`${KV_CASE}: challenge round-trip, scope from the challenge, one token for setSecret + getSecret`, async (t) => {
  const tenantId = t.id("tenant");
  const app = await secretApp(t, [tenantId]);
  await vault.configure({ tenantId });
  const credential = new t.lib.ClientSecretCredential(tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl });
  // The fake listens on 127.0.0.1, not <name>.vault.azure.net: the SDK's check that the challenge's
  // resource matches the vault's host name is off; nothing else is changed.
  const client = new SecretClient(targets.vaultUrl, credential, { disableChallengeResourceVerification: true });

  const set = await measure(t, vault, KV_CASE, "setSecret (first call)", () => client.setSecret("db-password", "value-1", { contentType: "text/plain" }));
  const got = await measure(t, vault, KV_CASE, "getSecret", () => client.getSecret("db-password"));
  const again = await measure(t, vault, KV_CASE, "getSecret (version)", () => client.getSecret("db-password", { version: set.properties.version! }));

  equal(got.value, "value-1");
  equal(got.name, "db-password");
  equal(got.properties.contentType, "text/plain");
  equal(got.properties.version, set.properties.version);
  equal(got.properties.vaultUrl, targets.vaultUrl);
  ok(got.properties.createdOn instanceof Date, "createdOn parsed as a Date");
  equal(again.value, "value-1");

  const tokens = await t.emulator.requests();
  equal(tokens.length, 1, "one token request for all three calls");
  equal(tokens[0]!.path, `/${tenantId}/oauth2/v2.0/token`, "the tenant from the challenge, at the credential's authority host");
  equal(tokens[0]!.scope, VAULT_SCOPE, "the scope built from the challenge's resource");
  equal(tokens[0]!.clientAuth, "secret");
  equal(tokens[0]!.status, 200);
  deepEqual(parsedClaims(tokens[0]), CAE_CLAIMS, "enableCae from the SDK becomes xms_cc cp1");

  const log = await vault.log();
  deepEqual(summary(log), ["PUT none 401 bearer-challenge", "PUT valid 200", "GET valid 200", "GET valid 200"]);
  for (const r of log.slice(1)) checkToken(r, "https://vault.azure.net", tenantId, "1");
  ok(log.every((r) => r.apiVersion), "every request names an api-version");
});

const KV_CERT_CASE = "keyvault: SecretClient with ClientCertificateCredential";
test(`${KV_CERT_CASE} (base64 PFX, as Key Vault stores one): certificate assertion, then the same flow`, async (t) => {
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, certificates: [fixtureText("pfx-openssl3-default.leaf.pem")] });
  await vault.configure({ tenantId });
  const credential = new t.lib.ClientCertificateCredential(
    tenantId,
    clientId,
    { certificate: fixtureBase64("pfx-openssl3-default.pfx"), certificatePassword: "Fixture-P@ss1" },
    { authorityHost: t.emulatorUrl },
  );
  const client = new SecretClient(targets.vaultUrl, credential, { disableChallengeResourceVerification: true });

  await measure(t, vault, KV_CERT_CASE, "setSecret (first call)", () => client.setSecret("api-key", "value-2"));
  const got = await measure(t, vault, KV_CERT_CASE, "getSecret", () => client.getSecret("api-key"));
  equal(got.value, "value-2");

  const tokens = await t.emulator.requests();
  equal(tokens.length, 1);
  equal(tokens[0]!.clientAuth, "assertion");
  equal(tokens[0]!.status, 200);
  equal(tokens[0]!.scope, VAULT_SCOPE);
  const log = await vault.log();
  deepEqual(summary(log), ["PUT none 401 bearer-challenge", "PUT valid 200", "GET valid 200"]);
  checkToken(log[1], "https://vault.azure.net", tenantId, "2");
});

const KV_TENANT_CASE = "keyvault: the challenge names another tenant";
test(`${KV_TENANT_CASE}, allowed by additionallyAllowedTenants: the token comes from that tenant`, async (t) => {
  const home = t.id("home");
  const resourceTenant = t.id("tenant");
  const app = await secretApp(t, [home, resourceTenant]);
  await vault.configure({ tenantId: resourceTenant });
  const credential = new t.lib.ClientSecretCredential(home, app.clientId, app.secret, {
    authorityHost: t.emulatorUrl,
    additionallyAllowedTenants: [resourceTenant],
  });
  const client = new SecretClient(targets.vaultUrl, credential, { disableChallengeResourceVerification: true });
  await measure(t, vault, KV_TENANT_CASE, "setSecret (first call)", () => client.setSecret("shared", "value-3"));
  equal((await client.getSecret("shared")).value, "value-3");

  const tokens = await t.emulator.requests();
  equal(tokens.length, 1);
  equal(tokens[0]!.path, `/${resourceTenant}/oauth2/v2.0/token`, "getToken({ tenantId }) from the challenge");
  const log = await vault.log();
  deepEqual(summary(log), ["PUT none 401 bearer-challenge", "PUT valid 200", "GET valid 200"]);
  checkToken(log[1], "https://vault.azure.net", resourceTenant, "1");
});

test(`${KV_TENANT_CASE}, not allowed: the SDK call rejects with CredentialUnavailableError and no token is requested`, async (t) => {
  const home = t.id("home");
  const resourceTenant = t.id("tenant");
  const app = await secretApp(t, [home, resourceTenant]);
  await vault.configure({ tenantId: resourceTenant });
  const credential = new t.lib.ClientSecretCredential(home, app.clientId, app.secret, { authorityHost: t.emulatorUrl });
  const client = new SecretClient(targets.vaultUrl, credential, { disableChallengeResourceVerification: true });
  const error = await rejects(() => client.getSecret("shared"), { name: "CredentialUnavailableError" });
  ok(error.message.includes(resourceTenant) && error.message.includes("additionallyAllowedTenants"), "the message names the tenant and the option");
  equal((await t.emulator.requests()).length, 0, "no token request");
  deepEqual(summary(await vault.log()), ["GET none 401 bearer-challenge"]);
});

const KV_CAE_CASE = "keyvault: CAE";
test(`${KV_CAE_CASE} insufficient_claims challenge: the SDK calls getToken with the claims, the retried call succeeds`, async (t) => {
  const tenantId = t.id("tenant");
  const app = await secretApp(t, [tenantId]);
  await vault.configure({ tenantId });
  const credential = new t.lib.ClientSecretCredential(tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl });
  const client = new SecretClient(targets.vaultUrl, credential, { disableChallengeResourceVerification: true });
  await client.setSecret("rotating", "value-4");
  const revokedAt = await vault.revoke();

  const got = await measure(t, vault, KV_CAE_CASE, "getSecret after revocation", () => client.getSecret("rotating"));
  equal(got.value, "value-4");
  await measure(t, vault, KV_CAE_CASE, "getSecret (next call)", () => client.getSecret("rotating"));

  const tokens = await t.emulator.requests();
  equal(tokens.length, 2, "one token before the revocation, one for the claims challenge, none for the next call");
  deepEqual(
    parsedClaims(tokens[1]),
    { access_token: { nbf: { essential: true, value: String(revokedAt) }, xms_cc: { values: ["cp1"] } } },
    "the decoded challenge claims, merged with CAE",
  );
  equal(tokens[1]!.path, `/${tenantId}/oauth2/v2.0/token`);
  equal(tokens[1]!.scope, VAULT_SCOPE);
  equal(tokens[1]!.status, 200);
  const log = await vault.log();
  deepEqual(summary(log), ["PUT none 401 bearer-challenge", "PUT valid 200", "GET refused 401 claims-challenge", "GET valid 200", "GET valid 200"]);
  ok(log[3]!.token!.uti !== log[1]!.token!.uti, "the retried call carries a new token");
});

test("keyvault: what the SDK passes to getToken — the challenge's scope and tenant (not its authority host), enableCae, then the decoded claims", async (t) => {
  const tenantId = t.id("tenant");
  const app = await secretApp(t, [tenantId]);
  await vault.configure({ tenantId });
  // Typed as the SDK sees it: core-auth's options carry an `AbortSignalLike`, entra-edge's a DOM `AbortSignal`.
  const credential = asTokenCredential(new t.lib.ClientSecretCredential(tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl }));
  const calls: { scopes: unknown; options: Record<string, unknown> }[] = [];
  const recording: TokenCredential = {
    getToken(scopes, options) {
      const { abortSignal: _signal, tracingOptions: _tracing, requestOptions: _request, ...rest } = options ?? {};
      calls.push({ scopes, options: rest });
      return credential.getToken(scopes, options);
    },
  };
  const client = new SecretClient(targets.vaultUrl, recording, { disableChallengeResourceVerification: true });
  await client.setSecret("probe", "value-6");
  const revokedAt = await vault.revoke();
  await client.getSecret("probe");
  deepEqual(calls, [
    { scopes: [VAULT_SCOPE], options: { enableCae: true, tenantId } },
    {
      scopes: [VAULT_SCOPE],
      options: { enableCae: true, tenantId, claims: JSON.stringify({ access_token: { nbf: { essential: true, value: String(revokedAt) } } }) },
    },
  ]);
});

const ARM_CASE = "arm: ResourceManagementClient with ClientSecretCredential";
test(`${ARM_CASE}: resourceGroups.list() over two pages and get(), one token request`, async (t) => {
  const tenantId = t.id("tenant");
  const subscriptionId = crypto.randomUUID();
  const app = await secretApp(t, [tenantId]);
  await arm.configure({
    subscriptions: {
      [subscriptionId]: {
        tenantId,
        resourceGroups: [
          { name: "rg-a", location: "westeurope" },
          { name: "rg-b", location: "northeurope", tags: { env: "test" } },
          { name: "rg-c", location: "eastus" },
        ],
      },
    },
  });
  const credential = new t.lib.ClientSecretCredential(tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl });
  // The fake is not at https://management.azure.com, so the endpoint is set; the SDK would derive
  // the scope from it, so the real one is named.
  const client = new ResourceManagementClient(credential, subscriptionId, { endpoint: targets.armUrl, credentialScopes: [ARM_SCOPE] });

  const names = await measure(t, arm, ARM_CASE, "resourceGroups.list() (first call, 2 pages)", async () => {
    const out: string[] = [];
    for await (const rg of client.resourceGroups.list()) out.push(rg.name!);
    return out;
  });
  deepEqual(names, ["rg-a", "rg-b", "rg-c"]);
  const rg = await measure(t, arm, ARM_CASE, "resourceGroups.get()", () => client.resourceGroups.get("rg-b"));
  equal(rg.location, "northeurope");
  deepEqual(rg.tags, { env: "test" });
  equal(rg.properties?.provisioningState, "Succeeded");
  const error = await rejects(() => client.resourceGroups.get("rg-missing"), { name: "RestError" });
  equal(error.statusCode, 404);
  equal(error.code, "ResourceGroupNotFound");

  const tokens = await t.emulator.requests();
  equal(tokens.length, 1, "one token for four ARM requests");
  equal(tokens[0]!.scope, ARM_SCOPE);
  equal(tokens[0]!.path, `/${tenantId}/oauth2/v2.0/token`);
  deepEqual(parsedClaims(tokens[0]), CAE_CLAIMS);
  const log = await arm.log();
  deepEqual(summary(log), ["GET valid 200", "GET valid 200", "GET valid 200", "GET valid 404"], "no challenge round-trip: ARM gets a token up front");
  for (const r of log) checkToken(r, "https://management.azure.com", tenantId, "1");
});

const ARM_CAE_CASE = "arm: ResourceManagementClient with ClientCertificateCredential";
test(`${ARM_CAE_CASE} (PEM file from test/fixtures/certs) and a CAE insufficient_claims challenge`, async (t) => {
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  const subscriptionId = crypto.randomUUID();
  await t.emulator.addApp({ tenantId, clientId, certificates: [fixtureText("pem-pkcs8.leaf.pem")] });
  await arm.configure({ subscriptions: { [subscriptionId]: { tenantId, resourceGroups: [{ name: "rg-1", location: "westus" }] } } });
  ok(t.root, "the runtime has files");
  const credential = new t.lib.ClientCertificateCredential(tenantId, clientId, { certificatePath: `${t.root}/test/fixtures/certs/pem-pkcs8.pem` }, { authorityHost: t.emulatorUrl });
  const client = new ResourceManagementClient(credential, subscriptionId, { endpoint: targets.armUrl, credentialScopes: [ARM_SCOPE] });

  equal((await client.resourceGroups.get("rg-1")).location, "westus");
  const revokedAt = await arm.revoke();
  const rg = await measure(t, arm, ARM_CAE_CASE, "resourceGroups.get() after revocation", () => client.resourceGroups.get("rg-1"));
  equal(rg.name, "rg-1");

  const tokens = await t.emulator.requests();
  equal(tokens.length, 2);
  equal(tokens[0]!.clientAuth, "assertion");
  equal(tokens[1]!.clientAuth, "assertion");
  deepEqual(parsedClaims(tokens[1]), { access_token: { nbf: { essential: true, value: String(revokedAt) }, xms_cc: { values: ["cp1"] } } });
  const log = await arm.log();
  deepEqual(summary(log), ["GET valid 200", "GET refused 401 claims-challenge", "GET valid 200"]);
  checkToken(log[2], "https://management.azure.com", tenantId, "2");
});

test("arm: a token for the wrong audience is refused by the fake (InvalidAuthenticationTokenAudience) — the check is real", async (t) => {
  const tenantId = t.id("tenant");
  const subscriptionId = crypto.randomUUID();
  const app = await secretApp(t, [tenantId]);
  await arm.configure({ subscriptions: { [subscriptionId]: { tenantId, resourceGroups: [] } } });
  const credential = new t.lib.ClientSecretCredential(tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl });
  // Without credentialScopes the SDK derives the scope from the endpoint: a token for the fake's own URL.
  const client = new ResourceManagementClient(credential, subscriptionId, { endpoint: targets.armUrl });
  const error = await rejects(() => client.resourceGroups.get("rg-1"), { name: "RestError" });
  equal(error.statusCode, 401);
  equal(error.code, "InvalidAuthenticationTokenAudience");
  equal((await t.emulator.requests())[0]?.scope, `${targets.armUrl}/.default`);
  deepEqual(summary(await arm.log()), ["GET refused 401 bearer-challenge"]);
});

test("core-auth: an entra-edge credential typed as @azure/core-auth's TokenCredential answers the SDK's getToken options", async (t) => {
  const tenantId = t.id("tenant");
  const app = await secretApp(t, [tenantId]);
  const credential: TokenCredential = asTokenCredential(new t.lib.ClientSecretCredential(tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl }));
  const token = await getTokenLikeTheSdk(credential, [VAULT_SCOPE], {
    enableCae: true,
    tracingOptions: { tracingContext: undefined },
    requestOptions: { timeout: 10_000 },
    abortSignal: new AbortController().signal,
  });
  ok(token, "a token");
  equal(token!.tokenType, "Bearer");
  ok(token!.expiresOnTimestamp > Date.now() && (token!.refreshAfterTimestamp ?? 0) < token!.expiresOnTimestamp, "timestamps in ms");
  equal((await t.emulator.verifyAccessToken(token!.token)).aud, "https://vault.azure.net");
});

const PROD_CASE = "production URLs through a proxy";
test(`${PROD_CASE}: SecretClient at https://<name>.vault.azure.net (challenge resource verification on) and ResourceManagementClient at its default endpoint, only proxyOptions set`, async (t) => {
  const tenantId = t.id("tenant");
  const subscriptionId = crypto.randomUUID();
  const app = await secretApp(t, [tenantId]);
  await vault.configure({ tenantId });
  await arm.configure({ subscriptions: { [subscriptionId]: { tenantId, resourceGroups: [{ name: "rg-prod", location: "swedencentral" }] } } });
  const proxy = new URL(targets.proxyUrl);
  const proxyOptions = { host: `${proxy.protocol}//${proxy.hostname}`, port: Number(proxy.port) };
  const credential = new t.lib.ClientSecretCredential(tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl });

  const secrets = new SecretClient("https://contoso-kv.vault.azure.net", credential, { proxyOptions });
  await measure(t, vault, PROD_CASE, "setSecret (first call, via proxy)", () => secrets.setSecret("conn", "value-5"));
  const got = await measure(t, vault, PROD_CASE, "getSecret (via proxy)", () => secrets.getSecret("conn"));
  equal(got.value, "value-5");
  equal(got.properties.vaultUrl, "https://contoso-kv.vault.azure.net");
  const resources = new ResourceManagementClient(credential, subscriptionId, { proxyOptions });
  const rg = await measure(t, arm, PROD_CASE, "resourceGroups.get() (first call, via proxy)", () => resources.resourceGroups.get("rg-prod"));
  equal(rg.location, "swedencentral");

  const tokens = await t.emulator.requests();
  deepEqual(tokens.map((r) => r.scope), [VAULT_SCOPE, ARM_SCOPE], "one token per service, scopes as in production");
  deepEqual(summary(await vault.log()), ["PUT none 401 bearer-challenge", "PUT valid 200", "GET valid 200"]);
  deepEqual(summary(await arm.log()), ["GET valid 200"]);
});

test("keyVaultSigner over HTTPS: ClientCertificateCredential's assertions signed by Key Vault's sign operation (the HTTPS fake of test/support/key-vault-sign.ts, trusted through the test CA), RS256 and PS256", async (t) => {
  ok(targets.signKeyId && targets.signCertificate && targets.signTenant, "run.ts set the Key Vault sign fake's key id, certificate and tenant");
  const tenantId = targets.signTenant;
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, certificates: [targets.signCertificate] });
  const vault = await secretApp(t, [tenantId]);
  const vaultCredential = new t.lib.ClientSecretCredential(tenantId, vault.clientId, vault.secret, { authorityHost: t.emulatorUrl });
  for (const assertionAlgorithm of ["RS256", "PS256"] as const) {
    const sign = t.lib.keyVaultSigner({ keyId: targets.signKeyId, credential: vaultCredential });
    const credential = new t.lib.ClientCertificateCredential(tenantId, clientId, { certificate: targets.signCertificate, sign }, { authorityHost: t.emulatorUrl, assertionAlgorithm });
    const { token } = await credential.getToken(ARM_SCOPE);
    const claims = await t.emulator.verifyAccessToken(token);
    equal(claims.appid, clientId, assertionAlgorithm);
    equal(claims.appidacr, "2", "a certificate assertion");
    const assertion = (await t.emulator.requests()).filter((r) => r.clientId === clientId).at(-1)!.assertion!;
    equal(assertion.header.alg, assertionAlgorithm);
  }
});

