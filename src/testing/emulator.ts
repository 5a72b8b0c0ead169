/**
 * The local Entra emulator: a fetch handler standing in for the v2.0 token endpoint
 * (`POST /{tenant}/oauth2/v2.0/token`, client credentials grant), with the discovery documents
 * peers ask for, fault injection and an optional HTTP control API.
 *
 * @module
 */
import type { EmulatorApp, EmulatorControl, EmulatorFault, EmulatorRequest } from "./types.ts";
import { DROP, type Drop, type EmulatorHandler } from "./handler.ts";
import { aadsts, entraErrorResponse, entraHeaders, json, traceContext, type EntraErrorSpec, type TraceContext } from "./errors.ts";
import { accessTokenClaims, TokenSigner } from "./tokens.ts";
import { decodeJwt, parseCertificates, verifyAssertion, type RegisteredCertificate } from "./assertion.ts";
import {
  brokenJsonResponse,
  FaultQueue,
  htmlFaultResponse,
  hugeBodyResponse,
  missingTokenResponse,
  statusFaultResponse,
} from "./faults.ts";
import { untilAborted, wait } from "./encoding.ts";
import { decodeBytes } from "./wire.ts";
import { instanceDiscovery, openidConfiguration } from "./discovery.ts";

/**
 * Options of {@link EntraEmulator}.
 *
 * @example
 * ```ts
 * const emulator = new EntraEmulator({ control: true }); // controllable with connectEmulator(url)
 * ```
 */
export interface EntraEmulatorOptions {
  /**
   * Serve the control API: `POST /__emulator/<method>` with a JSON array of arguments calls that
   * {@link EmulatorControl} method and answers `{ "result": … }` (or `{ "error": … }`, status 500).
   * Used by `connectEmulator()`. Off by default.
   */
  control?: boolean;
}

interface AppEntry {
  app: EmulatorApp;
  certificates: RegisteredCertificate[];
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
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);
const CONTROL_METHODS = new Set(["addApp", "injectFault", "clearFaults", "setDelay", "requests", "verifyAccessToken", "reset"]);
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

async function readForm(request: Request): Promise<URLSearchParams> {
  if (request.method !== "POST") return new URLSearchParams();
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  return type.toLowerCase().includes("application/x-www-form-urlencoded") ? new URLSearchParams(text) : new URLSearchParams();
}

function wantsCae(claims: unknown): boolean {
  const values = (claims as { access_token?: { xms_cc?: { values?: unknown } } } | null)?.access_token?.xms_cc?.values;
  return Array.isArray(values) && values.includes("cp1");
}

/**
 * A faithful local stand-in for Microsoft Entra ID's v2.0 token endpoint (client credentials with
 * a client secret or a certificate assertion). It is a plain fetch handler, so it runs in-process
 * in every runtime — pass `emulator.fetch` as a credential's transport — or is served on
 * 127.0.0.1 with `serveEmulator()`.
 *
 * Routes: `POST /{tenant}/oauth2/v2.0/token`, `GET /{tenant}/discovery/v2.0/keys` (JWKS of the
 * token-signing key), `GET /{tenant}/v2.0/.well-known/openid-configuration`,
 * `GET /common/discovery/instance` (for peers that do instance discovery) and, with
 * `{ control: true }`, `POST /__emulator/<method>`. Anything else is a 404.
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
  readonly #control: boolean;
  readonly #signer = new TokenSigner();
  #apps = new Map<string, AppEntry>();
  #faults = new FaultQueue();
  #delay = 0;
  #log: EmulatorRequest[] = [];

  constructor(options: EntraEmulatorOptions = {}) {
    this.#control = options.control === true;
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
   * const result = await emulator.handle(request);
   * if (result === DROP) socket.destroy(); else send(result);
   * ```
   */
  readonly handle: EmulatorHandler = async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (this.#control && path.startsWith("/__emulator/")) return this.#controlRoute(request, path.slice("/__emulator/".length));
    let m = TOKEN_ROUTE.exec(path);
    if (m) return this.#tokenRoute(request, url, segment(m[1] ?? ""));
    if (request.method === "GET" || request.method === "HEAD") {
      if (KEYS_ROUTE.test(path)) return json(await this.#signer.jwks());
      if ((m = OPENID_ROUTE.exec(path))) {
        const tenant = segment(m[1] ?? "");
        if (!WELL_KNOWN_TENANTS.has(tenant.toLowerCase()) && !this.#hasTenant(tenant)) {
          return entraErrorResponse(aadsts.tenantNotFound(tenant), traceContext(request));
        }
        return openidConfiguration(url, tenant);
      }
      if (INSTANCE_ROUTE.test(path)) return instanceDiscovery(url);
    }
    return json({ error: "not_found", error_description: `emulator: no route for ${request.method} ${path}` }, 404);
  };

  /**
   * Registers an app (replacing one with the same tenant and client id). Certificates are PEM text
   * (one or more `CERTIFICATE` blocks) or DER bytes; an unusable one throws a `TypeError`.
   *
   * @example
   * ```ts
   * emulator.addApp({ tenantId: "contoso", clientId: "app", secrets: ["s3cret"], expiresIn: 3600 });
   * emulator.addApp({ tenantId: "contoso", clientId: "cert-app", certificates: [certificatePem] });
   * ```
   */
  addApp(app: EmulatorApp): void {
    if (typeof app?.tenantId !== "string" || !app.tenantId || typeof app.clientId !== "string" || !app.clientId) {
      throw new TypeError("emulator: addApp needs a tenantId and a clientId");
    }
    const certificates = parseCertificates(app.certificates);
    const copy: EmulatorApp = { tenantId: app.tenantId, clientId: app.clientId, secrets: [...(app.secrets ?? [])] };
    if (app.expiresIn !== undefined) copy.expiresIn = app.expiresIn;
    if (app.refreshIn !== undefined) copy.refreshIn = app.refreshIn;
    this.#apps.set(appKey(app.tenantId, app.clientId), { app: copy, certificates });
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
   * Verifies an access token issued by this emulator (signature, `exp`) and returns its claims;
   * rejects with an `Error` otherwise.
   *
   * @example
   * ```ts
   * const claims = await emulator.verifyAccessToken(token);
   * claims.aud; // "https://graph.microsoft.com"
   * ```
   */
  verifyAccessToken(token: string): Promise<Record<string, unknown>> {
    return this.#signer.verify(token);
  }

  /**
   * Forgets apps, faults, the delay and the request log (the signing key stays).
   *
   * @example
   * ```ts
   * emulator.reset();
   * ```
   */
  reset(): void {
    this.#apps.clear();
    this.#faults.clear();
    this.#delay = 0;
    this.#log = [];
  }

  #hasTenant(tenant: string): boolean {
    const key = tenant.toLowerCase();
    return [...this.#apps.values()].some((e) => e.app.tenantId.toLowerCase() === key);
  }

  async #tokenRoute(request: Request, url: URL, tenant: string): Promise<Response | Drop> {
    const signal = request.signal as AbortSignal | undefined;
    if (signal?.aborted) throw signal.reason;
    const trace = traceContext(request);
    const params = await readForm(request);
    const record: EmulatorRequest = {
      time: Date.now(),
      method: request.method,
      path: url.pathname,
      tenantId: tenant,
      clientAuth: params.get("client_secret") ? "secret" : params.get("client_assertion") ? "assertion" : "none",
      headers: {},
      status: 0,
    };
    const clientId = params.get("client_id");
    if (clientId !== null) record.clientId = clientId;
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

    const fault = this.#faults.take({ tenantId: tenant, clientId: clientId ?? undefined });
    if (fault) record.fault = fault.kind;
    await wait(this.#delay, signal);
    const result = await this.#answer(request, url, tenant, params, trace, fault, record);
    record.status = result === DROP ? 0 : result.status;
    return result;
  }

  async #answer(
    request: Request,
    url: URL,
    tenant: string,
    params: URLSearchParams,
    trace: TraceContext,
    fault: EmulatorFault | undefined,
    record: EmulatorRequest,
  ): Promise<Response | Drop> {
    const signal = request.signal as AbortSignal | undefined;
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
    const outcome = await this.#evaluate(request, url, tenant, params);
    if ("error" in outcome) {
      record.errorCode = outcome.error.code;
      return entraErrorResponse(outcome.error, trace);
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

  /** The token endpoint's checks, in Entra's order, and the token answer. */
  async #evaluate(request: Request, url: URL, tenant: string, params: URLSearchParams): Promise<Outcome> {
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
    if (secret) {
      if (!entry.app.secrets?.includes(secret)) return { error: aadsts.invalidSecret(clientId) };
    } else {
      const error = await verifyAssertion({
        assertion: assertion ?? "",
        assertionType: params.get("client_assertion_type"),
        clientId,
        tokenUrl: url.origin + url.pathname,
        certificates: entry.certificates,
      });
      if (error) return { error };
    }

    let cae = false;
    const claims = params.get("claims");
    if (claims) {
      try {
        cae = wantsCae(JSON.parse(claims));
      } catch {
        return { error: aadsts.malformed() };
      }
    }

    const lifetime = entry.app.expiresIn ?? 3599;
    const resource = (resources[0] ?? "").slice(0, -"/.default".length);
    const token = await this.#signer.sign(
      await accessTokenClaims({
        tenantId: entry.app.tenantId,
        clientId: entry.app.clientId,
        audience: resource,
        lifetime,
        authMethod: secret ? "1" : "2",
        cae,
      }),
    );
    const answer: Record<string, unknown> = { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime };
    if (entry.app.refreshIn !== undefined) answer.refresh_in = entry.app.refreshIn;
    answer.access_token = token;
    return { answer };
  }

  async #controlRoute(request: Request, method: string): Promise<Response> {
    if (request.method !== "POST") return json({ error: "control API: use POST" }, 405);
    if (!CONTROL_METHODS.has(method)) return json({ error: `control API: unknown method '${method}'` }, 404);
    try {
      const text = await request.text();
      const args = decodeBytes(text ? JSON.parse(text) : []);
      if (!Array.isArray(args)) throw new TypeError("control API: the body must be a JSON array of arguments");
      const fn = (this as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
      const result = await fn!.apply(this, args);
      return json({ result: result ?? null });
    } catch (e) {
      return json({ error: e instanceof Error ? e.message : String(e), name: e instanceof Error ? e.name : "Error" }, 500);
    }
  }
}
