/**
 * The app every runner puts in its runtime's own environment before the suite starts (process.env,
 * Deno.env, Bun.env, or the Worker's bindings), so EnvironmentCredential() is tested without { env }.
 */
export const ENV_APP = {
  tenantId: "env-tenant-0001",
  clientId: "env-client-0001",
  secret: "env-secret-sentinel-Zq8~",
};

export function envAppVariables(authorityHost: string): Record<string, string> {
  return {
    AZURE_TENANT_ID: ENV_APP.tenantId,
    AZURE_CLIENT_ID: ENV_APP.clientId,
    AZURE_CLIENT_SECRET: ENV_APP.secret,
    AZURE_AUTHORITY_HOST: authorityHost,
  };
}
