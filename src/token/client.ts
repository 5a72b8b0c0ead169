/**
 * The token core shared by every credential, as a pipeline of DESIGN "How a token is obtained":
 * the cached path (1), then the target of the call — tenant, scopes, claims and the keys derived
 * from them (5, target.ts) — the memory cache's verdict (1–3, cache.ts), the 429 guard and single
 * flight (4, 8: throttle.ts, single-flight.ts), the shared cache (cache/shared.ts), and the request
 * loop (6–9): build the request, make the attempt, process the answer (request.ts, response.ts),
 * and decide — retry after a wait, or fail (retry.ts). A credential only supplies how the client
 * authenticates (`ClientAuth`): a secret, an assertion callback, or a certificate.
 *
 * @module
 */
import type { Coordinate } from "../cache/types.ts";
import { AuthenticationError, firstLine, noErrorResponse } from "../lib/errors.ts";
import type { AccessToken, CredentialOptions, ErrorResponse, GetTokenOptions, LogEvent } from "../types.ts";
import { lifetimes, MemoryCache, REFRESH_RETRY_MS, servable, type CacheEntry } from "./cache.ts";
import { failureMessage, type Hints } from "./messages.ts";
import { checkKeys, coordinatorOf, GET_TOKEN_KEYS, settingsOf, type Settings } from "./options.ts";
import { attempt, type ClientAuth } from "./request.ts";
import { decide, sleep, type Decision } from "./retry.ts";
import { abortReason, SingleFlight, type Due } from "./single-flight.ts";
import { targetOf, type Target } from "./target.ts";
import { throttle, throttledUntil } from "./throttle.ts";

export type { ClientAuth } from "./request.ts";

/** A failure as the error reports it. */
interface Failed {
  status: number;
  body: ErrorResponse;
  detail: string;
  timedOut?: boolean;
  cause?: Error;
}

/**
 * A request's `client-request-id` (the correlation id Entra echoes, in errors and log events): a
 * random UUID v4 from `Math.random`, not `crypto.randomUUID()`. It identifies a request for
 * tracing and is no secret (it is sent in the clear and printed in errors), so it needs no
 * unpredictability; on Node the first touch of `globalThis.crypto` loads WebCrypto's internals,
 * which a client-secret credential otherwise never needs (alone 3.3 ms CPU on Node 20 and 7.2 ms
 * on Node 24; 0.7–0.8 ms of a first secret token, after fetch's own internals: measured in fresh
 * processes, test/tooling/first-use.test.ts). The assertion's `jti` stays `crypto.randomUUID()`.
 *
 * @example
 * ```ts
 * const id = newCorrelationId(); // "3f0c5a9e-7b1d-4e2a-9c4f-0d8e6b2a1c3d"
 * ```
 */
export function newCorrelationId(): string {
  // Each 0 and 1 a random hex digit, each 8 one of 8, 9, a, b (the variant, RFC 9562 section 4.1); the 4 is the version.
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) => (+c ^ ((Math.random() * 16) >> (+c / 4))).toString(16));
}

export class TokenClient {
  readonly #s: Settings;
  readonly #auth: ClientAuth;
  readonly #hints: Hints | undefined;
  /** The shared cache's coordinator; its code comes with the `tokenCache` store (see cache/shared.ts). */
  readonly #shared: Coordinate | undefined;
  readonly #cache = new MemoryCache();
  readonly #flights = new SingleFlight<AccessToken>();

  /**
   * `hints`: what to do next for AADSTS codes only this kind of credential meets (see messages.ts);
   * `keys`: the option keys this credential takes (options.ts lists every credential's).
   */
  constructor(
    name: string,
    tenantId: string,
    clientId: string,
    options: CredentialOptions | undefined,
    auth: ClientAuth,
    hints?: Hints,
    /** Secret material the shared cache's encryption key is derived from (the secret, or a signature by the private key), due by `until`. */
    cacheKeyMaterial?: (until: number) => Promise<Uint8Array>,
    keys?: readonly string[],
  ) {
    this.#s = settingsOf(name, tenantId, clientId, options, keys);
    this.#auth = auth;
    this.#hints = hints;
    this.#shared = coordinatorOf(this.#s, options, cacheKeyMaterial, (level, event, message) => this.#log(level, event, message));
  }

  get tenantId(): string {
    return this.#s.tenantId;
  }

  get clientId(): string {
    return this.#s.clientId;
  }

  /** Gets a token: from the cache when it is fresh (no I/O, no allocation), else from Entra. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    if (options === null) options = undefined;
    let cached: boolean;
    try {
      if (options !== undefined) {
        checkKeys(this.#s.name, options, GET_TOKEN_KEYS, "getToken option");
        if (options.proofOfPossessionOptions !== undefined) {
          throw new TypeError(`${this.#s.name}: proofOfPossessionOptions is not supported: Bearer tokens only.`);
        }
        const signal: unknown = options.abortSignal;
        // An AbortController itself, {} or a string failed deep inside ("addEventListener is not a function").
        if (signal != null) {
          let not: string | undefined;
          try {
            if (typeof (signal as AbortSignal).addEventListener !== "function" || typeof (signal as AbortSignal).aborted !== "boolean") {
              not = typeof (signal as AbortController).abort === "function" ? "its AbortController: pass controller.signal" : typeof signal === "object" ? "another object" : `a ${typeof signal}`;
            }
          } catch {
            // A revoked Proxy; an `aborted` getter that throws (Object.create(AbortSignal.prototype); Bun's, on a Proxy of a signal).
            not = "an object whose properties throw";
          }
          if (not) throw new TypeError(`${this.#s.name}: getToken's abortSignal must be an AbortSignal, not ${not}.`);
        }
      }
      // (Read here, in the try: a getter that throws rejects, not throws — second attack review of session 11.)
      cached = options === undefined || (options.tenantId === undefined && !options.claims && !options.enableCae && !options.abortSignal?.aborted);
    } catch (e) {
      return Promise.reject(e);
    }
    if (cached) {
      const hit = this.#cache.resolved(typeof scopes === "string" ? scopes : Array.isArray(scopes) && scopes.length === 1 ? (scopes[0] as string) : "", Date.now());
      if (hit !== undefined) return hit;
    }
    return this.#getToken(scopes, options);
  }

  async #getToken(scopes: string | string[], options: GetTokenOptions | undefined): Promise<AccessToken> {
    const signal = options?.abortSignal;
    if (signal?.aborted) throw abortReason(signal);
    const target = targetOf(this.#s, scopes, options);
    // A CAE / Conditional Access challenge: the cached token was refused, so skip it (and the shared cache).
    if (target.challenge) return this.#fly(target, signal);
    const [state, entry] = this.#cache.lookup(target.cacheKey, Date.now());
    if (state === "fresh") return entry!.token;
    // A refresh in progress: its caller waits for it (one short attempt), the others get the cached token now.
    if (state === "refreshable") return this.#flights.flying(target.flightKey) ? entry!.token : this.#refresh(target, entry!, signal);
    return this.#fly(target, signal);
  }

  /**
   * Refreshes a token that is past its refreshAfter but still valid (DESIGN "Refresh"): one
   * attempt of at most REFRESH_TRY_TIMEOUT_MS (limits.ts), no retries; when it fails, the cached
   * token is served and the next refresh waits {@link REFRESH_RETRY_MS}. The caller that started
   * it waits for it (so a Worker's request that makes the refresh outlives it: workerd drops what a
   * finished request left running); callers that come meanwhile are served the cached token.
   */
  async #refresh(target: Target, entry: CacheEntry, signal: GetTokenOptions["abortSignal"]): Promise<AccessToken> {
    try {
      return await this.#fly({ ...target, soft: true }, signal);
    } catch (e) {
      if (signal?.aborted) {
        // Its caller left, and the refresh ended with it: the next 30 s are served from the cache
        // all the same, or every caller with a deadline under 5 s started one, and failed (review 12).
        this.#cache.refreshFailed(entry, Date.now());
        throw e;
      }
      // Every waiter of the failed refresh lands here: the first one logs it and sets the pause.
      if (this.#cache.refreshFailed(entry, Date.now())) {
        this.#log(
          "warning",
          "token.refresh_failed",
          `Refresh failed; the cached token (valid until ${new Date(entry.expiresOn).toISOString()}) is used, next try in ${REFRESH_RETRY_MS / 1000} s: ${e instanceof Error ? e.message : e}`,
          { tenantId: target.tenant, scopes: target.scope },
        );
      }
      if (servable(entry, Date.now())) return entry.token;
      throw e;
    }
  }

  /**
   * Joins (or starts) the single flight of the target. While the identical request is throttled
   * (a 429's Retry-After has not passed), it fails fast instead — also when a flight is waiting out
   * that Retry-After: a new caller gets a clear error at once rather than joining a wait.
   */
  #fly(target: Target, signal: GetTokenOptions["abortSignal"]): Promise<AccessToken> {
    const blocked = throttledUntil(target.throttleKey, Date.now());
    if (blocked !== undefined) {
      const detail = `Entra answered 429 to this request; it is not sent again for ${Math.ceil((blocked - Date.now()) / 1000)} s (its Retry-After, at most 5 min).`;
      return Promise.reject(this.#error({ status: 429, body: noErrorResponse(newCorrelationId()), detail }, 0));
    }
    return this.#flights.join(
      target.flightKey,
      (flightSignal, due) =>
        // Claims challenges skip the shared cache.
        this.#shared && !target.challenge
          ? this.#shared(target.tenant, target.cacheKey, flightSignal, () => this.#request(target, flightSignal, due), (token, checkAt) => this.#cache.remember(target.cacheKey, token, target.servable, checkAt), due)
          : this.#request(target, flightSignal, due),
      signal,
    );
  }

  /**
   * The request loop of one flight (DESIGN "Retry"): send, and on failure decide — wait and try
   * again, or fail. A `soft` refresh (a still-valid token is cached, and served if this fails) does
   * not wait out a 429 or a server-requested Retry-After: it gives up at once, so its callers get
   * the cached token now instead of after the wait. Before each attempt and each wait it tells
   * the flight (`due`) when it will have moved on: a flight past that is gone (single-flight.ts).
   */
  async #request(target: Target, signal: AbortSignal, due: Due): Promise<AccessToken> {
    const correlationId = newCorrelationId();
    const base = { tenantId: target.tenant, clientId: this.#s.clientId, scopes: target.scope, correlationId };
    for (let n = 1; ; n++) {
      const sentAt = Date.now();
      this.#log("debug", "token.request", `Requesting a token from ${target.url} (attempt ${n}).`, { attempt: n, ...base });
      // (A refresh's attempt is shorter: this bounds it too.)
      due(this.#s.policy.tryTimeoutInMs);
      const result = await attempt(this.#s, target, correlationId, this.#auth, signal);
      const facts = { statusCode: result.status, durationMs: Date.now() - sentAt, attempt: n, ...base };
      if (result.ok) {
        const { accessToken, expiresInSeconds, refreshInSeconds } = result.fields;
        const { expiresOn, refreshAfter } = lifetimes(sentAt, expiresInSeconds, refreshInSeconds);
        // Built only for a logger: the first Date#toISOString of a process costs 0.2–0.3 ms of CPU.
        if (this.#s.logger) this.#log("info", "token.acquired", `Got a token valid until ${new Date(expiresOn).toISOString()}.`, facts);
        const token: AccessToken = Object.freeze({ token: accessToken, tokenType: "Bearer", expiresOnTimestamp: expiresOn, refreshAfterTimestamp: refreshAfter });
        return this.#cache.remember(target.cacheKey, token, target.servable);
      }
      const decision = decide(result, n, this.#s.policy, target.soft);
      const { error, errorCodes } = result.body;
      this.#log(
        decision.stop === "final" || decision.stop === "exhausted" ? "error" : "warning",
        "token.failed",
        `Token request failed (${result.status ? `HTTP ${result.status}` : "no HTTP answer"}${error ? ` ${error}` : ""}): ${firstLine(result.detail)}`,
        { ...facts, ...(errorCodes && { errorCodes }) },
      );
      if (decision.throttleMs !== undefined) throttle(target.throttleKey, decision.throttleMs);
      if (decision.stop) throw this.#error(result, n, decision);
      this.#log("info", "token.retry", `Retrying in ${decision.delayMs} ms.`, { delayMs: decision.delayMs, attempt: n, ...base });
      due(decision.delayMs);
      await sleep(decision.delayMs, signal);
    }
  }

  /** The AuthenticationError a caller gets: what Entra said (or what went wrong), the attempts, and what to do next. */
  #error(failed: Failed, attempts: number, decision?: Decision): AuthenticationError {
    const { cause } = failed;
    const message = failureMessage(this.#s.name, failed, attempts, this.#hints, decision);
    return new AuthenticationError(failed.status, failed.body, message, failed.timedOut ? { cause, code: "ERR_ENTRA_TIMEOUT" } : cause && { cause });
  }

  #log(level: LogEvent["level"], event: string, message: string, fields?: Partial<LogEvent>): void {
    try {
      // A failing logger must not fail getToken, nor (async, rejecting) the process.
      (this.#s.logger?.({ credential: this.#s.name, level, event, message, ...fields }) as unknown as Promise<void> | undefined)?.catch?.(() => {});
    } catch {
      // as above
    }
  }
}
