/**
 * Binds a runtime adapter to the credentials that read files or the environment. Each runtime
 * entry (node, deno, bun, workerd) calls it once; everything else is shared from core.ts.
 *
 * @module
 */
import type { RuntimeAdapter } from "./adapter.ts";
import { parseCertificateWith, type ParseCertificateSource, type ParsedCertificate } from "./certificate/parse.ts";
import type { CertificateSource } from "./certificate/load.ts";
import { ClientCertificateCredential as CoreClientCertificateCredential, type ClientCertificateCredentialOptions } from "./credentials/client-certificate.ts";
import { EnvironmentCredential as CoreEnvironmentCredential, type EnvironmentCredentialOptions } from "./credentials/environment.ts";

export interface RuntimeBindings {
  ClientCertificateCredential: new (tenantId: string, clientId: string, source: CertificateSource, options?: ClientCertificateCredentialOptions) => CoreClientCertificateCredential;
  EnvironmentCredential: new (options?: EnvironmentCredentialOptions) => CoreEnvironmentCredential;
  parseCertificate: (source: ParseCertificateSource, password?: string) => Promise<ParsedCertificate>;
}

export function bindRuntime(runtime: RuntimeAdapter): RuntimeBindings {
  // Distinct local names: entries export these under the core names (bundlers hoist scopes).
  class BoundCertificateCredential extends CoreClientCertificateCredential {
    constructor(tenantId: string, clientId: string, source: CertificateSource, options?: ClientCertificateCredentialOptions) {
      super(tenantId, clientId, source, options, runtime);
    }
  }
  class BoundEnvironmentCredential extends CoreEnvironmentCredential {
    constructor(options?: EnvironmentCredentialOptions) {
      super(options, runtime);
    }
  }
  Object.defineProperty(BoundCertificateCredential, "name", { value: "ClientCertificateCredential" });
  Object.defineProperty(BoundEnvironmentCredential, "name", { value: "EnvironmentCredential" });
  return {
    ClientCertificateCredential: BoundCertificateCredential,
    EnvironmentCredential: BoundEnvironmentCredential,
    parseCertificate: (source, password) => parseCertificateWith(runtime, source, password),
  };
}
