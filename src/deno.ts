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
import { ClientAssertionCredential as AssertionCredential } from "./credentials/client-assertion.ts";
import { ClientCertificateCredential as CertificateCredential } from "./credentials/client-certificate.ts";
import { ClientSecretCredential as SecretCredential } from "./credentials/client-secret.ts";
import { EnvironmentCredential as Environment } from "./credentials/environment.ts";
import { WorkloadIdentityCredential as WorkloadIdentity } from "./credentials/workload-identity.ts";
import { githubActionsAssertionWith } from "./assertions/github-actions.ts";
import { withAuthorityHostFromEnvironment as authorityHostFromEnvironment } from "./token/authority.ts";
import { denoRuntime } from "./runtime/deno/adapter.ts";
import type { AssertionContext, CertificateSource, ClientCertificateCredentialOptions, CredentialOptions, GitHubActionsAssertionOptions, ParseCertificateSource, ParsedCertificate } from "./types.ts";

export * from "./core.ts";

/**
 * Authenticates an app registration with a client secret (OAuth 2.0 client credentials), on the
 * authority of `AZURE_AUTHORITY_HOST` (`Deno.env`) unless an `authorityHost` or `authority`
 * option names one — as `@azure/identity` does. Tokens are cached in memory per scope and refreshed
 * ahead of expiry; concurrent calls share one request.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential } from "npm:entra-edge";
 *
 * // AZURE_AUTHORITY_HOST=https://login.microsoftonline.us (US Government) is used, if set
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret);
 * const { token } = await credential.getToken("https://management.azure.com/.default");
 * ```
 */
export class ClientSecretCredential extends SecretCredential {
  /**
   * A credential for the app registration `clientId` in `tenantId`, with one of its client
   * secrets. Without an `authorityHost` or `authority` option, the authority is
   * `AZURE_AUTHORITY_HOST` read now from `Deno.env` if `--allow-env` (or `--allow-env=AZURE_AUTHORITY_HOST`) grants it (else it is not read — no prompt, no error — and the public cloud is used); an option wins.
   *
   * @param tenantId The directory (tenant) id or domain; not `common`/`organizations`/`consumers`.
   * @param clientId The app registration's Application (client) id.
   * @param clientSecret The secret's Value (not its Secret ID).
   * @throws TypeError for a missing or malformed argument or option, or an `AZURE_AUTHORITY_HOST` that `authorityHost` could not be.
   */
  constructor(tenantId: string, clientId: string, clientSecret: string, options?: CredentialOptions) {
    super(tenantId, clientId, clientSecret, authorityHostFromEnvironment(denoRuntime, "ClientSecretCredential", tenantId, options));
  }
  /** The public name, also in minified bundles. */ static override get name(): string { return "ClientSecretCredential"; }
}

/**
 * Authenticates with a client assertion (a signed JWT) that `getAssertion` returns — for workload
 * identity federation — on the authority of `AZURE_AUTHORITY_HOST` (`Deno.env`) unless an
 * `authorityHost` or `authority` option names one, as `@azure/identity` does. `getAssertion` is
 * called for every token request (not for cached tokens) and told the authority host.
 *
 * @example
 * ```ts
 * import { ClientAssertionCredential, githubActionsAssertion } from "npm:entra-edge";
 *
 * // the audience follows the authority: api://AzureADTokenExchangeUSGov with AZURE_AUTHORITY_HOST=https://login.microsoftonline.us
 * const credential = new ClientAssertionCredential(tenantId, clientId, githubActionsAssertion());
 * const { token } = await credential.getToken("https://management.azure.com/.default");
 * ```
 */
export class ClientAssertionCredential extends AssertionCredential {
  /**
   * A credential for the app registration `clientId` in `tenantId` that authenticates with the
   * assertions `getAssertion` returns (called for every token request). Without an
   * `authorityHost` or `authority` option, the authority is `AZURE_AUTHORITY_HOST` read now from `Deno.env` if `--allow-env` (or `--allow-env=AZURE_AUTHORITY_HOST`) grants it
   * (else it is not read — no prompt, no error — and the public cloud is used); an option wins.
   *
   * @param getAssertion Returns the assertion (a compact JWT) for a request; it is told the authority host the assertion goes to.
   * @throws TypeError for a missing or malformed argument or option, or an `AZURE_AUTHORITY_HOST` that `authorityHost` could not be.
   */
  constructor(tenantId: string, clientId: string, getAssertion: (context: AssertionContext) => Promise<string> | string, options?: CredentialOptions) {
    super(tenantId, clientId, getAssertion, authorityHostFromEnvironment(denoRuntime, "ClientAssertionCredential", tenantId, options));
  }
  /** The public name, also in minified bundles. */ static override get name(): string { return "ClientAssertionCredential"; }
}

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
 * import { ClientCertificateCredential } from "npm:entra-edge";
 *
 * // deno run --allow-read=./certs --allow-net=login.microsoftonline.com app.ts
 * const credential = new ClientCertificateCredential(tenantId, clientId, "./certs/app.pem");
 * const { token } = await credential.getToken("https://graph.microsoft.com/.default");
 * ```
 */
export class ClientCertificateCredential extends CertificateCredential {
  /** @internal */ protected static override runtime = denoRuntime;
  /**
   * A credential for the app registration `clientId` in `tenantId`, with a certificate uploaded to
   * it. Without an `authorityHost` or `authority` option, the authority is `AZURE_AUTHORITY_HOST`
   * read now from `Deno.env` if `--allow-env` (or `--allow-env=AZURE_AUTHORITY_HOST`) grants it (else it is not read — no prompt, no error — and the public cloud is used); an option wins.
   *
   * @param source A path, `{ certificatePath, certificatePassword? }`, `{ certificate, certificatePassword? }`
   *   (PEM text, base64 of a PFX, or PFX bytes), or a key that stays where it is (`{ certificate, privateKey }`, `{ certificate, sign }`).
   * @throws TypeError for a missing or malformed argument or option, or an `AZURE_AUTHORITY_HOST` that `authorityHost` could not be.
   */
  constructor(tenantId: string, clientId: string, source: CertificateSource, options?: ClientCertificateCredentialOptions) {
    super(tenantId, clientId, source, authorityHostFromEnvironment(denoRuntime, "ClientCertificateCredential", tenantId, options));
  }
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
 * import { EnvironmentCredential } from "npm:entra-edge";
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
 * import { parseCertificate } from "npm:entra-edge";
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
