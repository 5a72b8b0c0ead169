/**
 * entra-edge for Cloudflare Workers: every credential, with the environment from
 * `cloudflare:workers` (or the bindings object you pass); Workers have no files, so pass
 * certificate contents. Unlike the Node, Deno and Bun entries, the secret, certificate and
 * assertion credentials do not default to `AZURE_AUTHORITY_HOST` (a Worker has no process
 * environment): in a national cloud pass `authorityHost: env.AZURE_AUTHORITY_HOST`.
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential, EnvironmentCredential } from "entra-edge";
 *
 * export default {
 *   async fetch(request: Request, env: Env) {
 *     const credential = new ClientCertificateCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, {
 *       certificate: env.AZURE_CLIENT_CERTIFICATE, // a base64 PFX kept with `wrangler secret put`
 *       certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD,
 *     });
 *     const { token } = await credential.getToken("https://graph.microsoft.com/.default");
 *     return new Response("ok");
 *   },
 * };
 * ```
 *
 * @module
 */
import { parseCertificateWith } from "./certificate/parse.ts";
import { ClientCertificateCredential as CertificateCredential } from "./credentials/client-certificate.ts";
import { EnvironmentCredential as Environment } from "./credentials/environment.ts";
import { WorkloadIdentityCredential as WorkloadIdentity } from "./credentials/workload-identity.ts";
import { githubActionsAssertionWith } from "./assertions/github-actions.ts";
import { workerdFederationRuntime, workerdRuntime } from "./runtime/workerd/adapter.ts";
import type { AssertionContext, GitHubActionsAssertionOptions, ParseCertificateSource, ParsedCertificate } from "./types.ts";

export * from "./core.ts";

/**
 * Authenticates an app registration with its certificate inside a Worker. Workers have no file
 * system, so pass the contents — a base64 PFX or PEM text kept in a secret (`wrangler secret
 * put`), or the bytes of either; a path is a `CredentialUnavailableError` that says so. PKCS#12
 * files of every common kind are read (OpenSSL 3, legacy 3DES/RC2, Windows, Java keytool), without
 * `nodejs_compat`. The key is loaded once per isolate, on first use, as a non-extractable
 * `CryptoKey`.
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential } from "entra-edge";
 *
 * export default {
 *   async fetch(request: Request, env: { TENANT: string; CLIENT: string; PFX: string; PFX_PASSWORD: string }) {
 *     const credential = new ClientCertificateCredential(env.TENANT, env.CLIENT, { certificate: env.PFX, certificatePassword: env.PFX_PASSWORD });
 *     const { token } = await credential.getToken("https://graph.microsoft.com/.default");
 *     return fetch("https://graph.microsoft.com/v1.0/applications", { headers: { authorization: `Bearer ${token}` } });
 *   },
 * };
 * ```
 */
export class ClientCertificateCredential extends CertificateCredential {
  /** @internal */ protected static override runtime = workerdRuntime;
  /** The public name, also in minified bundles. */ static override get name(): string { return "ClientCertificateCredential"; }
}

/**
 * Authenticates with what the Worker's bindings configure — read from `cloudflare:workers`'
 * `env`, or from the object you pass as `{ env }` — with the variable names of
 * `@azure/identity`: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, then `AZURE_CLIENT_SECRET` or
 * `AZURE_CLIENT_CERTIFICATE` (a base64 PFX or PEM secret; `AZURE_CLIENT_CERTIFICATE_PATH` cannot
 * work in a Worker). Non-string bindings (KV, queues) are ignored. When the configuration is
 * incomplete, `getToken` rejects with a `CredentialUnavailableError` naming the missing variables.
 *
 * @example
 * ```ts
 * import { EnvironmentCredential } from "entra-edge";
 *
 * export default {
 *   async fetch(request: Request, env: Record<string, string>) {
 *     const { token } = await new EnvironmentCredential({ env }).getToken("https://management.azure.com/.default");
 *     return new Response(token ? "ok" : "no token");
 *   },
 * };
 * ```
 */
export class EnvironmentCredential extends Environment {
  /** @internal */ protected static override runtime = workerdRuntime;
  /** The public name, also in minified bundles. */ static override get name(): string { return "EnvironmentCredential"; }
}

/**
 * Loads a certificate the way {@link ClientCertificateCredential} does and describes it:
 * thumbprints (hex as the Entra portal shows them, base64url as sent in `x5t`), subject, validity,
 * chain and a non-extractable private key. Workers have no files: pass the contents (a path is a
 * `CredentialUnavailableError`).
 *
 * @param password Wins over a `certificatePassword` inside `source`.
 * @throws CertificateError with a `code` when the input cannot be used.
 *
 * @example
 * ```ts
 * import { parseCertificate } from "entra-edge";
 *
 * const cert = await parseCertificate({ certificate: env.AZURE_CLIENT_CERTIFICATE, certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD });
 * console.log(cert.sha1Thumbprint, cert.notAfter.toISOString());
 * ```
 */
export function parseCertificate(source: ParseCertificateSource, password?: string): Promise<ParsedCertificate> { return parseCertificateWith(workerdRuntime, source, password); }

/**
 * Workload identity federation inside a Worker. Workers have no files, so a token file
 * (`tokenFilePath` / `AZURE_FEDERATED_TOKEN_FILE`) is a `CredentialUnavailableError` that says
 * so: pass `getAssertion`, a function returning the federated token (from your issuer, a binding,
 * a service). `tenantId` / `clientId` default to the `AZURE_TENANT_ID` / `AZURE_CLIENT_ID`
 * bindings (`cloudflare:workers`' `env`, or `{ env }`).
 *
 * @example
 * ```ts
 * import { WorkloadIdentityCredential } from "entra-edge";
 *
 * export default {
 *   async fetch(request: Request, env: { AZURE_TENANT_ID: string; AZURE_CLIENT_ID: string; ISSUER: { fetch(url: string): Promise<Response> } }) {
 *     const credential = new WorkloadIdentityCredential({
 *       env,
 *       getAssertion: async () => (await env.ISSUER.fetch("https://issuer/token")).text(),
 *     });
 *     const { token } = await credential.getToken("https://storage.azure.com/.default");
 *     return new Response(token ? "ok" : "no token");
 *   },
 * };
 * ```
 */
export class WorkloadIdentityCredential extends WorkloadIdentity {
  /** @internal */ protected static override runtime = workerdFederationRuntime;
  /** The public name, also in minified bundles. */ static override get name(): string { return "WorkloadIdentityCredential"; }
}

/**
 * The GitHub Actions token source of {@link ClientAssertionCredential}, reading
 * `ACTIONS_ID_TOKEN_REQUEST_URL` / `ACTIONS_ID_TOKEN_REQUEST_TOKEN` from the Worker's bindings (or
 * `{ env }`). GitHub Actions jobs do not run in Workers: this is for a Worker that is handed a
 * job's request URL and token.
 *
 * @example
 * ```ts
 * import { ClientAssertionCredential, githubActionsAssertion } from "entra-edge";
 *
 * export default {
 *   // The job posts its ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN as JSON { url, requestToken }.
 *   async fetch(request: Request, env: { AZURE_TENANT_ID: string; AZURE_CLIENT_ID: string }) {
 *     const { url, requestToken } = (await request.json()) as { url: string; requestToken: string };
 *     if (!new URL(url).hostname.endsWith(".actions.githubusercontent.com")) return new Response("not a GitHub Actions URL", { status: 400 });
 *     const getAssertion = githubActionsAssertion({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken } });
 *     const credential = new ClientAssertionCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, getAssertion);
 *     const { token } = await credential.getToken("https://management.azure.com/.default");
 *     return new Response(token ? "ok" : "no token");
 *   },
 * };
 * ```
 */
export function githubActionsAssertion(options?: GitHubActionsAssertionOptions): (context?: AssertionContext) => Promise<string> { return githubActionsAssertionWith(workerdRuntime, options); }
