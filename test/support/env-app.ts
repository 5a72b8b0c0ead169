/**
 * The app every runner puts in its runtime's own environment before the suite starts (process.env,
 * Deno.env, Bun.env, or the Worker's bindings), so EnvironmentCredential() is tested without { env }.
 */
export const ENV_APP = {
  tenantId: "env-tenant-0001",
  clientId: "env-client-0001",
  secret: "env-secret-sentinel-Zq8~",
  /** The emulator issuer whose workload the GitHub Actions variables name (test/federation.test.ts registers it). */
  githubIssuer: "gh-env",
  githubRequestToken: "gh-env-request-token-sentinel-Qw7",
  /** AZURE_FEDERATED_TOKEN_FILE where the runtime has no files (workerd): a path nothing can read. */
  tokenFile: "/var/run/secrets/azure/tokens/azure-identity-token",
};

/** `tokenFile`: AZURE_FEDERATED_TOKEN_FILE (runners with files pass a path they can write). */
export function envAppVariables(authorityHost: string, tokenFile: string = ENV_APP.tokenFile): Record<string, string> {
  return {
    AZURE_TENANT_ID: ENV_APP.tenantId,
    AZURE_CLIENT_ID: ENV_APP.clientId,
    AZURE_CLIENT_SECRET: ENV_APP.secret,
    AZURE_AUTHORITY_HOST: authorityHost,
    AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    ACTIONS_ID_TOKEN_REQUEST_URL: `${authorityHost}/issuer/${ENV_APP.githubIssuer}/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: ENV_APP.githubRequestToken,
  };
}
