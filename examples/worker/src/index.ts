/**
 * A Cloudflare Worker that calls Azure Resource Manager with a certificate credential. The
 * certificate is a base64 PFX kept as a secret:
 *
 *   base64 -w0 app.pfx | npx wrangler secret put AZURE_CLIENT_CERTIFICATE
 *   npx wrangler secret put AZURE_CLIENT_CERTIFICATE_PASSWORD
 *
 * One credential per isolate: its in-memory cache serves every request until the token needs a
 * refresh; with the optional KV binding, isolates share tokens too.
 */
import { ClientCertificateCredential, workersKvTokenCache, type KVNamespaceLike } from "entra-edge";

export interface Env {
  AZURE_TENANT_ID: string;
  AZURE_CLIENT_ID: string;
  AZURE_CLIENT_CERTIFICATE: string;
  AZURE_CLIENT_CERTIFICATE_PASSWORD?: string;
  AZURE_AUTHORITY_HOST?: string;
  ARM_ENDPOINT?: string;
  TOKEN_CACHE?: KVNamespaceLike;
}

let credential: ClientCertificateCredential | undefined;

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const armEndpoint = env.ARM_ENDPOINT ?? "https://management.azure.com";
    credential ??= new ClientCertificateCredential(
      env.AZURE_TENANT_ID,
      env.AZURE_CLIENT_ID,
      { certificate: env.AZURE_CLIENT_CERTIFICATE, certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD },
      {
        ...(env.AZURE_AUTHORITY_HOST ? { authorityHost: env.AZURE_AUTHORITY_HOST } : {}),
        ...(env.TOKEN_CACHE ? { tokenCache: workersKvTokenCache(env.TOKEN_CACHE) } : {}),
      },
    );
    const { token } = await credential.getToken(`${armEndpoint}/.default`);
    const response = await fetch(`${armEndpoint}/subscriptions?api-version=2022-12-01`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) return new Response(`ARM answered ${response.status}`, { status: 502 });
    const body = (await response.json()) as { value: { subscriptionId: string; displayName: string }[] };
    return Response.json({ subscriptions: body.value.map((s) => s.displayName) });
  },
};
