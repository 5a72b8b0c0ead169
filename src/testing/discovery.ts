/**
 * The discovery documents MSAL clients (msal-node, `@azure/identity`, MSAL for Python/.NET/Go/Java)
 * ask for before the token request: the tenant's OpenID configuration and the instance discovery
 * answer, shaped like Entra's and built from the emulator's public URL (`publicUrl`, else the
 * origin it was reached at — https when served with TLS).
 *
 * @module
 */
import { json } from "./errors.ts";

/** `GET /{tenant}/v2.0/.well-known/openid-configuration`; `base` is the public origin (no trailing slash). */
export function openidConfiguration(base: string, tenant: string): Response {
  const root = `${base}/${encodeURIComponent(tenant)}`;
  const host = new URL(base).host;
  return json({
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${root}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
    kerberos_endpoint: `${root}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: host,
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  });
}

/**
 * `GET /common/discovery/instance?authorization_endpoint=…&api-version=1.1`: Entra's answer names
 * the tenant discovery endpoint and the cloud's host aliases (here: the emulator's host, port
 * included, which is what MSAL matches). An `authorization_endpoint` on another host gets Entra's
 * `invalid_instance` (AADSTS50049), as an unknown instance does; its port is not compared (MSAL
 * for Python leaves the port out of the URL it sends).
 */
export function instanceDiscovery(url: URL, base: string): Response {
  const host = new URL(base).host;
  let tenant = "common";
  const endpoint = url.searchParams.get("authorization_endpoint");
  if (endpoint !== null) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(endpoint);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.hostname.toLowerCase() !== new URL(base).hostname.toLowerCase()) {
      return json(
        {
          error: "invalid_instance",
          error_description: "AADSTS50049: Unknown or invalid instance.",
          error_codes: [50049],
          error_uri: `https://login.microsoftonline.com/error?code=50049`,
        },
        400,
      );
    }
    tenant = parsed.pathname.split("/")[1] || "common";
  }
  return json({
    tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}
