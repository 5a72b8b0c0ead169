/**
 * What one `getToken` call asks for (DESIGN "Cache", "Claims", "Request"): the tenant (the
 * credential's own, or one `additionallyAllowedTenants` permits), the scopes, the claims to send
 * (the credential's `claimsChallenge` and a challenge's, with CAE's `xms_cc` merged in), and the keys derived from them — the token URL,
 * the cache key, the single-flight key and the 429 guard's key. Everything is checked before it
 * reaches a URL or a form.
 *
 * @module
 */
import { CredentialUnavailableError } from "../lib/errors.ts";
import { MAX_SCOPE_LENGTH, MAX_SCOPES, MAX_TENANT_LENGTH } from "./limits.ts";
import type { GetTokenOptions } from "../types.ts";
import type { Settings } from "./options.ts";

/** One token request as a flight makes it: where to cache it, where to send it, and how. */
export interface Target {
  tenant: string;
  /** The scopes, space-separated (sorted, when there are several). */
  scope: string;
  /** The `claims` form field, when there is one. */
  claims: string | undefined;
  /** `{authority}/{tenant}/oauth2/v2.0/token`. */
  url: string;
  /** The memory (and shared) cache key: the scope alone for the credential's own tenant without CAE. */
  cacheKey: string;
  /** Callers with the same key share one request: the cache key, plus the claims of a challenge. */
  flightKey: string;
  /** The 429 guard's key: the same request from any credential (URL, client, scope, claims). */
  throttleKey: string;
  /**
   * The cached path may serve this token: the credential's own tenant, no CAE, one scope — a key
   * that is a valid scope string, so no other scope string can reach another tenant's or the CAE
   * token.
   */
  servable: boolean;
  /** A CAE / Conditional Access challenge: the cached token was refused, so no cache is read. */
  challenge: boolean;
  /** A still-valid token is cached: give up at once rather than wait out a 429 (DESIGN "Refresh"). */
  soft?: boolean;
}

const TENANT = /^[0-9a-zA-Z-][0-9a-zA-Z.-]*$/;
const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);
/** Printable ASCII without space: what a client id or a scope can hold. */
export const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/**
 * Why `tenantId` cannot be used (the end of a sentence starting with "tenantId"), or undefined.
 * The CLI's `--tenant` is checked with it too.
 *
 * @example
 * ```ts
 * tenantProblem("common"); // 'cannot be "common": the client credentials flow needs a specific tenant'
 * ```
 */
export function tenantProblem(tenantId: unknown): string | undefined {
  // (An empty string fails TENANT.)
  if (typeof tenantId !== "string" || tenantId.length > MAX_TENANT_LENGTH || !TENANT.test(tenantId) || tenantId.includes("..")) {
    return `must be a directory id or a domain such as contoso.onmicrosoft.com (letters, digits, '-' and '.'; at most ${MAX_TENANT_LENGTH} characters)`;
  }
  if (MULTI_TENANT.has(tenantId.toLowerCase())) return `cannot be "${tenantId}": the client credentials flow needs a specific tenant`;
  return undefined;
}

/** `value` when it is a JSON object, else `{}`. */
const asObject = (value: unknown) => ((typeof value === "object" && value) || {}) as Record<string, unknown>;

/**
 * Claims as the JSON text to send: JSON as it is, base64 or base64url of it (the `claims="…"` of a
 * `WWW-Authenticate` challenge) decoded — never the base64 itself, which Entra refuses
 * (AADSTS9002313). Anything else is a TypeError from `what` (the value is not quoted).
 *
 * @example
 * ```ts
 * claimsText("eyJhY2Nlc3NfdG9rZW4iOnt9fQ==", "getToken: claims"); // '{"access_token":{}}'
 * ```
 */
export function claimsText(value: unknown, what: string): string {
  try {
    let text = value as string;
    if (!text.trimStart().startsWith("{")) text = new TextDecoder().decode(Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)));
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return text;
  } catch {
    // refused below
  }
  throw new TypeError(`${what} must be a JSON string (as decoded from the CAE challenge) or its base64, as the claims="…" of a WWW-Authenticate header carries it.`);
}

/**
 * The target of one `getToken` call, or a TypeError / CredentialUnavailableError for scopes,
 * a tenant or claims that cannot be used.
 *
 * @example
 * ```ts
 * const target = targetOf(settings, "https://graph.microsoft.com/.default", { enableCae: true });
 * target.cacheKey; // "<tenant>\u0000cae\u0000https://graph.microsoft.com/.default"
 * ```
 */
export function targetOf(s: Settings, scopes: unknown, options: GetTokenOptions | undefined): Target {
  // The scopes as the form sends them, or a TypeError: 1 to MAX_SCOPES printable strings.
  const list = typeof scopes === "string" ? [scopes] : scopes;
  if (
    !Array.isArray(list) ||
    !list.length ||
    list.length > MAX_SCOPES ||
    list.some((x) => typeof x !== "string" || x.length > MAX_SCOPE_LENGTH || !TOKEN_CHARS.test(x))
  ) {
    const padded = Array.isArray(list) && list.find((x) => typeof x === "string" && x.length < MAX_SCOPE_LENGTH && x !== x.trim() && TOKEN_CHARS.test(x.trim()));
    if (padded) throw new TypeError(`${s.name}: getToken's scope "${padded.trim()}" has a space or newline around it: pass it trimmed.`);
    throw new TypeError(
      `${s.name}: getToken needs 1–${MAX_SCOPES} scopes such as "https://graph.microsoft.com/.default" (printable, no spaces, at most ${MAX_SCOPE_LENGTH} characters each).`,
    );
  }
  const scope: string = list.length === 1 ? list[0] : [...list].sort().join(" ");
  // The tenant of this call: the credential's own, or one it may switch to.
  // Tenants match in any case (as Entra's do): the own tenant is then sent as the credential has
  // it, another in lower case — so "Fabrikam" and "fabrikam" are one cache entry, one flight, one
  // 429 guard and one shared-cache entry, whichever spelling came first.
  const requested = options?.tenantId;
  let tenant = requested === undefined ? s.tenantId : requested;
  if (tenant !== s.tenantId) {
    const problem = tenantProblem(tenant);
    if (problem) throw new TypeError(`${s.name}: getToken's tenantId ${problem}.`);
    tenant = tenant.toLowerCase();
    if (tenant === s.tenantId.toLowerCase()) tenant = s.tenantId;
    else if (!s.allowed.has("*") && !s.allowed.has(tenant)) {
      // (EnvironmentCredential names its variable instead, when the option was not given.)
      throw new CredentialUnavailableError(`${s.name}: tenant ${requested} is not allowed: add it to additionallyAllowedTenants, or "*" for any.`);
    }
  }
  // The claims to send: the credential's `claimsChallenge` and the call's `claims`, merged per
  // token type (`access_token`, `id_token`), with CAE's `xms_cc: ["cp1"]` when `enableCae` is set.
  const cae = options?.enableCae;
  // ("true" or 1 was no CAE, silently: review 13, L4)
  if (cae !== undefined && typeof cae !== "boolean") throw new TypeError(`${s.name}: getToken's enableCae must be true or false, not a ${typeof cae}.`);
  const call = options?.claims;
  const parts = call ? [s.claims, claimsText(call, "getToken: claims")].filter((p) => p !== undefined) : s.claims ? [s.claims] : [];
  let claims = parts[0];
  if (cae || parts.length > 1) {
    const out: Record<string, unknown> = {};
    for (const part of parts) for (const [k, v] of Object.entries(JSON.parse(part!))) out[k] = { ...asObject(out[k]), ...asObject(v) };
    if (cae) out.access_token = { ...asObject(out.access_token), xms_cc: { values: ["cp1"] } };
    claims = JSON.stringify(out);
  }
  const own = tenant === s.tenantId && !cae;
  const cacheKey = own ? scope : `${tenant}\u0000${cae ? "cae" : ""}\u0000${scope}`;
  const url = `${s.authority}/${tenant}/oauth2/v2.0/token`;
  // A challenge carries the caller's claims (CAE's own xms_cc alone is no challenge).
  const challenge = claims !== undefined && !!options?.claims;
  return {
    tenant,
    scope,
    claims,
    url,
    cacheKey,
    flightKey: challenge ? `${cacheKey}\u0000${claims}` : cacheKey,
    throttleKey: `${url}\u0000${s.clientId}\u0000${scope}\u0000${claims ?? ""}`,
    servable: own && !scope.includes(" "),
    challenge,
  };
}
