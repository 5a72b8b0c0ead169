/**
 * AZURE_AUTHORITY_HOST as the default authority of every credential of the runtime entries (Node,
 * Deno, Bun), as in @azure/identity and Python's azure-identity: used when neither `authorityHost`
 * nor `authority` is given, read once at construction, held to `authorityHost`'s rules with errors
 * that name the variable. Workers (no process environment) and `entra-edge/core` (no adapter) keep
 * the public cloud. The runners put AZURE_AUTHORITY_HOST = the emulator's URL in the runtime's own
 * environment (test/support/env-app.ts); tests that change it put it back.
 */
import * as core from "../src/core.ts";
import { withAuthorityHostFromEnvironment } from "../src/token/authority.ts";
import type { AccessToken, AssertionContext, CertificateSource, ClientCertificateCredentialOptions, CredentialOptions, FetchLike } from "../src/types.ts";
import { deepEqual, equal, match, notIncludes, ok, throws } from "./assert.ts";
import { test, type RuntimeLib, type TestContext } from "./harness.ts";
import { fixture, fixtureText } from "./support/fixtures.ts";
import { ARM, everyText, tokenRequests } from "./support/helpers.ts";

const VARIABLE = "AZURE_AUTHORITY_HOST";
const PUBLIC = "https://login.microsoftonline.com";
const US_GOV = "https://login.microsoftonline.us";
const PEM = fixture("pem-pkcs8");

/** The runtime entries that read the process environment (Workers: bindings only, not read). */
const readsEnvironment = (t: TestContext) => t.runtime !== "workerd";

/**
 * A transport that records every URL: the emulator's are forwarded to it (a real token), any other
 * host gets a made-up token without a request leaving the process.
 */
function recording(t: TestContext): { fetch: FetchLike; urls: string[] } {
  const urls: string[] = [];
  const fetch: FetchLike = (url, init) => {
    urls.push(url);
    if (url.startsWith(`${t.emulatorUrl}/`)) return globalThis.fetch(url, init);
    return Promise.resolve(Response.json({ token_type: "Bearer", expires_in: 3600, access_token: `made-up-for-${new URL(url).host}` }));
  };
  return { fetch, urls };
}

/**
 * The runtime entry and its environment (process.env, Deno.env, Bun.env). A Worker has no process
 * environment (its entry reads none): there, the core's credentials bound to an in-memory variable
 * through the same rules the entries call ({@link withAuthorityHostFromEnvironment}), so the rules
 * are checked in workerd's engine too.
 */
function environment(t: TestContext): { lib: RuntimeLib; env: NonNullable<TestContext["env"]> } {
  if (t.env) return { lib: t.lib, env: t.env };
  const variables = new Map<string, string>([[VARIABLE, t.emulatorUrl]]);
  const adapter = { name: "a test", variable: (name: string) => variables.get(name) };
  const lib = {
    ...core,
    ClientSecretCredential: class extends core.ClientSecretCredential {
      constructor(tenantId: string, clientId: string, secret: string, options?: CredentialOptions) {
        super(tenantId, clientId, secret, withAuthorityHostFromEnvironment(adapter, "ClientSecretCredential", tenantId, options));
      }
    },
    ClientCertificateCredential: class extends core.ClientCertificateCredential {
      constructor(tenantId: string, clientId: string, source: CertificateSource, options?: ClientCertificateCredentialOptions) {
        super(tenantId, clientId, source, withAuthorityHostFromEnvironment(adapter, "ClientCertificateCredential", tenantId, options));
      }
    },
    ClientAssertionCredential: class extends core.ClientAssertionCredential {
      constructor(tenantId: string, clientId: string, getAssertion: (context: AssertionContext) => Promise<string> | string, options?: CredentialOptions) {
        super(tenantId, clientId, getAssertion, withAuthorityHostFromEnvironment(adapter, "ClientAssertionCredential", tenantId, options));
      }
    },
  };
  return { lib, env: { get: (name) => variables.get(name), set: (name, value) => void variables.set(name, value) } };
}

/** Sets AZURE_AUTHORITY_HOST in `env` for the rest of the test. */
function setVariable(t: TestContext, env: NonNullable<TestContext["env"]>, value: string): void {
  const before = env.get(VARIABLE);
  env.set(VARIABLE, value);
  t.cleanup(() => env.set(VARIABLE, before ?? ""));
}

interface Apps {
  tenantId: string;
  secret: { clientId: string; secret: string };
  certificate: { clientId: string };
  assertion: { clientId: string; issuer: string };
}

/** One app of each kind in one tenant of the emulator. */
async function apps(t: TestContext): Promise<Apps> {
  const tenantId = t.id("tenant");
  const secret = { clientId: t.id("secret-app"), secret: `authority-env-secret-${t.id("s")}` };
  const certificate = { clientId: t.id("cert-app") };
  const issuer = t.id("issuer");
  const assertion = { clientId: t.id("assertion-app"), issuer };
  await t.emulator.addApp({ tenantId, clientId: secret.clientId, secrets: [secret.secret] });
  await t.emulator.addApp({ tenantId, clientId: certificate.clientId, certificates: [fixtureText(PEM.leaf!)] });
  await t.emulator.addApp({ tenantId, clientId: assertion.clientId, federatedCredentials: [{ issuer: await t.emulator.issuerUrl(issuer), subject: "workload" }] });
  return { tenantId, secret, certificate, assertion };
}

const NAMES = ["ClientSecretCredential", "ClientCertificateCredential", "ClientAssertionCredential"] as const;

/** The three credentials of `lib` for `apps`, with these options; `hosts` collects what getAssertion was told. */
function credentials(t: TestContext, lib: RuntimeLib, a: Apps, options: CredentialOptions, hosts: string[] = []) {
  return {
    ClientSecretCredential: () => new lib.ClientSecretCredential(a.tenantId, a.secret.clientId, a.secret.secret, options),
    ClientCertificateCredential: () => new lib.ClientCertificateCredential(a.tenantId, a.certificate.clientId, { certificate: fixtureText(PEM.file) }, options),
    ClientAssertionCredential: () =>
      new lib.ClientAssertionCredential(
        a.tenantId,
        a.assertion.clientId,
        async (context) => {
          hosts.push(context.authorityHost);
          return t.emulator.issueExternalToken({ issuer: a.assertion.issuer, subject: "workload" });
        },
        options,
      ),
  };
}

test("authority env: with neither authorityHost nor authority, the secret, certificate and assertion credentials send their token request to AZURE_AUTHORITY_HOST (Node, Deno, Bun); Workers and entra-edge/core to the public cloud", async (t) => {
  const a = await apps(t);
  for (const [entry, lib] of [["runtime entry", t.lib], ["entra-edge/core", core]] as const) {
    const toVariable = entry === "runtime entry" && readsEnvironment(t);
    const hosts: string[] = [];
    for (const name of NAMES) {
      const { fetch, urls } = recording(t);
      const made = credentials(t, lib, a, { fetch }, hosts)[name]();
      const token: AccessToken = await made.getToken(ARM);
      deepEqual(urls, [`${toVariable ? t.emulatorUrl : PUBLIC}/${a.tenantId}/oauth2/v2.0/token`], `${entry} ${name} on ${t.runtime}`);
      if (toVariable) {
        const claims = await t.emulator.verifyAccessToken(token.token);
        equal(claims.tid, a.tenantId, `${name}: the emulator named by AZURE_AUTHORITY_HOST issued the token`);
      } else {
        equal(token.token, `made-up-for-${new URL(PUBLIC).host}`);
      }
    }
    deepEqual(hosts, [toVariable ? t.emulatorUrl : PUBLIC], `${entry}: getAssertion is told the authority host`);
  }
});

test("authority env: an authorityHost or authority option wins over AZURE_AUTHORITY_HOST, on every credential", async (t) => {
  const a = await apps(t);
  const { lib } = environment(t);
  for (const option of [{ authorityHost: US_GOV }, { authority: `https://login.chinacloudapi.cn/${a.tenantId}` }, { authorityHost: "login.sovcloud-identity.fr" }]) {
    const expected = `${"authorityHost" in option ? new URL(option.authorityHost!.includes("://") ? option.authorityHost! : `https://${option.authorityHost}`).origin : "https://login.chinacloudapi.cn"}/${a.tenantId}/oauth2/v2.0/token`;
    const hosts: string[] = [];
    for (const name of NAMES) {
      const { fetch, urls } = recording(t);
      await credentials(t, lib, a, { ...option, fetch }, hosts)[name]().getToken(ARM);
      deepEqual(urls, [expected], `${name} with ${JSON.stringify(option)}`);
    }
    equal(hosts[0], expected.slice(0, expected.indexOf(`/${a.tenantId}/`)));
  }
  equal(await tokenRequests(t), 0, "nothing went to the emulator that AZURE_AUTHORITY_HOST names");
});

test("authority env: AZURE_AUTHORITY_HOST is read once, at construction (a credential made before a change keeps its authority; getToken reads nothing)", async (t) => {
  const a = await apps(t);
  const { lib, env } = environment(t);
  const { fetch, urls } = recording(t);
  const made = NAMES.map((name) => credentials(t, lib, a, { fetch })[name]());
  setVariable(t, env, US_GOV);
  for (const credential of made) await credential.getToken(ARM);
  for (const name of NAMES) await credentials(t, lib, a, { fetch })[name]().getToken(ARM);
  deepEqual(
    urls.map((u) => new URL(u).origin),
    [...made.map(() => t.emulatorUrl), US_GOV, US_GOV, US_GOV],
  );
});

test("authority env: a value authorityHost's rules refuse is a TypeError from the constructor that names AZURE_AUTHORITY_HOST, not the option, and says what to do — every credential; an option makes it unused", async (t) => {
  const a = await apps(t);
  const { lib, env } = environment(t);
  const cases: [string, RegExp][] = [
    ["http://login.example.com", /the environment variable AZURE_AUTHORITY_HOST must be an https: URL \(or a bare host\) without credentials, query or fragment/],
    ["https://user:authority-env-password-sentinel@login.microsoftonline.us", /AZURE_AUTHORITY_HOST must be an https: URL .*without credentials/],
    [`${US_GOV}/?tenant=x`, /AZURE_AUTHORITY_HOST must be an https: URL .*query/],
    ["ftp://login.microsoftonline.us", /AZURE_AUTHORITY_HOST must be an https: URL/],
    ["not a host at all", /AZURE_AUTHORITY_HOST must be an https: URL/],
    [`${US_GOV}/another-tenant`, /the environment variable AZURE_AUTHORITY_HOST ends in "another-tenant", not tenantId "[^"]+" \(the last path segment is the tenant\): give "https:\/\/login\.microsoftonline\.us" or/],
    [`${US_GOV}/${a.tenantId}/${a.tenantId}`, /the environment variable AZURE_AUTHORITY_HOST names the tenant twice/],
  ];
  const { fetch, urls } = recording(t);
  for (const [value, message] of cases) {
    setVariable(t, env, value);
    for (const name of NAMES) {
      const e = throws(credentials(t, lib, a, { fetch })[name], { name: "TypeError" });
      match(e.message, new RegExp(`^${name}: `));
      match(e.message, message, `${name} with AZURE_AUTHORITY_HOST=${value}`);
      match(e.message, /correct or unset AZURE_AUTHORITY_HOST, or pass authorityHost/, "says what to do");
      ok(!/^\w+: (authorityHost|authority) /.test(e.message), `names the variable, not the option: ${e.message}`);
      notIncludes(everyText(e), "authority-env-password-sentinel");
      // An option wins: the variable is not used, so not refused.
      await credentials(t, lib, a, { fetch, authorityHost: US_GOV })[name]().getToken(ARM);
      await credentials(t, lib, a, { fetch, authority: `${US_GOV}/${a.tenantId}` })[name]().getToken(ARM);
      // entra-edge/core does not read it.
      await credentials(t, core, a, { fetch })[name]().getToken(ARM);
    }
  }
  ok(urls.every((u) => u.startsWith(`${US_GOV}/`) || u.startsWith(`${PUBLIC}/`)), "only the options' host and the core's default were called");
  equal(await tokenRequests(t), 0);
});

test("authority env: AZURE_AUTHORITY_HOST blank is unset, is trimmed (a trailing newline), may be a bare host, or the authority ending in the credential's tenant (the token URL holds it once; a gateway's prefix is kept)", async (t) => {
  const a = await apps(t);
  const { lib, env } = environment(t);
  const cases: [string, string][] = [
    ["   ", PUBLIC],
    [`${US_GOV}\n`, US_GOV],
    ["login.chinacloudapi.cn", "https://login.chinacloudapi.cn"],
    [`${US_GOV}/${a.tenantId}/`, US_GOV],
    [`https://gateway.example.com/entra/${a.tenantId}`, "https://gateway.example.com/entra"],
  ];
  for (const [value, authority] of cases) {
    setVariable(t, env, value);
    for (const name of NAMES) {
      const { fetch, urls } = recording(t);
      await credentials(t, lib, a, { fetch })[name]().getToken(ARM);
      deepEqual(urls, [`${authority}/${a.tenantId}/oauth2/v2.0/token`], `${name} with AZURE_AUTHORITY_HOST=${JSON.stringify(value)}`);
    }
  }
});

test("authority env: the options given with AZURE_AUTHORITY_HOST set are checked as given: a key inherited through their prototype is still refused, a typo still named", async (t) => {
  const a = await apps(t);
  const { lib } = environment(t);
  const { fetch } = recording(t);
  for (const name of NAMES) {
    const inherited = Object.assign(Object.create({ retryOptions: { maxRetries: 0 } }) as CredentialOptions, { fetch });
    throws(() => credentials(t, lib, a, inherited)[name](), { name: "TypeError", message: /option "retryOptions" is inherited, not the object's own/ });
    throws(() => credentials(t, lib, a, { fetch, authorityhost: US_GOV } as CredentialOptions)[name](), { name: "TypeError", message: /unknown: did you mean "authorityHost"\?/ });
    // not a plain object: refused as it is, not copied into one that would pass (review 8, D1)
    for (const bad of [[], ["x"], new Date(), new Error("x"), /x/, new Uint8Array(0), new Map()]) {
      throws(() => credentials(t, lib, a, bad as CredentialOptions)[name](), { name: "TypeError", message: /: options must be a plain object \(\{ … \}\)\.$/ }, `${name} with ${Object.prototype.toString.call(bad)}`);
    }
  }
  equal(await tokenRequests(t), 0);
});

test("authority env: EnvironmentCredential with { env } reads that object only, and WorkloadIdentityCredential its own variables, as before", async (t) => {
  const a = await apps(t);
  const { fetch, urls } = recording(t);
  const env = { AZURE_TENANT_ID: a.tenantId, AZURE_CLIENT_ID: a.secret.clientId, AZURE_CLIENT_SECRET: a.secret.secret };
  await new t.lib.EnvironmentCredential({ env, fetch }).getToken(ARM);
  await new t.lib.EnvironmentCredential({ env: { ...env, AZURE_CLIENT_SECRET: undefined, AZURE_CLIENT_CERTIFICATE: fixtureText(PEM.file), AZURE_CLIENT_ID: a.certificate.clientId }, fetch }).getToken(ARM);
  await new t.lib.EnvironmentCredential({ env: { ...env, AZURE_AUTHORITY_HOST: US_GOV }, fetch }).getToken(ARM);
  const assertion = () => t.emulator.issueExternalToken({ issuer: a.assertion.issuer, subject: "workload" });
  await new t.lib.WorkloadIdentityCredential({ tenantId: a.tenantId, clientId: a.assertion.clientId, getAssertion: assertion, env: {}, fetch }).getToken(ARM);
  deepEqual(
    urls.map((u) => new URL(u).origin),
    [PUBLIC, PUBLIC, US_GOV, PUBLIC],
  );
});
