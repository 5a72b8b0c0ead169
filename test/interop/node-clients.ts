/**
 * msal-node and @azure/identity (real, from npm) against `entra-edge emulator --tls`, in a Node
 * process that trusts the emulator's throwaway CA the way users do: NODE_EXTRA_CA_CERTS, set when
 * the process starts. test/tooling/real-clients.test.ts starts the CLI and runs this file with
 * the variables it printed, plus the certificate files. Prints one JSON line per case and a
 * `RESULT` line.
 *
 *   NODE_EXTRA_CA_CERTS=<ca.pem> AZURE_AUTHORITY_HOST=https://127.0.0.1:<port> … node --import tsx test/interop/node-clients.ts
 */
import { readFileSync } from "node:fs";
import { ClientCertificateCredential, ClientSecretCredential, EnvironmentCredential } from "@azure/identity";
import { ConfidentialClientApplication } from "@azure/msal-node";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const host = env("AZURE_AUTHORITY_HOST");
const tenant = env("AZURE_TENANT_ID");
const scope = "https://graph.microsoft.com/.default";
const authority = `${host}/${tenant}`;
const cert = { clientId: env("CERT_CLIENT_ID"), pem: readFileSync(env("CERT_PEM"), "utf8"), sha256: env("CERT_SHA256") };
const expired = { clientId: env("EXPIRED_CLIENT_ID"), pem: readFileSync(env("EXPIRED_PEM"), "utf8"), sha256: env("EXPIRED_SHA256") };

let failed = 0;
async function run(name: string, fn: () => Promise<Record<string, unknown>>): Promise<void> {
  try {
    console.log(JSON.stringify({ case: name, ...(await fn()) }));
  } catch (e) {
    failed++;
    console.log(JSON.stringify({ case: name, thrown: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 600) : String(e) }));
  }
}

/** An error's AADSTS codes, as the client reports them. */
function codes(e: unknown): Record<string, unknown> {
  const err = e as { errorCode?: string; errorMessage?: string; message?: string; name?: string };
  const text = `${err.errorMessage ?? ""} ${err.message ?? ""}`;
  return { ok: false, name: err.name, errorCode: err.errorCode, aadsts: [...new Set(text.match(/AADSTS\d+/g) ?? [])], keyExpired: /The key used is expired/.test(text) };
}

async function refused(fn: () => Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await fn();
    return { ok: true };
  } catch (e) {
    return codes(e);
  }
}

const keyOf = (pem: string) => pem.slice(pem.indexOf("-----BEGIN PRIVATE KEY-----"));
const certOf = (pem: string) => pem.slice(0, pem.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length);
const knownAuthorities = [new URL(host).host];

await run("msal-node: client secret", async () => {
  const app = new ConfidentialClientApplication({ auth: { clientId: env("AZURE_CLIENT_ID"), clientSecret: env("AZURE_CLIENT_SECRET"), authority, knownAuthorities } });
  const result = await app.acquireTokenByClientCredential({ scopes: [scope] });
  return { ok: !!result?.accessToken, token: result?.accessToken };
});
await run("msal-node: client secret, cloudDiscoveryMetadata from the emulator's /common/discovery/instance", async () => {
  const discovery = await (await fetch(`${host}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${authority}/oauth2/v2.0/authorize`)}`)).text();
  const app = new ConfidentialClientApplication({ auth: { clientId: env("AZURE_CLIENT_ID"), clientSecret: env("AZURE_CLIENT_SECRET"), authority, cloudDiscoveryMetadata: discovery } });
  const result = await app.acquireTokenByClientCredential({ scopes: [scope] });
  return { ok: !!result?.accessToken, token: result?.accessToken };
});
await run("msal-node: wrong client secret", () =>
  refused(() => new ConfidentialClientApplication({ auth: { clientId: env("AZURE_CLIENT_ID"), clientSecret: "not-the-secret", authority, knownAuthorities } }).acquireTokenByClientCredential({ scopes: [scope] })),
);
await run("msal-node: certificate (PS256, x5t#S256) with x5c", async () => {
  const app = new ConfidentialClientApplication({ auth: { clientId: cert.clientId, authority, knownAuthorities, clientCertificate: { thumbprintSha256: cert.sha256, privateKey: keyOf(cert.pem), x5c: certOf(cert.pem) } } });
  const result = await app.acquireTokenByClientCredential({ scopes: [scope] });
  return { ok: !!result?.accessToken, token: result?.accessToken };
});
await run("msal-node: expired certificate", () =>
  refused(() =>
    new ConfidentialClientApplication({ auth: { clientId: expired.clientId, authority, knownAuthorities, clientCertificate: { thumbprintSha256: expired.sha256, privateKey: keyOf(expired.pem) } } }).acquireTokenByClientCredential({ scopes: [scope] }),
  ),
);
await run("@azure/identity: EnvironmentCredential with the AZURE_* lines the emulator printed (the README's lines)", async () => {
  // README:begin
  // AZURE_AUTHORITY_HOST, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET as the emulator printed them,
  // and NODE_EXTRA_CA_CERTS=<the CA file it printed>, set before node starts.
  const credential = new EnvironmentCredential({ disableInstanceDiscovery: true }); // the emulator is not a Microsoft cloud
  const { token } = await credential.getToken("https://graph.microsoft.com/.default");
  // README:end
  return { ok: !!token, token };
});
await run("@azure/identity: ClientSecretCredential", async () => {
  const token = await new ClientSecretCredential(tenant, env("AZURE_CLIENT_ID"), env("AZURE_CLIENT_SECRET"), { authorityHost: host, disableInstanceDiscovery: true }).getToken(scope);
  return { ok: !!token?.token, token: token?.token };
});
await run("@azure/identity: ClientSecretCredential, wrong secret", () =>
  refused(() => new ClientSecretCredential(tenant, env("AZURE_CLIENT_ID"), "not-the-secret", { authorityHost: host, disableInstanceDiscovery: true }).getToken(scope)),
);
await run("@azure/identity: ClientCertificateCredential with sendCertificateChain", async () => {
  const token = await new ClientCertificateCredential(tenant, cert.clientId, { certificatePath: env("CERT_PEM") }, { authorityHost: host, disableInstanceDiscovery: true, sendCertificateChain: true }).getToken(scope);
  return { ok: !!token?.token, token: token?.token };
});
await run("@azure/identity: ClientCertificateCredential, expired certificate", () =>
  refused(() => new ClientCertificateCredential(tenant, expired.clientId, { certificatePath: env("EXPIRED_PEM") }, { authorityHost: host, disableInstanceDiscovery: true }).getToken(scope)),
);
console.log(`RESULT ${JSON.stringify({ failed })}`);
process.exit(0);
