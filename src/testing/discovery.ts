/**
 * The discovery documents peers (MSAL, `@azure/identity`) ask for before the token request:
 * the tenant's OpenID configuration and the instance discovery answer, built from the origin the
 * emulator was reached at.
 *
 * @module
 */
import { json } from "./errors.ts";

/** `GET /{tenant}/v2.0/.well-known/openid-configuration`. */
export function openidConfiguration(url: URL, tenant: string): Response {
  const base = `${url.origin}/${encodeURIComponent(tenant)}`;
  return json({
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${url.origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "ver"],
    tenant_region_scope: null,
    cloud_instance_name: url.host,
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
  });
}

/** `GET /common/discovery/instance?authorization_endpoint=…` (MSAL's instance discovery). */
export function instanceDiscovery(url: URL): Response {
  let tenant = "common";
  try {
    tenant = new URL(url.searchParams.get("authorization_endpoint") ?? "").pathname.split("/")[1] || "common";
  } catch {
    // not a URL: keep "common"
  }
  return json({
    tenant_discovery_endpoint: `${url.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: url.host, preferred_cache: url.host, aliases: [url.host] }],
  });
}
