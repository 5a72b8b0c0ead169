/**
 * The token core shared by every credential: cache with lifetime and refresh rules, single flight,
 * tenant selection, CAE claims, and the retrying request loop. A credential only supplies how the
 * client authenticates (`ClientAuth`): a secret, an assertion callback, or a certificate.
 *
 * @module
 */
import { AuthenticationError, CredentialUnavailableError } from "../lib/errors.ts";
import type { AbortSignalLike, AccessToken, CredentialOptions, ErrorResponse, FetchLike, GetTokenOptions, LogEvent, Logger, TokenCache } from "../types.ts";
import { SKU, VERSION } from "../lib/version.ts";
import { COORDINATE, type Coordinate } from "../cache/types.ts";
import { normalizeAuthorityHost, normalizeScopes, tenantProblem, validateClientId, validateTenant } from "./authority.ts";
import { failureMessage, type Hints } from "./messages.ts";
import { attempt } from "./request.ts";
import { backoffDelay, MAX_SERVER_DELAY_MS, retryPolicy, sleep, throttle, throttledUntil, type RetryPolicy } from "./retry.ts";

/**
 * How a credential proves who it is: returns the form fields to add to a token request posted to
 * `tokenUrl` (`client_secret`, or `client_assertion_type` + `client_assertion`). Values of these
 * fields are treated as secrets (redacted from every error).
 */
export type ClientAuth = (tokenUrl: string, signal: AbortSignal) => Record<string, string> | Promise<Record<string, string>>;

/** A refresh that failed is not tried again for this long (the cached token is served meanwhile). */
export const REFRESH_RETRY_MS = 30_000;
/** Within this margin of expiry a token is not served: a new one must be fetched. */
export const EXPIRY_MARGIN_MS = 30_000;
/**
 * A token is refreshed at the latest this long after it was obtained, whatever its lifetime.
 * Entra's access tokens live 1 day at most (so their half-life refresh is never later than this);
 * an answer claiming years (a misconfigured proxy, a fake endpoint) must not pin a token in the
 * cache for years.
 */
export const MAX_REFRESH_AFTER_MS = 86_400_000; // 24 h

interface CacheEntry {
  token: AccessToken;
  /**
   * A promise already resolved with `token`, which the cached path returns as is — only in the
   * entries it may serve: the credential's own tenant, no CAE, one scope (a key that is a valid
   * scope string, so no other scope string can reach another tenant's or the CAE token).
   */
  resolved: Promise<AccessToken> | undefined;
  refreshAfter: number;
  expiresOn: number;
  /** After a failed refresh, no new attempt before this time. */
  nextRefresh: number;
}

/** One token request as a flight makes it: where to cache it, where to send it, and how. */
interface Want {
  cacheKey: string;
  url: string;
  throttleKey: string;
  tenant: string;
  scope: string;
  claims: string | undefined;
  /** A still-valid token is cached: give up at once rather than wait out a 429 (DESIGN "Refresh"). */
  soft?: boolean;
}

interface Flight {
  promise: Promise<AccessToken>;
  controller: AbortController;
  waiters: number;
}

/** Computes when a token expires and when to refresh it (DESIGN "Lifetimes"), refreshing at least daily. */
export function lifetimes(sentAt: number, expiresInSeconds: number, refreshInSeconds: number | undefined): { expiresOn: number; refreshAfter: number } {
  const lifetime = expiresInSeconds * 1000;
  const expiresOn = sentAt + lifetime;
  const refreshAfter =
    refreshInSeconds !== undefined
      ? sentAt + refreshInSeconds * 1000 // the server's refresh_in (never past expiry: see below)
      : lifetime >= 7_200_000 // 2 h or more: half the lifetime
        ? sentAt + lifetime / 2
        : expiresOn - Math.min(300_000, lifetime / 2); // else 5 min (or half the lifetime) before expiry
  return { expiresOn, refreshAfter: Math.min(refreshAfter, expiresOn, sentAt + MAX_REFRESH_AFTER_MS) };
}

/** `value` when it is a JSON object, else `{}`. */
const asObject = (value: unknown) => ((typeof value === "object" && value) || {}) as Record<string, unknown>;

/** The claims to send: the caller's, with CAE's `xms_cc: ["cp1"]` merged in when `enableCae` is set. */
function mergeClaims(claims: string | undefined, enableCae: boolean): string | undefined {
  if (!enableCae) return claims || undefined;
  try {
    const base = asObject(claims ? JSON.parse(claims) : {});
    return JSON.stringify({ ...base, access_token: { ...asObject(base.access_token), xms_cc: { values: ["cp1"] } } });
  } catch {
    throw new TypeError("getToken: claims must be a JSON string (as decoded from the CAE challenge).");
  }
}

/** The caller's abort reason; signals without `reason` (older AbortSignalLike) get an AbortError. */
function abortReason(signal: AbortSignalLike): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

/** Waits for a shared flight on behalf of one caller; when every caller gave up, the request is aborted. */
function join(flights: Map<string, Flight>, key: string, flight: Flight, signal: AbortSignalLike | undefined): Promise<AccessToken> {
  flight.waiters++;
  return signal
    ? new Promise<AccessToken>((resolve, reject) => {
        const onAbort = () => {
          leave(flights, key, flight, abortReason(signal));
          reject(abortReason(signal));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        flight.promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
      })
    : flight.promise;
}

function leave(flights: Map<string, Flight>, key: string, flight: Flight, reason: unknown): void {
  if (--flight.waiters > 0) return;
  if (flights.get(key) === flight) flights.delete(key);
  flight.controller.abort(reason);
}

export class TokenClient {
  readonly #name: string;
  readonly #tenantId: string;
  readonly #clientId: string;
  readonly #authority: string;
  readonly #allowed: ReadonlySet<string>;
  readonly #fetch: FetchLike | undefined;
  readonly #policy: RetryPolicy;
  readonly #logger: Logger | undefined;
  readonly #auth: ClientAuth;
  readonly #hints: Hints | undefined;
  /** The shared cache's coordinator; its code comes with the `tokenCache` store (see cache/shared.ts). */
  readonly #shared: Coordinate | undefined;
  /**
   * The memory cache. Entries of the credential's own tenant without CAE are keyed by the scope
   * string alone (the common case, served by the cached path); others by tenant, CAE and scopes.
   */
  readonly #cache = new Map<string, CacheEntry>();
  readonly #flights = new Map<string, Flight>();

  /** `hints`: what to do next for AADSTS codes only this kind of credential meets (see messages.ts). */
  constructor(
    name: string,
    tenantId: string,
    clientId: string,
    options: CredentialOptions | undefined,
    auth: ClientAuth,
    hints?: Hints,
    /** Secret material the shared cache's encryption key is derived from (the secret, or a signature by the private key). */
    cacheKeyMaterial?: () => Promise<Uint8Array>,
  ) {
    this.#name = name;
    this.#tenantId = validateTenant(name, tenantId);
    this.#clientId = validateClientId(name, clientId);
    this.#authority = normalizeAuthorityHost(name, options?.authorityHost);
    const allowed = options?.additionallyAllowedTenants ?? [];
    if (!Array.isArray(allowed) || allowed.some((t) => t !== "*" && tenantProblem(t))) {
      throw new TypeError(`${name}: additionallyAllowedTenants must be an array of tenant ids (or ["*"]).`);
    }
    this.#allowed = new Set(allowed);
    for (const k of ["fetch", "logger"] as const) {
      if (options?.[k] !== undefined && typeof options[k] !== "function") throw new TypeError(`${name}: ${k} must be a function.`);
    }
    this.#fetch = options?.fetch;
    this.#policy = retryPolicy(name, options?.retryOptions);
    this.#logger = options?.logger;
    this.#auth = auth;
    this.#hints = hints;
    const store = options?.tokenCache;
    if (store !== undefined) {
      const make = (store as Partial<TokenCache> | null)?.[COORDINATE];
      if (typeof make !== "function") {
        throw new TypeError(`${name}: tokenCache must come from a store adapter (workersKvTokenCache, …) or sharedTokenCache(store).`);
      }
      this.#shared = make({
        credential: name,
        authority: this.#authority,
        clientId: this.#clientId,
        options: options?.tokenCacheOptions,
        keyMaterial: cacheKeyMaterial,
        log: (level, event, message) => this.#log(level, event, message),
      });
    }
  }

  get tenantId(): string {
    return this.#tenantId;
  }

  get clientId(): string {
    return this.#clientId;
  }

  /** Gets a token: from the cache when it is fresh (no I/O, no allocation), else from Entra. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    if (options === undefined || (options.tenantId === undefined && !options.claims && !options.enableCae && !options.abortSignal?.aborted)) {
      const entry = this.#cache.get(typeof scopes === "string" ? scopes : Array.isArray(scopes) && scopes.length === 1 ? (scopes[0] as string) : "");
      if (entry?.resolved !== undefined && Date.now() < entry.refreshAfter) return entry.resolved;
    }
    return this.#getToken(scopes, options);
  }

  async #getToken(scopes: string | string[], options: GetTokenOptions | undefined): Promise<AccessToken> {
    const signal = options?.abortSignal;
    if (signal?.aborted) throw abortReason(signal);
    const scope = normalizeScopes(this.#name, scopes);
    const tenant = this.#resolveTenant(options?.tenantId);
    const cae = options?.enableCae === true;
    const claims = mergeClaims(options?.claims, cae);
    const cacheKey = tenant === this.#tenantId && !cae ? scope : `${tenant}\u0000${cae ? "cae" : ""}\u0000${scope}`;
    const url = `${this.#authority}/${tenant}/oauth2/v2.0/token`;
    const want: Want = { cacheKey, url, throttleKey: `${url}\u0000${this.#clientId}\u0000${scope}\u0000${claims ?? ""}`, tenant, scope, claims };

    // A CAE / Conditional Access challenge: the cached token was refused, so skip it (and the shared cache).
    if (claims !== undefined && options?.claims) return this.#fly(`${cacheKey}\u0000${claims}`, want, signal);
    const entry = this.#cache.get(cacheKey);
    const now = Date.now();
    if (entry !== undefined) {
      if (now < entry.refreshAfter) return entry.token;
      if (now < entry.expiresOn - EXPIRY_MARGIN_MS) {
        if (now < entry.nextRefresh) return entry.token;
        try {
          return await this.#fly(cacheKey, { ...want, soft: true }, signal);
        } catch (e) {
          if (signal?.aborted) throw e;
          // Every waiter of the failed refresh lands here: the first one logs it and sets the pause.
          if (entry.nextRefresh <= Date.now()) {
            entry.nextRefresh = Date.now() + REFRESH_RETRY_MS;
            this.#log(
              "warning",
              "token.refresh_failed",
              `Refresh failed; the cached token (valid until ${new Date(entry.expiresOn).toISOString()}) is used, next try in ${REFRESH_RETRY_MS / 1000} s: ${e instanceof Error ? e.message : e}`,
              { tenantId: tenant, scopes: scope },
            );
          }
          if (Date.now() < entry.expiresOn - EXPIRY_MARGIN_MS) return entry.token;
          throw e;
        }
      }
      this.#cache.delete(cacheKey);
    }
    return this.#fly(cacheKey, want, signal);
  }

  #resolveTenant(requested: string | undefined): string {
    if (requested === undefined || requested === this.#tenantId) return this.#tenantId;
    const problem = tenantProblem(requested);
    if (problem) throw new TypeError(`${this.#name}: getToken's tenantId ${problem}.`);
    if (this.#allowed.has("*") || this.#allowed.has(requested)) return requested;
    throw new CredentialUnavailableError(
      `${this.#name}: tenant ${requested} is not allowed: add it to additionallyAllowedTenants (or AZURE_ADDITIONALLY_ALLOWED_TENANTS), or "*" for any.`,
    );
  }

  /**
   * Joins (or starts) the single flight for `flightKey`; a success is cached under `want.cacheKey`.
   * While the identical request is throttled (a 429's Retry-After has not passed), it fails fast
   * instead — also when a flight is waiting out that Retry-After: a new caller gets a clear error
   * at once rather than joining a wait.
   */
  #fly(flightKey: string, want: Want, signal: AbortSignalLike | undefined): Promise<AccessToken> {
    const blocked = throttledUntil(want.throttleKey, Date.now());
    if (blocked !== undefined) {
      const body = {
        error: "throttled",
        errorDescription: `Entra answered 429 to this request; it is not sent again for ${Math.ceil((blocked - Date.now()) / 1000)} s (its Retry-After, at most 5 min).`,
        correlationId: crypto.randomUUID(),
      };
      return Promise.reject(this.#error(429, body, 0));
    }
    let flight = this.#flights.get(flightKey);
    if (flight === undefined) {
      const controller = new AbortController();
      const f: Flight = { controller, waiters: 0, promise: undefined as unknown as Promise<AccessToken> };
      const { cacheKey } = want;
      const request = () => this.#request(want, controller.signal);
      // Claims challenges skip the shared cache.
      const run =
        this.#shared && flightKey === cacheKey
          ? this.#shared(want.tenant, cacheKey, controller.signal, request, (token, checkAt) => this.#remember(cacheKey, token, checkAt))
          : request();
      f.promise = run.finally(() => {
        if (this.#flights.get(flightKey) === f) this.#flights.delete(flightKey);
      });
      // Every waiter observes the outcome; this keeps a flight that all waiters left from being "unhandled".
      f.promise.catch(() => {});
      this.#flights.set(flightKey, f);
      flight = f;
    }
    return join(this.#flights, flightKey, flight, signal);
  }

  /** Puts a token into memory; `checkAt` brings the next look (at the shared cache) forward. */
  #remember(cacheKey: string, token: AccessToken, checkAt?: number): AccessToken {
    const refreshAfter = checkAt === undefined ? token.refreshAfterTimestamp : Math.min(token.refreshAfterTimestamp, checkAt);
    // Keys of other tenants and CAE hold NUL characters, those of several scopes a space: not for the cached path.
    const resolved = /[\0 ]/.test(cacheKey) ? undefined : Promise.resolve(token);
    this.#cache.set(cacheKey, { token, resolved, expiresOn: token.expiresOnTimestamp, refreshAfter, nextRefresh: 0 });
    return token;
  }

  /**
   * The retrying request loop of one flight. A `soft` refresh (a still-valid token is cached, and
   * served if this fails) does not wait out a 429 or a server-requested Retry-After: it gives up at
   * once, so its callers get the cached token now instead of after the wait.
   */
  async #request(want: Want, signal: AbortSignal): Promise<AccessToken> {
    const { url, throttleKey, tenant, scope, claims } = want;
    const correlationId = crypto.randomUUID();
    const policy = this.#policy;
    const base = { tenantId: tenant, clientId: this.#clientId, scopes: scope, correlationId };

    for (let n = 1; ; n++) {
      const sentAt = Date.now();
      this.#log("debug", "token.request", `Requesting a token from ${url} (attempt ${n}).`, { attempt: n, ...base });
      const result = await attempt({
        fetch: this.#fetch ?? globalThis.fetch,
        url,
        form: { client_id: this.#clientId, scope, grant_type: "client_credentials", ...(claims !== undefined && { claims }) },
        auth: (s) => this.#auth(url, s),
        headers: {
          "content-type": "application/x-www-form-urlencoded;charset=utf-8",
          "client-request-id": correlationId,
          "return-client-request-id": "true",
          "x-client-SKU": SKU,
          "x-client-VER": VERSION,
        },
        correlationId,
        timeoutMs: policy.tryTimeoutInMs,
        signal,
      });
      const { status } = result;
      const durationMs = Date.now() - sentAt;
      const facts = { statusCode: status, durationMs, attempt: n, ...base };
      if (result.ok) {
        const { expiresOn, refreshAfter } = lifetimes(sentAt, result.fields.expiresInSeconds, result.fields.refreshInSeconds);
        this.#log("info", "token.acquired", `Got a token valid until ${new Date(expiresOn).toISOString()}.`, facts);
        return this.#remember(
          want.cacheKey,
          Object.freeze({ token: result.fields.accessToken, tokenType: "Bearer", expiresOnTimestamp: expiresOn, refreshAfterTimestamp: refreshAfter }),
        );
      }

      const { body: answer, retryable, retryAfterMs: retryAfter } = result;
      const fail = (extra?: string) => this.#error(status, answer, n, extra, result.cause);
      const { error, errorCodes } = answer;
      this.#log(retryable && n <= policy.maxRetries ? "warning" : "error", "token.failed", `Token request failed: ${error} (${status ? `HTTP ${status}` : "no HTTP answer"}).`, {
        ...facts,
        ...(errorCodes && { errorCodes }),
      });
      const delayMs = Math.round(retryAfter ?? backoffDelay(policy, n - 1));
      if (status === 429) throttle(throttleKey, delayMs);
      if (!retryable || n > policy.maxRetries) throw fail();
      if (want.soft && (status === 429 || retryAfter !== undefined)) throw fail(" The cached token is still valid, so the refresh did not wait.");
      if (retryAfter! > policy.maxRetryDelayInMs) {
        throw fail(` The server asked to wait ${retryAfter! < MAX_SERVER_DELAY_MS ? `${Math.ceil(delayMs / 1000)} s` : "a day or more"}, more than maxRetryDelayInMs.`);
      }
      this.#log("info", "token.retry", `Retrying in ${delayMs} ms.`, { delayMs, attempt: n, ...base });
      await sleep(delayMs, signal);
    }
  }

  /** The AuthenticationError a caller gets: Entra's answer, the attempts, and what to do next. */
  #error(status: number, body: ErrorResponse, attempts: number, extra = "", cause?: Error): AuthenticationError {
    return new AuthenticationError(status, body, failureMessage(this.#name, status, body, attempts, this.#hints) + extra, cause && { cause });
  }

  #log(level: LogEvent["level"], event: string, message: string, fields?: Partial<LogEvent>): void {
    try {
      this.#logger?.({ credential: this.#name, level, event, message, ...fields });
    } catch {
      // a failing logger must not fail getToken
    }
  }
}
