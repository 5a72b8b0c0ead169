/**
 * `githubActionsAssertion`: a token source for `ClientAssertionCredential` in GitHub Actions — the
 * job's OIDC ID token, requested from `ACTIONS_ID_TOKEN_REQUEST_URL` with
 * `ACTIONS_ID_TOKEN_REQUEST_TOKEN` for the federated credential's audience, and kept until shortly
 * before it expires. The variables come from the runtime adapter (or `env`); the core never reads
 * the environment itself.
 *
 * @module
 */
import { fromBase64 } from "../lib/bytes.ts";
import { CredentialUnavailableError } from "../lib/errors.ts";
import { noRuntime, type RuntimeAdapter } from "../lib/runtime.ts";
import { LOOPBACK } from "../token/authority.ts";
import { checkEnv, checkKeys } from "../token/options.ts";
import { redactor } from "../token/redact.ts";
import { readLimited } from "../token/response.ts";
import type { AssertionContext, GitHubActionsAssertionOptions } from "../types.ts";

const NAME = "githubActionsAssertion";
/** A token is requested again when less than this is left of it (Entra must still find it valid). */
const MIN_REMAINING_MS = 60_000;
/**
 * GitHub's ID token answer is `{ count, value }` with a JWT of ~1–2 KB (its claims name the
 * repository, workflow and refs, each bounded by GitHub); 64 KiB is 30 times that, so an answer
 * past it is not one and is refused at that byte, not read on.
 */
const MAX_ANSWER_BYTES = 64 * 1024;
const TIMEOUT_MS = 30_000;
const WRITE_PERMISSION = "The workflow job needs `permissions: id-token: write` (GitHub sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN only then; not for pull requests from forks).";

/**
 * The federated credential audience of the authority host's cloud (Entra's documented values):
 * US Government and China have their own; every other host is the public cloud's.
 */
function cloudAudience(authorityHost: string | undefined): string {
  let host = "";
  try {
    host = new URL(authorityHost ?? "https://login.microsoftonline.com").hostname.toLowerCase();
  } catch {
    // the public cloud's
  }
  if (host === "login.microsoftonline.us" || host.endsWith(".microsoftonline.us")) return "api://AzureADTokenExchangeUSGov";
  if (host === "login.chinacloudapi.cn" || host === "login.partner.microsoftonline.cn") return "api://AzureADTokenExchangeChina";
  return "api://AzureADTokenExchange";
}

/** The `exp` of a JWT in ms, or undefined when it has none (then the token is not kept). */
function expiryOf(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(new TextDecoder().decode(fromBase64(jwt.split(".")[1] ?? ""))) as { exp?: unknown };
    return typeof payload.exp === "number" && Number.isFinite(payload.exp) ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function variable(source: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = source?.[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** The token source, reading the variables through `runtime` (or `options.env`). */
export function githubActionsAssertionWith(runtime: RuntimeAdapter, options?: GitHubActionsAssertionOptions): (context?: AssertionContext) => Promise<string> {
  checkKeys(NAME, options, ["audience", "env", "fetch"]);
  const asked = options?.audience;
  if (asked !== undefined && (typeof asked !== "string" || asked.trim() === "")) throw new TypeError(`${NAME}: audience must be a non-empty string (the federated credential's audience).`);
  checkEnv(NAME, options?.env, runtime);
  if (options?.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${NAME}: fetch must be a function.`);
  const transport = options?.fetch;
  const kept = new Map<string, { value: string; expiresAt: number }>();
  const flights = new Map<string, Promise<string>>();

  async function request(audience: string, abortSignal: AbortSignal | undefined): Promise<string> {
    const env = options?.env ?? runtime.env?.();
    const url = variable(env, "ACTIONS_ID_TOKEN_REQUEST_URL");
    const requestToken = variable(env, "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
    if (!url || !requestToken) {
      const missing = [!url && "ACTIONS_ID_TOKEN_REQUEST_URL", !requestToken && "ACTIONS_ID_TOKEN_REQUEST_TOKEN"].filter(Boolean).join(" and ");
      const where = options?.env ? "in the env object passed to it" : runtime.env ? `in the ${runtime.name} environment` : `(${runtime.name} has no environment variables here: pass { env })`;
      throw new CredentialUnavailableError(`${NAME}: ${missing} ${missing.includes(" and ") ? "are" : "is"} not set ${where}. ${WRITE_PERMISSION}`);
    }
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new CredentialUnavailableError(`${NAME}: ACTIONS_ID_TOKEN_REQUEST_URL is not a URL.`);
    }
    // The request token goes only over TLS (or to a loopback stand-in), never in userinfo's company.
    if (!(target.protocol === "https:" || (target.protocol === "http:" && LOOPBACK.has(target.hostname))) || target.username || target.password) {
      throw new CredentialUnavailableError(
        `${NAME}: ACTIONS_ID_TOKEN_REQUEST_URL must be an https: URL without user or password (http: only on localhost/127.0.0.1/[::1]); the request token is not sent to ${target.protocol}//${target.host}.`,
      );
    }
    target.searchParams.set("audience", audience);
    const fetchFn = transport ?? globalThis.fetch;
    // Our own timeout, and the token request's attempt (its timeout or the caller's abort): the
    // request and the reading of its answer stop with whichever comes first.
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const signal = abortSignal ? AbortSignal.any([timeout, abortSignal]) : timeout;
    const stopped = (): CredentialUnavailableError =>
      new CredentialUnavailableError(
        `${NAME}: the request to GitHub's ID token endpoint ${target.host} was abandoned: ${timeout.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : "the token request's attempt ended (its tryTimeoutInMs, or the caller's abortSignal)"}.`,
      );
    let response: Response;
    let text: string | undefined;
    try {
      response = await fetchFn(target.href, {
        method: "GET",
        headers: { authorization: `bearer ${requestToken}`, accept: "application/json; api-version=2.0" },
        signal,
        redirect: "manual",
      });
      text = await readLimited(response, signal, MAX_ANSWER_BYTES);
    } catch (e) {
      if (signal.aborted) throw stopped();
      throw new CredentialUnavailableError(`${NAME}: GitHub's ID token endpoint ${target.host} could not be reached (${e instanceof Error ? e.name : "error"}).`);
    }
    if (text === undefined) {
      if (signal.aborted) throw stopped();
      throw new CredentialUnavailableError(
        `${NAME}: GitHub's ID token endpoint ${target.host} answered HTTP ${response.status} with more than ${MAX_ANSWER_BYTES / 1024} KiB (an ID token answer is a few KB): refused, the rest not read. Is ACTIONS_ID_TOKEN_REQUEST_URL GitHub's?`,
      );
    }
    if (!response.ok) {
      let message = "";
      try {
        const m = (JSON.parse(text) as { message?: unknown }).message;
        if (typeof m === "string") message = `: ${redactor([requestToken])(m.replace(/\s+/g, " ").slice(0, 200))}`;
      } catch {
        // no JSON message
      }
      throw new CredentialUnavailableError(
        `${NAME}: GitHub's ID token endpoint answered HTTP ${response.status}${message}. ${response.status === 401 || response.status === 403 ? `The request token was refused: ${WRITE_PERMISSION}` : "Retry the job; if it persists, check githubstatus.com."}`,
      );
    }
    let value: unknown;
    try {
      value = (JSON.parse(text) as { value?: unknown }).value;
    } catch {
      // reported below
    }
    if (typeof value !== "string" || value.split(".").length !== 3) throw new CredentialUnavailableError(`${NAME}: GitHub's ID token endpoint answered without a token (expected JSON { value: <a JWT> }).`);
    const expiresAt = expiryOf(value);
    if (expiresAt !== undefined) kept.set(audience, { value, expiresAt });
    return value;
  }

  return (context?: AssertionContext): Promise<string> => {
    const audience = asked ?? cloudAudience(context?.authorityHost);
    const hit = kept.get(audience);
    if (hit && hit.expiresAt - Date.now() > MIN_REMAINING_MS) return Promise.resolve(hit.value);
    let flight = flights.get(audience);
    if (!flight) {
      // The attempt that starts a request lends it its signal (a joining one races its own).
      flight = request(audience, context?.abortSignal).finally(() => flights.delete(audience));
      flights.set(audience, flight);
    }
    return flight;
  };
}

/**
 * A token source for `ClientAssertionCredential` in a GitHub Actions job: the job's OIDC ID token
 * for the federated credential's audience, requested from `ACTIONS_ID_TOKEN_REQUEST_URL` with
 * `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` (the job needs `permissions: id-token:
 * write`), and kept until a minute before its `exp`. The audience defaults to the authority host's
 * cloud (`api://AzureADTokenExchange`, `…USGov`, `…China`). Missing variables, a refused request
 * or an answer without a token reject with a `CredentialUnavailableError` that says what to check.
 *
 * This build has no environment (`entra-edge/core`): pass `{ env }`; the runtime entries
 * (`entra-edge`) read the process environment.
 *
 * @example
 * ```ts
 * import { ClientAssertionCredential, githubActionsAssertion } from "entra-edge";
 *
 * const credential = new ClientAssertionCredential(tenantId, clientId, githubActionsAssertion());
 * const { token } = await credential.getToken("https://management.azure.com/.default");
 * ```
 */
export function githubActionsAssertion(options?: GitHubActionsAssertionOptions): (context?: AssertionContext) => Promise<string> {
  return githubActionsAssertionWith(noRuntime, options);
}
