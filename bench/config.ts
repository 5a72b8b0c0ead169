/** What the orchestrator hands each child process (as one JSON argument). Portable types only. */

export type LibraryName = "entra-edge" | "@azure/identity" | "@azure/msal-node";
export type CredentialKind = "secret" | "pem" | "pfx" | "legacy-pfx";
/** A Node by major version (the machine's and the pinned builds of test/runners/runtimes.ts). */
export type NodeName = `node${number}`;
/** A runtime a child runs on. */
export type RuntimeName = NodeName | "deno" | "bun";
/** The Node versions the import and CPU budgets must hold on. */
export const BUDGET_NODES: readonly NodeName[] = ["node20", "node22", "node24"];

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

/** file: URLs of the installed package's lazy chunks (for the per-part CPU measurement). */
export interface LazyChunks {
  /** The chunk `import("jose/jws/compact/sign")` loads (exports CompactSign). */
  jose: string;
  /** The chunk the first PFX loads (asn1js, the PKCS#12 reader). */
  pkcs12: string;
}

export interface ChildTask {
  task: "cached" | "first" | "coldstart" | "concurrency" | "heap" | "lazy" | "cpu" | "cpu-parts" | "cpu-floor";
  runtime: RuntimeName;
  library: LibraryName;
  kind: CredentialKind;
  /** Module specifier of entra-edge: "entra-edge", resolved from the install folder the child runs in. */
  entry: string;
  target: Target;
  /** concurrency: number of simultaneous calls; heap: number of credentials; cpu: repeat parses. */
  count?: number;
  /** first: measured iterations (after warm-up). */
  iterations?: number;
  /** cpu-parts: the chunks to load one by one; cpu-floor: the jose chunk. */
  chunks?: LazyChunks;
  /** cpu-parts: sample the first certificate parse with the V8 profiler (Node) to split it. */
  profile?: boolean;
}

export const RESULT_PREFIX = "BENCH_RESULT ";
