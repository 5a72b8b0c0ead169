/**
 * What the local HTTPS fakes of Azure services share (Node only; the tooling test hosts them):
 * an HTTPS server for a fetch-style handler, the bearer-token check against the Entra emulator,
 * continuous access evaluation (revoking the tokens seen so far) and a request log.
 *
 * Test-only control routes (no token needed), called by the SDK process over the same HTTPS
 * connection it uses for the service:
 * - `POST /__fake/configure` with the service's JSON configuration: replaces it and forgets the
 *   log and revocations;
 * - `POST /__fake/revoke`: every CAE-capable token accepted so far is now refused with an
 *   `insufficient_claims` challenge (a new token passes, as after a real revocation event);
 * - `GET /__fake/log`: the requests seen so far ({@link FakeRequest}, never a token).
 */
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Verifies an access token issued by the emulator and returns its claims (rejects otherwise). */
export type VerifyAccessToken = (token: string) => Promise<Record<string, unknown>>;

/** One request as a fake saw it. */
export interface FakeRequest {
  method: string;
  /** The path, without the query. */
  path: string;
  apiVersion: string | null;
  /**
   * `none`: no token was checked (none was sent, or the request failed before the check, e.g.
   * without api-version); `valid`: the token passed every check; `refused`: it did not.
   */
  auth: "none" | "valid" | "refused";
  /** Why the token was refused. */
  reason?: string;
  status: number;
  /** The kind of `WWW-Authenticate` challenge answered, if any. */
  challenge?: "bearer" | "claims";
  /** Claims of the presented token that the tests look at (never the token itself). */
  token?: { aud: unknown; tid: unknown; appid: unknown; appidacr: unknown; xms_cc: unknown; uti: unknown };
}

/** A running fake. */
export interface FakeService {
  /** `https://127.0.0.1:<port>` */
  url: string;
  log(): FakeRequest[];
  close(): Promise<void>;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

/** `{ "error": { "code", "message" } }`: the error shape of Key Vault and ARM. */
export function serviceError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: { code, message } }, status, headers);
}

/** The claims challenge Entra-protected services send after a revocation event (base64 of the claims JSON). */
export function claimsChallenge(revokedAtSeconds: number): { claims: string; header: string } {
  const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: String(revokedAtSeconds) } } });
  return { claims, header: btoa(claims) };
}

/** What the bearer check concluded for one request. */
export type BearerOutcome =
  | { kind: "none" }
  | { kind: "refused"; reason: string; claims?: Record<string, unknown> }
  | { kind: "revoked"; claims: Record<string, unknown>; revokedAt: number }
  | { kind: "valid"; claims: Record<string, unknown> };

/** The token check, revocation and log every fake uses. */
export class BearerGate {
  readonly #verify: VerifyAccessToken;
  #log: FakeRequest[] = [];
  /** `uti` of every CAE-capable token accepted since the last configure. */
  #accepted = new Set<string>();
  #revoked = new Set<string>();
  #revokedAt = 0;

  constructor(verify: VerifyAccessToken) {
    this.#verify = verify;
  }

  reset(): void {
    this.#log = [];
    this.#accepted.clear();
    this.#revoked.clear();
    this.#revokedAt = 0;
  }

  /** A revocation event: CAE-capable tokens accepted so far are refused from now on. */
  revoke(): void {
    for (const uti of this.#accepted) this.#revoked.add(uti);
    this.#revokedAt = Math.floor(Date.now() / 1000);
  }

  log(): FakeRequest[] {
    return structuredClone(this.#log);
  }

  /**
   * Checks `Authorization: Bearer …`: issued by the emulator (signature, expiry), `aud` one of
   * `audiences`, `tid` equal to `tenantId`. Tokens that are not CAE-capable (`xms_cc` without
   * `cp1`) are never revoked, as with the real services.
   */
  async check(request: Request, audiences: string[], tenantId: string): Promise<BearerOutcome> {
    const header = request.headers.get("authorization");
    if (header === null) return { kind: "none" };
    const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
    if (!m) return { kind: "refused", reason: "not a Bearer token" };
    let claims: Record<string, unknown>;
    try {
      claims = await this.#verify(m[1]!);
    } catch (e) {
      return { kind: "refused", reason: e instanceof Error ? e.message : "invalid token" };
    }
    if (!audiences.includes(String(claims.aud))) return { kind: "refused", reason: `audience ${String(claims.aud)}`, claims };
    if (claims.tid !== tenantId) return { kind: "refused", reason: `tenant ${String(claims.tid)}`, claims };
    const uti = String(claims.uti);
    const cae = Array.isArray(claims.xms_cc) && claims.xms_cc.includes("cp1");
    if (cae && this.#revoked.has(uti)) return { kind: "revoked", claims, revokedAt: this.#revokedAt };
    if (cae) this.#accepted.add(uti);
    return { kind: "valid", claims };
  }

  /** Records a request and its answer. */
  record(request: Request, outcome: BearerOutcome, response: Response, challenge?: FakeRequest["challenge"]): Response {
    const url = new URL(request.url);
    const entry: FakeRequest = {
      method: request.method,
      path: url.pathname,
      apiVersion: url.searchParams.get("api-version"),
      auth: outcome.kind === "none" ? "none" : outcome.kind === "valid" ? "valid" : "refused",
      status: response.status,
    };
    if (outcome.kind === "refused") entry.reason = outcome.reason;
    if (outcome.kind === "revoked") entry.reason = "revoked (CAE)";
    if (challenge) entry.challenge = challenge;
    const claims = outcome.kind === "none" ? undefined : outcome.claims;
    if (claims) entry.token = { aud: claims.aud, tid: claims.tid, appid: claims.appid, appidacr: claims.appidacr, xms_cc: claims.xms_cc, uti: claims.uti };
    this.#log.push(entry);
    return response;
  }

  /** Answers the control routes; `undefined` for any other path. */
  async control(request: Request, configure: (body: unknown) => void): Promise<Response | undefined> {
    const path = new URL(request.url).pathname;
    if (!path.startsWith("/__fake/")) return undefined;
    const route = `${request.method} ${path.slice("/__fake/".length)}`;
    try {
      switch (route) {
        case "POST configure":
          configure(await request.json());
          this.reset();
          return json({ ok: true });
        case "POST revoke":
          this.revoke();
          return json({ ok: true, revokedAt: this.#revokedAt });
        case "GET log":
          return json(this.log());
      }
    } catch (e) {
      return json({ error: e instanceof Error ? e.message : String(e) }, 400);
    }
    return json({ error: `no control route ${route}` }, 404);
  }
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const method = req.method ?? "GET";
  const base = typeof req.headers.host === "string" && req.headers.host ? `https://${req.headers.host}` : origin;
  return new Request(new URL(req.url ?? "/", base), { method, headers, body: method === "GET" || method === "HEAD" ? undefined : body });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const body = Buffer.from(await response.arrayBuffer());
  headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

/** Serves `handler` over HTTPS on 127.0.0.1 (a free port) with the given certificate. */
export async function serveHttps(
  tls: { cert: string; key: string },
  handler: (request: Request) => Promise<Response>,
): Promise<{ url: string; close(): Promise<void> }> {
  let origin = "https://127.0.0.1";
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    toRequest(req, origin)
      .then(handler)
      .catch((e) => serviceError(500, "InternalError", `fake: ${e instanceof Error ? e.message : String(e)}`))
      .then((response) => send(res, response))
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  origin = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
