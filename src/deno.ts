/**
 * entra-edge for Deno and Deno Deploy: every credential, with certificate paths read through Deno.readFile (needs --allow-read) and the environment from Deno.env (needs --allow-env).
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential, EnvironmentCredential } from "entra-edge";
 *
 * const fromFile = new ClientCertificateCredential(tenantId, clientId, "./certs/app.pem"); // --allow-read
 * const fromEnv = new EnvironmentCredential(); // --allow-env
 * ```
 *
 * @module
 */
import { bindRuntime, type RuntimeBindings } from "./bind.ts";
import { denoRuntime } from "./runtime/deno/adapter.ts";

export * from "./core.ts";

const bound: RuntimeBindings = /* @__PURE__ */ bindRuntime(denoRuntime);

/**
 * {@inheritDoc core!ClientCertificateCredential} Paths are read through the Deno adapter; without --allow-read that is a CredentialUnavailableError naming the flag.
 */
export const ClientCertificateCredential: typeof bound.ClientCertificateCredential = bound.ClientCertificateCredential;
export type ClientCertificateCredential = InstanceType<typeof bound.ClientCertificateCredential>;

/** {@inheritDoc core!EnvironmentCredential} Reads the Deno environment (--allow-env) unless `env` is passed. */
export const EnvironmentCredential: typeof bound.EnvironmentCredential = bound.EnvironmentCredential;
export type EnvironmentCredential = InstanceType<typeof bound.EnvironmentCredential>;

/** {@inheritDoc core!parseCertificate} Paths are read through the Deno adapter; without --allow-read that is a CredentialUnavailableError naming the flag. */
export const parseCertificate: typeof bound.parseCertificate = bound.parseCertificate;
