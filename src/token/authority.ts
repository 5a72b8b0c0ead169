/**
 * The authority host: the Azure clouds' hosts, and the check of `authorityHost` (https:, or
 * http: on loopback for emulators; no credentials, query or fragment in it).
 *
 * @module
 */

/** The default authority host (a constant of its own, so bundles that do not name AzureAuthorityHosts do not carry it). */
export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";

/**
 * Authority hosts of the Azure clouds, for `authorityHost`.
 *
 * @example
 * ```ts
 * import { AzureAuthorityHosts, ClientSecretCredential } from "entra-edge";
 *
 * new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: AzureAuthorityHosts.AzureGovernment });
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
