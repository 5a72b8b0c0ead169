/**
 * entra-edge for Cloudflare Workers: every credential, with the environment from `cloudflare:workers` (or the bindings object you pass); Workers have no files, so pass certificate contents.
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential, EnvironmentCredential } from "entra-edge";
 *
 * export default {
 *   async fetch(request: Request, env: Env) {
 *     const credential = new ClientCertificateCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, {
 *       certificate: env.AZURE_CLIENT_CERTIFICATE, // a base64 PFX kept with `wrangler secret put`
 *       certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD,
 *     });
 *     const { token } = await credential.getToken("https://graph.microsoft.com/.default");
 *     return new Response("ok");
 *   },
 * };
 * ```
 *
 * @module
 */
import { bindRuntime, type RuntimeBindings } from "./bind.ts";
import { workerdRuntime } from "./runtime/workerd/adapter.ts";

export * from "./core.ts";

const bound: RuntimeBindings = /* @__PURE__ */ bindRuntime(workerdRuntime);

/**
 * {@inheritDoc core!ClientCertificateCredential} Workers have no files: a path is a CredentialUnavailableError; pass the contents.
 */
export const ClientCertificateCredential: typeof bound.ClientCertificateCredential = bound.ClientCertificateCredential;
export type ClientCertificateCredential = InstanceType<typeof bound.ClientCertificateCredential>;

/** {@inheritDoc core!EnvironmentCredential} Pass the bindings: `new EnvironmentCredential({ env })`. */
export const EnvironmentCredential: typeof bound.EnvironmentCredential = bound.EnvironmentCredential;
export type EnvironmentCredential = InstanceType<typeof bound.EnvironmentCredential>;

/** {@inheritDoc core!parseCertificate} Workers have no files: a path is a CredentialUnavailableError; pass the contents. */
export const parseCertificate: typeof bound.parseCertificate = bound.parseCertificate;
