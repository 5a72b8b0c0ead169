/**
 * Validation of what goes into the token URL and the form body: authority host, tenant id,
 * client id and scopes. Everything is checked before it reaches a URL or a form.
 *
 * @module
 */

/** The default authority host (a constant of its own, so bundles that do not name AzureAuthorityHosts do not carry it). */
const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";

/**
 * Authority hosts of the Azure clouds, for `authorityHost`.
 *
 * @example
 * ```ts
 * new ClientSecretCredential(tenantId, clientId, secret, { authorityHost: AzureAuthorityHosts.AzureGovernment });
 * ```
 */
export const AzureAuthorityHosts = {
  /** Azure public cloud (the default). */
  AzurePublicCloud: DEFAULT_AUTHORITY_HOST,
  /** Azure operated by 21Vianet (China). */
  AzureChina: "https://login.chinacloudapi.cn",
  /** Azure US Government. */
  AzureGovernment: "https://login.microsoftonline.us",
} as const;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const TENANT = /^[0-9a-zA-Z-][0-9a-zA-Z.-]*$/;
const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);
/** Printable ASCII without space: what a client id or a scope can hold. */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

export const MAX_TENANT_LENGTH = 256;
export const MAX_CLIENT_ID_LENGTH = 256;
export const MAX_SCOPE_LENGTH = 1024;
export const MAX_SCOPES = 32;

/** Returns the normalized authority (origin + path, no trailing slash) or throws a TypeError. */
export function normalizeAuthorityHost(credential: string, value: string | undefined): string {
  const raw = value ?? DEFAULT_AUTHORITY_HOST;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`${credential}: authorityHost must be an absolute URL such as "${DEFAULT_AUTHORITY_HOST}".`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new TypeError(
      `${credential}: authorityHost must use https: (plain http is only allowed for localhost, 127.0.0.1 and [::1], for emulators); got ${url.protocol}//${url.host}.`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(`${credential}: authorityHost must not contain credentials, a query or a fragment.`);
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** Why a tenant id is not acceptable, or undefined when it is. */
export function tenantProblem(tenantId: unknown): string | undefined {
  if (typeof tenantId !== "string" || tenantId === "") return "must be a non-empty string";
  if (tenantId.length > MAX_TENANT_LENGTH) return `must be at most ${MAX_TENANT_LENGTH} characters`;
  if (!TENANT.test(tenantId) || tenantId.includes("..")) {
    return "may only contain letters, digits, '-' and '.' (a directory id such as 72f988bf-86f1-41af-91ab-2d7cd011db47, or a domain such as contoso.onmicrosoft.com)";
  }
  if (MULTI_TENANT.has(tenantId.toLowerCase())) {
    return `cannot be "${tenantId}": the client credentials flow needs a specific tenant (its directory id or domain)`;
  }
  return undefined;
}

export function validateTenant(credential: string, tenantId: unknown): string {
  const problem = tenantProblem(tenantId);
  if (problem) throw new TypeError(`${credential}: tenantId ${problem}.`);
  return tenantId as string;
}

export function validateClientId(credential: string, clientId: unknown): string {
  if (typeof clientId !== "string" || clientId === "") {
    throw new TypeError(`${credential}: clientId must be a non-empty string (the app registration's Application (client) ID).`);
  }
  if (clientId.length > MAX_CLIENT_ID_LENGTH || !TOKEN_CHARS.test(clientId)) {
    throw new TypeError(`${credential}: clientId must be at most ${MAX_CLIENT_ID_LENGTH} printable characters without spaces.`);
  }
  return clientId;
}

/**
 * Normalizes scopes into the cache-key / form form: one space-separated string, sorted when there
 * are several. Throws a TypeError for anything that is not a list of well-formed scopes.
 */
export function normalizeScopes(credential: string, scopes: unknown): string {
  const list = typeof scopes === "string" ? [scopes] : scopes;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_SCOPES) {
    throw new TypeError(`${credential}: getToken needs a scope such as "https://management.azure.com/.default" (a string or 1–${MAX_SCOPES} strings).`);
  }
  for (const s of list) {
    if (typeof s !== "string" || s === "" || s.length > MAX_SCOPE_LENGTH || !TOKEN_CHARS.test(s)) {
      throw new TypeError(
        `${credential}: each scope must be a non-empty string of at most ${MAX_SCOPE_LENGTH} printable characters without spaces, such as "https://graph.microsoft.com/.default".`,
      );
    }
  }
  return list.length === 1 ? (list[0] as string) : [...(list as string[])].sort().join(" ");
}
