/**
 * The emulator as an external OIDC issuer — the other side of a federated identity credential.
 * Under `/issuer/{name}` it serves a discovery document and a JWKS, signs tokens for a subject and
 * audience (`issueExternalToken`), and answers workloads that ask for ID tokens the way GitHub
 * Actions does (`GET /issuer/{name}/token?audience=…` with a bearer request token), so
 * Kubernetes- and GitHub-style flows are testable offline.
 *
 * @module
 */
import { json } from "./errors.ts";
import { TokenSigner } from "./tokens.ts";
import { DEFAULT_FIC_AUDIENCE } from "./registration.ts";
import type { EmulatorWorkload, ExternalTokenOptions } from "./types.ts";

/** `/issuer/{name}/.well-known/openid-configuration`, `/issuer/{name}/keys`, `/issuer/{name}/token`. */
export const ISSUER_ROUTE = /^\/issuer\/([A-Za-z0-9._~-]{1,64})\/(\.well-known\/openid-configuration|keys|token)\/?$/;
const NAME = /^[A-Za-z0-9._~-]{1,64}$/;

/** Checks an issuer name (what follows `/issuer/` in its URL). */
export function issuerName(name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name)) throw new TypeError("emulator: an issuer name is 1 to 64 letters, digits or . _ ~ -");
  return name;
}

interface StoredWorkload {
  subject: string;
  expiresIn: number;
  claims?: Record<string, unknown>;
}

/** The issuer's key, its workloads, and the routes under `/issuer/`. */
export class ExternalIssuer {
  readonly signer = new TokenSigner("entra-edge emulator external issuer");
  /** By issuer name, then by request token. */
  #workloads = new Map<string, Map<string, StoredWorkload>>();

  /** Signs a token for `options.subject` as the issuer at `issuerUrl`. */
  async issue(issuerUrl: string, options: ExternalTokenOptions, now: number): Promise<string> {
    if (typeof options?.subject !== "string" || !options.subject) throw new TypeError("emulator: issueExternalToken needs a subject");
    for (const key of Object.keys(options)) {
      if (!["issuer", "subject", "audience", "expiresIn", "claims"].includes(key)) throw new TypeError(`emulator: issueExternalToken has an unknown option '${key}'`);
    }
    const lifetime = options.expiresIn ?? 3600;
    if (!Number.isFinite(lifetime)) throw new TypeError("emulator: issueExternalToken expiresIn must be a number of seconds");
    const iat = Math.floor(now / 1000);
    return this.signer.sign({
      iss: issuerUrl,
      sub: options.subject,
      aud: options.audience ?? DEFAULT_FIC_AUDIENCE,
      iat,
      nbf: Math.min(iat, iat + lifetime),
      exp: iat + lifetime,
      jti: crypto.randomUUID(),
      ...options.claims,
    });
  }

  addWorkload(workload: EmulatorWorkload): void {
    const name = issuerName(workload?.issuer ?? "github");
    if (typeof workload.subject !== "string" || !workload.subject) throw new TypeError("emulator: addWorkload needs a subject");
    if (typeof workload.requestToken !== "string" || !workload.requestToken) throw new TypeError("emulator: addWorkload needs a requestToken");
    let byToken = this.#workloads.get(name);
    if (!byToken) this.#workloads.set(name, (byToken = new Map()));
    const stored: StoredWorkload = { subject: workload.subject, expiresIn: workload.expiresIn ?? 300 };
    if (workload.claims) stored.claims = structuredClone(workload.claims);
    byToken.set(workload.requestToken, stored);
  }

  clear(): void {
    this.#workloads.clear();
  }

  /** Answers a GET under `/issuer/{name}/`; `issuerUrl` is the issuer's public URL. */
  async route(request: Request, url: URL, name: string, what: string, issuerUrl: string, now: number): Promise<Response> {
    if (request.method !== "GET" && request.method !== "HEAD") return json({ error: "invalid_request", error_description: "emulator: use GET" }, 405);
    if (what === "keys") return json(await this.signer.jwks());
    if (what !== "token") {
      return json({
        issuer: issuerUrl,
        jwks_uri: `${issuerUrl}/keys`,
        response_types_supported: ["id_token"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        claims_supported: ["iss", "sub", "aud", "exp", "iat", "nbf", "jti"],
      });
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    const workload = bearer === undefined ? undefined : this.#workloads.get(name)?.get(bearer);
    if (!workload) return json({ message: "Bad credentials: send Authorization: Bearer <the requestToken given to addWorkload>" }, 401);
    const audience = url.searchParams.get("audience") || DEFAULT_FIC_AUDIENCE;
    const value = await this.issue(issuerUrl, { subject: workload.subject, audience, expiresIn: workload.expiresIn, ...(workload.claims ? { claims: workload.claims } : {}) }, now);
    return json({ value });
  }
}
