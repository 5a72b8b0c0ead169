/** What the orchestrator hands each child process (as one JSON argument). Portable types only. */

export type LibraryName = "entra-edge" | "@azure/identity" | "@azure/msal-node";
export type CredentialKind = "secret" | "pem" | "pfx" | "legacy-pfx";
export type RuntimeName = "node" | "deno" | "bun";

export interface Target {
  /** https://127.0.0.1:PORT — the emulator behind TLS. */
  url: string;
  tenantId: string;
  clientId: string;
  scope: string;
  secret: string;
  /** PEM file with the PKCS#8 key and the certificate. */
  pemPath: string;
  /** The private key block alone (msal-node takes the key as text). */
  pemKey: string;
  /** SHA-256 thumbprint of the certificate, hex (msal-node needs it given). */
  thumbprintSha256: string;
  pfxPath: string;
  legacyPfxPath: string;
  pfxPassword: string;
  /** The emulator's openid-configuration for the tenant, as msal-node's `authorityMetadata`. */
  authorityMetadata: string;
}

export interface ChildTask {
  task: "cached" | "first" | "coldstart" | "concurrency" | "heap" | "lazy";
  runtime: RuntimeName;
  library: LibraryName;
  kind: CredentialKind;
  /** Module specifier of entra-edge for this runtime (a file: URL). */
  entry: string;
  target: Target;
  /** concurrency: number of simultaneous calls; heap: number of credentials. */
  count?: number;
  /** first: measured iterations (after warm-up). */
  iterations?: number;
}

export const RESULT_PREFIX = "BENCH_RESULT ";
