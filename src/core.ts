/**
 * entra-edge without a runtime adapter: every credential and error, for any runtime with `fetch`
 * and WebCrypto. Paths to certificate files and the process environment are not available here —
 * use the runtime entry (`entra-edge`, which picks one by export condition) for those.
 *
 * @module
 */
export { ClientSecretCredential } from "./credentials/client-secret.ts";
export { ClientAssertionCredential } from "./credentials/client-assertion.ts";
export { ClientCertificateCredential } from "./credentials/client-certificate.ts";
export { EnvironmentCredential, ENVIRONMENT_VARIABLES } from "./credentials/environment.ts";
export { WorkloadIdentityCredential } from "./credentials/workload-identity.ts";
export { githubActionsAssertion } from "./assertions/github-actions.ts";
export { parseCertificate } from "./certificate/parse.ts";
export { keyVaultSigner } from "./certificate/key-vault.ts";
export { AzureAuthorityHosts } from "./token/authority.ts";
export { AuthenticationError, ClientAuthenticationError, CredentialUnavailableError } from "./lib/errors.ts";
export { CertificateError } from "./certificate/error.ts";
export { VERSION } from "./lib/version.ts";
export { sharedTokenCache } from "./cache/shared.ts";
export { denoKvTokenCache, memoryTokenCache, redisTokenCache, workersKvTokenCache } from "./cache/stores.ts";
export type * from "./types.ts";
