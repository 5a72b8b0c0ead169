/**
 * `ClientCertificateCredential`: an app registration's certificate (PEM or PFX), proving the
 * client with a signed JWT assertion (RS256 + x5t, or PS256 + x5t#S256).
 *
 * @module
 */
import { noRuntime, type RuntimeAdapter } from "../adapter.ts";
import { CertificateError } from "../errors.ts";
import { base64 } from "../certificate/encoding.ts";
import { loadCertificate, validateSource, type CertificateSource } from "../certificate/load.ts";
import { importSigningKey, thumbprints, type AssertionAlgorithm } from "../certificate/parse.ts";
import { TokenClient } from "../token/client.ts";
import { ASSERTION_HINTS } from "../token/messages.ts";
import type { AccessToken, CredentialOptions, GetTokenOptions, TokenCredential } from "./types.ts";

const NAME = "ClientCertificateCredential";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Assertions live 10 minutes; one is reused while it has more than a minute left. */
const ASSERTION_LIFETIME_S = 600;
const ASSERTION_MIN_REMAINING_MS = 60_000;

/**
 * jose is loaded with the first assertion, not with entra-edge: an app that imports the package
 * for a client secret never loads it (on Node that is ~10 ms of import time: jose's modules and
 * the first package resolution), and bundlers with code splitting put it in a lazy chunk.
 */
const loadJose = () => import("jose/jwt/sign");

/** Options of {@link ClientCertificateCredential}. */
export interface ClientCertificateCredentialOptions extends CredentialOptions {
  /** Send the chain (`x5c`, leaf first) with each assertion — needed for subject name / issuer authentication. */
  sendCertificateChain?: boolean;
  /** `RS256` (default, with `x5t`) or `PS256` (with `x5t#S256`). */
  assertionAlgorithm?: AssertionAlgorithm;
}

/** Signed with the private key to derive the shared token cache's encryption key. */
const CACHE_KEY_LABEL = new TextEncoder().encode("entra-edge token cache key v1");

interface Signer {
  key: CryptoKey;
  /** RSASSA-PKCS1-v1_5 / SHA-256 key for the cache key signature (the signing key itself for RS256). */
  cacheKey: CryptoKey;
  header: { alg: AssertionAlgorithm; typ: "JWT"; x5t?: string; "x5t#S256"?: string; x5c?: string[] };
}

/**
 * Authenticates an app registration with a certificate: PEM (PKCS#8, PKCS#1, encrypted PKCS#8)
 * or PKCS#12/PFX (OpenSSL 3, legacy 3DES/RC2, Windows, Java keytool), from a path, text, base64
 * or bytes. The key is loaded once, on first use, as a non-extractable `CryptoKey`.
 *
 * @example
 * ```ts
 * import { ClientCertificateCredential } from "entra-edge";
 *
 * // A PFX kept base64-encoded in a secret (e.g. a Worker secret or Key Vault)
 * const credential = new ClientCertificateCredential(tenantId, clientId, {
 *   certificate: env.AZURE_CLIENT_CERTIFICATE,
 *   certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD,
 * });
 * const { token } = await credential.getToken("https://vault.azure.net/.default");
 * ```
 */
export class ClientCertificateCredential implements TokenCredential {
  readonly #client: TokenClient;
  readonly #source: CertificateSource;
  readonly #runtime: RuntimeAdapter;
  readonly #algorithm: AssertionAlgorithm;
  readonly #sendChain: boolean;
  #signer: Promise<Signer> | undefined;
  #assertion: { audience: string; value: string; expiresAt: number } | undefined;

  /**
   * @param source A path, `{ certificatePath, certificatePassword? }`, or
   *   `{ certificate, certificatePassword? }` where `certificate` is PEM text, base64 of a PFX, or PFX bytes.
   * @throws TypeError for a missing or malformed argument or option (the certificate itself is read on first use).
   */
  constructor(tenantId: string, clientId: string, source: CertificateSource, options?: ClientCertificateCredentialOptions);
  /** @internal The runtime entries pass their adapter. */
  constructor(tenantId: string, clientId: string, source: CertificateSource, options: ClientCertificateCredentialOptions | undefined, runtime: RuntimeAdapter);
  constructor(tenantId: string, clientId: string, source: CertificateSource, options?: ClientCertificateCredentialOptions, runtime: RuntimeAdapter = noRuntime) {
    validateSource(NAME, source);
    const algorithm = options?.assertionAlgorithm ?? "RS256";
    if (algorithm !== "RS256" && algorithm !== "PS256") throw new TypeError(`${NAME}: assertionAlgorithm must be "RS256" or "PS256".`);
    this.#source = typeof source === "string" ? source : { ...source };
    this.#runtime = runtime;
    this.#algorithm = algorithm;
    this.#sendChain = options?.sendCertificateChain === true;
    this.#client = new TokenClient(
      NAME,
      tenantId,
      clientId,
      options,
      async (tokenUrl) => ({ client_assertion_type: JWT_BEARER, client_assertion: await this.#assert(tokenUrl) }),
      ASSERTION_HINTS,
      // The shared cache's key: an RS256 (PKCS#1 v1.5, deterministic) signature of a fixed label,
      // so every instance with this certificate derives the same key without exporting the private key.
      async () => {
        const { cacheKey } = await this.#loadSigner();
        return new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", cacheKey, CACHE_KEY_LABEL));
      },
    );
  }

  /**
   * Gets an access token for the scopes. The first call loads the certificate; concurrent first
   * calls share that work. Certificate problems reject with a `CertificateError` before any request.
   *
   * @example
   * ```ts
   * const { token, expiresOnTimestamp } = await credential.getToken("https://management.azure.com/.default");
   * ```
   */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#client.getToken(scopes, options);
  }

  /** A safe summary for logs: the class, tenant and client id — never key material. */
  toJSON(): { credential: string; tenantId: string; clientId: string } {
    return { credential: NAME, tenantId: this.#client.tenantId, clientId: this.#client.clientId };
  }

  #loadSigner(): Promise<Signer> {
    if (!this.#signer) {
      const loading = (async (): Promise<Signer> => {
        const material = await loadCertificate(this.#source, this.#runtime);
        if (material.keyBits < 2048) {
          throw new CertificateError("ERR_CERT_UNSUPPORTED_KEY", `The RSA key has ${material.keyBits} bits; Entra needs 2048 bits or more.`);
        }
        const leaf = material.chain[0]!;
        const [key, prints] = await Promise.all([importSigningKey(material.pkcs8, this.#algorithm), thumbprints(leaf.der)]);
        const cacheKey = this.#algorithm === "RS256" ? key : await importSigningKey(material.pkcs8, "RS256");
        const header: Signer["header"] = { alg: this.#algorithm, typ: "JWT" };
        if (this.#algorithm === "PS256") header["x5t#S256"] = prints.x5tS256;
        else header.x5t = prints.x5t;
        if (this.#sendChain) header.x5c = material.chain.map((c) => base64(c.der));
        return { key, header, cacheKey };
      })();
      this.#signer = loading;
      // A failure is not kept: the next call tries again (the file may have been fixed).
      loading.catch(() => {
        if (this.#signer === loading) this.#signer = undefined;
      });
    }
    return this.#signer;
  }

  async #assert(audience: string): Promise<string> {
    const cached = this.#assertion;
    if (cached && cached.audience === audience && cached.expiresAt - Date.now() > ASSERTION_MIN_REMAINING_MS) return cached.value;
    const [signer, { SignJWT }] = await Promise.all([this.#loadSigner(), loadJose()]);
    const now = Math.floor(Date.now() / 1000);
    const clientId = this.#client.clientId;
    const value = await new SignJWT({ jti: crypto.randomUUID() })
      .setProtectedHeader(signer.header)
      .setAudience(audience)
      .setIssuer(clientId)
      .setSubject(clientId)
      .setNotBefore(now)
      .setIssuedAt(now)
      .setExpirationTime(now + ASSERTION_LIFETIME_S)
      .sign(signer.key);
    this.#assertion = { audience, value, expiresAt: (now + ASSERTION_LIFETIME_S) * 1000 };
    return value;
  }
}
