/**
 * A local HTTPS fake of Azure Resource Manager, enough for `@azure/arm-resources`'
 * `ResourceManagementClient.resourceGroups.list()` (paged, with `nextLink`) and `.get()` (Node
 * only; hosted by the tooling test).
 *
 * Like ARM it wants a token on every request (no challenge round-trip first), issued by the
 * emulator for `https://management.azure.com` (with or without the trailing slash) in the tenant
 * the subscription belongs to, answers ARM's error JSON (`AuthenticationFailed`,
 * `InvalidAuthenticationTokenAudience`, `InvalidAuthenticationTokenTenant`, `SubscriptionNotFound`,
 * `ResourceGroupNotFound`, `MissingApiVersionParameter`), and after `POST /__fake/revoke` refuses
 * the CAE-capable tokens it accepted before with an `insufficient_claims` challenge.
 *
 * Configuration (`POST /__fake/configure`):
 * `{ "subscriptions": { "<id>": { "tenantId": "…", "resourceGroups": [{ "name", "location", "tags"? }] } } }`.
 * `list` answers pages of {@link PAGE_SIZE}.
 */
import { BearerGate, claimsChallenge, json, serveHttps, serviceError, type FakeService, type VerifyAccessToken } from "./fake-service.ts";

export const ARM_AUDIENCES = ["https://management.azure.com", "https://management.azure.com/", "https://management.core.windows.net", "https://management.core.windows.net/"];
export const PAGE_SIZE = 2;
const LIST_ROUTE = /^\/subscriptions\/([^/]+)\/resourcegroups\/?$/i;
const GET_ROUTE = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/?$/i;
const SUBSCRIPTION = /^\/subscriptions\/([^/]+)/i;

interface ResourceGroup {
  name: string;
  location: string;
  tags?: Record<string, string>;
}

interface Subscription {
  tenantId: string;
  resourceGroups: ResourceGroup[];
}

function group(subscriptionId: string, rg: ResourceGroup): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${rg.name}`,
    name: rg.name,
    type: "Microsoft.Resources/resourceGroups",
    location: rg.location,
    properties: { provisioningState: "Succeeded" },
  };
  if (rg.tags) body.tags = rg.tags;
  return body;
}

/** Starts the fake on 127.0.0.1 (a free port) with the given TLS certificate. */
export async function startFakeArm(tls: { cert: string; key: string }, verify: VerifyAccessToken): Promise<FakeService> {
  const gate = new BearerGate(verify);
  let subscriptions = new Map<string, Subscription>();

  function configure(body: unknown): void {
    const subs = (body as { subscriptions?: Record<string, Subscription> } | null)?.subscriptions;
    if (!subs || typeof subs !== "object") throw new TypeError("configure needs { subscriptions }");
    subscriptions = new Map(Object.entries(subs).map(([id, s]) => [id.toLowerCase(), s]));
  }

  function serve(request: Request, url: URL, subscriptionId: string, sub: Subscription): Response {
    if (request.method !== "GET") return serviceError(405, "MethodNotAllowed", `The requested resource does not support http method '${request.method}'.`);
    if (LIST_ROUTE.test(url.pathname)) {
      const skip = Number(url.searchParams.get("$skiptoken") ?? "0") || 0;
      const page = sub.resourceGroups.slice(skip, skip + PAGE_SIZE).map((rg) => group(subscriptionId, rg));
      const body: Record<string, unknown> = { value: page };
      if (skip + PAGE_SIZE < sub.resourceGroups.length) {
        const next = new URL(url.pathname, url.origin);
        next.searchParams.set("api-version", url.searchParams.get("api-version") ?? "");
        next.searchParams.set("$skiptoken", String(skip + PAGE_SIZE));
        body.nextLink = next.href;
      }
      return json(body);
    }
    const m = GET_ROUTE.exec(url.pathname);
    if (m) {
      const name = decodeURIComponent(m[2]!);
      const rg = sub.resourceGroups.find((r) => r.name.toLowerCase() === name.toLowerCase());
      if (!rg) return serviceError(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`);
      return json(group(subscriptionId, rg));
    }
    return serviceError(404, "InvalidResourceType", `The resource type could not be found for ${url.pathname}.`);
  }

  async function handle(request: Request): Promise<Response> {
    const control = await gate.control(request, configure);
    if (control) return control;
    const url = new URL(request.url);
    const fail = (response: Response) => gate.record(request, { kind: "none" }, response);
    if (!url.searchParams.get("api-version")) {
      return fail(serviceError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."));
    }
    const s = SUBSCRIPTION.exec(url.pathname);
    if (!s) return fail(serviceError(404, "InvalidResourceType", `The resource type could not be found for ${url.pathname}.`));
    const subscriptionId = decodeURIComponent(s[1]!);
    const sub = subscriptions.get(subscriptionId.toLowerCase());
    if (!sub) return fail(serviceError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`));

    const outcome = await gate.check(request, ARM_AUDIENCES, sub.tenantId);
    switch (outcome.kind) {
      case "none":
        return gate.record(
          request,
          outcome,
          serviceError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", {
            "www-authenticate": `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`,
          }),
          "bearer",
        );
      case "refused": {
        const wrongTenant = outcome.reason.startsWith("tenant");
        const code = wrongTenant ? "InvalidAuthenticationTokenTenant" : outcome.reason.startsWith("audience") ? "InvalidAuthenticationTokenAudience" : "InvalidAuthenticationToken";
        return gate.record(
          request,
          outcome,
          serviceError(401, code, `The access token is invalid (${outcome.reason}).`, {
            "www-authenticate": `Bearer authorization_uri="https://login.windows.net/${wrongTenant ? sub.tenantId : ""}", error="invalid_token", error_description="The access token is invalid."`,
          }),
          "bearer",
        );
      }
      case "revoked": {
        const { header } = claimsChallenge(outcome.revokedAt);
        return gate.record(
          request,
          outcome,
          serviceError(401, "InvalidAuthenticationToken", "The access token has been revoked; a new token with the requested claims is needed.", {
            "www-authenticate": `Bearer authorization_uri="https://login.windows.net/", error="insufficient_claims", claims="${header}"`,
          }),
          "claims",
        );
      }
      case "valid":
        return gate.record(request, outcome, serve(request, url, subscriptionId, sub));
    }
  }

  const served = await serveHttps(tls, handle);
  return { url: served.url, log: () => gate.log(), close: served.close };
}
