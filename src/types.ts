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

/** An access token and when to use it until. */
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
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** Options of one `getToken` call. */
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
}

/** Anything that can get a token: every entra-edge credential, and `@azure/core-auth`'s interface. */
export interface TokenCredential {
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken>;
}

// ── Options every credential accepts ─────────────────────────────────────────────────────────────

/**
 * Options every credential accepts. A key not listed here is a `TypeError` naming the nearest
 * valid key (plain JavaScript too: `authorityhost`, `http_client`); the `@azure/identity` options
 * that mean nothing here are accepted and ignored, so a swap keeps compiling and running.
 */
export interface CredentialOptions {
  /**
   * The Entra authority host (default `https://login.microsoftonline.com`): a host URL, a bare
   * host (`login.microsoftonline.us`: https is meant), or a full authority URL ending in the
   * tenant (`https://login.microsoftonline.us/<tenantId>`) — a tenant in it must be `tenantId`.
   * Must be `https:`, except loopback hosts (`localhost`, `127.0.0.1`, `[::1]`) for emulators.
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
  /** Encryption key, store timeout and key prefix of the shared `tokenCache`. */
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
 *
 * const httpClient: HttpClientLike = createDefaultHttpClient();
 * const credential = new ClientSecretCredential(tenantId, clientId, secret, { httpClient });
 * ```
 */
export interface HttpClientLike {
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

/** Retry policy of the token request. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Base delay of the exponential backoff, in ms (default 800). */
  retryDelayInMs?: number;
  /** The longest wait; a server asking for more (Retry-After) fails at once instead (default 60 000). */
  maxRetryDelayInMs?: number;
  /** Time limit of one attempt (request and answer), in ms (default 30 000). */
  tryTimeoutInMs?: number;
}

/** The transport: `fetch` or anything with its signature. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** A structured log event. Never carries secrets, keys, assertions or tokens. */
export interface LogEvent {
  level: "debug" | "info" | "warning" | "error";
  /** A stable event name, e.g. `token.request`, `token.retry`, `token.refresh_failed`. */
  event: string;
  /** A human-readable sentence. */
  message: string;
  /** The credential class, e.g. `ClientSecretCredential`. */
  credential: string;
  tenantId?: string;
  clientId?: string;
  scopes?: string;
  attempt?: number;
  statusCode?: number;
  delayMs?: number;
  durationMs?: number;
  correlationId?: string;
  errorCodes?: number[];
}

/** Receives structured events; exceptions it throws are ignored. */
export type Logger = (event: LogEvent) => void;

// ── Certificates ─────────────────────────────────────────────────────────────────────────────────

/** Options of {@link ClientCertificateCredential}. */
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

export type AssertionAlgorithm = "RS256" | "PS256";

/** Where a certificate comes from: a path, `{ certificatePath }` or `{ certificate }`. */
export type CertificateSource = string | CertificatePath | CertificateContents;

/** A certificate file's path, read through the runtime (not available inside Workers). */
export interface CertificatePath extends CertificateSelector {
  certificatePath: string;
  certificatePassword?: string;
}

/**
 * The certificate itself: PEM text, base64 of a PFX (how Key Vault and Worker secrets hold one),
 * or the bytes of a PFX (or of PEM text).
 */
export interface CertificateContents extends CertificateSelector {
  certificate: string | Uint8Array | ArrayBuffer;
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
 * const credential = new ClientCertificateCredential(tenantId, clientId, {
 *   certificate: keystoreBytes,
 *   certificatePassword: password,
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

/** Source forms `parseCertificate` accepts: a credential source, bare PEM text, or PFX/PEM bytes. */
export type ParseCertificateSource = CertificateSource | Uint8Array | ArrayBuffer;

/** What `parseCertificate` returns. */
export interface ParsedCertificate {
  /** The leaf's subject, RFC 4514 style (e.g. `CN=my-app,O=Contoso`). */
  subject: string;
  /** The leaf's issuer. */
  issuer: string;
  /** Serial number, upper-case hex. */
  serialNumber: string;
  notBefore: Date;
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

/** Options of {@link EnvironmentCredential}. */
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

// ── The shared token cache ───────────────────────────────────────────────────────────────────────

/**
 * A store ready to be a credential's `tokenCache`: what `workersKvTokenCache`,
 * `denoKvTokenCache`, `redisTokenCache`, `memoryTokenCache` and `sharedTokenCache` return. It
 * carries the encryption and coordination code, so an app without a shared cache never bundles it.
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
 * const store: TokenCacheStore = {
 *   get: (key) => myStore.read(key),
 *   set: (key, value, ttlSeconds) => myStore.write(key, value, { ttl: ttlSeconds }),
 *   delete: (key) => myStore.remove(key),
 * };
 * const credential = new ClientSecretCredential(tenantId, clientId, secret, { tokenCache: sharedTokenCache(store) });
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

/** Options of the shared token cache (`tokenCacheOptions`). */
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

/** The part of a Workers KV namespace binding the adapter uses. */
export interface KVNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The part of a Deno KV database (what `openKv()` resolves to) the adapter uses. */
export interface DenoKvLike {
  get(key: readonly unknown[]): Promise<{ value: unknown; versionstamp: string | null }>;
  set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  delete(key: readonly unknown[]): Promise<void>;
  atomic(): {
    check(...checks: { key: readonly unknown[]; versionstamp: string | null }[]): unknown;
    set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): unknown;
    commit(): Promise<{ ok: boolean }>;
  };
}

/** The part of a node-redis (v4+) client the adapter uses. */
export interface RedisClientLike {
  get(key: string): Promise<string | null | unknown>;
  set(key: string, value: string, options: { EX: number; NX?: boolean }): Promise<string | null | unknown>;
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
 * if (e instanceof AuthenticationError && e.code === "ERR_ENTRA_THROTTLED") await backOff();
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
 * const { error, errorCodes, correlationId } = authenticationError.errorResponse; // "invalid_client", [7000215], "…"
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

/** The reasons a certificate input can be refused; see {@link CertificateError}. */
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

