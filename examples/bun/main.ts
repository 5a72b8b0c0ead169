/**
 * Bun: list the Azure subscriptions the app can see, authenticating with a certificate file
 * (PEM or PFX) named by AZURE_CLIENT_CERTIFICATE_PATH.
 *
 *   bun examples/bun/main.ts
 */
import { ClientCertificateCredential } from "entra-edge";

const env = Bun.env;
const armEndpoint = env.ARM_ENDPOINT ?? "https://management.azure.com";
const credential = new ClientCertificateCredential(
  env.AZURE_TENANT_ID!,
  env.AZURE_CLIENT_ID!,
  { certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH!, certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD },
  { authorityHost: env.AZURE_AUTHORITY_HOST },
);

const { token, expiresOnTimestamp } = await credential.getToken(`${armEndpoint}/.default`);
const response = await fetch(`${armEndpoint}/subscriptions?api-version=2022-12-01`, {
  headers: { authorization: `Bearer ${token}` },
});
if (!response.ok) throw new Error(`ARM answered ${response.status}: ${await response.text()}`);
const body = (await response.json()) as { value: { subscriptionId: string; displayName: string }[] };
console.log(`token valid until ${new Date(expiresOnTimestamp).toISOString()}`);
for (const s of body.value) console.log(`subscription ${s.subscriptionId} ${s.displayName}`);
