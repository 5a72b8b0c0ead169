/**
 * `WorkloadIdentityCredential`: workload identity federation with a token file (AKS / Kubernetes
 * projected service-account tokens), with the options and variables of `@azure/identity`'s, or
 * with a token from a function (Workers, any other issuer).
 *
 * @module
 */
import { showPath } from "../certificate/path.ts";
import { fromUtf8 } from "../lib/bytes.ts";
import { CredentialUnavailableError } from "../lib/errors.ts";
import { noRuntime, type RuntimeAdapter } from "../lib/runtime.ts";
import { TokenClient } from "../token/client.ts";
import { checkEnv, checkKeys, CREDENTIAL_KEYS, environmentError, settingsOf } from "../token/options.ts";
import { ASSERTION_HINTS, FEDERATED_HINTS, type Hints } from "../token/messages.ts";
import { assertionFields } from "../token/request.ts";
import type { AccessToken, GetTokenOptions, TokenCredential, WorkloadIdentityCredentialOptions } from "../types.ts";

const NAME = "WorkloadIdentityCredential";
/** A projected token is a JWT of a few KB; a larger file is not one. */
const MAX_TOKEN_FILE_BYTES = 64 * 1024;

/** The options only this credential reads (the rest go to the token client). */
const OWN_OPTIONS = ["tenantId", "clientId", "tokenFilePath", "getAssertion", "env"] as const;

/** A variable's value trimmed; undefined when unset, blank or not a string. */
function trimmed(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function variable(source: Record<string, unknown> | undefined, name: string): string | undefined {
  return trimmed(source?.[name]);
}

function option(options: WorkloadIdentityCredentialOptions | undefined, name: "tenantId" | "clientId" | "tokenFilePath"): string | undefined {
  const v: unknown = options?.[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.trim() === "") throw new TypeError(`${NAME}: ${name} must be a non-empty string (or left out to read it from the environment).`);
  return v.trim();
}

/** The 700024 hint for a token read from `file`: the file is re-read for every request, so it was stale. */
function staleFileHint(file: string): string {
  return `The federated token read from ${showPath(file)} is expired or not yet valid. ${NAME} reads the file again for every token request, so the file itself was stale: check that the projected service-account token is mounted and rotated (Kubernetes refreshes it before it expires; on AKS the workload identity webhook projects it to AZURE_FEDERATED_TOKEN_FILE), and this machine's clock.`;
}

/**
 * Authenticates with workload identity federation: a token from a file — on AKS / Kubernetes the
 * projected service-account token the workload identity webhook mounts — presented to Entra as a
 * federated credential's client assertion. The options and environment variables are
 * `@azure/identity`'s: `tenantId` / `AZURE_TENANT_ID`, `clientId` / `AZURE_CLIENT_ID`,
 * `tokenFilePath` / `AZURE_FEDERATED_TOKEN_FILE`, `authorityHost` / `AZURE_AUTHORITY_HOST`.
 *
 * The file is read again for every token request (Kubernetes rotates it), never for a cached
 * token. A missing or malformed configuration from the environment, or a missing file, is a
 * `CredentialUnavailableError` from `getToken` that names the variable and the path (a malformed
 * option is a TypeError from the constructor); a stale file is Entra's AADSTS700024 with a hint
 * about rotation. Other tenants come from the `additionallyAllowedTenants` option only (as in
 * `@azure/identity`, only EnvironmentCredential reads AZURE_ADDITIONALLY_ALLOWED_TENANTS). Where
 * the runtime has no files (Workers, `entra-edge/core`), pass `getAssertion`: a function that
 * returns the federated token.
 *
 * @example
 * ```ts
 * import { WorkloadIdentityCredential } from "entra-edge";
 *
 * // In a pod with the label azure.workload.identity/use: "true" (AKS sets the AZURE_* variables)
 * const credential = new WorkloadIdentityCredential();
 * const { token } = await credential.getToken("https://storage.azure.com/.default");
 *
 * // Any issuer, any runtime: the token from a function
 * const fromIssuer = new WorkloadIdentityCredential({
 *   tenantId,
 *   clientId,
 *   getAssertion: async () => (await fetch("https://issuer.example/token")).text(),
 * });
 * ```
 */
export class WorkloadIdentityCredential implements TokenCredential {
  /**
   * @internal Where the environment and the token file come from: nowhere here
   * (`entra-edge/core`: pass `env` and `getAssertion`); each runtime entry's subclass sets its adapter.
   */
  protected static runtime: RuntimeAdapter = noRuntime;

  /** The class's name, also in minified bundles. */
  static get name(): string {
    return NAME;
  }

  readonly #client: TokenClient | undefined;
  readonly #unavailable: CredentialUnavailableError | undefined;

  /**
   * A credential for the app (or user-assigned managed identity) `clientId` in `tenantId` that
   * presents the federated token from `tokenFilePath` or `getAssertion`; each option not given is
   * read from its `AZURE_*` variable.
   *
   * @throws TypeError for a malformed option (a missing one is read from the environment; if it
   *   is not there either, or its variable is malformed, `getToken` rejects with a
   *   `CredentialUnavailableError` naming the variable).
   */
  constructor(options?: WorkloadIdentityCredentialOptions) {
    const runtime = (new.target as typeof WorkloadIdentityCredential).runtime;
    checkKeys(NAME, options, [...CREDENTIAL_KEYS, "tenantId", "clientId", "tokenFilePath", "getAssertion", "env"]);
    checkEnv(NAME, options?.env, runtime);
    const getAssertion = options?.getAssertion;
    if (getAssertion !== undefined && typeof getAssertion !== "function") throw new TypeError(`${NAME}: getAssertion must be a function that returns the federated token.`);
    if (getAssertion && options?.tokenFilePath !== undefined) throw new TypeError(`${NAME}: pass one of tokenFilePath and getAssertion, not both.`);
    const env = options?.env ?? runtime.env?.();
    const fromOption = option(options, "tokenFilePath");
    let tenantId: string | undefined;
    let clientId: string | undefined;
    let file: string | undefined;
    let authorityHost: string | undefined;
    try {
      tenantId = option(options, "tenantId") ?? variable(env, "AZURE_TENANT_ID");
      clientId = option(options, "clientId") ?? variable(env, "AZURE_CLIENT_ID");
      file = getAssertion ? undefined : (fromOption ?? variable(env, "AZURE_FEDERATED_TOKEN_FILE"));
      // From the runtime's environment through variable(), as every credential reads it: on Deno
      // only with a granted permission (unset otherwise, never a refusal: it is not required).
      authorityHost = options?.authorityHost ?? (options?.env === undefined && runtime.variable ? trimmed(runtime.variable("AZURE_AUTHORITY_HOST")) : variable(env, "AZURE_AUTHORITY_HOST"));
    } catch (e) {
      // The runtime may refuse the environment (Deno without --allow-env): that surfaces from getToken.
      if (!(e instanceof CredentialUnavailableError)) throw e;
      this.#unavailable = e;
      return;
    }
    const fileFrom = fromOption !== undefined ? "tokenFilePath" : "AZURE_FEDERATED_TOKEN_FILE";

    const missing: string[] = [];
    if (!tenantId) missing.push("tenantId (AZURE_TENANT_ID)");
    if (!clientId) missing.push("clientId (AZURE_CLIENT_ID)");
    if (!getAssertion && !file) missing.push("tokenFilePath (AZURE_FEDERATED_TOKEN_FILE)");
    if (missing.length) {
      const where = options?.env ? "in the env object passed to it" : runtime.env ? `in the ${runtime.name} environment` : `(${runtime.name} has no environment variables here: pass the options, or { env })`;
      this.#unavailable = new CredentialUnavailableError(
        `${NAME} is unavailable: ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not set as an option or ${where}. On AKS, the workload identity webhook sets AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE in pods labelled azure.workload.identity/use: "true" whose service account names the app (azure.workload.identity/client-id).`,
      );
      return;
    }
    if (file && !runtime.readFile) {
      this.#unavailable = new CredentialUnavailableError(
        `${NAME} is unavailable: ${runtime.name} has no file system, so the federated token file ${showPath(file)} (${fileFrom}) cannot be read. Pass the token through a function instead: new WorkloadIdentityCredential({ tenantId, clientId, getAssertion: () => token }).`,
      );
      return;
    }
    const shared: Record<string, unknown> = { ...options };
    for (const key of OWN_OPTIONS) delete shared[key];
    shared.authorityHost = authorityHost;
    const assertion = getAssertion ? () => fromFunction(getAssertion) : () => readTokenFile(runtime, file!, fileFrom);
    const hints: Hints = file ? { ...ASSERTION_HINTS, ...FEDERATED_HINTS, 700024: staleFileHint(file) } : { ...ASSERTION_HINTS, ...FEDERATED_HINTS };
    try {
      this.#client = new TokenClient(NAME, tenantId!, clientId!, shared, async () => assertionFields(await assertion()), hints);
    } catch (e) {
      // A malformed value from the environment is the environment's problem, named by its variable,
      // from getToken (as EnvironmentCredential does; chains skip it); an explicit option's stays a TypeError.
      const unavailable = environmentError(NAME, e, {
        tenantId: options?.tenantId === undefined && "AZURE_TENANT_ID",
        clientId: options?.clientId === undefined && "AZURE_CLIENT_ID",
        authorityHost: options?.authorityHost === undefined && "AZURE_AUTHORITY_HOST",
      });
      if (!unavailable) throw e;
      // The explicit options are checked all the same (their TypeError wins), with stand-ins for the
      // environment's values (and without the authority, whose tenant must be the real one).
      settingsOf(NAME, options?.tenantId === undefined ? "tenant" : tenantId, options?.clientId === undefined ? "client" : clientId, { ...shared, authority: undefined, authorityHost: undefined });
      this.#unavailable = unavailable;
    }
  }

  /**
   * Gets an access token for the scopes, reading the token file (or calling `getAssertion`) for
   * every request that is not served from the cache.
   *
   * @example
   * ```ts
   * const { token } = await credential.getToken("https://management.azure.com/.default");
   * ```
   */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    if (this.#client) return this.#client.getToken(scopes, options);
    return Promise.reject(this.#unavailable);
  }

  /** A safe summary for logs: the class, tenant and client id (never the token or the file's text). */
  toJSON(): { credential: string; tenantId?: string; clientId?: string; configured: boolean } {
    return this.#client ? { credential: NAME, tenantId: this.#client.tenantId, clientId: this.#client.clientId, configured: true } : { credential: NAME, configured: false };
  }
}

async function fromFunction(getAssertion: () => string | Promise<string>): Promise<string> {
  const token = await getAssertion();
  if (typeof token !== "string" || token.trim() === "") throw new CredentialUnavailableError(`${NAME}: getAssertion returned no token (expected a non-empty JWT string).`);
  return token.trim();
}

/** Reads the token file now (it rotates): a missing or unreadable file names the path and where it came from. */
async function readTokenFile(runtime: RuntimeAdapter, file: string, from: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await runtime.readFile!(file, MAX_TOKEN_FILE_BYTES, "federated token file");
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const detail = e instanceof CredentialUnavailableError ? e.message : `${e instanceof Error ? e.name : "error"}${typeof code === "string" && /^[A-Z][A-Z0-9_]{0,31}$/.test(code) ? ` ${code}` : ""}`;
    throw new CredentialUnavailableError(
      `${NAME} cannot read the federated token file ${showPath(file)} named by ${from} (${detail}). Check that the service-account token is projected into the pod at that path (on AKS: the pod has the label azure.workload.identity/use: "true"), and that this program may read it.`,
    );
  }
  if (bytes.length > MAX_TOKEN_FILE_BYTES) throw new CredentialUnavailableError(`${NAME}: the federated token file ${showPath(file)} is over ${MAX_TOKEN_FILE_BYTES} bytes: it is not a token (a JWT of a few KB).`);
  const token = fromUtf8(bytes).trim();
  if (token === "") throw new CredentialUnavailableError(`${NAME}: the federated token file ${showPath(file)} named by ${from} is empty. Check that the token is projected into it.`);
  return token;
}
