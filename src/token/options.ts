/**
 * The options every credential takes, checked once when it is constructed (DESIGN "Public API",
 * "Errors": caller mistakes are a TypeError from the constructor): the option keys themselves
 * (every credential's list is here), tenant and client ids, the authority, the tenants `getToken`
 * may switch to, the constructor's claims, the transport (`fetch` or an Azure `httpClient`) and
 * logger, the retry policy, and the shared token cache.
 *
 * @module
 */
import { COORDINATE, type Coordinate } from "../cache/types.ts";
import { CredentialUnavailableError } from "../lib/errors.ts";
import type { RuntimeAdapter } from "../lib/runtime.ts";
import { MAX_CLIENT_ID_LENGTH } from "./limits.ts";
import type { CredentialOptions, FetchLike, Logger, LogEvent, TokenCache } from "../types.ts";
import { normalizeAuthority, plainObject } from "./authority.ts";
import type { RetryPolicy } from "./retry.ts";
import { claimsText, tenantProblem, TOKEN_CHARS } from "./target.ts";

// ── The option keys, in one place: a key not listed is a TypeError naming the nearest listed one ──

/** The options every credential takes (`CredentialOptions`). */
export const CREDENTIAL_KEYS = [
  "authority",
  "authorityHost",
  "additionallyAllowedTenants",
  "fetch",
  "httpClient",
  "claimsChallenge",
  "retryOptions",
  "logger",
  "tokenCache",
  "tokenCacheOptions",
  // @azure/identity options that mean nothing here, accepted and ignored so that a swap keeps
  // running (README "Porting"): no instance discovery, no pipeline, no redirects, no persistence.
  "disableInstanceDiscovery",
  "loggingOptions",
  "additionalPolicies",
  "userAgentOptions",
  "telemetryOptions",
  "redirectOptions",
  "allowInsecureConnection",
  "tokenCachePersistenceOptions",
];
/** What ClientCertificateCredential adds (`ClientCertificateCredentialOptions`). */
export const CERTIFICATE_KEYS = ["sendCertificateChain", "assertionAlgorithm", "certificatePassword"];
/** The keys of ClientCertificateCredential's source object (`CertificatePath`, `CertificateContents`, `CertificateWithKey`, `CertificateWithSigner`). */
export const CERTIFICATE_SOURCE_KEYS = ["certificatePath", "certificate", "certificatePassword", "certificateThumbprint", "certificateFriendlyName", "privateKey", "sign"];
/** What EnvironmentCredential adds (`EnvironmentCredentialOptions`). */
export const ENVIRONMENT_KEYS = ["env"];
/** `GetTokenOptions`; @azure/core-auth's `requestOptions` and `tracingOptions` are accepted and ignored, `proofOfPossessionOptions` only when undefined. */
export const GET_TOKEN_KEYS = ["abortSignal", "claims", "tenantId", "enableCae", "requestOptions", "tracingOptions", "proofOfPossessionOptions"];
const RETRY_KEYS = ["maxRetries", "retryDelayInMs", "maxRetryDelayInMs", "tryTimeoutInMs"];

/**
 * The Levenshtein distance of `a` and `b` (insertions, deletions, substitutions): for the nearest
 * option key here and the nearest command or option in the CLI. Callers bound the lengths.
 *
 * @example
 * ```ts
 * editDistance("authorityhost", "authorityhost"); // 0
 * editDistance("tokn", "token"); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Refuses a key of `options` that `keys` does not list, with a TypeError naming the nearest
 * listed key (case, `_` and `-` ignored: `authorityhost`, `http_client`); `@azure/identity`'s
 * transport options are refused with a pointer to what to use instead. `what` names the object.
 *
 * @example
 * ```ts
 * checkKeys("ClientSecretCredential", options, CREDENTIAL_KEYS); // TypeError: unknown option "authorityhost": did you mean "authorityHost"?
 * ```
 */
export function checkKeys(name: string, options: object | undefined, keys: readonly string[], what = "option"): void {
  const norm = (k: string) => k.toLowerCase().replace(/[_-]/g, "").slice(0, 40);
  // for…in: inherited enumerable keys too, which the options are read through (`options ?? {}`
  // included): one set on a polluted Object.prototype is refused, never used.
  const o = options ?? {};
  // Only a plain object's keys are options: a string's characters would be keys ("0" is unknown), a
  // Map's, Date's or Buffer's contents would be ignored or read as keys. Say what it must be instead.
  // A string or an array as getToken's options: more scopes, Python's get_token(scope1, scope2).
  if (!plainObject(o)) {
    throw new TypeError(
      `${name}: ${what.endsWith("option") ? `${what}s` : what.replace(/^key of | key$/, "")} must be a plain object ({ … })${
        what[0] === "g" && (typeof o === "string" || Array.isArray(o)) ? " (several scopes go in one array: getToken([scope1, scope2]))" : ""
      }.`,
    );
  }
  for (const key in o) {
    if (!Object.hasOwn(o, key)) {
      throw new TypeError(`${name}: ${what} "${key.slice(0, 40)}" is inherited, not the object's own (${Object.getPrototypeOf(o) === Object.prototype ? "a polluted Object.prototype?" : "pass a plain object, { … }"}): refused.`);
    }
    if (keys.includes(key)) continue;
    const typed = norm(key);
    // The nearest listed key by Levenshtein distance (both at most 40 characters: bounded work), or
    // (when that is too far) a key the typed one begins: `tokenFile` → `tokenFilePath`.
    let [d, near] = keys.map((k) => [editDistance(typed, norm(k)), k] as const).sort((x, y) => x[0] - y[0])[0]!;
    const begun = keys.find((k) => norm(k).startsWith(typed));
    if (d > Math.max(2, near.length / 3) && begun) [d, near] = [0, begun];
    throw new TypeError(
      `${name}: ${what} "${key.slice(0, 40)}" ${
        /^(proxyOptions|agent|tlsOptions)$/.test(key)
          ? `is not supported: pass a fetch or httpClient with it (README "Proxies and custom transports")`
          : // The constructor's arguments, which a port from Python may pass as options (unless
            // they are options here: WorkloadIdentityCredential's tenantId and clientId).
            what === "option" && /^(tenantid|clientid|clientsecret|certificate(path)?)$/.test(typed) && !keys.some((k) => norm(k) === typed)
            ? keys.includes("env")
              ? "is read from the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, …), or from { env }"
              : ownerOf(typed, name) ?? "is an argument of the constructor"
            : `is unknown: ${d <= Math.max(2, near.length / 3) ? `did you mean "${near}"?` : `valid: ${keys.join(", ")}.`}`
      }`,
    );
  }
}

/** For a secret or certificate given as an option of a credential that takes none: the credential whose constructor takes it (review 13). */
function ownerOf(typed: string, name: string): string | undefined {
  const owner = `Client${typed === "clientsecret" ? "Secret" : typed.startsWith("certificate") ? "Certificate" : ""}Credential`;
  return owner.length > 16 && owner !== name ? `is an argument of ${owner}'s constructor, not an option of ${name}` : undefined;
}

/**
 * Refuses an `env` option that is not a plain object of variables: a Map or `Deno.env` would be
 * read as an empty environment, and every variable reported missing.
 *
 * @example
 * ```ts
 * checkEnv("EnvironmentCredential", options?.env, runtime); // TypeError for new Map(), Deno.env
 * ```
 */
export function checkEnv(name: string, env: unknown, runtime: RuntimeAdapter): void {
  // Deno.env is a plain object (its methods are its own keys) that holds no variables: told by
  // identity. Nothing is read from `env`: a probe of a key would read a variable of that name
  // (Deno asks for its permission; envalid's strict proxy throws).
  if (env != null && (!plainObject(env) || env === runtime.envObject)) {
    // The runtime's name, not a name in this core: "Deno.env" where the object is Deno's own.
    const own = env === runtime.envObject ? ` (that is ${runtime.name}.env: pass ${runtime.name}.env.toObject())` : "";
    throw new TypeError(`${name}: env must be a plain object of variables, { AZURE_TENANT_ID: "…", … }${own}.`);
  }
}

/** A credential's checked settings. */
export interface Settings {
  /** The credential's class name, for messages and log events. */
  name: string;
  tenantId: string;
  clientId: string;
  /** The authority the token URL is built on: origin and path, no trailing slash, no tenant. */
  authority: string;
  /** `claimsChallenge` as JSON text, sent with every token request. */
  claims: string | undefined;
  /** `additionallyAllowedTenants`, in lower case (tenants match in any case). */
  allowed: ReadonlySet<string>;
  /** The transport (`fetch`, or `httpClient` made one); undefined: `globalThis.fetch`, looked up at call time. */
  fetch: FetchLike | undefined;
  policy: RetryPolicy;
  logger: Logger | undefined;
}

/**
 * Refuses msal-node's and Python's keyword shape — one object where the tenant id goes
 * (`new ClientSecretCredential({ tenantId, clientId, clientSecret })`) — before any other check,
 * which would blame the third argument (review 11). `third`: the credential's third argument.
 *
 * @example
 * ```ts
 * positional("ClientSecretCredential", tenantId, "clientSecret");
 * ```
 */
export function positional(name: string, tenantId: unknown, third: string): void {
  if (typeof tenantId === "object" && tenantId !== null) {
    throw new TypeError(`${name} takes its arguments in order — (tenantId, clientId, ${third}, options), as @azure/identity's — not one object.`);
  }
}

/** For a missing argument: an unset variable is the usual cause (an environment variable reads as undefined). */
export const unset = (value: unknown): string => (value === undefined ? " (it is undefined: an unset variable?)" : "");

/**
 * Checks a credential's ids and options; a TypeError names the first one that cannot be used.
 * `keys`: the option keys the credential takes ({@link CREDENTIAL_KEYS} and its own).
 *
 * @example
 * ```ts
 * const s = settingsOf("ClientSecretCredential", tenantId, clientId, { retryOptions: { maxRetries: 1 } });
 * ```
 */
export function settingsOf(name: string, tenantId: unknown, clientId: unknown, options: CredentialOptions | undefined, keys: readonly string[] = CREDENTIAL_KEYS): Settings {
  checkKeys(name, options, keys);
  const problem = tenantProblem(tenantId);
  if (problem) throw new TypeError(`${name}: tenantId ${problem}${unset(tenantId)}.`);
  if (typeof clientId !== "string" || clientId.length > MAX_CLIENT_ID_LENGTH || !TOKEN_CHARS.test(clientId)) {
    throw new TypeError(`${name}: clientId must be the app registration's Application (client) ID (1–${MAX_CLIENT_ID_LENGTH} printable characters, no spaces)${unset(clientId)}.`);
  }
  // A client secret (the portal's have a "~": "xxx8Q~…") given as the client id would be sent as
  // one and echoed in Entra's AADSTS700016: refuse it, never quote it. No client id has a "~".
  if (clientId.includes("~")) throw new TypeError(`${name}: clientId looks like a client secret: the arguments are (tenantId, clientId, clientSecret).`);
  const allowed = options?.additionallyAllowedTenants ?? [];
  if (!Array.isArray(allowed) || allowed.some((t) => t !== "*" && tenantProblem(t))) {
    throw new TypeError(`${name}: additionallyAllowedTenants must be an array of tenant ids (or ["*"]).`);
  }
  for (const k of ["fetch", "logger"] as const) {
    if (options?.[k] !== undefined && typeof options[k] !== "function") throw new TypeError(`${name}: ${k} must be a function.`);
  }
  const client = options?.httpClient;
  if ((client !== undefined && typeof client?.sendRequest !== "function") || (client && options?.fetch)) {
    throw new TypeError(`${name}: httpClient must be an Azure Core HttpClient (with sendRequest), and fetch not given.`);
  }
  const { authority: a, authorityHost: h } = options ?? {};
  const authority = normalizeAuthority(name, tenantId as string, a ?? h, a === undefined ? "authorityHost" : "authority");
  if (a !== undefined && h !== undefined && normalizeAuthority(name, tenantId as string, h, "authorityHost") !== authority) {
    throw new TypeError(`${name}: authority and authorityHost name different authorities: give one.`);
  }
  const challenge = options?.claimsChallenge;
  const claims = challenge ? claimsText(challenge, `${name}: claimsChallenge`) : undefined;
  // The retry options with their defaults, each a finite number ≥ 0 (the attempt timeout > 0).
  const retry = options?.retryOptions;
  const policy: RetryPolicy = {
    maxRetries: retry?.maxRetries ?? 3,
    retryDelayInMs: retry?.retryDelayInMs ?? 800,
    maxRetryDelayInMs: retry?.maxRetryDelayInMs ?? 60_000,
    tryTimeoutInMs: retry?.tryTimeoutInMs ?? 30_000,
  };
  checkKeys(name, retry, RETRY_KEYS, "retryOptions key");
  for (const [k, v] of Object.entries(policy)) {
    // The ms values feed timers, whose limit is 2³¹ − 1 ms (beyond it they fire at once: review 10).
    const ms = k !== "maxRetries";
    // maxRetries 1.5 or 1e9 was taken (a count of attempts; 1e9 of them retries for ever).
    if (!Number.isFinite(v) || v < 0 || (k === "tryTimeoutInMs" && !v) || (ms ? v > 2 ** 31 - 1 : !Number.isInteger(v) || v > 100)) {
      throw new TypeError(`${name}: retryOptions.${k} must be a ${ms ? "number" : "whole number"} ${k === "tryTimeoutInMs" ? ">" : "≥"} 0${ms ? " and at most 2147483647 (ms, a timer's limit)" : " and at most 100"}.`);
    }
  }
  return {
    name,
    tenantId: tenantId as string,
    clientId,
    authority,
    claims,
    allowed: new Set(allowed.map((t: string) => t.toLowerCase())),
    // An Azure Core HttpClient as the transport: the request as a PipelineRequest, its answer as a Response.
    fetch: client
      ? async (url, init) => {
          // A Headers object is an HttpHeaders (get, has, set, delete, iteration) once it has toJSON.
          const headers = Object.assign(new Headers(init.headers), {
            toJSON(this: Headers) {
              return Object.fromEntries(this);
            },
          });
          // http: is allowed only for loopback hosts (normalizeAuthority), so allowInsecureConnection is too.
          const r = await client.sendRequest({ url, method: "POST", headers: headers as never, body: init.body as string, abortSignal: init.signal!, timeout: 0, withCredentials: false, requestId: headers.get("client-request-id")!, allowInsecureConnection: true });
          return new Response(r.bodyAsText ?? null, { status: r.status, headers: r.headers.toJSON() });
        }
      : options?.fetch,
    policy,
    logger: options?.logger,
  };
}

/**
 * A constructor's TypeError about a value the environment supplied, as the
 * CredentialUnavailableError `getToken` rejects with (credential chains skip it), each option in
 * `variables` named by its variable (`tenantId` → `AZURE_TENANT_ID`); undefined when the message
 * names none of them — an explicit option's TypeError stands.
 *
 * @example
 * ```ts
 * environmentError("WorkloadIdentityCredential", e, { tenantId: "AZURE_TENANT_ID" })?.message; // 'WorkloadIdentityCredential is unavailable: AZURE_TENANT_ID cannot be "common": …'
 * ```
 */
export function environmentError(credential: string, error: unknown, variables: Record<string, string | false>): CredentialUnavailableError | undefined {
  if (!(error instanceof TypeError)) return undefined;
  let named = false;
  // The swapped-arguments hint is about a constructor's arguments, not variables.
  let message = error.message.replace(`${credential}: `, "").replace(/: the arguments are \(.*/, ": it must be the app's Application (client) ID.");
  for (const [option, variable] of Object.entries(variables)) {
    if (variable) message = message.replace(new RegExp(`\\b${option}\\b`, "g"), () => ((named = true), variable));
  }
  return named ? new CredentialUnavailableError(`${credential} is unavailable: ${message}`) : undefined;
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
  keyMaterial: ((until: number) => Promise<Uint8Array>) | undefined,
  log: (level: LogEvent["level"], event: string, message: string) => void,
): Coordinate | undefined {
  const store = options?.tokenCache;
  // Falsy is none (`process.env.KEY && { encryptionKey: … }`); anything else must be a plain object.
  if (options?.tokenCacheOptions) checkKeys(s.name, options.tokenCacheOptions, ["encryptionKey", "timeoutInMs", "prefix"], "tokenCacheOptions key");
  if (store === undefined) return undefined;
  const make = (store as Partial<TokenCache> | null)?.[COORDINATE];
  if (typeof make !== "function") {
    throw new TypeError(`${s.name}: tokenCache must come from a store adapter (workersKvTokenCache, …) or sharedTokenCache(store).`);
  }
  // The claims are part of what the entries are keyed by (with the authority: see cache/shared.ts).
  return make({ credential: s.name, authority: s.claims ? `${s.authority}\u0000${s.claims}` : s.authority, clientId: s.clientId, options: options?.tokenCacheOptions, keyMaterial, log });
}
