/**
 * entra-edge without a runtime adapter: every credential and error, for any runtime with `fetch`
 * and WebCrypto. Paths to certificate files and the process environment are not available here —
 * use the runtime entry (`entra-edge`, which picks one by export condition) for those.
 *
 * @module
 */
export { ClientSecretCredential } from "./credentials/client-secret.ts";
export { ClientAssertionCredential } from "./credentials/client-assertion.ts";
export { AzureAuthorityHosts } from "./token/authority.ts";
export { AuthenticationError, CertificateError, CredentialUnavailableError } from "./errors.ts";
export type { CertificateErrorCode, ErrorResponse } from "./errors.ts";
export type {
  AccessToken,
  CredentialOptions,
  FetchLike,
  GetTokenOptions,
  LogEvent,
  Logger,
  RetryOptions,
  TokenCredential,
} from "./credentials/types.ts";
export { VERSION } from "./version.ts";
export { ClientCertificateCredential, type ClientCertificateCredentialOptions } from "./credentials/client-certificate.ts";
export type { CertificateContents, CertificatePath, CertificateSelector, CertificateSource } from "./certificate/load.ts";
export type { AssertionAlgorithm, ParseCertificateSource, ParsedCertificate } from "./certificate/parse.ts";
export { parseCertificate } from "./certificate/parse-core.ts";
export { EnvironmentCredential, ENVIRONMENT_VARIABLES, type EnvironmentCredentialOptions } from "./credentials/environment.ts";
export type { TokenCache, TokenCacheOptions, TokenCacheStore } from "./cache/types.ts";
export { sharedTokenCache } from "./cache/shared.ts";
export {
  denoKvTokenCache,
  memoryTokenCache,
  redisTokenCache,
  workersKvTokenCache,
  type DenoKvLike,
  type KVNamespaceLike,
  type RedisClientLike,
} from "./cache/stores.ts";
