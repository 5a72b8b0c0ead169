/**
 * `keyVaultSigner`: a `sign` callback for `ClientCertificateCredential` that calls Azure Key
 * Vault's `keys/{name}/{version}/sign` REST operation (RS256 / PS256 over the SHA-256 digest of the
 * signing input), with a token from another credential. Fetch and WebCrypto only, so it runs on
 * Workers too; the key never leaves the vault.
 *
 * @module
 */
import { base64url, fromBase64 } from "../lib/bytes.ts";
import { CredentialUnavailableError } from "../lib/errors.ts";
import { LOOPBACK } from "../token/authority.ts";
import { checkKeys } from "../token/options.ts";
import { redactor } from "../token/redact.ts";
import { readLimited } from "../token/response.ts";
import type { AssertionAlgorithm, AssertionSigner, KeyVaultSignerOptions, SignContext } from "../types.ts";

const NAME = "keyVaultSigner";
/** `https://{vault}.{suffix}/keys/{name}/{version}`: Key Vault names are 1–127 of [0-9a-zA-Z-], versions 32 hex digits. */
const KEY_ID = /^\/keys\/([0-9a-zA-Z-]{1,127})\/([0-9a-fA-F]{32})\/?$/;
/** The token audiences of Key Vault's clouds, by the host's suffix. */
const RESOURCES: readonly (readonly [string, string])[] = [
  [".vault.azure.net", "https://vault.azure.net"],
  [".vault.azure.cn", "https://vault.azure.cn"],
  [".vault.usgovcloudapi.net", "https://vault.usgovcloudapi.net"],
  [".vault.microsoftazure.de", "https://vault.microsoftazure.de"],
  [".managedhsm.azure.net", "https://managedhsm.azure.net"],
  [".managedhsm.azure.cn", "https://managedhsm.azure.cn"],
  [".managedhsm.usgovcloudapi.net", "https://managedhsm.usgovcloudapi.net"],
];
/**
 * A sign answer is `{ kid, value }`: a key id of ~150 bytes and a base64url signature of at most
 * 683 (RSA-4096), under 1 KB; Key Vault's error JSON is a few hundred bytes, a gateway's HTML page
 * a few KB. 64 KiB is far past all of them: a longer answer is refused at that byte, not read on.
 */
const MAX_ANSWER_BYTES = 64 * 1024;
/** A sign call that has not answered (in full) by then is abandoned, attempt or not. */
const TIMEOUT_MS = 30_000;

function parseKeyId(keyId: unknown): { url: URL; name: string; version: string } {
  let url: URL | undefined;
  try {
    url = typeof keyId === "string" ? new URL(keyId) : undefined;
  } catch {
    // reported below
  }
  const m = url ? KEY_ID.exec(url.pathname) : null;
  if (!url || !m || url.search || url.hash || url.username || url.password) {
    throw new TypeError(
      `${NAME}: keyId must be a Key Vault key identifier with its version, https://{vault}.vault.azure.net/keys/{name}/{version} (the certificate's "kid"; az keyvault certificate show --query kid).`,
    );
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) throw new TypeError(`${NAME}: keyId must be an https: URL.`);
  return { url, name: m[1]!, version: m[2]! };
}

/**
 * The vault token's scope for a host of Key Vault's clouds (or a loopback test vault). Any other
 * host would receive a bearer token for Key Vault, so it needs an explicit `scope`: the Azure SDK
 * checks the same (the challenge's resource must match the vault's host).
 */
function defaultScope(host: string): string {
  const found = RESOURCES.find(([suffix]) => host.toLowerCase().endsWith(suffix));
  if (!found && !LOOPBACK.has(host)) {
    throw new TypeError(
      `${NAME}: ${host} is not a Key Vault or Managed HSM host (${RESOURCES.map(([suffix]) => `*${suffix}`).join(", ")}), so no Key Vault token is sent to it; for a vault elsewhere (Azure Stack Hub), pass its token scope as scope.`,
    );
  }
  return `${found ? found[1] : "https://vault.azure.net"}/.default`;
}

/** Key Vault's error JSON `{ error: { code, message } }`, when the answer is one. */
function vaultError(text: string): string {
  try {
    const e = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    const code = typeof e?.code === "string" ? e.code.slice(0, 100) : "";
    const message = typeof e?.message === "string" ? e.message.replace(/\s+/g, " ").slice(0, 300) : "";
    return code || message ? `${code}${code && message ? ": " : ""}${message}` : "";
  } catch {
    return "";
  }
}

function what(status: number): string {
  return status === 401
    ? " The token was refused: check that the credential's tenant is the vault's."
    : status === 403
      ? " The identity may not sign with this key: give it the 'Key Vault Crypto User' role on the vault (RBAC) or the keys 'sign' permission (access policy)."
      : status === 404
        ? " Check the key's name and version (the certificate's kid)."
        : "";
}

/**
 * A `sign` callback for `ClientCertificateCredential`'s `{ certificate, sign }` that signs with a
 * key in Azure Key Vault (or Managed HSM): `POST {keyId}/sign?api-version=7.4` with `{ alg, value:
 * base64url(SHA-256(data)) }` and a bearer token from `credential` for the vault's scope. The
 * private key never leaves the vault; only the digest goes to it. Fetch only: it runs on Workers.
 * A refusal rejects with a `CredentialUnavailableError` that says what to check (the role, the key
 * id, the tenant).
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { ClientCertificateCredential, ClientSecretCredential, keyVaultSigner } from "entra-edge";
 *
 * // The vault holds the certificate (with a non-exportable key); the app has its public part.
 * const vaultAccess = new ClientSecretCredential(tenantId, process.env.VAULT_CLIENT_ID!, process.env.VAULT_CLIENT_SECRET!);
 * const credential = new ClientCertificateCredential(tenantId, clientId, {
 *   certificate: readFileSync("./certs/app-cert.pem", "utf8"), // az keyvault certificate download --vault-name contoso --name app-cert --file app-cert.pem
 *   sign: keyVaultSigner({ keyId: "https://contoso.vault.azure.net/keys/app-cert/0123456789abcdef0123456789abcdef", credential: vaultAccess }),
 * });
 * const { token } = await credential.getToken("https://graph.microsoft.com/.default");
 * ```
 */
export function keyVaultSigner(options: KeyVaultSignerOptions): AssertionSigner {
  if (typeof options !== "object" || options === null) throw new TypeError(`${NAME}: pass { keyId, credential }.`);
  checkKeys(NAME, options, ["keyId", "credential", "scope", "fetch", "apiVersion"]);
  const { url } = parseKeyId(options.keyId);
  const credential = options.credential;
  if (typeof credential?.getToken !== "function") throw new TypeError(`${NAME}: credential must be a TokenCredential (an object with getToken), e.g. a ClientSecretCredential or ManagedIdentityCredential.`);
  if (options.scope !== undefined && (typeof options.scope !== "string" || !options.scope)) throw new TypeError(`${NAME}: scope must be a non-empty string.`);
  const apiVersion = options.apiVersion ?? "7.4";
  if (apiVersion !== "7.4" && apiVersion !== "7.5") throw new TypeError(`${NAME}: apiVersion must be "7.4" or "7.5".`);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${NAME}: fetch must be a function.`);
  const scope = options.scope ?? defaultScope(url.hostname);
  const endpoint = `${url.origin}${url.pathname.replace(/\/$/, "")}/sign?api-version=${apiVersion}`;
  const transport = options.fetch;
  const where = `${url.host}${url.pathname.replace(/\/$/, "")}`;
  return async (data: Uint8Array, algorithm: AssertionAlgorithm, context?: SignContext): Promise<Uint8Array> => {
    if (algorithm !== "RS256" && algorithm !== "PS256") throw new TypeError(`${NAME}: algorithm must be "RS256" or "PS256".`);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(data)));
    const { token } = await credential.getToken(scope);
    const fetchFn = transport ?? globalThis.fetch;
    // Our own timeout, and the token request's attempt (its timeout or the caller's abort): the
    // call and the reading of its answer stop with whichever comes first.
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const attempt = context?.abortSignal;
    const signal = attempt ? AbortSignal.any([timeout, attempt]) : timeout;
    const stopped = (): CredentialUnavailableError =>
      new CredentialUnavailableError(
        `${NAME}: the sign call to Key Vault ${url.host} was abandoned: ${timeout.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : "the token request's attempt ended (its tryTimeoutInMs, or the caller's abortSignal)"}.`,
      );
    let response: Response;
    let text: string | undefined;
    try {
      response = await fetchFn(endpoint, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ alg: algorithm, value: base64url(digest) }),
        signal,
        redirect: "manual",
      });
      text = await readLimited(response, signal, MAX_ANSWER_BYTES);
    } catch (e) {
      if (signal.aborted) throw stopped();
      throw new CredentialUnavailableError(`${NAME}: Key Vault ${url.host} could not be reached (${e instanceof Error ? e.name : "error"}). Check network access to the vault.`);
    }
    if (text === undefined) {
      if (signal.aborted) throw stopped();
      throw new CredentialUnavailableError(
        `${NAME}: Key Vault ${url.host} answered HTTP ${response.status} with more than ${MAX_ANSWER_BYTES / 1024} KiB (a sign answer is under 1 KB): refused, the rest not read. Is keyId a Key Vault key?`,
      );
    }
    if (!response.ok) {
      // What the vault (or a gateway in front of it) says may echo the request: never its token.
      const detail = redactor([token])(vaultError(text));
      throw new CredentialUnavailableError(`${NAME}: Key Vault refused to sign with ${where} (HTTP ${response.status}${detail ? ` ${detail}` : ""}).${what(response.status)}`);
    }
    let value: unknown;
    try {
      value = (JSON.parse(text) as { value?: unknown }).value;
    } catch {
      // reported below
    }
    if (typeof value !== "string" || !/^[A-Za-z0-9_-]+$/.test(value)) {
      throw new CredentialUnavailableError(`${NAME}: Key Vault's answer from ${where} holds no signature (expected JSON { kid, value }).`);
    }
    return fromBase64(value);
  };
}
