// @ts-check
/**
 * Node.js (ESM): list the Azure subscriptions the app can see, with a token from the environment
 * (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or a certificate — the same variables
 * as @azure/identity).
 *
 *   node examples/node/main.mjs
 */
import { EnvironmentCredential } from "entra-edge";

const armEndpoint = process.env.ARM_ENDPOINT ?? "https://management.azure.com";
const credential = new EnvironmentCredential();

const { token, expiresOnTimestamp } = await credential.getToken(`${armEndpoint}/.default`);
const response = await fetch(`${armEndpoint}/subscriptions?api-version=2022-12-01`, {
  headers: { authorization: `Bearer ${token}` },
});
if (!response.ok) throw new Error(`ARM answered ${response.status}: ${await response.text()}`);
/** @type {{ value: { subscriptionId: string, displayName: string }[] }} */
const body = await response.json();
console.log(`token valid until ${new Date(expiresOnTimestamp).toISOString()}`);
for (const s of body.value) console.log(`subscription ${s.subscriptionId} ${s.displayName}`);
