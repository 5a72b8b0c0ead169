/**
 * Messages of authentication failures: Entra's description, the HTTP facts, and what to do next —
 * a hint by AADSTS code where Entra's own description does not already say it, else by status
 * (throttled, transient, no answer). Hints only one kind of credential can meet (a refused
 * assertion) come from that credential ({@link Hints}), so an app that bundles only
 * ClientSecretCredential does not carry them.
 *
 * @module
 */
import { firstLine } from "../lib/errors.ts";
import { MAX_SERVER_DELAY_MS } from "./limits.ts";
import type { ErrorResponse } from "../types.ts";
import type { Decision } from "./retry.ts";

/** What to do next, by AADSTS code. */
export type Hints = Readonly<Record<number, string>>;

/** Hints for client-assertion failures (ClientCertificateCredential, ClientAssertionCredential). */
export const ASSERTION_HINTS: Hints = {
  700027:
    "The certificate is not registered on the app (compare its SHA-1 thumbprint with the app's 'Certificates & secrets' page), is expired or not yet valid (Entra's \"key used is expired\"), or the signature does not match it.",
  700024: "The client assertion is outside its validity window: check this machine's clock.",
  700021: "The client assertion's issuer/subject must equal the client id.",
};

/**
 * Hints for federated tokens presented as client assertions (ClientAssertionCredential,
 * WorkloadIdentityCredential, over {@link ASSERTION_HINTS}): what to compare between the token
 * and the app's federated identity credential. Entra's descriptions name the presented value;
 * these say where the other side is. A plain literal: a spread here would be kept in every bundle
 * that imports this module (a secret-only Worker too).
 */
export const FEDERATED_HINTS: Hints = {
  70021:
    "No federated identity credential of the app matches the token: compare its issuer (iss), subject (sub, case-sensitive) and audience (aud) with the app's 'Certificates & secrets' > 'Federated credentials' entries.",
  700211: "Compare the token's issuer (iss) with the federated credential's Issuer: they must be equal, character for character (a trailing slash counts).",
  700212: "Compare the token's audience (aud) with the federated credential's Audience (default api://AzureADTokenExchange; …USGov / …China in those clouds); ask the issuer for that audience.",
  700213: "Compare the token's subject (sub) with the federated credential's Subject: the match is case-sensitive and exact (GitHub: repo:OWNER/REPO:ref:refs/heads/BRANCH, environment:NAME, pull_request).",
  7002138: "The subject differs from the federated credential's only in letter case: the match is case-sensitive. Copy the token's sub exactly.",
  700024: "The client assertion is expired or not yet valid: a federated token lives minutes (GitHub: 5 to 10 minutes), so get a fresh one for each token request rather than keeping it; or check this machine's clock.",
};

/**
 * Hints every credential can meet — only where Entra's own description does not already say what
 * to do (for a wrong or expired secret, an unknown app or tenant, a scope without `/.default`, it
 * does: the message carries that description, and repeating it would only make it longer).
 */
const HINTS: Hints = {
  70011: "Client credentials take one resource's '<resource>/.default' scope per request.",
  50196: "Reuse one credential object, so that its tokens are cached.",
};

/**
 * "ClientSecretCredential could not get a token: AADSTS7000215: Invalid client secret provided.
 * (HTTP 401 invalid_client, 3 attempts, correlation id …). Use the secret's Value …" — `detail` is
 * Entra's description or the client's own account of the failure; `error` is named only when Entra
 * sent one. What to do next comes by AADSTS code (the credential's own `hints` first), else by
 * status; with `decision`, why the request loop stopped early follows: a refresh that did not wait
 * out the server's pause, or a wait longer than `maxRetryDelayInMs`. (One function, not three: a
 * bundler that keeps names wraps every function of a Worker.)
 *
 * @example
 * ```ts
 * failureMessage("ClientSecretCredential", { status: 0, body: { error: "", errorDescription: "", correlationId }, detail }, 4);
 * failureMessage(name, failed, 1, undefined, { stop: "too long", delayMs: 120_000, throttleMs: undefined }); // "… The server asked to wait 120 s, more than maxRetryDelayInMs."
 * ```
 */
export function failureMessage(credential: string, failure: { status: number; body: ErrorResponse; detail: string }, attempts: number, hints?: Hints, decision?: Decision): string {
  const { status, body } = failure;
  let hint: string | undefined;
  for (const code of body.errorCodes ?? []) if ((hint = hints?.[code] ?? HINTS[code])) break;
  hint ??=
    status === 429
      ? HINTS[50196]
      : status > 499
        ? "Usually transient: retry later."
        : status
          ? undefined
          : failure.detail.startsWith("The client a")
            ? "Check getAssertion / sign."
            : /not trusted here/.test(failure.detail)
              ? "Make the runtime trust its issuer (NODE_EXTRA_CA_CERTS, DENO_CERT) or pass a fetch that does."
              : "Check network access (DNS, proxy, firewall) to authorityHost.";
  const { stop, delayMs } = decision ?? {};
  return `${credential} could not get a token: ${firstLine(failure.detail)} (${status ? `HTTP ${status}${body.error ? ` ${body.error}` : ""}` : "no HTTP answer"}${attempts > 1 ? `, ${attempts} attempts` : ""}${body.correlationId ? `, correlation id ${body.correlationId}` : ""}).${hint ? ` ${hint}` : ""}${
    stop === "soft"
      ? " The cached token is still valid, so the refresh was not retried."
      : stop === "too long"
        ? ` The server asked to wait ${delayMs! < MAX_SERVER_DELAY_MS ? `${Math.ceil(delayMs! / 1000)} s` : "a day or more"}, more than maxRetryDelayInMs.`
        : ""
  }`;
}
