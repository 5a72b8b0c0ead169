/**
 * The Cloudflare Workers adapter: no files (pass certificate contents), environment from
 * `import { env } from "cloudflare:workers"` where the runtime offers it, else from what the user
 * passes (`new EnvironmentCredential({ env })`).
 */
import * as workers from "cloudflare:workers";
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import { CredentialUnavailableError } from "../../lib/errors.ts";

export const workerdRuntime: RuntimeAdapter = {
  name: "Cloudflare Workers",
  readFile(path) {
    return Promise.reject(
      new CredentialUnavailableError(
        `Cloudflare Workers have no file system, so the certificate file "${path}" cannot be read. Pass the certificate contents instead, e.g. { certificate: env.AZURE_CLIENT_CERTIFICATE } with a base64 PFX or PEM kept in a secret (wrangler secret put).`,
      ),
    );
  },
  env() {
    const env = (workers as { env?: Record<string, unknown> }).env;
    if (!env) return undefined;
    const out: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(env)) if (typeof v === "string") out[k] = v;
    return out;
  },
};

/**
 * The adapter of WorkloadIdentityCredential in a Worker: the environment only, no files — so a
 * token file is a CredentialUnavailableError that says to pass getAssertion (not the certificate
 * wording of {@link workerdRuntime}'s readFile).
 */
export const workerdFederationRuntime: RuntimeAdapter = {
  name: workerdRuntime.name,
  env: () => workerdRuntime.env!(),
};
