/**
 * The authority: the Azure clouds' hosts, and the check of `authority` / `authorityHost` (a full
 * authority URL, a host URL or a bare host; https:, or http: on loopback for emulators; no
 * credentials, query or fragment in it; a tenant in it must be the credential's).
 *
 * @module
 */
import type { RuntimeAdapter } from "../lib/runtime.ts";

/** The default authority host (a constant of its own, so bundles that do not name AzureAuthorityHosts do not carry it). */
export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";

const CHINA = "https://login.chinacloudapi.cn";
const GOVERNMENT = "https://login.microsoftonline.us";

/**
 * Authority hosts of the Azure clouds, for `authorityHost` (or `authority`): @azure/identity's
 * names, and Python azure-identity's `AZURE_PUBLIC_CLOUD`, `AZURE_CHINA` and `AZURE_GOVERNMENT`
 * for the same hosts (so ported code does not read an undefined constant, which would mean the
 * public cloud).
 *
 * @example
 * ```ts
 * import { AzureAuthorityHosts, ClientSecretCredential } from "entra-edge";
 *
 * new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: AzureAuthorityHosts.AzureGovernment });
 * AzureAuthorityHosts.AZURE_GOVERNMENT === AzureAuthorityHosts.AzureGovernment; // true
 * ```
 */
export const AzureAuthorityHosts: {
  /** Azure public cloud (the default). */
  readonly AzurePublicCloud: "https://login.microsoftonline.com";
  /** Azure operated by 21Vianet (China). */
  readonly AzureChina: "https://login.chinacloudapi.cn";
  /** Azure US Government. */
  readonly AzureGovernment: "https://login.microsoftonline.us";
  /** Bleu, the French sovereign cloud. */
  readonly AzureBleu: "https://login.sovcloud-identity.fr";
  /** Delos, the German sovereign cloud. */
  readonly AzureDelos: "https://login.sovcloud-identity.de";
  /** The Singapore government sovereign cloud. */
  readonly AzureGovSG: "https://login.sovcloud-identity.sg";
  /** Python azure-identity's name of `AzurePublicCloud` (not enumerated, as the two below). */
  readonly AZURE_PUBLIC_CLOUD: "https://login.microsoftonline.com";
  /** Python azure-identity's name of `AzureChina`. */
  readonly AZURE_CHINA: "https://login.chinacloudapi.cn";
  /** Python azure-identity's name of `AzureGovernment`. */
  readonly AZURE_GOVERNMENT: "https://login.microsoftonline.us";
} = /* @__PURE__ */ Object.defineProperties(
  {
    AzurePublicCloud: DEFAULT_AUTHORITY_HOST,
    AzureChina: CHINA,
    AzureGovernment: GOVERNMENT,
    AzureBleu: "https://login.sovcloud-identity.fr",
    AzureDelos: "https://login.sovcloud-identity.de",
    AzureGovSG: "https://login.sovcloud-identity.sg",
  } as const,
  { AZURE_PUBLIC_CLOUD: { value: DEFAULT_AUTHORITY_HOST }, AZURE_CHINA: { value: CHINA }, AZURE_GOVERNMENT: { value: GOVERNMENT } },
) as typeof AzureAuthorityHosts;

/** The hosts that may be reached over plain `http:` (local emulators and stand-ins), as `URL.hostname` spells them. */
export const LOOPBACK: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** `text` without trailing `/` (a loop: `/\/+$/` backtracks quadratically on a long run of slashes not at the end). */
export function trimSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 47) end--;
  return text.slice(0, end);
}

/**
 * The authority base the token URL is built on (origin and path, no trailing slash, no tenant), or
 * a TypeError. `value` (option `key`, default the public cloud) may be a full authority URL with
 * the tenant as its last path segment (`https://login.microsoftonline.com/contoso`, as Python's
 * azure-identity and MSAL take it), a host URL, or a bare host (`login.microsoftonline.us`: https
 * is meant). A last path segment is the tenant: it must equal `tenantId` (any case) and is dropped,
 * so the token URL never repeats it; a path before it is kept (a gateway's prefix).
 */
export function normalizeAuthority(credential: string, tenantId: string, value: string | undefined, key: string): string {
  // A URL object (or null, a number) read as a string would be refused as a bad URL, which it is not (review 13).
  if (value !== undefined && typeof value !== "string") {
    throw new TypeError(`${credential}: ${key} must be a string (of a URL object, its href; leave it out for the public cloud), not ${value === null ? "null" : typeof value === "object" ? "an object" : `a ${typeof value}`}.`);
  }
  let url: URL | undefined;
  try {
    url = new URL(value === undefined ? DEFAULT_AUTHORITY_HOST : value.includes("://") ? value : `https://${value}`);
  } catch {
    // refused below
  }
  // Not echoed: an authority URL with credentials in it must not end up in an error.
  if (!url || !(url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname))) || url.username || url.password || url.search || url.hash) {
    throw new TypeError(
      `${credential}: ${key} must be an https: URL (or a bare host) without credentials, query or fragment, such as "${DEFAULT_AUTHORITY_HOST}" (http: only for localhost, 127.0.0.1 and [::1]).`,
    );
  }
  const path = trimSlashes(url.pathname);
  const cut = path.lastIndexOf("/");
  const tenant = path.slice(cut + 1);
  if (tenant && tenant.toLowerCase() !== tenantId.toLowerCase()) {
    throw new TypeError(
      `${credential}: ${key} ends in ${/^[\w.-]{1,64}$/.test(tenant) ? `"${tenant}"` : "a tenant"}, not tenantId "${tenantId}" (the last path segment is the tenant): give "${url.origin}" or "${url.origin}/${tenantId}".`,
    );
  }
  const base = tenant ? trimSlashes(path.slice(0, cut)) : path;
  if (tenant && base.slice(base.lastIndexOf("/") + 1).toLowerCase() === tenant.toLowerCase()) {
    throw new TypeError(`${credential}: ${key} names the tenant twice (…/${tenant}/${tenant}): give the host, or the host and the tenant once.`);
  }
  return url.origin + base;
}

/** The environment variable a runtime entry's credentials take their authority from when no `authorityHost` / `authority` option is given. */
const AUTHORITY_HOST_VARIABLE = "AZURE_AUTHORITY_HOST";

/**
 * Whether `o` is a plain object — `{ … }`, `Object.create(null)`, an instance of the caller's own
 * class (with its own Symbol.toStringTag or not), a module namespace, `process.env`, an object of
 * another realm — whose own keys can be options; not an array, Map, Set, Date, Error, boxed
 * string, typed array or other ECMAScript built-in (their contents are not keys), whatever its
 * realm: told by the built-in's tag, the one property of `o` read (Symbol.toStringTag).
 *
 * @example
 * ```ts
 * plainObject({ authorityHost: "https://login.microsoftonline.us" }); // true
 * plainObject(new Map()); // false
 * ```
 */
export function plainObject(o: unknown): o is object {
  if (typeof o !== "object" || !o) return false;
  // "[object Object]" first, without the regular expression: getToken's options (an Azure SDK
  // client passes some on every call, the cached ones too) cost 13 ns here instead of 35.
  const tag = {}.toString.call(o);
  return tag === "[object Object]" || !/^\[object (\w*Array|(Shared)?ArrayBuffer|Map|Set|Weak\w+|Date|RegExp|Error|String|Number|Boolean|Symbol|BigInt|Promise|DataView|Arguments)\]$/.test(tag);
}

/**
 * `options` with `authorityHost` set from {@link AUTHORITY_HOST_VARIABLE} when the caller gave
 * neither `authorityHost` nor `authority` (an option always wins) and the variable is set (not
 * blank; trimmed) — the default of every credential of `@azure/identity` and Python's
 * azure-identity. Called once, by the constructors of the runtime entries' credentials
 * (src/node.ts, src/deno.ts, src/bun.ts), so getToken does no extra work; the variable is read
 * through `runtime.variable` (`entra-edge/core` and Workers have none: unchanged). The value is
 * held to `authorityHost`'s rules ({@link normalizeAuthority}), and a value that breaks them is a
 * TypeError naming the variable, not the option.
 *
 * @example
 * ```ts
 * super(tenantId, clientId, clientSecret, withAuthorityHostFromEnvironment(nodeRuntime, "ClientSecretCredential", tenantId, options));
 * ```
 */
export function withAuthorityHostFromEnvironment<O extends { authority?: string; authorityHost?: string }>(
  runtime: RuntimeAdapter,
  credential: string,
  tenantId: string,
  options: O | undefined,
): O | undefined {
  // Not a plain object: settingsOf refuses it as it is (a copy of an array or a Date would pass).
  if ((options != null && !plainObject(options)) || options?.authorityHost !== undefined || options?.authority !== undefined) return options;
  const value = runtime.variable?.(AUTHORITY_HOST_VARIABLE)?.trim();
  if (!value) return options;
  // A tenantId that is not a string is settingsOf's to refuse (first); the tenant rules need one.
  if (typeof tenantId === "string") {
    try {
      normalizeAuthority(credential, tenantId, value, `the environment variable ${AUTHORITY_HOST_VARIABLE}`);
    } catch (e) {
      throw new TypeError(`${(e as Error).message} It is used because neither authorityHost nor authority was passed: correct or unset ${AUTHORITY_HOST_VARIABLE}, or pass authorityHost (an option wins over the variable).`);
    }
  }
  // A copy with the same prototype, so that the option checks see what they would have seen (a key
  // inherited from a polluted prototype is still refused, not dropped).
  const copy = (options ? Object.assign(Object.create(Object.getPrototypeOf(options) as object | null) as O, options) : {}) as O;
  copy.authorityHost = value;
  return copy;
}
