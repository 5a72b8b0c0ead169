/**
 * entra-edge for Bun: every credential, with certificate paths read through Bun.file and the environment from Bun.env.
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential, EnvironmentCredential } from "entra-edge";
 *
 * const fromFile = new ClientCertificateCredential(tenantId, clientId, "./certs/app.pfx");
 * const fromEnv = new EnvironmentCredential();
 * ```
 *
 * @module
 */
import { bindRuntime, type RuntimeBindings } from "./bind.ts";
import { bunRuntime } from "./runtime/bun/adapter.ts";

export * from "./core.ts";

const bound: RuntimeBindings = /* @__PURE__ */ bindRuntime(bunRuntime);

/**
 * {@inheritDoc core!ClientCertificateCredential} Paths are read through the Bun adapter (src/runtime/bun/adapter.ts).
 */
export const ClientCertificateCredential: typeof bound.ClientCertificateCredential = bound.ClientCertificateCredential;
export type ClientCertificateCredential = InstanceType<typeof bound.ClientCertificateCredential>;

/** {@inheritDoc core!EnvironmentCredential} Reads the Bun environment unless `env` is passed. */
export const EnvironmentCredential: typeof bound.EnvironmentCredential = bound.EnvironmentCredential;
export type EnvironmentCredential = InstanceType<typeof bound.EnvironmentCredential>;

/** {@inheritDoc core!parseCertificate} Paths are read through the Bun adapter (src/runtime/bun/adapter.ts). */
export const parseCertificate: typeof bound.parseCertificate = bound.parseCertificate;
