/**
 * `EnvironmentCredential`: configuration from `AZURE_*` variables, with the names of
 * `@azure/identity` plus `AZURE_CLIENT_CERTIFICATE` (inline PEM or base64 PFX) for runtimes
 * without files.
 *
 * @module
 */
import { CONTENTS_INSTEAD } from "../certificate/load.ts";
import { CredentialUnavailableError } from "../lib/errors.ts";
import { checkEnv, checkKeys, CREDENTIAL_KEYS, editDistance, ENVIRONMENT_KEYS, environmentError } from "../token/options.ts";
import { tenantProblem } from "../token/target.ts";
import { noRuntime, type RuntimeAdapter } from "../lib/runtime.ts";
import type { AccessToken, CredentialOptions, EnvironmentCredentialOptions, GetTokenOptions, TokenCredential } from "../types.ts";
import { ClientCertificateCredential } from "./client-certificate.ts";
import { ClientSecretCredential } from "./client-secret.ts";

const NAME = "EnvironmentCredential";

/**
 * The variables EnvironmentCredential reads.
 *
 * @example
 * ```ts
 * import { ENVIRONMENT_VARIABLES } from "entra-edge";
 *
 * const set = ENVIRONMENT_VARIABLES.filter((name) => process.env[name] !== undefined);
 * console.log(`configured: ${set.join(", ") || "nothing"}`);
 * ```
 */
export const ENVIRONMENT_VARIABLES = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_CLIENT_CERTIFICATE",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
  "AZURE_AUTHORITY_HOST",
  "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
] as const;

type Variables = Partial<Record<(typeof ENVIRONMENT_VARIABLES)[number], string>>;

/** The certificate variables, read only when AZURE_CLIENT_SECRET is not set. */
const CERTIFICATE_VARIABLES = new Set(["AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"]);

/**
 * The variables, each read once; the certificate ones only without a secret (so a scoped
 * `--allow-env` needs only what is used). Variables the runtime may not read (a missing
 * permission) are collected, and one error names all of them.
 */
function read(options: EnvironmentCredentialOptions | undefined, runtime: RuntimeAdapter): Variables {
  const source: Record<string, unknown> | undefined = options?.env ?? runtime.env?.();
  const out: Variables = {};
  if (!source) return out;
  const denied: string[] = [];
  let refusal: unknown;
  for (const name of ENVIRONMENT_VARIABLES) {
    if (out.AZURE_CLIENT_SECRET && CERTIFICATE_VARIABLES.has(name)) continue;
    let v: unknown;
    try {
      v = source[name];
    } catch (e) {
      if (!(e instanceof CredentialUnavailableError)) throw e;
      denied.push(name);
      refusal ??= e;
      continue;
    }
    if (typeof v === "string" && v.trim() !== "") out[name] = name === "AZURE_CLIENT_SECRET" || name === "AZURE_CLIENT_CERTIFICATE" || name === "AZURE_CLIENT_CERTIFICATE_PASSWORD" ? v : v.trim();
  }
  // A misspelt variable in an env object (AZURE_AUTORITY_HOST) left its default in place — the
  // public cloud — silently (review 13, L5): refused, naming the variable meant (one not set).
  if (options?.env) {
    for (const key of Object.keys(source)) {
      if (!key.startsWith("AZURE_") || (ENVIRONMENT_VARIABLES as readonly string[]).includes(key)) continue;
      const meant = ENVIRONMENT_VARIABLES.find((name) => source[name] === undefined && editDistance(key, name) <= 2);
      if (meant) throw new CredentialUnavailableError(`${NAME} is unavailable: the env object has ${key}, which is not a variable it reads: did you mean ${meant}?`);
    }
  }
  if (denied.length) {
    throw runtime.envDenied ? new CredentialUnavailableError(`${NAME} is unavailable: ${runtime.envDenied(denied)}`) : refusal;
  }
  return out;
}

/** Picks the credential the variables describe, or explains what is missing. */
function build(options: EnvironmentCredentialOptions | undefined, runtime: RuntimeAdapter): TokenCredential {
  const v = read(options, runtime);
  const missing: string[] = [];
  if (!v.AZURE_TENANT_ID) missing.push("AZURE_TENANT_ID");
  if (!v.AZURE_CLIENT_ID) missing.push("AZURE_CLIENT_ID");
  const hasCredential = v.AZURE_CLIENT_SECRET || v.AZURE_CLIENT_CERTIFICATE_PATH || v.AZURE_CLIENT_CERTIFICATE;
  if (!hasCredential) missing.push("one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_CLIENT_CERTIFICATE");
  if (missing.length) {
    const where = options?.env ? "in the env object passed to it" : runtime.env ? `in the ${runtime.name} environment` : `(${runtime.name} has no environment variables here: pass { env })`;
    throw new CredentialUnavailableError(`${NAME} is unavailable: ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not set ${where}.`);
  }
  const shared: CredentialOptions = { ...options };
  delete (shared as { env?: unknown }).env;
  // AZURE_AUTHORITY_HOST follows authorityHost's rules (a host, a bare host, or an authority ending in AZURE_TENANT_ID).
  shared.authorityHost = options?.authorityHost ?? (options?.authority === undefined ? v.AZURE_AUTHORITY_HOST : undefined);
  if (options?.additionallyAllowedTenants === undefined) {
    const list = (v.AZURE_ADDITIONALLY_ALLOWED_TENANTS ?? "").split(";").map((t) => t.trim()).filter(Boolean);
    const i = list.findIndex((t) => t !== "*" && tenantProblem(t));
    if (i >= 0) {
      // Quoted only when made of URL-ish characters (a secret pasted into the wrong variable, with its "~", is not echoed).
      const entry = /^[\w./:-]{1,64}$/.test(list[i]!) ? `"${list[i]}"` : `entry ${i + 1}`;
      throw new CredentialUnavailableError(
        `${NAME} is unavailable: AZURE_ADDITIONALLY_ALLOWED_TENANTS has ${entry}, which is not a tenant: list directory ids or domains such as contoso.onmicrosoft.com (not common, organizations or consumers), separated by ";", or set it to "*" for any tenant.`,
      );
    }
    shared.additionallyAllowedTenants = list;
  }
  const tenantId = v.AZURE_TENANT_ID!;
  const clientId = v.AZURE_CLIENT_ID!;
  if (v.AZURE_CLIENT_SECRET) return new ClientSecretCredential(tenantId, clientId, v.AZURE_CLIENT_SECRET, shared);
  const chain = (v.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN ?? "").trim();
  // As @azure/identity: "true" or "1" (any case) sends the chain; anything but those, "false", "0"
  // or nothing is refused here — "yes" and "on" meant false, silently (review 13, L4).
  if (!/^(true|1|false|0|)$/i.test(chain)) {
    throw new CredentialUnavailableError(`${NAME} is unavailable: AZURE_CLIENT_SEND_CERTIFICATE_CHAIN must be true or false (or 1 or 0), not ${/^[\w-]{1,16}$/.test(chain) ? `"${chain}"` : "that value"}.`);
  }
  const sendCertificateChain = /^(true|1)$/i.test(chain);
  // Only when set: an unset variable is no password given ("Set AZURE_CLIENT_CERTIFICATE_PASSWORD"), not an undefined one.
  const password = v.AZURE_CLIENT_CERTIFICATE_PASSWORD;
  const certificatePassword = password === undefined ? {} : { certificatePassword: password };
  // A PEM or base64 PFX put in AZURE_CLIENT_CERTIFICATE_PATH by mistake: if it cannot be read as a
  // path, the error describes it (never quotes it) and names the variable it belongs in.
  const source = v.AZURE_CLIENT_CERTIFICATE_PATH
    ? { certificatePath: v.AZURE_CLIENT_CERTIFICATE_PATH, ...certificatePassword, [CONTENTS_INSTEAD]: "AZURE_CLIENT_CERTIFICATE (and unset AZURE_CLIENT_CERTIFICATE_PATH)" }
    : { certificate: v.AZURE_CLIENT_CERTIFICATE!, ...certificatePassword };
  // Paths are read through this credential's runtime.
  class Certificate extends ClientCertificateCredential {
    protected static override runtime = runtime;
    protected static override passwordHint = "Set AZURE_CLIENT_CERTIFICATE_PASSWORD.";
  }
  return new Certificate(tenantId, clientId, source, { ...shared, sendCertificateChain });
}

/**
 * Authenticates with what the environment configures, using the variable names of
 * `@azure/identity`: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, then `AZURE_CLIENT_SECRET`, or
 * `AZURE_CLIENT_CERTIFICATE_PATH` (+ `AZURE_CLIENT_CERTIFICATE_PASSWORD`,
 * `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`), or `AZURE_CLIENT_CERTIFICATE` (inline PEM or base64 PFX);
 * `AZURE_AUTHORITY_HOST` and `AZURE_ADDITIONALLY_ALLOWED_TENANTS` (`;`-separated) apply to all.
 * When the configuration is incomplete, `getToken` rejects with a `CredentialUnavailableError`
 * naming the missing variables.
 *
 * @example
 * ```ts
 * import { EnvironmentCredential } from "entra-edge";
 *
 * // Node, Deno, Bun: the process environment
 * const credential = new EnvironmentCredential();
 *
 * // Cloudflare Workers: the bindings object
 * export default {
 *   async fetch(request: Request, env: Record<string, string>) {
 *     const { token } = await new EnvironmentCredential({ env }).getToken("https://graph.microsoft.com/.default");
 *     return new Response("ok");
 *   },
 * };
 * ```
 */
export class EnvironmentCredential implements TokenCredential {
  /**
   * @internal Where the environment and certificate paths come from: nowhere here
   * (`entra-edge/core`: pass `env`); each runtime entry's subclass sets its runtime's adapter.
   */
  protected static runtime: RuntimeAdapter = noRuntime;

  /** The class's name, also in minified bundles (a bundler renames the class itself). */
  static get name(): string {
    return NAME;
  }

  readonly #credential: TokenCredential | undefined;
  readonly #unavailable: Error | undefined;
  /** The tenants getToken may switch to came from AZURE_ADDITIONALLY_ALLOWED_TENANTS (not the option). */
  readonly #allowedFromVariable: boolean;

  /**
   * Reads the `AZURE_*` variables now (from `options.env`, else the runtime's environment); `getToken` reports what is missing.
   *
   * @throws TypeError for an unknown option key (the variables' problems surface from getToken).
   */
  constructor(options?: EnvironmentCredentialOptions) {
    checkKeys(NAME, options, [...CREDENTIAL_KEYS, ...ENVIRONMENT_KEYS]);
    checkEnv(NAME, options?.env, (new.target as typeof EnvironmentCredential).runtime);
    this.#allowedFromVariable = options?.additionallyAllowedTenants === undefined;
    try {
      this.#credential = build(options, (new.target as typeof EnvironmentCredential).runtime);
    } catch (e) {
      // Configuration errors surface from getToken, like @azure/identity (credential chains skip it),
      // naming the variable the value came from.
      this.#unavailable =
        e instanceof CredentialUnavailableError
          ? e
          : (environmentError(NAME, e, {
              tenantId: "AZURE_TENANT_ID",
              clientId: "AZURE_CLIENT_ID",
              clientSecret: "AZURE_CLIENT_SECRET",
              authorityHost: options?.authorityHost === undefined && "AZURE_AUTHORITY_HOST",
            }) ?? new CredentialUnavailableError(`${NAME} is unavailable: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  /**
   * Gets an access token with the configured credential.
   *
   * @example
   * ```ts
   * import { EnvironmentCredential } from "entra-edge";
   *
   * const { token } = await new EnvironmentCredential().getToken("https://management.azure.com/.default");
   * ```
   */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    if (!this.#credential) return Promise.reject(this.#unavailable);
    const pending = this.#credential.getToken(scopes, options);
    // Another tenant (never the cached path): a refusal names the variable the allowed tenants came from.
    return options?.tenantId === undefined || !this.#allowedFromVariable
      ? pending
      : pending.catch((e: unknown) => {
          throw e instanceof CredentialUnavailableError && / is not allowed: /.test(e.message)
            ? new CredentialUnavailableError(e.message.replace(/additionallyAllowedTenants/, 'AZURE_ADDITIONALLY_ALLOWED_TENANTS (";"-separated)'))
            : e;
        });
  }

  /** A safe summary for logs. */
  toJSON(): { credential: string; configured: unknown } {
    return { credential: NAME, configured: this.#credential ? JSON.parse(JSON.stringify(this.#credential)) : null };
  }
}
