/**
 * A local HTTPS fake of Azure Key Vault's secrets API, enough for `@azure/keyvault-secrets`'
 * `SecretClient.setSecret` / `getSecret` (Node only; hosted by the tooling test).
 *
 * Like the service it answers a request without a token with 401 and the challenge
 * `Bearer authorization="https://login.microsoftonline.com/{tenant}", resource="https://vault.azure.net"`
 * (the SDK's keyVaultAuthenticationPolicy parses it into the scope `https://vault.azure.net/.default`
 * and the tenant id), accepts only tokens issued by the emulator for `https://vault.azure.net` in
 * the vault's tenant, and after `POST /__fake/revoke` refuses the CAE-capable tokens it accepted
 * before with `error="insufficient_claims", claims="<base64>"` (continuous access evaluation).
 *
 * Configuration (`POST /__fake/configure`): `{ "tenantId": "<the vault's directory>" }`; the
 * secrets start empty.
 */
import { BearerGate, claimsChallenge, json, serveHttps, serviceError, type FakeService, type VerifyAccessToken } from "./fake-service.ts";

export const VAULT_RESOURCE = "https://vault.azure.net";
const SECRET_ROUTE = /^\/secrets\/([^/]+)(?:\/([^/]*))?\/?$/;
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  created: number;
}

function newVersion(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function bundle(origin: string, name: string, s: SecretVersion): Record<string, unknown> {
  const body: Record<string, unknown> = {
    value: s.value,
    id: `${origin}/secrets/${name}/${s.version}`,
    attributes: { enabled: true, created: s.created, updated: s.created, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 },
  };
  if (s.contentType !== undefined) body.contentType = s.contentType;
  if (s.tags !== undefined) body.tags = s.tags;
  return body;
}

/** Starts the fake on 127.0.0.1 (a free port) with the given TLS certificate. */
export async function startFakeKeyVault(tls: { cert: string; key: string }, verify: VerifyAccessToken): Promise<FakeService> {
  const gate = new BearerGate(verify);
  let tenantId = "";
  let secrets = new Map<string, SecretVersion[]>();

  function configure(body: unknown): void {
    const t = (body as { tenantId?: unknown } | null)?.tenantId;
    if (typeof t !== "string" || !t) throw new TypeError("configure needs { tenantId }");
    tenantId = t;
    secrets = new Map();
  }

  const challenge = () => `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="${VAULT_RESOURCE}"`;

  async function serve(request: Request, url: URL): Promise<Response> {
    const m = SECRET_ROUTE.exec(url.pathname);
    if (!m) return serviceError(404, "NotFound", `The requested path ${url.pathname} was not found.`);
    const name = decodeURIComponent(m[1]!);
    const version = m[2] ? decodeURIComponent(m[2]) : "";
    if (!SECRET_NAME.test(name)) return serviceError(400, "BadParameter", "The request URI contains an invalid name: " + name);
    if (request.method === "GET") {
      const versions = secrets.get(name) ?? [];
      const found = version ? versions.find((v) => v.version === version) : versions[versions.length - 1];
      if (!found) {
        const what = version ? `${name}/${version}` : name;
        return serviceError(404, "SecretNotFound", `A secret with (name/id) ${what} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`);
      }
      return json(bundle(url.origin, name, found));
    }
    if (request.method === "PUT" && !version) {
      let body: { value?: unknown; contentType?: unknown; tags?: unknown };
      try {
        body = (await request.json()) as typeof body;
      } catch {
        return serviceError(400, "BadParameter", "The request body is not valid JSON.");
      }
      if (typeof body?.value !== "string") return serviceError(400, "BadParameter", "Property 'value' is required.");
      const s: SecretVersion = { version: newVersion(), value: body.value, created: Math.floor(Date.now() / 1000) };
      if (typeof body.contentType === "string") s.contentType = body.contentType;
      if (body.tags && typeof body.tags === "object") s.tags = body.tags as Record<string, string>;
      secrets.set(name, [...(secrets.get(name) ?? []), s]);
      return json(bundle(url.origin, name, s));
    }
    return serviceError(405, "MethodNotAllowed", `The requested method ${request.method} is not allowed here.`);
  }

  async function handle(request: Request): Promise<Response> {
    const control = await gate.control(request, configure);
    if (control) return control;
    const url = new URL(request.url);
    if (!tenantId) return serviceError(503, "NotConfigured", "fake: POST /__fake/configure first");
    if (!url.searchParams.get("api-version")) {
      return gate.record(request, { kind: "none" }, serviceError(400, "BadParameter", "The request URI contains an invalid or missing api-version."));
    }
    const outcome = await gate.check(request, [VAULT_RESOURCE], tenantId);
    switch (outcome.kind) {
      case "none":
        return gate.record(
          request,
          outcome,
          serviceError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", { "www-authenticate": challenge() }),
          "bearer",
        );
      case "refused":
        return gate.record(
          request,
          outcome,
          serviceError(401, "Unauthorized", `AKV10032: The token was refused (${outcome.reason}).`, { "www-authenticate": challenge() }),
          "bearer",
        );
      case "revoked": {
        const { header } = claimsChallenge(outcome.revokedAt);
        return gate.record(
          request,
          outcome,
          serviceError(401, "Unauthorized", "AKV10042: The access token has been revoked.", {
            "www-authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${header}"`,
          }),
          "claims",
        );
      }
      case "valid":
        return gate.record(request, outcome, await serve(request, url));
    }
  }

  const served = await serveHttps(tls, handle);
  return { url: served.url, log: () => gate.log(), close: served.close };
}
