/**
 * Public types shared by every credential. They are structurally compatible with
 * `@azure/core-auth` (`TokenCredential`, `AccessToken`, `GetTokenOptions`), so Azure SDK clients
 * accept entra-edge credentials without entra-edge depending on `@azure/core-auth`.
 *
 * @module
 */

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
  /** Claims from a CAE / Conditional Access challenge (a JSON string); skips the cache. */
  claims?: string;
  /** Ask another tenant; it must be listed in `additionallyAllowedTenants` (or that list holds `"*"`). */
  tenantId?: string;
  /** Ask for a CAE-capable token (`xms_cc: ["cp1"]`); cached separately. */
  enableCae?: boolean;
}

/** Anything that can get a token: every entra-edge credential, and `@azure/core-auth`'s interface. */
export interface TokenCredential {
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken>;
}

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

import type { TokenCache, TokenCacheOptions } from "../cache/types.ts";

/** Options every credential accepts. */
export interface CredentialOptions {
  /**
   * The Entra authority host (default `https://login.microsoftonline.com`). Must be `https:`,
   * except loopback hosts (`localhost`, `127.0.0.1`, `[::1]`) for emulators.
   */
  authorityHost?: string;
  /** Tenants that `getToken({ tenantId })` may switch to; `"*"` allows any. */
  additionallyAllowedTenants?: string[];
  /** The transport; defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike;
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
}
