/**
 * entra-edge for Deno and Deno Deploy: every credential, with certificate paths read through
 * Deno.readFile (needs --allow-read) and the environment from Deno.env (needs --allow-env).
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential, EnvironmentCredential } from "entra-edge";
 *
 * const fromFile = new ClientCertificateCredential(tenantId, clientId, "./certs/app.pem"); // --allow-read
 * const fromEnv = new EnvironmentCredential(); // --allow-env
 * ```
 *
 * @module
 */
import { parseCertificateWith } from "./certificate/parse.ts";
import { ClientCertificateCredential as CertificateCredential } from "./credentials/client-certificate.ts";
import { EnvironmentCredential as Environment } from "./credentials/environment.ts";
import { WorkloadIdentityCredential as WorkloadIdentity } from "./credentials/workload-identity.ts";
import { githubActionsAssertionWith } from "./assertions/github-actions.ts";
import { denoRuntime } from "./runtime/deno/adapter.ts";
import type { AssertionContext, GitHubActionsAssertionOptions, ParseCertificateSource, ParsedCertificate } from "./types.ts";

export * from "./core.ts";

/**
 * Authenticates an app registration with its certificate — PEM (PKCS#8, PKCS#1, encrypted
 * PKCS#8) or PKCS#12/PFX (OpenSSL 3, legacy 3DES/RC2, Windows, Java keytool) — read from a file
 * with `Deno.readFile`, or given as text, base64 or bytes. A path needs `--allow-read` (for that
 * file): without it, `getToken` rejects with a `CredentialUnavailableError` naming the flag. On
 * Deno Deploy, pass the contents (a base64 PFX or PEM kept in an environment variable). The key is
 * loaded once, on first use, as a non-extractable `CryptoKey`.
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential } from "jsr:@entra-edge/entra-edge";
 *
 * // deno run --allow-read=./certs --allow-net=login.microsoftonline.com app.ts
 * const credential = new ClientCertificateCredential(tenantId, clientId, "./certs/app.pem");
 * const { token } = await credential.getToken("https://graph.microsoft.com/.default");
 * ```
 */
export class ClientCertificateCredential extends CertificateCredential {
  /** @internal */ protected static override runtime = denoRuntime;
  /** The public name, also in minified bundles. */ static override get name(): string { return "ClientCertificateCredential"; }
}

/**
 * Authenticates with what `Deno.env` configures (`--allow-env`, or `--allow-env=AZURE_TENANT_ID,…`
 * for just those), with the variable names of `@azure/identity`: `AZURE_TENANT_ID`,
 * `AZURE_CLIENT_ID`, then `AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PATH` (needs
 * `--allow-read`) or `AZURE_CLIENT_CERTIFICATE` (inline PEM or base64 PFX, for Deno Deploy). Pass
 * `{ env }` to read another object instead, which needs no permission. A missing permission or
 * variable makes `getToken` reject with a `CredentialUnavailableError` that names it.
 *
 * @example
 * ```ts
 * import { EnvironmentCredential } from "jsr:@entra-edge/entra-edge";
 *
 * // deno run --allow-env --allow-net=login.microsoftonline.com app.ts
 * const { token } = await new EnvironmentCredential().getToken("https://management.azure.com/.default");
 * ```
 */
export class EnvironmentCredential extends Environment {
  /** @internal */ protected static override runtime = denoRuntime;
  /** The public name, also in minified bundles. */ static override get name(): string { return "EnvironmentCredential"; }
}

/**
 * Loads a certificate the way {@link ClientCertificateCredential} does — a path read with
 * `Deno.readFile`, which needs `--allow-read` — and describes it: thumbprints (hex as the Entra
 * portal shows them, base64url as sent in `x5t`), subject, validity, chain and a non-extractable
 * private key. Use it to check the configuration at start-up.
 *
 * @param password Wins over a `certificatePassword` inside `source`.
 * @throws CertificateError with a `code` when the input cannot be used; CredentialUnavailableError
 *   naming `--allow-read` when a path may not be read.
 *
 * @example
 * ```ts
 * import { parseCertificate } from "jsr:@entra-edge/entra-edge";
 *
 * const cert = await parseCertificate({ certificate: Deno.env.get("AZURE_CLIENT_CERTIFICATE")! });
 * console.log(cert.sha1Thumbprint, cert.notAfter.toISOString());
 * ```
 */
export function parseCertificate(source: ParseCertificateSource, password?: string): Promise<ParsedCertificate> { return parseCertificateWith(denoRuntime, source, password); }

/**
 * Workload identity federation on Deno, with the options and variables of `@azure/identity`:
 * `tenantId` / `AZURE_TENANT_ID`, `clientId` / `AZURE_CLIENT_ID`, `tokenFilePath` /
 * `AZURE_FEDERATED_TOKEN_FILE`, `authorityHost` / `AZURE_AUTHORITY_HOST` — the token file read with `Deno.readFile` (needs `--allow-read` for it), the variables from `Deno.env` (`--allow-env`). The file is
 * read again for every token request (Kubernetes rotates it). A missing variable or file is a
 * `CredentialUnavailableError` naming it; a stale file is AADSTS700024 with a hint about rotation.
 *
 * @example
 * ```ts
 * import { WorkloadIdentityCredential } from "entra-edge";
 *
 * // AKS: the workload identity webhook sets the AZURE_* variables and projects the token file
 * const credential = new WorkloadIdentityCredential();
 * const { token } = await credential.getToken("https://storage.azure.com/.default");
 * ```
 */
export class WorkloadIdentityCredential extends WorkloadIdentity {
  /** @internal */ protected static override runtime = denoRuntime;
  /** The public name, also in minified bundles. */ static override get name(): string { return "WorkloadIdentityCredential"; }
}

/**
 * A token source for {@link ClientAssertionCredential} in a GitHub Actions job: the job's OIDC ID
 * token, requested from `ACTIONS_ID_TOKEN_REQUEST_URL` with `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (read
 * from the Deno environment; the job needs `permissions: id-token: write`) for the federated
 * credential's audience — by default the authority host's cloud's (`api://AzureADTokenExchange`,
 * `…USGov`, `…China`) — and kept until a minute before its `exp`.
 *
 * @example
 * ```ts
 * import { ClientAssertionCredential, githubActionsAssertion } from "entra-edge";
 *
 * const credential = new ClientAssertionCredential(tenantId, clientId, githubActionsAssertion());
 * const { token } = await credential.getToken("https://management.azure.com/.default");
 * ```
 */
export function githubActionsAssertion(options?: GitHubActionsAssertionOptions): (context?: AssertionContext) => Promise<string> { return githubActionsAssertionWith(denoRuntime, options); }
