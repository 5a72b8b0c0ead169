/**
 * The local Entra emulator: a fetch handler standing in for the v2.0 token endpoint
 * (`POST /{tenant}/oauth2/v2.0/token`, client credentials grant), with the discovery documents
 * MSAL clients ask for, the JWKS of the tokens it issues, an external OIDC issuer for federated
 * credentials, a clock tests move, fault injection and an optional HTTP control API.
 *
 * @module
 */
import type {
  EmulatorApp,
  EmulatorControl,
  EmulatorFault,
  EmulatorRequest,
  EmulatorWorkload,
  ExternalTokenOptions,
  ForgeTokenOptions,
} from "./types.ts";
import { DROP, RECORD_OF, SERVED, type Drop, type EmulatorHandler } from "./handler.ts";
import { aadsts, entraErrorResponse, entraHeaders, json, traceContext, type EntraErrorSpec, type TraceContext } from "./errors.ts";
import { accessTokenClaims, TokenSigner } from "./tokens.ts";
import { decodeJwt, JWT_BEARER, verifyAssertion } from "./assertion.ts";
import { JwksFetcher, verifyFederated } from "./federation.ts";
import { registerApp, type AppEntry } from "./registration.ts";
import { EmulatorClock } from "./clock.ts";
import { ExternalIssuer, ISSUER_ROUTE, issuerName } from "./issuer.ts";
import { BodyTooLarge, readTextLimited } from "./body.ts";
import { controlRoute } from "./control.ts";
import {
  brokenJsonResponse,
  FaultQueue,
  htmlFaultResponse,
  hugeBodyResponse,
  missingTokenResponse,
  statusFaultResponse,
} from "./faults.ts";
import { untilAborted, wait } from "./encoding.ts";
import { instanceDiscovery, openidConfiguration } from "./discovery.ts";
import { trimSlashes } from "../token/authority.ts";

/**
 * Options of {@link EntraEmulator}.
 *
 * @example
 * ```ts
 * import { EntraEmulator } from "entra-edge/testing";
 *
 * const controlled = new EntraEmulator({ control: true }); // controllable with connectEmulator(url)
 * const behindProxy = new EntraEmulator({ publicUrl: "https://login.test.example" });
 * ```
 */
export interface EntraEmulatorOptions {
  /**
   * Serve the control API: `POST /__emulator/<method>` with a JSON array of arguments calls that
   * {@link EmulatorControl} method and answers `{ "result": … }` (or `{ "error": … }`, status 500).
   * Used by `connectEmulator()`. Off by default. Browser pages cannot call it (cross-origin
   * requests are refused).
   */
  control?: boolean;
  /**
   * The URL clients reach the emulator at, when that is not the origin of the requests it gets
   * (a TLS proxy in front): the discovery documents, the issuer URLs and the accepted assertion
   * audience use it. Default: the origin of each request (`https://…` when served with TLS).
   */
  publicUrl?: string;
  /** How external issuers' discovery documents and JWKS are fetched (default: `globalThis.fetch`, at call time). */
  fetch?: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
}

type Outcome = { error: EntraErrorSpec } | { answer: Record<string, unknown> };

const RECORDED_HEADERS = [
  "client-request-id",
  "x-client-sku",
  "x-client-ver",
  "x-client-os",
  "x-client-cpu",
  "x-ms-lib-capability",
  "return-client-request-id",
  "content-type",
  "user-agent",
];
/** Scopes MSAL adds beside `.default`; Entra ignores them in the client credentials grant. */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);
/** Largest token request body (an assertion with a long x5c chain is a few KiB). */
const MAX_TOKEN_BODY = 256 << 10;
const TOKEN_ROUTE = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i;
const KEYS_ROUTE = /^\/([^/]+)\/discovery\/v2\.0\/keys\/?$/i;
const OPENID_ROUTE = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/i;
const INSTANCE_ROUTE = /^\/common\/discovery\/instance\/?$/i;
const WELL_KNOWN_TENANTS = new Set(["common", "organizations", "consumers"]);

function appKey(tenantId: string, clientId: string): string {
  return `${tenantId.toLowerCase()}\n${clientId.toLowerCase()}`;
}

function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function wantsCae(claims: unknown): boolean {
  const values = (claims as { access_token?: { xms_cc?: { values?: unknown } } } | null)?.access_token?.xms_cc?.values;
  return Array.isArray(values) && values.includes("cp1");
}

function sameId(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

function origin(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`emulator: ${what} is not a URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError(`emulator: ${what} must be an http(s) URL`);
  return trimSlashes(`${parsed.origin}${parsed.pathname}`);
}

/**
 * A faithful local stand-in for Microsoft Entra ID's v2.0 token endpoint: client credentials
 * with a client secret, a certificate assertion or a federated credential (an external token),
 * judged the way Entra judges them and refused with Entra's codes. It is a plain fetch handler, so
 * it runs in-process in every runtime — pass `emulator.fetch` as a credential's transport — or is
 * served on 127.0.0.1 (HTTP or HTTPS) with `serveEmulator()`.
 *
 * Routes: `POST /{tenant}/oauth2/v2.0/token`, `GET /{tenant}/discovery/v2.0/keys` (JWKS of the
 * token-signing key), `GET /{tenant}/v2.0/.well-known/openid-configuration`,
 * `GET /common/discovery/instance` (MSAL's instance discovery), the external issuer's
 * `GET /issuer/{name}/.well-known/openid-configuration`, `/issuer/{name}/keys` and
 * `/issuer/{name}/token` and, with `{ control: true }`, `POST /__emulator/<method>`. Anything else
 * is a 404.
 *
 * @example
 * ```ts
 * import { EntraEmulator } from "entra-edge/testing";
 * import { ClientSecretCredential } from "entra-edge";
 *
 * const emulator = new EntraEmulator();
 * emulator.addApp({ tenantId: "contoso", clientId: "app", secrets: ["s3cret"], refreshIn: 1800 });
 * const credential = new ClientSecretCredential("contoso", "app", "s3cret", {
 *   authorityHost: "http://127.0.0.1",
 *   fetch: emulator.fetch,
 * });
 * const { token } = await credential.getToken("https://graph.microsoft.com/.default");
 * const claims = await emulator.verifyAccessToken(token); // { aud: "https://graph.microsoft.com", … }
 * ```
 */
export class EntraEmulator implements EmulatorControl {
  /**
   * The emulator's clock: certificate and secret validity, assertion times, issued tokens and
   * error timestamps all read it.
   *
   * @example
   * ```ts
   * emulator.clock.advance(24 * 3600_000); // a day later: a secret that ends today is now expired
   * ```
   */
  readonly clock: EmulatorClock = new EmulatorClock();
  readonly #control: boolean;
  readonly #publicUrl: string | undefined;
  readonly #signer = new TokenSigner("entra-edge emulator token signing");
  readonly #issuer = new ExternalIssuer();
  readonly #fetcher: JwksFetcher;
  #servedUrl: string | undefined;
  #apps = new Map<string, AppEntry>();
  #faults = new FaultQueue();
  #delay = 0;
  #log: EmulatorRequest[] = [];
  /** Requests {@link fetch} made from (input, init), with the signal the caller gave (see {@link fetch}). */
  readonly #callerSignals = new WeakMap<Request, AbortSignal>();
  /** Each token request's entry of the log, by its Request (for the CLI's log line: {@link RECORD_OF}). */
  readonly #records = new WeakMap<Request, EmulatorRequest>();

  /** An emulator with no apps; register them with {@link addApp}. */
  constructor(options: EntraEmulatorOptions = {}) {
    for (const key of Object.keys(options)) {
      if (!["control", "publicUrl", "fetch"].includes(key)) throw new TypeError(`emulator: unknown option '${key}' (known: control, publicUrl, fetch)`);
    }
    this.#control = options.control === true;
    this.#publicUrl = options.publicUrl === undefined ? undefined : origin(options.publicUrl, "publicUrl");
    const transport = options.fetch;
    this.#fetcher = new JwksFetcher(() => (transport ?? globalThis.fetch) as typeof fetch);
  }

  /**
   * The emulator as a `fetch` function (bound, so it can be passed around). A `drop` fault rejects
   * with a `TypeError` like a network error; an aborted request rejects with the signal's reason.
   *
   * @example
   * ```ts
   * const response = await emulator.fetch(new Request("http://127.0.0.1/contoso/oauth2/v2.0/token", {
   *   method: "POST",
   *   body: new URLSearchParams({ client_id: "app", client_secret: "s3cret", grant_type: "client_credentials",
   *     scope: "https://graph.microsoft.com/.default" }),
   * }));
   * ```
   */
  readonly fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    // The caller's own signal, not the new Request's: that one follows it only weakly (undici), so a
    // GC while a hang or delay waited lost the abort, and the call never ended.
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (signal && request !== input) this.#callerSignals.set(request, signal);
    const result = await this.handle(request);
    if (result === DROP) throw new TypeError("emulator: connection dropped");
    return result;
  };

  /**
   * The handler behind {@link fetch}, for servers: resolves to {@link DROP} when the connection
   * must be dropped without an answer. `serveEmulator()` uses it.
   *
   * @example
   * ```ts
   * import { DROP } from "entra-edge/testing";
   *
   * const result = await emulator.handle(new Request("http://127.0.0.1/contoso/oauth2/v2.0/token", { method: "POST" }));
   * if (result === DROP) console.log("close the connection without an answer");
   * else console.log(result.status, await result.json());
   * ```
   */
  readonly handle: EmulatorHandler = async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    const base = this.#publicUrl ?? url.origin;
    if (this.#control && path.startsWith("/__emulator/")) {
      const origins = [url.origin.toLowerCase(), new URL(base).origin.toLowerCase()];
      return controlRoute(request, path.slice("/__emulator/".length), origins, (method, args) => this.#call(method, args, base));
    }
    let m = ISSUER_ROUTE.exec(path);
    if (m) return this.#issuer.route(request, url, m[1]!, m[2]!, `${base}/issuer/${m[1]}`, this.clock.now());
    m = TOKEN_ROUTE.exec(path);
    if (m) return this.#tokenRoute(request, url, segment(m[1] ?? ""), base);
    if (request.method === "GET" || request.method === "HEAD") {
      if (KEYS_ROUTE.test(path)) return json(await this.#signer.jwks());
      if ((m = OPENID_ROUTE.exec(path))) {
        const tenant = segment(m[1] ?? "");
        if (!WELL_KNOWN_TENANTS.has(tenant.toLowerCase()) && !this.#hasTenant(tenant)) {
          return entraErrorResponse(aadsts.tenantNotFound(tenant), traceContext(request, this.clock.now()));
        }
        return openidConfiguration(base, tenant);
      }
      if (INSTANCE_ROUTE.test(path)) return instanceDiscovery(url, base);
    }
    return json({ error: "not_found", error_description: `emulator: no route for ${request.method} ${path.slice(0, 200)}` }, 404);
  };

  /**
   * Registers an app (replacing one with the same tenant and client id): secrets (optionally with
   * an end date), certificates (PEM text, DER bytes, or with an explicit validity), federated
   * credentials, token lifetimes and extra token claims. A field it does not know, or an unusable
   * certificate, throws a `TypeError`.
   *
   * @example
   * ```ts
   * import { createTestCertificate } from "entra-edge/testing";
   *
   * emulator.addApp({ tenantId: "contoso", clientId: "app", secrets: ["s3cret"], expiresIn: 3600 });
   * emulator.addApp({ tenantId: "contoso", clientId: "cert-app", certificates: [(await createTestCertificate()).certificatePem] });
   * emulator.addApp({ tenantId: "contoso", clientId: "old-app", secrets: [{ value: "s3cret", expiresOn: "2020-01-01T00:00:00Z" }] });
   * ```
   */
  addApp(app: EmulatorApp): void {
    const entry = registerApp(app);
    this.#apps.set(appKey(entry.tenantId, entry.clientId), entry);
  }

  /**
   * Queues a fault for coming token requests (FIFO; `times` defaults to 1, `"forever"` never runs
   * out). `tenantId` / `clientId` restrict it to one tenant / app; `probability` applies it to a
   * random share of the requests.
   *
   * @example
   * ```ts
   * emulator.injectFault({ kind: "status", status: 429, retryAfter: 1 });
   * emulator.injectFault({ kind: "drop", times: 2 });
   * emulator.injectFault({ kind: "status", status: 503, probability: 0.1, times: "forever", clientId: "app" });
   * ```
   */
  injectFault(fault: EmulatorFault): void {
    this.#faults.push(fault);
  }

  /**
   * Forgets every queued fault.
   *
   * @example
   * ```ts
   * emulator.clearFaults();
   * ```
   */
  clearFaults(): void {
    this.#faults.clear();
  }

  /**
   * Delays every token answer by `ms` (e.g. to make concurrent callers overlap).
   *
   * @example
   * ```ts
   * emulator.setDelay(100);
   * ```
   */
  setDelay(ms: number): void {
    if (!(typeof ms === "number" && ms >= 0 && Number.isFinite(ms))) throw new TypeError("emulator: setDelay needs a number of ms ≥ 0");
    this.#delay = ms;
  }

  /**
   * A copy of the token requests seen so far (never a secret or an assertion itself).
   *
   * @example
   * ```ts
   * const [first] = emulator.requests();
   * console.log(first?.clientAuth, first?.status, first?.headers["client-request-id"]);
   * ```
   */
  requests(): EmulatorRequest[] {
    return structuredClone(this.#log);
  }

  /**
   * Verifies an access token issued (or forged) by this emulator — signature, `exp` on the
   * emulator's clock — and returns its claims; rejects with an `Error` otherwise.
   *
   * @example
   * ```ts
   * const { token } = await credential.getToken("https://graph.microsoft.com/.default"); // a credential using the emulator
   * const claims = await emulator.verifyAccessToken(token);
   * claims.aud; // "https://graph.microsoft.com"
   * ```
   */
  verifyAccessToken(token: string): Promise<Record<string, unknown>> {
    return this.#signer.verify(token, this.clock.now());
  }

  /**
   * Signs an access token with the emulator's token key — the one its JWKS publishes — as if
   * issued to an app, with the claims a resource-server test needs (roles, an expired `exp`, a
   * foreign `aud`, …). Defaults are those of issued tokens.
   *
   * @example
   * ```ts
   * const admin = await emulator.forgeToken({ tenantId: "contoso", audience: "api://my-api", claims: { roles: ["Admin"] } });
   * const expired = await emulator.forgeToken({ audience: "api://my-api", expiresIn: -60 });
   * ```
   */
  async forgeToken(options: ForgeTokenOptions = {}): Promise<string> {
    for (const key of Object.keys(options)) {
      if (!["tenantId", "clientId", "audience", "expiresIn", "claims"].includes(key)) throw new TypeError(`emulator: forgeToken has an unknown option '${key}'`);
    }
    const lifetime = options.expiresIn ?? 3599;
    if (!Number.isFinite(lifetime)) throw new TypeError("emulator: forgeToken expiresIn must be a number of seconds");
    return this.#signer.sign(
      await accessTokenClaims({
        tenantId: options.tenantId ?? "00000000-0000-0000-0000-000000000000",
        clientId: options.clientId ?? "00000000-0000-0000-0000-000000000001",
        audience: options.audience ?? "https://graph.microsoft.com",
        lifetime,
        authMethod: "1",
        cae: false,
        now: this.clock.now(),
        claims: options.claims,
      }),
    );
  }

  /**
   * The URL of the emulator's external OIDC issuer `name`: `<emulator URL>/issuer/<name>`, where
   * it serves `/.well-known/openid-configuration` and `/keys`. The emulator must know its URL:
   * served with `serveEmulator()`, or given `publicUrl`.
   *
   * @example
   * ```ts
   * const issuer = emulator.issuerUrl("k8s"); // https://127.0.0.1:4000/issuer/k8s
   * emulator.addApp({ tenantId: "contoso", clientId: "app", federatedCredentials: [{ issuer, subject: "system:serviceaccount:default:app" }] });
   * ```
   */
  issuerUrl(name = "default"): string {
    return this.#issuerUrl(name, undefined);
  }

  /**
   * Signs a token as the emulator's external OIDC issuer (Kubernetes service account, GitHub
   * Actions, …) for a subject and audience, to present as a federated credential's
   * `client_assertion`. `issuer` is a name (see {@link issuerUrl}) or a full URL.
   *
   * @example
   * ```ts
   * import { ClientAssertionCredential } from "entra-edge";
   * import { serveEmulator } from "entra-edge/testing";
   *
   * const served = await serveEmulator(emulator);
   * const assertion = await emulator.issueExternalToken({ issuer: "k8s", subject: "system:serviceaccount:default:app" });
   * const federated = new ClientAssertionCredential("contoso", "app", async () => assertion, { authorityHost: served.url });
   * ```
   */
  issueExternalToken(options: ExternalTokenOptions): Promise<string> {
    return this.#issueExternal(options, undefined);
  }

  /**
   * Lets a workload fetch ID tokens from `GET /issuer/{issuer}/token?audience=…` with
   * `Authorization: Bearer <requestToken>`, the way GitHub Actions' `ACTIONS_ID_TOKEN_REQUEST_URL`
   * works; the answer is `{ "value": "<jwt>" }`.
   *
   * @example
   * ```ts
   * emulator.addWorkload({ issuer: "github", subject: "repo:contoso/app:ref:refs/heads/main", requestToken: "gh-request-token" });
   * const url = `${emulator.issuerUrl("github")}/token`; // ACTIONS_ID_TOKEN_REQUEST_URL
   * ```
   */
  addWorkload(workload: EmulatorWorkload): void {
    this.#issuer.addWorkload(workload);
  }

  /**
   * Forgets apps, workloads, faults, the delay and the request log, and puts the clock back to
   * real time (the signing keys stay).
   *
   * @example
   * ```ts
   * emulator.reset();
   * ```
   */
  reset(): void {
    this.#apps.clear();
    this.#issuer.clear();
    this.#faults.clear();
    this.#delay = 0;
    this.#log = [];
    this.clock.reset();
  }

  /** @internal `serveEmulator()` says where the emulator is served (for {@link issuerUrl}). */
  [SERVED](url: string): void {
    this.#servedUrl ??= trimSlashes(url);
  }

  /** @internal The request log's entry of one token request, once it is answered (the CLI logs it). */
  [RECORD_OF](request: Request): EmulatorRequest | undefined {
    const record = this.#records.get(request);
    return record && structuredClone(record);
  }

  #issuerUrl(name: string, fallback: string | undefined): string {
    if (/^https?:\/\//i.test(name)) return trimSlashes(name);
    const base = this.#publicUrl ?? this.#servedUrl ?? fallback;
    if (!base) {
      throw new TypeError("emulator: issuerUrl needs the emulator's URL: serve it with serveEmulator(), or create it with { publicUrl }, or give the issuer as a full URL");
    }
    return `${base}/issuer/${issuerName(name)}`;
  }

  #issueExternal(options: ExternalTokenOptions, fallback: string | undefined): Promise<string> {
    if (typeof options !== "object" || options === null) return Promise.reject(new TypeError("emulator: issueExternalToken needs { subject, audience?, issuer? }"));
    try {
      return this.#issuer.issue(this.#issuerUrl(options.issuer ?? "default", fallback), options, this.clock.now());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** A control API call; `base` is the public URL of the control request. */
  #call(method: string, args: unknown[], base: string): unknown {
    switch (method) {
      case "clock.now":
        return this.clock.now();
      case "clock.set":
        return this.clock.set(args[0] as number);
      case "clock.advance":
        return this.clock.advance(args[0] as number);
      case "clock.reset":
        return this.clock.reset();
      case "issuerUrl":
        return this.#issuerUrl((args[0] as string | undefined) ?? "default", base);
      case "issueExternalToken":
        return this.#issueExternal(args[0] as ExternalTokenOptions, base);
      default: {
        const fn = (this as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
        return fn!.apply(this, args);
      }
    }
  }

  #hasTenant(tenant: string): boolean {
    const key = tenant.toLowerCase();
    return [...this.#apps.values()].some((e) => e.tenantId.toLowerCase() === key);
  }

  /** The signal a token request's waits end with: the caller's, when {@link fetch} made the Request. */
  #signalOf(request: Request): AbortSignal | undefined {
    return this.#callerSignals.get(request) ?? (request.signal as AbortSignal | undefined);
  }

  async #tokenRoute(request: Request, url: URL, tenant: string, base: string): Promise<Response | Drop> {
    const signal = this.#signalOf(request);
    if (signal?.aborted) throw signal.reason;
    const trace = traceContext(request, this.clock.now());
    let params = new URLSearchParams();
    let tooLarge = false;
    if (request.method === "POST") {
      try {
        const text = await readTextLimited(request, MAX_TOKEN_BODY);
        if ((request.headers.get("content-type") ?? "").toLowerCase().includes("application/x-www-form-urlencoded")) params = new URLSearchParams(text);
      } catch (e) {
        if (!(e instanceof BodyTooLarge)) throw e;
        tooLarge = true;
      }
    }
    // A parameter sent twice (two scopes, two client_secrets): Entra refuses the request (AADSTS9000411).
    const seen = new Set<string>();
    let duplicated: string | undefined;
    for (const name of params.keys()) {
      if (seen.has(name)) {
        duplicated = name;
        break;
      }
      seen.add(name);
    }
    // HTTP Basic client authentication (client_secret_basic, which discovery advertises): as a body client_secret.
    const basic = basicClient(request.headers.get("authorization"), params);
    if (basic !== "malformed" && basic) params = basic;
    const record: EmulatorRequest = {
      time: trace.now,
      method: request.method,
      path: url.pathname,
      tenantId: tenant,
      clientAuth: params.get("client_secret") ? "secret" : params.get("client_assertion") ? "assertion" : "none",
      headers: {},
      status: 0,
    };
    const clientId = params.get("client_id");
    // A registered secret sent as the client id (the arguments swapped) is not kept, nor printed by the CLI (review 12).
    if (clientId !== null) record.clientId = [...this.#apps.values()].some((e) => e.secrets.some((x) => x.value === clientId)) ? "(a registered client secret, not shown)" : clientId;
    const scope = params.get("scope");
    if (scope !== null) record.scope = scope;
    const grantType = params.get("grant_type");
    if (grantType !== null) record.grantType = grantType;
    const claims = params.get("claims");
    if (claims !== null) record.claims = claims;
    const assertion = params.get("client_assertion");
    const decoded = assertion ? decodeJwt(assertion) : undefined;
    if (decoded) record.assertion = decoded;
    for (const name of RECORDED_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) record.headers[name] = value;
    }
    this.#log.push(record);
    this.#records.set(request, record);
    if (basic === "malformed" || duplicated !== undefined) {
      const refused = duplicated !== undefined ? aadsts.duplicatedParameter(duplicated) : aadsts.malformed();
      record.status = refused.status;
      record.errorCode = refused.code;
      return entraErrorResponse(refused, { ...trace, now: this.clock.now() });
    }
    if (tooLarge) {
      record.status = 413;
      return json({ error: "invalid_request", error_description: `emulator: the token request body is larger than ${MAX_TOKEN_BODY} bytes` }, 413);
    }

    const fault = this.#faults.take({ tenantId: tenant, clientId: clientId ?? undefined });
    if (fault) record.fault = fault.kind;
    await wait(this.#delay, signal);
    const result = await this.#answer(request, url, tenant, base, params, trace, fault, record);
    record.status = result === DROP ? 0 : result.status;
    return result;
  }

  async #answer(
    request: Request,
    url: URL,
    tenant: string,
    base: string,
    params: URLSearchParams,
    trace: TraceContext,
    fault: EmulatorFault | undefined,
    record: EmulatorRequest,
  ): Promise<Response | Drop> {
    const signal = this.#signalOf(request);
    switch (fault?.kind) {
      case "drop":
        return DROP;
      case "hang":
        return untilAborted(signal);
      case "status": {
        const response = statusFaultResponse(fault, trace);
        if (fault.body === undefined) {
          const body = (await response.clone().json().catch(() => undefined)) as { error_codes?: number[] } | undefined;
          const code = body?.error_codes?.[0];
          if (code !== undefined) record.errorCode = code;
        }
        return response;
      }
      case "html":
        return htmlFaultResponse(fault.status);
      case "brokenJson":
        return brokenJsonResponse(trace);
      case "missingToken":
        return missingTokenResponse(trace);
      case "slow":
        await wait(fault.delayMs, signal);
        break;
    }
    const outcome = await this.#evaluate(request, url, tenant, base, params, record);
    if ("error" in outcome) {
      record.errorCode = outcome.error.code;
      return entraErrorResponse(outcome.error, { ...trace, now: this.clock.now() });
    }
    const answer = outcome.answer;
    if (fault?.kind === "tokenFields") {
      for (const [name, value] of Object.entries(fault.fields)) {
        if (value === undefined) delete answer[name];
        else answer[name] = value;
      }
    }
    if (fault?.kind === "hugeBody") return hugeBodyResponse(answer, fault.bytes, trace);
    return new Response(JSON.stringify(answer), { status: 200, headers: entraHeaders(trace) });
  }

  /** How the client authenticates: a secret, or an assertion (certificate or federated); the error when it fails. */
  async #authenticate(entry: AppEntry, params: URLSearchParams, url: URL, base: string, record: EmulatorRequest): Promise<EntraErrorSpec | undefined> {
    const clientId = entry.clientId;
    const secret = params.get("client_secret");
    const now = this.clock.now();
    if (secret) {
      const matching = entry.secrets.filter((s) => s.value === secret);
      if (matching.length === 0) return aadsts.invalidSecret(clientId);
      if (!matching.some((s) => s.expiresOn === undefined || now <= s.expiresOn)) return aadsts.secretExpired(clientId);
      return undefined;
    }
    const assertion = params.get("client_assertion") ?? "";
    if (params.get("client_assertion_type") !== JWT_BEARER) return aadsts.assertionType();
    const decoded = decodeJwt(assertion);
    if (!decoded) return aadsts.assertionMalformed("the client assertion is not a JWS compact serialization with JSON header and payload");
    const iss = decoded.payload.iss;
    if (typeof iss === "string" && !sameId(iss, clientId)) {
      // Not the app's own assertion: an external token for one of its federated credentials.
      record.clientAuth = "federated";
      return verifyFederated({
        assertion,
        decoded,
        records: entry.federated,
        now,
        fetcher: this.#fetcher,
        ownKeys: (issuer) => (this.#isOwnIssuer(issuer, url, base) ? this.#issuer.signer.jwks() : undefined),
      });
    }
    const tokenUrls = [...new Set([`${base}${url.pathname}`, `${url.origin}${url.pathname}`].map((u) => u.toLowerCase()))];
    return verifyAssertion({ assertion, decoded, clientId, tokenUrls, certificates: entry.certificates, now });
  }

  /** Whether `issuer` is one of this emulator's `/issuer/{name}` URLs (its keys need no fetch). */
  #isOwnIssuer(issuer: string, url: URL, base: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(issuer);
    } catch {
      return false;
    }
    if (!/^\/issuer\/[A-Za-z0-9._~-]{1,64}\/?$/.test(parsed.pathname)) return false;
    const origins = [url.origin, new URL(base).origin, ...(this.#servedUrl ? [new URL(this.#servedUrl).origin] : [])];
    return origins.includes(parsed.origin);
  }

  /** The token endpoint's checks, in Entra's order, and the token answer. */
  async #evaluate(request: Request, url: URL, tenant: string, base: string, params: URLSearchParams, record: EmulatorRequest): Promise<Outcome> {
    if (request.method !== "POST") return { error: aadsts.methodNotAllowed(request.method) };
    if (!this.#hasTenant(tenant)) return { error: aadsts.tenantNotFound(tenant) };
    const clientId = params.get("client_id");
    if (!clientId) return { error: aadsts.missingParameter("client_id") };
    const grantType = params.get("grant_type");
    if (!grantType) return { error: aadsts.missingParameter("grant_type") };
    if (grantType !== "client_credentials") return { error: aadsts.unsupportedGrantType(grantType) };
    const entry = this.#apps.get(appKey(tenant, clientId));
    if (!entry) return { error: aadsts.unknownClient(clientId, tenant) };

    const scope = params.get("scope")?.trim();
    if (!scope) return { error: aadsts.missingParameter("scope") };
    const resources = scope.split(/\s+/).filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
    const notDefault = resources.find((s) => !s.endsWith("/.default")) ?? (resources.length === 0 ? scope : undefined);
    if (notDefault !== undefined) return { error: aadsts.scopeNotDefault(notDefault) };
    if (resources.length > 1) return { error: aadsts.scopeMultipleResources(scope) };

    const secret = params.get("client_secret");
    const assertion = params.get("client_assertion");
    if (secret && assertion) return { error: aadsts.malformed() };
    if (!secret && !assertion) return { error: aadsts.missingCredential() };
    const refused = await this.#authenticate(entry, params, url, base, record);
    if (refused) return { error: refused };

    let cae = false;
    const claims = params.get("claims");
    if (claims) {
      try {
        cae = wantsCae(JSON.parse(claims));
      } catch {
        return { error: aadsts.malformed() };
      }
    }

    const lifetime = entry.expiresIn;
    const resource = (resources[0] ?? "").slice(0, -"/.default".length);
    const token = await this.#signer.sign(
      await accessTokenClaims({
        tenantId: entry.tenantId,
        clientId: entry.clientId,
        audience: resource,
        lifetime,
        authMethod: secret ? "1" : "2",
        cae,
        now: this.clock.now(),
        claims: entry.claims,
      }),
    );
    const answer: Record<string, unknown> = { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime };
    if (entry.refreshIn !== undefined) answer.refresh_in = entry.refreshIn;
    answer.access_token = token;
    return { answer };
  }
}

/**
 * The form with the client of an `Authorization: Basic` header (RFC 6749 §2.3.1: client_id and
 * client_secret, each form-urlencoded, joined by ":", base64) as client_id and client_secret;
 * undefined without a Basic header; "malformed" — answered as Entra's malformed request — when
 * the header does not decode, the body has a client_secret too, or a body client_id differs.
 */
function basicClient(header: string | null, params: URLSearchParams): URLSearchParams | "malformed" | undefined {
  const m = /^basic\s+(\S*)\s*$/i.exec(header ?? "");
  if (!m) return undefined;
  let clientId: string;
  let secret: string;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(m[1]!), (c) => c.charCodeAt(0)));
    const colon = text.indexOf(":");
    if (colon === -1) return "malformed";
    const form = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    clientId = form(text.slice(0, colon));
    secret = form(text.slice(colon + 1));
  } catch {
    return "malformed";
  }
  const bodyId = params.get("client_id");
  if (!clientId || params.has("client_secret") || (bodyId !== null && bodyId !== clientId)) return "malformed";
  const merged = new URLSearchParams(params);
  merged.set("client_id", clientId);
  merged.set("client_secret", secret);
  return merged;
}
