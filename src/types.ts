/**
 * Every public type of entra-edge, in one place: what `getToken` takes and returns, the options of
 * each credential, certificate sources and what `parseCertificate` returns, the shared token
 * cache's store shapes, and the shapes of the errors' fields. The credentials, caches and errors
 * themselves (values) live in their folders; the entries (`core.ts`, `node.ts`, …) export both.
 *
 * The token types are structurally compatible with `@azure/core-auth` (`TokenCredential`,
 * `AccessToken`, `GetTokenOptions`), so Azure SDK clients accept entra-edge credentials without
 * entra-edge depending on `@azure/core-auth`.
 *
 * @module
 */
import type { COORDINATE, Coordinate, CoordinatorSetup } from "./cache/types.ts";

// ── Tokens and getToken ──────────────────────────────────────────────────────────────────────────

/**
 * An access token and when to use it until.
 *
 * @example
 * ```ts
 * import type { AccessToken } from "entra-edge";
 *
 * const { token, expiresOnTimestamp }: AccessToken = await credential.getToken("https://graph.microsoft.com/.default");
 * await fetch("https://graph.microsoft.com/v1.0/organization", { headers: { authorization: `Bearer ${token}` } });
 * console.log(`valid until ${new Date(expiresOnTimestamp).toISOString()}`);
 * ```
 */
export interface AccessToken {
  /** The access token (a JWT). Send it as `Authorization: Bearer <token>`; never log it. */
  token: string;
  /** Always `"Bearer"`. */
  tokenType: "Bearer";
  /** When the token expires, in ms since the epoch (request time + `expires_in`). */
  expiresOnTimestamp: number;
  /** When the credential will fetch a new token, in ms since the epoch. */
  refreshAfterTimestamp: number;
}

/**
 * What `abortSignal` needs: an `AbortSignal`, or the `AbortSignalLike` of `@azure/abort-controller`
 * / `@azure/core-auth` (a signal without `reason` rejects with an `AbortError` DOMException).
 *
 * @example
 * ```ts
 * import type { AbortSignalLike } from "entra-edge";
 *
 * const signal: AbortSignalLike = AbortSignal.timeout(5_000);
 * await credential.getToken("https://graph.microsoft.com/.default", { abortSignal: signal });
 * ```
 */
export interface AbortSignalLike {
  /** Whether the signal has fired. */
  readonly aborted: boolean;
  /** Why (`getToken` rejects with it); an `AbortError` DOMException when absent. */
  readonly reason?: unknown;
  /** Registers the listener called when the signal fires. */
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  /** Removes a listener registered with `addEventListener`. */
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * Options of one `getToken` call.
 *
 * @example
 * ```ts
 * import type { GetTokenOptions } from "entra-edge";
 *
 * const options: GetTokenOptions = { abortSignal: AbortSignal.timeout(10_000), enableCae: true };
 * const { token } = await credential.getToken("https://graph.microsoft.com/.default", options);
 * ```
 */
export interface GetTokenOptions {
  /** Ends the wait (including retries and the in-flight request) and rejects with the signal's reason. */
  abortSignal?: AbortSignalLike;
  /**
   * Claims from a CAE / Conditional Access challenge (the JSON, or its base64 as in the
   * `WWW-Authenticate` header: decoded before it is sent); skips the cache.
   */
  claims?: string;
  /** Ask another tenant; it must be listed in `additionallyAllowedTenants` (or that list holds `"*"`). */
  tenantId?: string;
  /** Ask for a CAE-capable token (`xms_cc: ["cp1"]`); cached separately. */
  enableCae?: boolean;
  /** `@azure/core-auth`'s; ignored: each attempt is bounded by `retryOptions.tryTimeoutInMs`. */
  requestOptions?: { timeout?: number };
  /** `@azure/core-auth`'s; ignored (no tracing). */
  tracingOptions?: unknown;
  /** `@azure/core-auth`'s; accepted only when `undefined`: proof-of-possession tokens are not issued here (a value is a `TypeError`). */
  proofOfPossessionOptions?: unknown;
}

/**
 * Anything that can get a token: every entra-edge credential, and `@azure/core-auth`'s interface.
 *
 * @example
 * ```ts
 * import type { TokenCredential } from "entra-edge";
 *
 * async function listSubscriptions(credential: TokenCredential): Promise<Response> {
 *   const { token } = await credential.getToken("https://management.azure.com/.default");
 *   return fetch("https://management.azure.com/subscriptions?api-version=2022-12-01", { headers: { authorization: `Bearer ${token}` } });
 * }
 * await listSubscriptions(credential);
 * ```
 */
export interface TokenCredential {
  /** An access token for `scopes` (`<resource>/.default` for client credentials). */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken>;
}

// ── Options every credential accepts ─────────────────────────────────────────────────────────────

/**
 * Options every credential accepts. A key not listed here is a `TypeError` naming the nearest
 * valid key (plain JavaScript too: `authorityhost`, `http_client`); the `@azure/identity` options
 * that mean nothing here are accepted and ignored, so a swap keeps compiling and running.
 *
 * @example
 * ```ts
 * import { AzureAuthorityHosts, ClientSecretCredential, type CredentialOptions } from "entra-edge";
 *
 * const options: CredentialOptions = {
 *   authorityHost: AzureAuthorityHosts.AzureChina,
 *   additionallyAllowedTenants: ["*"],
 *   retryOptions: { maxRetries: 5 },
 *   logger: (event) => console.log(event.level, event.event, event.message),
 * };
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, options);
 * ```
 */
export interface CredentialOptions {
  /**
   * The Entra authority host (default `https://login.microsoftonline.com`): a host URL, a bare
   * host (`login.microsoftonline.us`: https is meant), or a full authority URL ending in the
   * tenant (`https://login.microsoftonline.us/<tenantId>`) — a tenant in it must be `tenantId`.
   * Must be `https:`, except loopback hosts (`localhost`, `127.0.0.1`, `[::1]`) for emulators.
   * Not given (nor `authority`): the `AZURE_AUTHORITY_HOST` environment variable, read once at
   * construction by the Node, Deno (when `--allow-env` grants it) and Bun entries and held to the
   * same rules, else the public cloud; this option always wins over the variable.
   */
  authorityHost?: string;
  /**
   * Python azure-identity's and MSAL's name: the same as `authorityHost` and held to the same
   * rules, usually as the full authority `https://login.microsoftonline.com/<tenantId>` (the
   * tenant is taken from `tenantId`; the token URL never repeats it). Given with `authorityHost`,
   * both must name the same authority.
   */
  authority?: string;
  /** Tenants that `getToken({ tenantId })` may switch to; `"*"` allows any. */
  additionallyAllowedTenants?: string[];
  /** The transport; defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike;
  /**
   * An Azure Core `HttpClient` as the transport instead of `fetch` — e.g. `createDefaultHttpClient()`
   * of `@azure/core-rest-pipeline`, or a pipeline with its proxy and TLS policies (README "Proxies
   * and custom transports"). entra-edge does not depend on the Azure packages.
   */
  httpClient?: HttpClientLike;
  /**
   * Claims sent with every token request of this credential (Python's `claims_challenge`): the
   * claims JSON, or its base64 as the `claims="…"` of a `WWW-Authenticate` challenge carries it
   * (decoded before it is sent). Merged with `getToken`'s `claims` and `enableCae`.
   */
  claimsChallenge?: string;
  /** Retry policy. */
  retryOptions?: RetryOptions;
  /** Receives structured events (never secrets or tokens). */
  logger?: Logger;
  /**
   * A store shared by many instances (Workers KV, Deno KV, Redis, …): consulted on a memory miss,
   * filled on a fetch, entries encrypted. Made by `workersKvTokenCache`, `denoKvTokenCache`,
   * `redisTokenCache`, `memoryTokenCache`, or `sharedTokenCache(yourStore)`.
   */
  tokenCache?: TokenCache;
  /** Encryption key, store timeout and key prefix of the shared `tokenCache`; checked, and unused without one (a store that only some deployments bind can share one options object). */
  tokenCacheOptions?: TokenCacheOptions;
  /** `@azure/identity`'s; ignored: entra-edge never makes instance-discovery requests. */
  disableInstanceDiscovery?: boolean;
  /** `@azure/identity`'s; ignored: use `logger` (which never receives secrets or account identifiers). */
  loggingOptions?: unknown;
  /** `@azure/identity`'s; ignored: there is no pipeline (a custom transport: `fetch` or `httpClient`). */
  additionalPolicies?: unknown[];
  /** `@azure/identity`'s; ignored: requests carry `x-client-SKU` / `x-client-VER`. */
  userAgentOptions?: unknown;
  /** `@azure/identity`'s; ignored: requests carry a `client-request-id`. */
  telemetryOptions?: unknown;
  /** `@azure/identity`'s; ignored: the token request never follows redirects. */
  redirectOptions?: unknown;
  /** `@azure/identity`'s; ignored: `http:` is allowed for loopback hosts only. */
  allowInsecureConnection?: boolean;
  /** `@azure/identity`'s; ignored: tokens live in memory, or in a shared `tokenCache`. */
  tokenCachePersistenceOptions?: unknown;
  /** Refused (`@azure/identity`'s): pass `fetch` with a proxy, or an `httpClient` (README "Proxies and custom transports"). */
  proxyOptions?: never;
  /** Refused (`@azure/identity`'s): pass `fetch` with an undici dispatcher, or an `httpClient`. */
  agent?: never;
  /** Refused (`@azure/identity`'s): pass `fetch` with its TLS settings, or an `httpClient` with a tlsPolicy. */
  tlsOptions?: never;
}

/**
 * An Azure Core `HttpClient` (`@azure/core-rest-pipeline`), as far as entra-edge uses it: it
 * sends a `PipelineRequest` and resolves to a `PipelineResponse` with `bodyAsText`.
 *
 * @example
 * ```ts
 * import { createDefaultHttpClient } from "@azure/core-rest-pipeline";
 * import { ClientSecretCredential, type HttpClientLike } from "entra-edge";
 *
 * const httpClient: HttpClientLike = createDefaultHttpClient();
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { httpClient });
 * ```
 */
export interface HttpClientLike {
  /** Sends the token request (a `PipelineRequest`'s fields) and resolves to the answer (a `PipelineResponse`'s). */
  sendRequest(request: {
    url: string;
    method: "POST";
    headers: {
      get(name: string): string | undefined;
      has(name: string): boolean;
      set(name: string, value: string | number | boolean): void;
      delete(name: string): void;
      toJSON(options?: { preserveCase?: boolean }): Record<string, string>;
      [Symbol.iterator](): Iterator<[string, string]>;
    };
    body: string;
    abortSignal: AbortSignal;
    timeout: number;
    withCredentials: boolean;
    requestId: string;
    allowInsecureConnection: boolean;
  }): Promise<{ status: number; headers: { toJSON(options?: { preserveCase?: boolean }): Record<string, string> }; bodyAsText?: string | null }>;
}

/**
 * Retry policy of the token request.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, type RetryOptions } from "entra-edge";
 *
 * const retryOptions: RetryOptions = { maxRetries: 2, retryDelayInMs: 500, tryTimeoutInMs: 5_000 };
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { retryOptions });
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Base delay of the exponential backoff, in ms (default 800). */
  retryDelayInMs?: number;
  /** The longest wait; a server asking for more (Retry-After) fails at once instead (default 60 000). */
  maxRetryDelayInMs?: number;
  /**
   * Time limit of one attempt (request and answer), in ms (default 30 000). Also how long a call
   * that joined a concurrent call's request waits on it (plus 1 s) if that request was dropped —
   * on Workers, with the Worker request that started it — before it sends its own.
   */
  tryTimeoutInMs?: number;
}

/**
 * The transport: `fetch` or anything with its signature.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, type FetchLike } from "entra-edge";
 *
 * const timed: FetchLike = async (input, init) => {
 *   const started = Date.now();
 *   try {
 *     return await fetch(input, init);
 *   } finally {
 *     console.log(`token request: ${Date.now() - started} ms`);
 *   }
 * };
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { fetch: timed });
 * ```
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A structured log event. Never carries secrets, keys, assertions or tokens.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, type LogEvent } from "entra-edge";
 *
 * const events: LogEvent[] = [];
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { logger: (event) => events.push(event) });
 * await credential.getToken("https://graph.microsoft.com/.default");
 * console.log(events.map((e) => `${e.event} ${e.durationMs ?? ""}`)); // [ "token.request ", "token.acquired 85" ]
 * ```
 */
export interface LogEvent {
  /** How much it matters: `error` and `warning` need attention, `info` is a token fetched, `debug` the rest. */
  level: "debug" | "info" | "warning" | "error";
  /** A stable event name, e.g. `token.request`, `token.retry`, `token.refresh_failed`. */
  event: string;
  /** A human-readable sentence. */
  message: string;
  /** The credential class, e.g. `ClientSecretCredential`. */
  credential: string;
  /** The tenant of the request. */
  tenantId?: string;
  /** The app (client) id of the credential. */
  clientId?: string;
  /** The requested scopes, space-separated. */
  scopes?: string;
  /** Which attempt of the request (1 = the first). */
  attempt?: number;
  /** The HTTP status Entra answered with. */
  statusCode?: number;
  /** How long the credential waits before the next attempt, in ms. */
  delayMs?: number;
  /** How long the request took, in ms. */
  durationMs?: number;
  /** The `client-request-id` the request was sent with (Microsoft support finds requests by it). */
  correlationId?: string;
  /** Entra's AADSTS error codes, e.g. `[7000215]`. */
  errorCodes?: number[];
}

/**
 * Receives structured events; exceptions it throws are ignored.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, type Logger } from "entra-edge";
 *
 * const logger: Logger = (event) => {
 *   if (event.level === "warning" || event.level === "error") console.warn(JSON.stringify(event));
 * };
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { logger });
 * ```
 */
export type Logger = (event: LogEvent) => void;

// ── Certificates ─────────────────────────────────────────────────────────────────────────────────

/**
 * Options of {@link ClientCertificateCredential}.
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential, type ClientCertificateCredentialOptions } from "entra-edge";
 *
 * // Subject name / issuer authentication: send the chain; PS256 where policy asks for SHA-256 thumbprints.
 * const options: ClientCertificateCredentialOptions = { sendCertificateChain: true, assertionAlgorithm: "PS256" };
 * const credential = new ClientCertificateCredential(tenantId, clientId, "./certs/app.pem", options);
 * ```
 */
export interface ClientCertificateCredentialOptions extends CredentialOptions {
  /** Send the chain (`x5c`, leaf first) with each assertion — needed for subject name / issuer authentication. */
  sendCertificateChain?: boolean;
  /** `RS256` (default, with `x5t`) or `PS256` (with `x5t#S256`). */
  assertionAlgorithm?: AssertionAlgorithm;
  /**
   * The PFX's or encrypted key's password, beside a path (as Python's `certificate_password`);
   * it may be in the source object instead, and given in both it must be the same.
   */
  certificatePassword?: string;
}

/**
 * How client assertions are signed: `RS256` (RSASSA-PKCS1-v1_5 / SHA-256, sends the SHA-1
 * thumbprint as `x5t`; the default, which every Entra configuration accepts) or `PS256`
 * (RSASSA-PSS / SHA-256, sends the SHA-256 thumbprint as `x5t#S256`).
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential, type AssertionAlgorithm } from "entra-edge";
 *
 * const assertionAlgorithm: AssertionAlgorithm = process.env.REQUIRE_PSS ? "PS256" : "RS256";
 * const credential = new ClientCertificateCredential(tenantId, clientId, "./certs/app.pem", { assertionAlgorithm });
 * ```
 */
export type AssertionAlgorithm = "RS256" | "PS256";

/**
 * Where a certificate comes from: a path (a string; PEM text there is used as the certificate, a
 * base64 PFX is refused as a path that holds contents), `{ certificatePath }` or `{ certificate }`
 * (with its private key inside), or a public certificate with a key that stays where it is
 * (`{ certificate, privateKey }`, `{ certificate, sign }`).
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential, type CertificateSource } from "entra-edge";
 *
 * const source: CertificateSource = process.env.PFX_BASE64
 *   ? { certificate: process.env.PFX_BASE64, certificatePassword: process.env.PFX_PASSWORD } // contents
 *   : "./certs/app.pem"; // a path
 * const credential = new ClientCertificateCredential(tenantId, clientId, source);
 * ```
 */
export type CertificateSource = string | CertificatePath | CertificateContents | CertificateWithKey | CertificateWithSigner;

/**
 * The public certificate of {@link CertificateWithKey} and {@link CertificateWithSigner}: PEM
 * text (one or more `CERTIFICATE` blocks: the leaf and its chain, in any order), base64 of a DER
 * certificate (what Key Vault's `cer` field holds), or DER bytes (one certificate, or several
 * concatenated). The leaf is the certificate whose public key verifies the key's signature.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import type { PublicCertificate } from "entra-edge";
 *
 * const fromFile: PublicCertificate = readFileSync("./certs/app.crt", "utf8"); // PEM, the chain may follow
 * // az keyvault certificate show --vault-name contoso --name app-cert --query cer -o tsv
 * const fromKeyVault: PublicCertificate = process.env.APP_CERTIFICATE_CER!; // base64 DER
 * ```
 */
export type PublicCertificate = string | Uint8Array | ArrayBuffer;

/**
 * A certificate with a WebCrypto private key that is used as it is — non-extractable is fine (a
 * key generated in a Worker, or unwrapped from a KMS): the key never leaves its `CryptoKey`. An
 * `RSASSA-PKCS1-v1_5` / SHA-256 key signs RS256 assertions, an `RSA-PSS` / SHA-256 key PS256 ones.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { ClientCertificateCredential, type CertificateWithKey } from "entra-edge";
 *
 * // openssl pkcs8 -topk8 -nocrypt -in app.key -outform DER -out app.key.der
 * const privateKey = await crypto.subtle.importKey(
 *   "pkcs8",
 *   readFileSync("./certs/app.key.der"),
 *   { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
 *   false, // not extractable
 *   ["sign"],
 * );
 * const source: CertificateWithKey = { certificate: readFileSync("./certs/app.crt", "utf8"), privateKey };
 * const credential = new ClientCertificateCredential(tenantId, clientId, source);
 * ```
 */
export interface CertificateWithKey {
  /** The public certificate (the leaf, optionally its chain) of `privateKey`. */
  certificate: PublicCertificate;
  /** An RSA private key (2048 bits or more) with the `sign` usage, for SHA-256. */
  privateKey: CryptoKey;
}

/**
 * A certificate whose key is somewhere else — Azure Key Vault ({@link keyVaultSigner}), a cloud
 * KMS, an HSM: `sign` signs the assertion's JWS signing input (the bytes, not a digest) with the
 * certificate's key, for `RS256` (RSASSA-PKCS1-v1_5 / SHA-256) or `PS256` (RSASSA-PSS / SHA-256,
 * salt of 32 bytes), and resolves to the raw signature.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { ClientCertificateCredential, type CertificateWithSigner } from "entra-edge";
 *
 * // A signing service of your own in front of an HSM: it takes the bytes, answers the raw signature.
 * const source: CertificateWithSigner = {
 *   certificate: readFileSync("./certs/app.crt", "utf8"),
 *   sign: async (data, algorithm) => {
 *     // (a copy: with TypeScript's DOM types, a fetch body must be a view of an ArrayBuffer, not of any buffer)
 *     const response = await fetch(`https://signer.internal.example/keys/app-cert/sign?alg=${algorithm}`, { method: "POST", body: new Uint8Array(data) });
 *     if (!response.ok) throw new Error(`signer: HTTP ${response.status}`);
 *     return new Uint8Array(await response.arrayBuffer());
 *   },
 * };
 * const credential = new ClientCertificateCredential(tenantId, clientId, source);
 * ```
 */
export interface CertificateWithSigner {
  /** The public certificate (the leaf, optionally its chain) of the key `sign` uses. */
  certificate: PublicCertificate;
  /** Signs the assertion's JWS signing input with the certificate's key (see {@link AssertionSigner}). */
  sign: AssertionSigner;
}

/**
 * Signs `data` with a certificate's private key for `algorithm`; resolves to the raw signature
 * (the JWS signature bytes, before base64url). See {@link CertificateWithSigner}.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { constants, createPrivateKey, sign as signWithNode } from "node:crypto";
 * import type { AssertionSigner } from "entra-edge";
 *
 * // The contract, with a key node:crypto holds: RS256 is PKCS#1 v1.5, PS256 is PSS with a 32-byte salt, both SHA-256.
 * const key = createPrivateKey(readFileSync("./certs/app.key", "utf8"));
 * const sign: AssertionSigner = async (data, algorithm) =>
 *   new Uint8Array(signWithNode("sha256", data, algorithm === "PS256" ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key));
 * ```
 */
export type AssertionSigner = (data: Uint8Array, algorithm: AssertionAlgorithm, context?: SignContext) => Promise<Uint8Array>;

/**
 * What `ClientCertificateCredential` tells a {@link AssertionSigner}: the token request's attempt
 * signal, when the signature is made for one (pass it to a fetch so a remote signer stops with
 * the attempt). The probe signature made when the certificate is first loaded has none.
 *
 * @example
 * ```ts
 * import type { AssertionSigner, SignContext } from "entra-edge";
 *
 * const sign: AssertionSigner = async (data, algorithm, context?: SignContext) => {
 *   const response = await fetch("https://signer.example/sign", { method: "POST", body: new Uint8Array(data), signal: context?.abortSignal });
 *   return new Uint8Array(await response.arrayBuffer());
 * };
 * ```
 */
export interface SignContext {
  /** Fires when the token request's attempt ends (its `tryTimeoutInMs`, or the caller's `abortSignal`). */
  abortSignal?: AbortSignal;
}

/**
 * Options of {@link keyVaultSigner}.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, type KeyVaultSignerOptions } from "entra-edge";
 *
 * const options: KeyVaultSignerOptions = {
 *   keyId: "https://contoso.vault.azure.net/keys/app-cert/0123456789abcdef0123456789abcdef",
 *   credential: new ClientSecretCredential(tenantId, process.env.SIGNER_CLIENT_ID!, process.env.SIGNER_CLIENT_SECRET!), // or a managed identity
 * };
 * ```
 */
export interface KeyVaultSignerOptions {
  /**
   * The key's identifier with its version: `https://{vault}.vault.azure.net/keys/{name}/{version}`
   * (a certificate's `kid`; Managed HSM's `https://{hsm}.managedhsm.azure.net/keys/…` too).
   */
  keyId: string;
  /** Gets the Key Vault token (any entra-edge or Azure SDK credential). */
  credential: TokenCredential;
  /**
   * The token's scope; by default the vault's resource (`https://vault.azure.net/.default`, or the
   * cloud's: `vault.azure.cn`, `vault.usgovcloudapi.net`, `managedhsm.azure.net`, …). Required
   * for a `keyId` on any other host (without it that is a `TypeError`: no vault token is sent to
   * a host that is not a vault's).
   */
  scope?: string;
  /** The transport; defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike;
  /** Key Vault's REST API version: `7.4` (default) or `7.5`. */
  apiVersion?: "7.4" | "7.5";
}

/**
 * A certificate file's path, read through the runtime (not available inside Workers).
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential, type CertificatePath } from "entra-edge";
 *
 * const source: CertificatePath = { certificatePath: "./certs/app.pfx", certificatePassword: process.env.PFX_PASSWORD };
 * const credential = new ClientCertificateCredential(tenantId, clientId, source);
 * ```
 */
export interface CertificatePath extends CertificateSelector {
  /** The file: PEM (certificate and private key) or PKCS#12/PFX. Relative paths start at the working directory. */
  certificatePath: string;
  /** The PFX password, or the passphrase of an encrypted PKCS#8 key. */
  certificatePassword?: string;
}

/**
 * The certificate itself: PEM text, base64 of a PFX (how Key Vault and Worker secrets hold one),
 * or the bytes of a PFX (or of PEM text).
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { ClientCertificateCredential, type CertificateContents } from "entra-edge";
 *
 * const source: CertificateContents = { certificate: readFileSync("./certs/app.pfx"), certificatePassword: process.env.PFX_PASSWORD };
 * const credential = new ClientCertificateCredential(tenantId, clientId, source);
 * ```
 */
export interface CertificateContents extends CertificateSelector {
  /** PEM text (certificate and private key), base64 of a PFX, or the bytes of either (any view; Node Buffers too). */
  certificate: string | Uint8Array | ArrayBuffer;
  /** The PFX password, or the passphrase of an encrypted PKCS#8 key. */
  certificatePassword?: string;
}

/**
 * Which entry of a file with several key/certificate pairs to use (a Java keystore, a Windows
 * export with old and new certificates). Without one, the first usable pair (an RSA key of 2048
 * bits or more with its certificate) in file order is used. A selector that matches no pair is a
 * `CertificateError` with code `ERR_CERT_NOT_FOUND`, whose message lists the pairs' thumbprints
 * and friendly names.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { ClientCertificateCredential } from "entra-edge";
 *
 * const credential = new ClientCertificateCredential(tenantId, clientId, {
 *   certificate: readFileSync("./keystore.p12"),
 *   certificatePassword: process.env.KEYSTORE_PASSWORD,
 *   certificateThumbprint: "2E:3C:C8:AE:66:71:E1:3E:3D:53:DE:8C:0E:E1:0B:9D:60:B7:25:84",
 * });
 * ```
 */
export interface CertificateSelector {
  /**
   * The SHA-1 thumbprint of the certificate to use, in hex as the Entra portal shows it (case,
   * colons and spaces do not matter). Without a selector, the first usable pair in file order is used.
   */
  certificateThumbprint?: string;
  /** The PKCS#12 friendlyName of the entry to use (the alias Windows and keytool show). */
  certificateFriendlyName?: string;
}

/**
 * Source forms `parseCertificate` accepts: a credential source, bare PEM text, or PFX/PEM bytes.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { parseCertificate, type ParseCertificateSource } from "entra-edge";
 *
 * const source: ParseCertificateSource = readFileSync("./certs/app.pfx"); // or a path, PEM text, { certificate }
 * const cert = await parseCertificate(source, process.env.PFX_PASSWORD);
 * console.log(cert.sha1Thumbprint, cert.notAfter.toISOString());
 * ```
 */
export type ParseCertificateSource = string | CertificatePath | CertificateContents | Uint8Array | ArrayBuffer;

/**
 * What `parseCertificate` returns.
 *
 * @example
 * ```ts
 * import { parseCertificate, type ParsedCertificate } from "entra-edge";
 *
 * const cert: ParsedCertificate = await parseCertificate("./certs/app.pem");
 * const daysLeft = (cert.notAfter.getTime() - Date.now()) / 86_400_000;
 * if (daysLeft < 30) console.warn(`certificate ${cert.sha1Thumbprint} (${cert.subject}) expires in ${Math.floor(daysLeft)} days`);
 * ```
 */
export interface ParsedCertificate {
  /** The leaf's subject, RFC 4514 style (e.g. `CN=my-app,O=Contoso`). */
  subject: string;
  /** The leaf's issuer. */
  issuer: string;
  /** Serial number, upper-case hex. */
  serialNumber: string;
  /** Start of the leaf's validity. */
  notBefore: Date;
  /** End of the leaf's validity: plan the rotation before it. */
  notAfter: Date;
  /** RSA key size in bits. */
  keySize: number;
  /** SHA-1 thumbprint of the leaf, upper-case hex — what the Entra portal shows. */
  sha1Thumbprint: string;
  /** SHA-256 thumbprint of the leaf, upper-case hex. */
  sha256Thumbprint: string;
  /** base64url SHA-1 thumbprint: the `x5t` header of RS256 assertions. */
  x5t: string;
  /** base64url SHA-256 thumbprint: the `x5t#S256` header of PS256 assertions. */
  x5tS256: string;
  /** DER certificates: the leaf, then its issuers in path order (what `x5c` sends, base64-encoded). */
  chain: Uint8Array[];
  /** The PKCS#12 friendlyName of the entry (the alias Windows and keytool show), when the PFX has one. */
  friendlyName?: string;
  /** The private key, imported for RS256 (RSASSA-PKCS1-v1_5 / SHA-256), not extractable. */
  privateKey: CryptoKey;
}

// ── EnvironmentCredential ────────────────────────────────────────────────────────────────────────

/**
 * Options of {@link EnvironmentCredential}.
 *
 * @example
 * ```ts
 * import { EnvironmentCredential, type EnvironmentCredentialOptions } from "entra-edge";
 *
 * const options: EnvironmentCredentialOptions = {
 *   env: { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: clientSecret }, // instead of the process environment
 *   logger: (event) => console.log(event.event),
 * };
 * const credential = new EnvironmentCredential(options);
 * ```
 */
export interface EnvironmentCredentialOptions extends Omit<CredentialOptions, "authorityHost" | "additionallyAllowedTenants"> {
  /**
   * Where to read the variables from instead of the runtime's environment — on Cloudflare Workers,
   * the bindings object (`env`). Non-string values are ignored.
   */
  env?: Record<string, unknown>;
  /** Overrides `AZURE_AUTHORITY_HOST`. */
  authorityHost?: string;
  /** Overrides `AZURE_ADDITIONALLY_ALLOWED_TENANTS`. */
  additionallyAllowedTenants?: string[];
}

// ── Workload identity federation ─────────────────────────────────────────────────────────────────

/**
 * Options of {@link WorkloadIdentityCredential}: `@azure/identity`'s (`tenantId`, `clientId`,
 * `tokenFilePath`, defaulting to `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
 * `AZURE_FEDERATED_TOKEN_FILE`; `authorityHost` to `AZURE_AUTHORITY_HOST`), plus `getAssertion`
 * for runtimes without files and `env` for a Worker's bindings.
 *
 * @example
 * ```ts
 * import { WorkloadIdentityCredential, type WorkloadIdentityCredentialOptions } from "entra-edge";
 *
 * const options: WorkloadIdentityCredentialOptions = { tenantId, clientId, tokenFilePath: "/var/run/secrets/azure/tokens/azure-identity-token" };
 * const credential = new WorkloadIdentityCredential(options);
 * ```
 */
export interface WorkloadIdentityCredentialOptions extends CredentialOptions {
  /** The app's tenant; default `AZURE_TENANT_ID`. */
  tenantId?: string;
  /** The app's client id; default `AZURE_CLIENT_ID`. */
  clientId?: string;
  /**
   * The file holding the federated token (a Kubernetes projected service-account token); default
   * `AZURE_FEDERATED_TOKEN_FILE`. Read again for every token request (not for cached tokens).
   */
  tokenFilePath?: string;
  /**
   * Returns the federated token instead of a file (for runtimes without files, such as Workers,
   * or a token from another issuer); called for every token request. Not with `tokenFilePath`.
   */
  getAssertion?: () => string | Promise<string>;
  /** Where to read the `AZURE_*` variables from instead of the runtime's environment (a Worker's `env`). */
  env?: Record<string, unknown>;
}

/**
 * Options of {@link githubActionsAssertion}.
 *
 * @example
 * ```ts
 * import { ClientAssertionCredential, githubActionsAssertion, type GitHubActionsAssertionOptions } from "entra-edge";
 *
 * const options: GitHubActionsAssertionOptions = { audience: "api://AzureADTokenExchange" };
 * const credential = new ClientAssertionCredential(tenantId, clientId, githubActionsAssertion(options));
 * ```
 */
export interface GitHubActionsAssertionOptions {
  /**
   * The audience asked for (the federated credential's). Default: the authority host's cloud —
   * `api://AzureADTokenExchange`, `api://AzureADTokenExchangeUSGov` (login.microsoftonline.us),
   * `api://AzureADTokenExchangeChina` (login.chinacloudapi.cn).
   */
  audience?: string;
  /** Where to read `ACTIONS_ID_TOKEN_REQUEST_URL` / `_TOKEN` from instead of the runtime's environment. */
  env?: Record<string, unknown>;
  /** The transport; defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike;
}

/**
 * What `ClientAssertionCredential` tells its `getAssertion` callback: the token endpoint's
 * authority host (so a token source can pick the cloud's default audience) and the token
 * request's attempt signal (pass it to a fetch so the call stops with the attempt).
 *
 * @example
 * ```ts
 * import { ClientAssertionCredential, type AssertionContext } from "entra-edge";
 *
 * // Your issuer's token, for the audience the federated credential of the authority host's cloud expects
 * const getAssertion = async (context: AssertionContext) => {
 *   const audience = new URL(context.authorityHost).hostname === "login.microsoftonline.us" ? "api://AzureADTokenExchangeUSGov" : "api://AzureADTokenExchange";
 *   const response = await fetch(`https://issuer.example/token?audience=${encodeURIComponent(audience)}`, { signal: context.abortSignal });
 *   return response.text();
 * };
 * const credential = new ClientAssertionCredential(tenantId, clientId, getAssertion);
 * ```
 */
export interface AssertionContext {
  /** The authority host the assertion is sent to, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  /**
   * Fires when the token request's attempt ends before the assertion came (its `tryTimeoutInMs`,
   * or the caller's `abortSignal`): what the callback fetches should stop then.
   */
  abortSignal?: AbortSignal;
}

// ── The shared token cache ───────────────────────────────────────────────────────────────────────

/**
 * A store ready to be a credential's `tokenCache`: what `workersKvTokenCache`,
 * `denoKvTokenCache`, `redisTokenCache`, `memoryTokenCache` and `sharedTokenCache` return. It
 * carries the encryption and coordination code, so an app without a shared cache never bundles it.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, memoryTokenCache, type TokenCache } from "entra-edge";
 *
 * const tokenCache: TokenCache = memoryTokenCache();
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { tokenCache });
 * ```
 */
export interface TokenCache extends TokenCacheStore {
  /** @internal The coordinator factory (see `sharedTokenCache`). */
  readonly [COORDINATE]: (setup: CoordinatorSetup) => Coordinate;
}

/**
 * A key/value store with expiry. Values are opaque strings (entra-edge encrypts them).
 * Adapters exist for Workers KV, Deno KV and Redis; any store with these methods works once it is
 * passed through `sharedTokenCache`.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, sharedTokenCache, type TokenCacheStore } from "entra-edge";
 *
 * const myStore = new Map<string, string>(); // stands for your key-value store (entries should expire after ttlSeconds)
 * const store: TokenCacheStore = {
 *   get: async (key) => myStore.get(key),
 *   set: async (key, value, ttlSeconds) => void myStore.set(key, value),
 *   delete: async (key) => void myStore.delete(key),
 * };
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { tokenCache: sharedTokenCache(store) });
 * ```
 */
export interface TokenCacheStore {
  /** The value stored under `key`, or null/undefined. */
  get(key: string): Promise<string | null | undefined>;
  /** Stores `value` under `key` for `ttlSeconds` (a whole number ≥ 1). */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Removes `key` (optional). */
  delete?(key: string): Promise<void>;
  /**
   * Stores `value` only if `key` is absent, atomically, and says whether it did (optional; Redis
   * `SET NX`, Deno KV atomic check). Without it, a best-effort read-after-write claim is used.
   */
  add?(key: string, value: string, ttlSeconds: number): Promise<boolean>;
}

/**
 * Options of the shared token cache (`tokenCacheOptions`).
 *
 * @example
 * ```ts
 * import { ClientAssertionCredential, memoryTokenCache, type TokenCacheOptions } from "entra-edge";
 *
 * const tokenCacheOptions: TokenCacheOptions = { encryptionKey: process.env.CACHE_KEY!, timeoutInMs: 100, prefix: "my-app" };
 * const credential = new ClientAssertionCredential(tenantId, clientId, async () => process.env.ASSERTION!, { tokenCache: memoryTokenCache(), tokenCacheOptions });
 * ```
 */
export interface TokenCacheOptions {
  /**
   * Key material to encrypt entries with: a string or a Uint8Array (a Node Buffer is one) of at
   * least 16 bytes, the same on every instance (HKDF derives the AES-GCM key). Shorter keys, other
   * types, and the option present but `undefined` (an unset environment variable) are a TypeError
   * when the credential is constructed. Left out, it defaults to the client secret, or for
   * certificate credentials to an RS256 signature of a fixed label made with the private key
   * (deterministic, so every instance derives the same key). Required for
   * `ClientAssertionCredential`.
   */
  encryptionKey?: string | Uint8Array;
  /** Time limit of one store operation, in ms (default 250). A slow store is skipped, never waited for. */
  timeoutInMs?: number;
  /** Prefix of the store keys (default `entra-edge`). */
  prefix?: string;
}

/**
 * The part of a Workers KV namespace binding the adapter uses.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, workersKvTokenCache, type KVNamespaceLike } from "entra-edge";
 *
 * const kv: KVNamespaceLike = env.TOKEN_CACHE; // a [[kv_namespaces]] binding
 * const credential = new ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, { tokenCache: workersKvTokenCache(kv) });
 * ```
 */
export interface KVNamespaceLike {
  /** The value under `key`, or null. */
  get(key: string): Promise<string | null>;
  /** Stores `value` under `key`, expiring after `expirationTtl` seconds. */
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  /** Removes `key`. */
  delete(key: string): Promise<void>;
}

/**
 * The part of a Deno KV database (what `openKv()` resolves to) the adapter uses.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, denoKvTokenCache, type DenoKvLike } from "npm:entra-edge";
 *
 * const kv: DenoKvLike = await Deno.openKv();
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { tokenCache: denoKvTokenCache(kv) });
 * ```
 */
export interface DenoKvLike {
  /** The entry under `key` (`versionstamp` null when there is none). */
  get(key: readonly unknown[]): Promise<{ value: unknown; versionstamp: string | null }>;
  /** Stores `value` under `key`, expiring after `expireIn` ms. */
  set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  /** Removes `key`. */
  delete(key: readonly unknown[]): Promise<void>;
  /** An atomic operation: set only if the checked entries are unchanged. */
  atomic(): {
    check(...checks: { key: readonly unknown[]; versionstamp: string | null }[]): unknown;
    set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): unknown;
    commit(): Promise<{ ok: boolean }>;
  };
}

/**
 * The part of a node-redis (v4+) client the adapter uses.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { ClientSecretCredential, redisTokenCache, type RedisClientLike } from "entra-edge";
 *
 * // node-redis wants an 'error' listener (redisTokenCache adds a silent one if there is none)
 * const redis: RedisClientLike = await createClient({ url: process.env.REDIS_URL }).on("error", (e) => console.warn("redis:", e.message)).connect();
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { tokenCache: redisTokenCache(redis) });
 * ```
 */
export interface RedisClientLike {
  /** `GET key`. */
  get(key: string): Promise<string | null | unknown>;
  /** `SET key value EX ttl [NX]`. */
  set(key: string, value: string, options: { EX: number; NX?: boolean }): Promise<string | null | unknown>;
  /** `DEL key`. */
  del(key: string): Promise<unknown>;
}

// ── Errors ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Why an {@link AuthenticationError} happened, and whose word it is. `ERR_ENTRA_REFUSED`: Entra
 * answered with its error JSON (`errorResponse` holds it: a wrong secret, an unknown app, a
 * scope without `/.default`, a 5xx of Entra's own). `ERR_ENTRA_THROTTLED`: a 429, from Entra or
 * from the credential's guard that fails identical requests fast until Entra's Retry-After has
 * passed. `ERR_ENTRA_TIMEOUT`: no answer within `retryOptions.tryTimeoutInMs`.
 * `ERR_ENTRA_UNREACHABLE`: the request could not be sent or its answer not read (DNS, TLS, a
 * refused or dropped connection). `ERR_ENTRA_BAD_RESPONSE`: an answer that is neither a token nor
 * Entra's error JSON (an HTML error page, broken JSON, no `access_token`, a body over 1 MiB).
 *
 * @example
 * ```ts
 * import { AuthenticationError } from "entra-edge";
 *
 * const token = await credential.getToken("https://graph.microsoft.com/.default").catch(async (e: unknown) => {
 *   if (!(e instanceof AuthenticationError) || e.code !== "ERR_ENTRA_THROTTLED") throw e;
 *   await new Promise((resolve) => setTimeout(resolve, 30_000)); // Entra asked us to slow down
 *   return credential.getToken("https://graph.microsoft.com/.default");
 * });
 * ```
 */
export type AuthenticationErrorCode = "ERR_ENTRA_REFUSED" | "ERR_ENTRA_THROTTLED" | "ERR_ENTRA_TIMEOUT" | "ERR_ENTRA_UNREACHABLE" | "ERR_ENTRA_BAD_RESPONSE";

/**
 * What Entra answered, as documented for the v2.0 token endpoint (camel-cased, secrets redacted):
 * filled only from Entra's error JSON. When Entra sent none — no answer, a timeout, an answer
 * that is not its error JSON, the 429 guard — `error` and `errorDescription` are empty strings
 * (never an OAuth code the client made up), and the error's `code` and `message` say what
 * happened. `correlationId` is always there: the `client-request-id` the request was sent with,
 * which Entra echoes and by which Microsoft support finds it.
 *
 * @example
 * ```ts
 * import { AuthenticationError } from "entra-edge";
 *
 * try {
 *   await credential.getToken("https://graph.microsoft.com/.default");
 * } catch (e) {
 *   if (!(e instanceof AuthenticationError)) throw e;
 *   const { error, errorCodes, correlationId } = e.errorResponse; // "invalid_client", [7000215], "…"
 *   console.error(error, errorCodes, correlationId);
 * }
 * ```
 */
export interface ErrorResponse {
  /** Entra's OAuth error, e.g. `invalid_client`; `""` when Entra sent no error JSON. */
  error: string;
  /** Entra's description, starting with `AADSTSnnnn:`; `""` when Entra sent no error JSON. */
  errorDescription: string;
  /** AADSTS codes, e.g. `[7000215]`. */
  errorCodes?: number[];
  /** The `client-request-id` the request was sent with (Entra's echo of it, when it answered). Give it to Microsoft support. */
  correlationId?: string;
  /** Entra's trace id of the failed request. */
  traceId?: string;
  /** When Entra answered (as Entra formats it). */
  timestamp?: string;
  /** Link to the error's documentation. */
  errorUri?: string;
}

/**
 * The reasons a certificate input can be refused; see {@link CertificateError}.
 *
 * @example
 * ```ts
 * import { CertificateError, parseCertificate, type CertificateErrorCode } from "entra-edge";
 *
 * const advice: Partial<Record<CertificateErrorCode, string>> = {
 *   ERR_CERT_PASSWORD_REQUIRED: "set PFX_PASSWORD",
 *   ERR_CERT_BAD_PASSWORD: "check PFX_PASSWORD",
 *   ERR_CERT_NO_PRIVATE_KEY: "export the certificate with its private key",
 * };
 * await parseCertificate("./certs/app.pfx", process.env.PFX_PASSWORD).catch((e: unknown) => {
 *   if (e instanceof CertificateError) console.error(advice[e.code] ?? e.message);
 * });
 * ```
 */
export type CertificateErrorCode =
  | "ERR_CERT_MALFORMED"
  | "ERR_CERT_NO_PRIVATE_KEY"
  | "ERR_CERT_NO_CERTIFICATE"
  | "ERR_CERT_KEY_MISMATCH"
  | "ERR_CERT_PASSWORD_REQUIRED"
  | "ERR_CERT_BAD_PASSWORD"
  | "ERR_CERT_UNSUPPORTED_KEY"
  | "ERR_CERT_UNSUPPORTED_ALGORITHM"
  | "ERR_CERT_NOT_FOUND";

