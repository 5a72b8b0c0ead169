/**
 * The options every credential takes, checked once when it is constructed (DESIGN "Public API",
 * "Errors": caller mistakes are a TypeError from the constructor): tenant and client ids, the
 * authority host, the tenants `getToken` may switch to, the transport and logger, the retry
 * policy, and the shared token cache.
 *
 * @module
 */
import { COORDINATE, type Coordinate } from "../cache/types.ts";
import { MAX_CLIENT_ID_LENGTH } from "../lib/limits.ts";
import type { CredentialOptions, FetchLike, Logger, LogEvent, RetryOptions, TokenCache } from "../types.ts";
import { normalizeAuthorityHost } from "./authority.ts";
import type { RetryPolicy } from "./retry.ts";
import { tenantProblem, TOKEN_CHARS } from "./target.ts";

/** A credential's checked settings. */
export interface Settings {
  /** The credential's class name, for messages and log events. */
  name: string;
  tenantId: string;
  clientId: string;
  /** The authority host, normalized (origin and path, no trailing slash). */
  authority: string;
  /** `additionallyAllowedTenants`. */
  allowed: ReadonlySet<string>;
  /** The transport; undefined: `globalThis.fetch`, looked up at call time. */
  fetch: FetchLike | undefined;
  policy: RetryPolicy;
  logger: Logger | undefined;
}

/** The retry options with their defaults, each a finite number ≥ 0 (the attempt timeout > 0). */
function retryPolicy(credential: string, options: RetryOptions | undefined): RetryPolicy {
  const p: RetryPolicy = {
    maxRetries: options?.maxRetries ?? 3,
    retryDelayInMs: options?.retryDelayInMs ?? 800,
    maxRetryDelayInMs: options?.maxRetryDelayInMs ?? 60_000,
    tryTimeoutInMs: options?.tryTimeoutInMs ?? 30_000,
  };
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isFinite(v) || v < 0 || (k === "tryTimeoutInMs" && !v)) throw new TypeError(`${credential}: retryOptions.${k} must be a number ${k === "tryTimeoutInMs" ? ">" : "≥"} 0.`);
  }
  return p;
}

/**
 * Checks a credential's ids and options; a TypeError names the first one that cannot be used.
 *
 * @example
 * ```ts
 * const s = settingsOf("ClientSecretCredential", tenantId, clientId, { retryOptions: { maxRetries: 1 } });
 * ```
 */
export function settingsOf(name: string, tenantId: unknown, clientId: unknown, options: CredentialOptions | undefined): Settings {
  const problem = tenantProblem(tenantId);
  if (problem) throw new TypeError(`${name}: tenantId ${problem}.`);
  if (typeof clientId !== "string" || clientId.length > MAX_CLIENT_ID_LENGTH || !TOKEN_CHARS.test(clientId)) {
    throw new TypeError(`${name}: clientId must be the app registration's Application (client) ID (1–${MAX_CLIENT_ID_LENGTH} printable characters, no spaces).`);
  }
  const allowed = options?.additionallyAllowedTenants ?? [];
  if (!Array.isArray(allowed) || allowed.some((t) => t !== "*" && tenantProblem(t))) {
    throw new TypeError(`${name}: additionallyAllowedTenants must be an array of tenant ids (or ["*"]).`);
  }
  for (const k of ["fetch", "logger"] as const) {
    if (options?.[k] !== undefined && typeof options[k] !== "function") throw new TypeError(`${name}: ${k} must be a function.`);
  }
  return {
    name,
    tenantId: tenantId as string,
    clientId,
    authority: normalizeAuthorityHost(name, options?.authorityHost),
    allowed: new Set(allowed),
    fetch: options?.fetch,
    policy: retryPolicy(name, options?.retryOptions),
    logger: options?.logger,
  };
}

/**
 * The shared token cache's coordinator for this credential, or undefined without `tokenCache`.
 * Its code comes with the store (see cache/shared.ts), so apps without one do not bundle it.
 * `keyMaterial`: the secret the entries' encryption key is derived from.
 *
 * @example
 * ```ts
 * const shared = coordinatorOf(settings, options, async () => utf8(secret), log);
 * ```
 */
export function coordinatorOf(
  s: Settings,
  options: CredentialOptions | undefined,
  keyMaterial: (() => Promise<Uint8Array>) | undefined,
  log: (level: LogEvent["level"], event: string, message: string) => void,
): Coordinate | undefined {
  const store = options?.tokenCache;
  if (store === undefined) return undefined;
  const make = (store as Partial<TokenCache> | null)?.[COORDINATE];
  if (typeof make !== "function") {
    throw new TypeError(`${s.name}: tokenCache must come from a store adapter (workersKvTokenCache, …) or sharedTokenCache(store).`);
  }
  return make({ credential: s.name, authority: s.authority, clientId: s.clientId, options: options?.tokenCacheOptions, keyMaterial, log });
}
