/**
 * Messages of authentication failures: Entra's description plus what to do next, by AADSTS code.
 * The hints every credential can meet are here; those only one kind of credential can meet (a
 * wrong secret, a refused assertion) come from that credential ({@link Hints}), so an app that
 * bundles only ClientSecretCredential does not carry the assertion hints, and the reverse.
 *
 * @module
 */
import { firstLine, type ErrorResponse } from "../errors.ts";

/** What to do next, by AADSTS code. */
export type Hints = Readonly<Record<number, string>>;

/** Hints for client-secret failures (ClientSecretCredential). */
export const SECRET_HINTS: Hints = {
  7000215: "Use the secret's Value (not its Secret ID) from the app registration's 'Certificates & secrets' page, and check it has not expired.",
  7000222: "The client secret has expired: create a new one in the app registration and update your configuration.",
};

/** Hints for client-assertion failures (ClientCertificateCredential, ClientAssertionCredential). */
export const ASSERTION_HINTS: Hints = {
  700027: "The certificate is not registered on the app (compare its SHA-1 thumbprint with the app's 'Certificates & secrets' page), or the signature does not match it.",
  700024: "The client assertion is outside its validity window: check this machine's clock.",
  700021: "The client assertion's issuer/subject must equal the client id.",
};

const HINTS: Hints = {
  7000218: "Configure a client secret or a certificate for this credential.",
  700016: "Check the client id (Application ID) and the tenant id: the app must be registered, or consented, in that tenant.",
  90002: "Check the tenant id (Directory ID or domain) and that authorityHost is the cloud the tenant lives in.",
  900023: "Check the tenant id (Directory ID or domain).",
  1002012: "Client-credentials scopes are '<resource>/.default', e.g. 'https://graph.microsoft.com/.default'.",
  70011: "Client-credentials scopes are '<resource>/.default', e.g. 'https://graph.microsoft.com/.default'.",
  500011: "The resource in the scope is not known in this tenant: check the resource's application ID URI.",
  50196: "Entra detected a request loop: cache tokens (reuse one credential object) instead of asking for a new token each time.",
};

export function hintFor(status: number, body: ErrorResponse, hints?: Hints): string | undefined {
  for (const code of body.errorCodes ?? []) {
    const hint = hints?.[code] ?? HINTS[code];
    if (hint) return hint;
  }
  if (status === 429) return "Entra is throttling this app: reuse one credential object so its cache works, and retry later.";
  if (status >= 500) return "Entra ID did not answer properly; this is usually transient: retry later.";
  if (status === 0) return "Check network access to the authority host (DNS, proxy, firewall) and its URL.";
  return undefined;
}

export function failureMessage(credential: string, status: number, body: ErrorResponse, attempts: number, hints?: Hints): string {
  const parts = [`${credential} could not get a token: ${firstLine(body.errorDescription)}`];
  const facts: string[] = [];
  facts.push(status ? `HTTP ${status}${body.error ? ` ${body.error}` : ""}` : "no HTTP answer");
  if (attempts > 1) facts.push(`${attempts} attempts`);
  if (body.correlationId) facts.push(`correlation id ${body.correlationId}`);
  parts.push(` (${facts.join(", ")}).`);
  const hint = hintFor(status, body, hints);
  if (hint) parts.push(` ${hint}`);
  return parts.join("");
}
