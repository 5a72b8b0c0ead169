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

/** `text` without trailing `/` (a loop: `/\/+$/` backtracks quadratically on a long run of slashes not at the end). */
export function trimSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 47) end--;
  return text.slice(0, end);
}

/** Returns the normalized authority (origin + path, no trailing slash) or throws a TypeError. */
export function normalizeAuthorityHost(credential: string, value: string | undefined): string {
  let url: URL | undefined;
  try {
    url = new URL(value ?? DEFAULT_AUTHORITY_HOST);
  } catch {
    // refused below
  }
  // Not echoed: an authority URL with credentials in it must not end up in an error.
  if (!url || !(url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname))) || url.username || url.password || url.search || url.hash) {
    throw new TypeError(
      `${credential}: authorityHost must be an https: URL without credentials, query or fragment, such as "${DEFAULT_AUTHORITY_HOST}" (http: only for localhost, 127.0.0.1 and [::1]).`,
    );
  }
  return url.origin + trimSlashes(url.pathname);
}

/** Why `tenantId` cannot be used (the end of a sentence starting with "tenantId"), or undefined. */
export function tenantProblem(tenantId: unknown): string | undefined {
  if (typeof tenantId !== "string" || !tenantId || tenantId.length > MAX_TENANT_LENGTH || !TENANT.test(tenantId) || tenantId.includes("..")) {
    return `must be a directory id or a domain such as contoso.onmicrosoft.com (letters, digits, '-' and '.'; at most ${MAX_TENANT_LENGTH} characters)`;
  }
  if (MULTI_TENANT.has(tenantId.toLowerCase())) return `cannot be "${tenantId}": the client credentials flow needs a specific tenant`;
  return undefined;
}

export function validateTenant(credential: string, tenantId: unknown): string {
  const problem = tenantProblem(tenantId);
  if (problem) throw new TypeError(`${credential}: tenantId ${problem}.`);
  return tenantId as string;
}

export function validateClientId(credential: string, clientId: unknown): string {
  if (typeof clientId !== "string" || !clientId || clientId.length > MAX_CLIENT_ID_LENGTH || !TOKEN_CHARS.test(clientId)) {
    throw new TypeError(`${credential}: clientId must be the app registration's Application (client) ID (1–${MAX_CLIENT_ID_LENGTH} printable characters, no spaces).`);
  }
  return clientId;
}

export function normalizeScopes(credential: string, scopes: unknown): string {
  const list = typeof scopes === "string" ? [scopes] : scopes;
  if (
    !Array.isArray(list) ||
    !list.length ||
    list.length > MAX_SCOPES ||
    list.some((s) => typeof s !== "string" || !s || s.length > MAX_SCOPE_LENGTH || !TOKEN_CHARS.test(s))
  ) {
    throw new TypeError(
      `${credential}: getToken needs 1–${MAX_SCOPES} scopes such as "https://graph.microsoft.com/.default" (printable, no spaces, at most ${MAX_SCOPE_LENGTH} characters each).`,
    );
  }
  return list.length === 1 ? list[0] : [...list].sort().join(" ");
}
