/**
 * What a runtime adapter gives the core: reading a file and the environment. The core never reads
 * either by itself: the credentials that need them (ClientCertificateCredential,
 * EnvironmentCredential, parseCertificate) read a protected static `runtime`, `noRuntime` here,
 * which each runtime entry's subclass (src/node.ts, src/deno.ts, …) sets to its adapter from
 * src/runtime/<runtime>/adapter.ts.
 *
 * @module
 */
import { CredentialUnavailableError } from "./errors.ts";
import { MAX_INPUT_BYTES } from "./limits.ts";

export interface RuntimeAdapter {
  /** The runtime's name, for messages. */
  readonly name: string;
  /**
   * Reads a file — or, when it is longer than `limit` bytes, more than `limit` of them (the caller
   * refuses it): nothing reads on past the limit, so `/dev/zero` or a huge file costs no memory.
   * Rejects with CredentialUnavailableError when the runtime cannot read files. `what` names the
   * file in messages (default "certificate file").
   */
  readFile?(path: string, limit: number, what?: string): Promise<Uint8Array>;
  /** The environment variables, or undefined where the runtime has none. */
  env?(): Record<string, string | undefined> | undefined;
  /** The runtime's own environment API object, where it is not an object of variables: refused as `{ env }` (the adapter sets it). */
  readonly envObject?: unknown;
  /** What to do when reading `names` from the environment was refused (a missing permission), for one message naming all of them. */
  envDenied?(names: string[]): string;
  /**
   * One environment variable, read without ever asking for a permission: undefined when it is
   * unset or the runtime may not read it (Deno without a granted env permission for it: no
   * prompt, no throw). What a credential reads on its own, unasked — AZURE_AUTHORITY_HOST — goes
   * through this; absent where there is no process environment (Workers, `entra-edge/core`).
   */
  variable?(name: string): string | undefined;
  /**
   * Checks a private key (PKCS#8, RSA, two primes) once before the runtime's WebCrypto signs with
   * it — the loader calls it for the key it chose, once per load — throwing a CertificateError for
   * one it cannot sign with safely. Deno's tests that p and q
   * are prime: its WebCrypto aborts the whole process (a Rust panic, no exception to catch) when it
   * signs with a key whose p or q is composite. Elsewhere such a key fails by itself (an
   * OperationError at the signature, or a signature Entra refuses), and there is no check.
   */
  checkSigningKey?(pkcs8: Uint8Array): void;
}

/** The adapter of `entra-edge/core`: no files, no environment. */
export const noRuntime: RuntimeAdapter = { name: "this runtime" };

export function readFileWith(runtime: RuntimeAdapter, path: string, limit = MAX_INPUT_BYTES): Promise<Uint8Array> {
  if (!runtime.readFile) {
    return Promise.reject(
      new CredentialUnavailableError(
        `Cannot read the certificate file "${path}": ${runtime.name} has no file access. Pass the certificate contents instead: { certificate: pemText | pfxBytes | base64Pfx, certificatePassword }.`,
      ),
    );
  }
  return runtime.readFile(path, limit);
}
