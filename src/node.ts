/**
 * entra-edge for Node.js: every credential, with certificate paths read through node:fs and the environment from process.env.
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential, EnvironmentCredential } from "entra-edge";
 *
 * const fromFile = new ClientCertificateCredential(tenantId, clientId, "./certs/app.pfx");
 * const fromEnv = new EnvironmentCredential(); // AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, ...
 * ```
 *
 * @module
 */
import { bindRuntime, type RuntimeBindings } from "./bind.ts";
import { nodeRuntime } from "./runtime/node/adapter.ts";

export * from "./core.ts";

const bound: RuntimeBindings = /* @__PURE__ */ bindRuntime(nodeRuntime);

/**
 * {@inheritDoc core!ClientCertificateCredential} Paths are read with node:fs.
 */
export const ClientCertificateCredential: typeof bound.ClientCertificateCredential = bound.ClientCertificateCredential;
export type ClientCertificateCredential = InstanceType<typeof bound.ClientCertificateCredential>;

/** {@inheritDoc core!EnvironmentCredential} Reads the process environment unless `env` is passed. */
export const EnvironmentCredential: typeof bound.EnvironmentCredential = bound.EnvironmentCredential;
export type EnvironmentCredential = InstanceType<typeof bound.EnvironmentCredential>;

/** {@inheritDoc core!parseCertificate} Paths are read with node:fs. */
export const parseCertificate: typeof bound.parseCertificate = bound.parseCertificate;
