/**
 * Deno / Deno Deploy: list the Azure subscriptions the app can see. Configuration from the
 * environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, or AZURE_CLIENT_CERTIFICATE
 * with a base64 PFX — Deno Deploy has no files).
 *
 *   deno run --allow-env --allow-net examples/deno/main.ts
 *
 * On Deno Deploy, set the variables in the project settings; the same code runs as is.
 */
import { EnvironmentCredential } from "entra-edge";

const armEndpoint = Deno.env.get("ARM_ENDPOINT") ?? "https://management.azure.com";
const credential = new EnvironmentCredential();

const { token, expiresOnTimestamp } = await credential.getToken(`${armEndpoint}/.default`);
const response = await fetch(`${armEndpoint}/subscriptions?api-version=2022-12-01`, {
  headers: { authorization: `Bearer ${token}` },
});
if (!response.ok) throw new Error(`ARM answered ${response.status}: ${await response.text()}`);
const body = (await response.json()) as { value: { subscriptionId: string; displayName: string }[] };
console.log(`token valid until ${new Date(expiresOnTimestamp).toISOString()}`);
for (const s of body.value) console.log(`subscription ${s.subscriptionId} ${s.displayName}`);
