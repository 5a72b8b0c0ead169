// @ts-check
/**
 * The Python azure-identity client-credentials example, ported line by line (README "Porting from
 * Python azure-identity"): a client secret, a PEM certificate and a PFX with its password, each
 * `get_token` → `getToken`, failures caught as `ClientAuthenticationError`. Runs unchanged against
 * Entra or the emulator (`npm run example -- porting`).
 *
 *   AZURE_TENANT_ID=… AZURE_CLIENT_ID=… AZURE_CLIENT_SECRET=… \
 *   CERTIFICATE_PEM_PATH=app.pem CERTIFICATE_PFX_PATH=app.pfx CERTIFICATE_PFX_PASSWORD=… node examples/porting/seed.mjs
 */
// from azure.identity import ClientSecretCredential, CertificateCredential
// from azure.core.exceptions import ClientAuthenticationError
import { ClientAuthenticationError, ClientCertificateCredential, ClientSecretCredential } from "entra-edge";

const env = process.env;
const tenantId = env.AZURE_TENANT_ID ?? "";
const clientId = env.AZURE_CLIENT_ID ?? "";
// authority = f"https://login.microsoftonline.com/{tenant_id}"   (the seed's default authority)
// (`authority` takes the full authority or just the host, so AZURE_AUTHORITY_HOST in either form goes as is)
const authority = env.AZURE_AUTHORITY_HOST ?? `https://login.microsoftonline.com/${tenantId}`;
const scope = "https://management.azure.com/.default";

/** @param {string} label @param {import("entra-edge").TokenCredential} credential */
async function show(label, credential) {
  try {
    // token = credential.get_token("https://management.azure.com/.default")
    const token = await credential.getToken(scope);
    // print(token.expires_on)   — Python's expires_on is in seconds, expiresOnTimestamp in ms (token_type: get_token_info)
    console.log(`${label}: ${token.tokenType} token, expires_on ${Math.floor(token.expiresOnTimestamp / 1000)} (${new Date(token.expiresOnTimestamp).toISOString()})`);
  } catch (e) {
    // except ClientAuthenticationError as e: print(e.message)
    if (!(e instanceof ClientAuthenticationError)) throw e;
    console.log(`${label}: ${e.name}: ${e.message}`);
    process.exitCode = 1;
  }
}

// credential = ClientSecretCredential(tenant_id, client_id, client_secret, authority=authority)
await show("secret", new ClientSecretCredential(tenantId, clientId, env.AZURE_CLIENT_SECRET ?? "", { authority }));

// credential = CertificateCredential(tenant_id, client_id, "app.pem", authority=authority)
await show("pem", new ClientCertificateCredential(tenantId, clientId, env.CERTIFICATE_PEM_PATH ?? "app.pem", { authority }));

// credential = CertificateCredential(tenant_id, client_id, "app.pfx", password=password, authority=authority)
await show("pfx", new ClientCertificateCredential(tenantId, clientId, env.CERTIFICATE_PFX_PATH ?? "app.pfx", { certificatePassword: env.CERTIFICATE_PFX_PASSWORD, authority }));
