/**
 * How each library is set up against the emulator. The peers are only loaded on Node (they are
 * Node libraries); entra-edge is loaded from the module the orchestrator names for the runtime.
 * `CONFIGURATION` is printed with the results, so a reader knows what was compared.
 */
import type { CredentialKind, LibraryName, Target } from "./config.ts";

export interface BenchCredential {
  getToken(): Promise<{ token: string } | unknown>;
}

export type Factory = (kind: CredentialKind, target: Target, options?: { fetch?: typeof fetch }) => BenchCredential;

export const CONFIGURATION: Record<LibraryName, string> = {
  "entra-edge":
    "`new ClientSecretCredential(tenant, client, secret, { authorityHost })`; `new ClientCertificateCredential(tenant, client, { certificatePath, certificatePassword? })` for the PEM, PFX and legacy PFX files; no discovery (the token URL is built directly).",
  "@azure/identity":
    "`new ClientSecretCredential(tenant, client, secret, { authorityHost, disableInstanceDiscovery: true })`; `new ClientCertificateCredential(tenant, client, { certificatePath: pem }, { authorityHost, disableInstanceDiscovery: true })`. disableInstanceDiscovery makes MSAL trust the host (knownAuthorities) instead of asking login.microsoftonline.com (unreachable here); identity cannot be given authorityMetadata, so every new credential also GETs the tenant's openid-configuration. PFX: not supported (PEM only).",
  "@azure/msal-node":
    "`new ConfidentialClientApplication({ auth: { clientId, authority: host/tenant, knownAuthorities: [host], authorityMetadata: <the emulator's openid-configuration JSON>, clientSecret | clientCertificate: { thumbprintSha256, privateKey: <PEM key text> } } })`, `acquireTokenByClientCredential({ scopes })`: no discovery requests. PFX: not supported (PEM key + thumbprint only).",
};

/** entra-edge: the module is the runtime entry (built dist for Node/Bun, src/deno.ts for Deno). */
export async function entraEdge(entry: string): Promise<{ factory: Factory; module: Record<string, any> }> {
  const mod = (await import(entry)) as Record<string, any>;
  const factory: Factory = (kind, t, options) => {
    const common = { authorityHost: t.url, ...(options?.fetch ? { fetch: options.fetch } : {}) };
    let credential: { getToken(scopes: string): Promise<unknown> };
    switch (kind) {
      case "secret":
        credential = new mod.ClientSecretCredential(t.tenantId, t.clientId, t.secret, common);
        break;
      case "pem":
        credential = new mod.ClientCertificateCredential(t.tenantId, t.clientId, { certificatePath: t.pemPath }, common);
        break;
      case "pfx":
        credential = new mod.ClientCertificateCredential(t.tenantId, t.clientId, { certificatePath: t.pfxPath, certificatePassword: t.pfxPassword }, common);
        break;
      case "legacy-pfx":
        credential = new mod.ClientCertificateCredential(t.tenantId, t.clientId, { certificatePath: t.legacyPfxPath, certificatePassword: t.pfxPassword }, common);
        break;
    }
    return { getToken: () => credential.getToken(t.scope) };
  };
  return { factory, module: mod };
}

export async function azureIdentity(): Promise<Factory> {
  const identity = await import("@azure/identity");
  return (kind, t) => {
    const options = { authorityHost: t.url, disableInstanceDiscovery: true };
    let credential: { getToken(scopes: string): Promise<unknown> };
    if (kind === "secret") credential = new identity.ClientSecretCredential(t.tenantId, t.clientId, t.secret, options);
    else if (kind === "pem") credential = new identity.ClientCertificateCredential(t.tenantId, t.clientId, { certificatePath: t.pemPath }, options);
    else throw new Error("@azure/identity: PFX files are not supported");
    return { getToken: () => credential.getToken(t.scope) };
  };
}

export async function msalNode(): Promise<Factory> {
  const msal = await import("@azure/msal-node");
  return (kind, t) => {
    const auth: Record<string, unknown> = {
      clientId: t.clientId,
      authority: `${t.url}/${t.tenantId}`,
      knownAuthorities: [t.url],
      authorityMetadata: t.authorityMetadata,
    };
    if (kind === "secret") auth.clientSecret = t.secret;
    else if (kind === "pem") auth.clientCertificate = { thumbprintSha256: t.thumbprintSha256, privateKey: t.pemKey };
    else throw new Error("@azure/msal-node: PFX files are not supported");
    const app = new msal.ConfidentialClientApplication({ auth: auth as never });
    const request = { scopes: [t.scope] };
    return { getToken: () => app.acquireTokenByClientCredential(request) };
  };
}

export async function factoryFor(library: LibraryName, entry: string): Promise<Factory> {
  if (library === "entra-edge") return (await entraEdge(entry)).factory;
  if (library === "@azure/identity") return azureIdentity();
  return msalNode();
}
