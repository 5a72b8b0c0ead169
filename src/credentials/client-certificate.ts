/**
 * `ClientCertificateCredential`: an app registration's certificate (PEM or PFX), proving the
 * client with a signed JWT assertion (RS256 + x5t, or PS256 + x5t#S256).
 *
 * @module
 */
import { CertificateError, UNSET_PASSWORD } from "../certificate/error.ts";
import { isKeySource, loadKeySigner, validateKeySource, type KeySource } from "../certificate/key-source.ts";
import { loadCertificate, validateSource } from "../certificate/load.ts";
import { importSigningKey } from "../certificate/parse.ts";
import { assertionThumbprints, type X509 } from "../certificate/x509.ts";
import { base64, base64url, copyOf, isBytes, utf8 } from "../lib/bytes.ts";
import { MIN_RSA_BITS } from "../lib/limits.ts";
import { noRuntime, type RuntimeAdapter } from "../lib/runtime.ts";
import { TokenClient } from "../token/client.ts";
import { SharedWork } from "../token/single-flight.ts";
import { CERTIFICATE_KEYS, CERTIFICATE_SOURCE_KEYS, checkKeys, CREDENTIAL_KEYS, positional } from "../token/options.ts";
import { ASSERTION_HINTS, type Hints } from "../token/messages.ts";
import { assertionFields } from "../token/request.ts";
import type { AccessToken, AssertionAlgorithm, CertificateSource, ClientCertificateCredentialOptions, GetTokenOptions, Logger, TokenCredential } from "../types.ts";

const NAME = "ClientCertificateCredential";
/** Assertions live 10 minutes; one is reused while it has more than a minute left. */
const ASSERTION_LIFETIME_S = 600;
const ASSERTION_MIN_REMAINING_MS = 60_000;

/**
 * Python's `CertificateCredential(tenant_id, client_id, certificate_path, password=…,
 * certificate_data=…)` ported keyword for keyword: its names are refused with the ones used here
 * (plain checkKeys would find no near key for `password`, and `certificatePath` for
 * `certificate_data`).
 */
function pythonNames(source: unknown, options: unknown): void {
  if (typeof options === "string") throw new TypeError(`${NAME}: the fourth argument is the options: pass a password as { certificatePassword }.`);
  // fs.readFileSync("app.pfx") as the source (parseCertificate takes bytes so): its bytes would be read as keys.
  if (isBytes(source)) throw new TypeError(`${NAME}: the certificate's bytes go in the source object: { certificate: bytes, certificatePassword }.`);
  for (const [where, o] of [["option", options], ["key of the certificate source", source]] as const) {
    if (typeof o !== "object" || o === null) continue;
    for (const key of Object.keys(o)) {
      const typed = key.toLowerCase().replace(/[_-]/g, "");
      if (typed === "password") throw new TypeError(`${NAME}: ${where} "${key.slice(0, 40)}" is Python's name: here it is "certificatePassword".`);
      if (typed === "certificatedata") {
        throw new TypeError(`${NAME}: ${where} "${key}" is Python's name: pass the bytes or text as the source, { certificate, certificatePassword } (the third argument).`);
      }
    }
  }
}

/** Zeroes the source's own copy of the certificate bytes (text cannot be, and is dropped). */
function wipe(source: CertificateSource | undefined): void {
  const c = typeof source === "object" ? (source as { certificate?: unknown }).certificate : undefined;
  if (c instanceof Uint8Array) c.fill(0);
}

/** The source with its certificate bytes copied now (see {@link copyOf}). */
function bytesOf(source: object): { certificate?: Uint8Array } {
  return "certificate" in source ? { certificate: copyOf(source.certificate) as Uint8Array } : {};
}

/**
 * jose is loaded with the first assertion, not with entra-edge: an app that imports the package
 * for a client secret never loads it (on Node that is ~10 ms of import time: jose's modules and
 * the first package resolution), and bundlers with code splitting put it in a lazy chunk. Its
 * compact JWS signer, not SignJWT: the claims are ours (built once for both kinds of key), and
 * SignJWT's claim builders and checks were ~740 B gzip more of a split PEM Worker, for the same assertion.
 */
const loadJose = () => import("jose/jws/compact/sign");

/** Signed with the private key to derive the shared token cache's encryption key. */
const CACHE_KEY_LABEL = utf8("entra-edge token cache key v1");

/** The leaf's validity and thumbprint: public facts (they are in the certificate). */
interface Validity {
  notBefore: Date;
  notAfter: Date;
  sha1: string;
}

/** " This certificate (SHA-1 …) is valid from … to …: it has EXPIRED." — for the AADSTS700027 hint. */
function describeValidity(v: Validity | undefined): string {
  if (!v) return "";
  const now = Date.now();
  const state = v.notAfter.getTime() < now ? ": it has EXPIRED" : v.notBefore.getTime() > now ? ": it is NOT YET VALID" : "";
  return ` This certificate (SHA-1 ${v.sha1}) is valid from ${v.notBefore.toISOString()} to ${v.notAfter.toISOString()}${state}.`;
}

interface Signer {
  /** The imported key (PEM / PFX sources): assertions are signed by jose. */
  key?: CryptoKey;
  /** A key that stays where it is (`privateKey`, `sign`): the JWS is assembled here. */
  sign?: (data: Uint8Array, abortSignal?: AbortSignal) => Promise<Uint8Array>;
  /** The cache key signature: RS256 (RSASSA-PKCS1-v1_5 / SHA-256, deterministic) over a fixed label. */
  cacheSign: (data: Uint8Array) => Promise<Uint8Array>;
  header: { alg: AssertionAlgorithm; typ: "JWT"; x5t?: string; "x5t#S256"?: string; x5c?: string[] };
}

/**
 * A signature by the key imported from the file, whose failure is the file's: a key the runtime
 * imported but cannot sign with is ERR_CERT_MALFORMED, as the runtimes that refuse it at import
 * say. (An RSA key whose numbers do not agree, which Deno imports and then cannot sign with, is
 * refused earlier, when the file is read: pkcs8.ts.)
 */
async function signedByFileKey<T>(signing: Promise<T>): Promise<T> {
  try {
    return await signing;
  } catch (e) {
    throw new CertificateError("ERR_CERT_MALFORMED", "The private key could not sign (it is not a valid RSA key): export the certificate and its key again.", { cause: e });
  }
}

/** A compact JWS signed by `sign` (what jose's CompactSign makes, for a key jose cannot hold). */
async function compactJws(header: object, payload: object, sign: (data: Uint8Array) => Promise<Uint8Array>): Promise<string> {
  const input = `${base64url(utf8(JSON.stringify(header)))}.${base64url(utf8(JSON.stringify(payload)))}`;
  return `${input}.${base64url(await sign(utf8(input)))}`;
}

/**
 * Authenticates an app registration with a certificate: PEM (PKCS#8, PKCS#1, encrypted PKCS#8)
 * or PKCS#12/PFX (OpenSSL 3, legacy 3DES/RC2, Windows, Java keytool), from a path, text, base64
 * or bytes. The key is loaded once, on first use, as a non-extractable `CryptoKey`. The authority
 * is `authorityHost` / `authority`, else the public cloud (the Node, Deno and Bun entries' subclass
 * defaults to `AZURE_AUTHORITY_HOST`).
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
  /**
   * @internal How paths are read: not at all here (`entra-edge/core`); each runtime entry's
   * subclass sets its runtime's adapter (src/node.ts, src/deno.ts, …).
   */
  protected static runtime: RuntimeAdapter = noRuntime;

  /** @internal Where a password goes, for the message of a PFX or key that needs one (EnvironmentCredential names its variable). */
  protected static passwordHint = "Put it in the options ({ certificatePassword }) or in the source object ({ certificatePath, certificatePassword }).";

  /** The class's name, also in minified bundles (a bundler renames the class itself). */
  static get name(): string {
    return NAME;
  }

  readonly #client: TokenClient;
  /**
   * What to load the certificate from, until it is loaded: then the PEM text or PFX bytes and the
   * password are dropped (the key lives on as a non-extractable CryptoKey). A failed load keeps it,
   * so the next getToken tries again.
   */
  #source: CertificateSource | undefined;
  readonly #runtime: RuntimeAdapter;
  readonly #passwordHint: string;
  /** certificatePassword was given, as undefined. */
  readonly #passwordUnset: boolean;
  readonly #logger: Logger | undefined;
  /** The leaf's validity, once loaded (public: it is in the certificate). */
  #validity: Validity | undefined;
  readonly #algorithm: AssertionAlgorithm;
  readonly #sendChain: boolean;
  /** The loaded certificate and key: loaded once, by the first call, with the time its attempt has (a failure is not kept: the next call tries again — the file may have been fixed). */
  readonly #signer = new SharedWork<Signer>(() => this.#load(++this.#loads));
  /** Loads started so far: only the latest one wipes the source (a gone one still running on another request's behalf may read it). */
  #loads = 0;
  #assertion: { audience: string; value: string; expiresAt: number } | undefined;

  /**
   * A credential for the app registration `clientId` in `tenantId`, with a certificate uploaded to it.
   *
   * @param source A path, `{ certificatePath, certificatePassword? }`, or
   *   `{ certificate, certificatePassword? }` where `certificate` is PEM text, base64 of a PFX, or PFX bytes.
   *   Of a file with several keys, the first usable pair (RSA ≥ 2048 bits) is used unless
   *   `certificateThumbprint` (SHA-1 hex) or `certificateFriendlyName` names one. Or a key that stays
   *   where it is: `{ certificate, privateKey }` (a `CryptoKey`, non-extractable is fine) or
   *   `{ certificate, sign }` (a remote signer such as `keyVaultSigner`), with the public
   *   certificate; the key is checked against it once, at the first use (`ERR_CERT_KEY_MISMATCH`).
   * @throws TypeError for a missing or malformed argument or option (the certificate itself is read on first use).
   */
  constructor(tenantId: string, clientId: string, source: CertificateSource, options?: ClientCertificateCredentialOptions) {
    positional(NAME, tenantId, "source");
    pythonNames(source, options);
    if (typeof source === "object") checkKeys(NAME, source, CERTIFICATE_SOURCE_KEYS, "key of the certificate source");
    const asked = options?.assertionAlgorithm;
    if (asked !== undefined && asked !== "RS256" && asked !== "PS256") throw new TypeError(`${NAME}: assertionAlgorithm must be "RS256" or "PS256".`);
    const keySource = isKeySource(source);
    let algorithm: AssertionAlgorithm = asked ?? "RS256";
    if (keySource) algorithm = validateKeySource(NAME, source, asked);
    else validateSource(NAME, source);
    // The password beside a path, as Python passes it, or in the source object: one password.
    const password = options?.certificatePassword;
    if (password !== undefined && typeof password !== "string") throw new TypeError(`${NAME}: certificatePassword must be a string.`);
    const inside = typeof source === "string" ? undefined : (source as { certificatePassword?: string }).certificatePassword;
    // certificatePassword read from an unset environment variable — said if the PFX then needs a password.
    this.#passwordUnset = password === undefined && inside === undefined && ((options !== undefined && Object.hasOwn(options, "certificatePassword")) || (typeof source === "object" && Object.hasOwn(source, "certificatePassword")));
    if (password !== undefined && inside !== undefined && password !== inside) {
      throw new TypeError(`${NAME}: certificatePassword is given in the options and in the source object, and they differ: give it once.`);
    }
    this.#source =
      typeof source === "string"
        ? password === undefined
          ? source
          : { certificatePath: source, certificatePassword: password }
        : keySource
          ? { ...source, ...bytesOf(source) }
          : { ...source, ...bytesOf(source), ...((inside ?? password) !== undefined && { certificatePassword: inside ?? password }) };
    const self = new.target as typeof ClientCertificateCredential;
    this.#runtime = self.runtime;
    this.#passwordHint = self.passwordHint;
    this.#algorithm = algorithm;
    const chain = options?.sendCertificateChain;
    // ("true" or 1 sent no x5c, silently: review 13, L4)
    if (chain !== undefined && typeof chain !== "boolean") throw new TypeError(`${NAME}: sendCertificateChain must be true or false, not a ${typeof chain}.`);
    this.#sendChain = chain === true;
    this.#logger = typeof options?.logger === "function" ? options.logger : undefined;
    // AADSTS700027 ("key used is expired", or not registered): the hint adds this certificate's validity.
    const validity = () => this.#validity;
    const hints: Hints = Object.defineProperty({ ...ASSERTION_HINTS }, 700027, {
      enumerable: true,
      get: () => `${ASSERTION_HINTS[700027]}${describeValidity(validity())}`,
    });
    this.#client = new TokenClient(
      NAME,
      tenantId,
      clientId,
      options,
      async (tokenUrl, abortSignal, until) => assertionFields(await this.#assert(tokenUrl, abortSignal, until)),
      hints,
      // The shared cache's key: an RS256 (PKCS#1 v1.5, deterministic) signature of a fixed label,
      // so every instance with this certificate derives the same key without exporting the private key.
      // An RSA-PSS CryptoKey cannot make one (PSS signatures are randomized): such a credential
      // needs tokenCacheOptions.encryptionKey for a shared cache.
      keySource && "privateKey" in source && algorithm === "PS256"
        ? undefined
        : async (until) => (await this.#signer.get(until)).cacheSign(CACHE_KEY_LABEL),
      [...CREDENTIAL_KEYS, ...CERTIFICATE_KEYS],
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

  /** Loads the certificate and imports the key: the `n`th load (the latest wipes the source). */
  async #load(n: number): Promise<Signer> {
    if (isKeySource(this.#source)) return this.#keySigner(this.#source, n);
    const material = await loadCertificate(this.#source as Exclude<CertificateSource, KeySource>, this.#runtime).catch((e) => {
      throw e instanceof CertificateError && e.code === "ERR_CERT_PASSWORD_REQUIRED" && !e.message.endsWith(UNSET_PASSWORD) ? new CertificateError(e.code, `${e.message} ${this.#passwordUnset ? UNSET_PASSWORD : this.#passwordHint}`) : e;
    });
    if (material.keyBits < MIN_RSA_BITS) {
      throw new CertificateError("ERR_CERT_UNSUPPORTED_KEY", `The RSA key has ${material.keyBits} bits; Entra needs ${MIN_RSA_BITS} bits or more.`);
    }
    const leaf = material.chain[0]!;
    const [key, prints] = await Promise.all([importSigningKey(material.pkcs8, this.#algorithm), assertionThumbprints(leaf.der, this.#algorithm)]);
    const cacheKey = this.#algorithm === "RS256" ? key : await importSigningKey(material.pkcs8, "RS256");
    const header = this.#useLeaf(material.chain, prints);
    // The key is imported: the PEM text / PFX bytes and the password are not needed any more
    // (the bytes are the credential's own copy: zeroed, not only dropped).
    this.#done(n);
    return { key, header, cacheSign: async (data) => new Uint8Array(await signedByFileKey(crypto.subtle.sign("RSASSA-PKCS1-v1_5", cacheKey, data as Uint8Array<ArrayBuffer>))) };
  }

  /** A load succeeded: the source is wiped, unless a later load (started beside this one, gone) reads it. */
  #done(n: number): void {
    if (n !== this.#loads) return;
    wipe(this.#source);
    this.#source = undefined;
  }

  /** The assertion header for the chain's leaf (x5t or x5t#S256, x5c when asked); notes its validity (warning once if outside it). */
  #useLeaf(chain: X509[], prints: { x5t: string; x5tS256?: string; sha1Thumbprint: string }): Signer["header"] {
    const leaf = chain[0]!;
    const header: Signer["header"] = { alg: this.#algorithm, typ: "JWT" };
    if (this.#algorithm === "PS256") header["x5t#S256"] = prints.x5tS256!;
    else header.x5t = prints.x5t;
    if (this.#sendChain) header.x5c = chain.map((c) => base64(c.der));
    this.#validity = { notBefore: leaf.notBefore, notAfter: leaf.notAfter, sha1: prints.sha1Thumbprint };
    this.#warnIfOutOfValidity(leaf, prints.sha1Thumbprint);
    return header;
  }

  /**
   * A key that stays where it is: the certificate is parsed and the key checked against it (a
   * probe signature) here, once; the CryptoKey or callback is kept (it is the key), the
   * certificate text is not.
   */
  async #keySigner(source: KeySource, n: number): Promise<Signer> {
    const loaded = await loadKeySigner(NAME, source, this.#algorithm);
    const leaf = loaded.chain[0]!;
    const header = this.#useLeaf(loaded.chain, await assertionThumbprints(leaf.der, this.#algorithm));
    const rs256 = loaded.signRs256;
    this.#done(n);
    return {
      sign: loaded.sign,
      header,
      cacheSign: rs256 ?? (() => Promise.reject(new TypeError(`${NAME}: an RSA-PSS privateKey cannot derive the shared cache's key: pass tokenCacheOptions.encryptionKey.`))),
    };
  }

  /** Entra refuses an expired or not yet valid certificate (AADSTS700027): say so once per load. */
  #warnIfOutOfValidity(leaf: X509, sha1: string): void {
    const now = Date.now();
    const expired = leaf.notAfter.getTime() < now;
    if (!expired && leaf.notBefore.getTime() <= now) return;
    const event = expired ? "certificate.expired" : "certificate.not_yet_valid";
    const message = expired
      ? `The certificate ${sha1} expired on ${leaf.notAfter.toISOString()}; Entra refuses it (AADSTS700027). Renew it and register the new one on the app.`
      : `The certificate ${sha1} is not valid before ${leaf.notBefore.toISOString()}; Entra refuses it until then (AADSTS700027). Check this machine's clock.`;
    try {
      this.#logger?.({ credential: NAME, level: "warning", event, message, tenantId: this.#client.tenantId, clientId: this.#client.clientId });
    } catch {
      // a failing logger must not fail getToken
    }
  }

  async #assert(audience: string, abortSignal: AbortSignal, until: number): Promise<string> {
    const cached = this.#assertion;
    if (cached && cached.audience === audience && cached.expiresAt - Date.now() > ASSERTION_MIN_REMAINING_MS) return cached.value;
    const signer = await this.#signer.get(until, abortSignal);
    const now = Math.floor(Date.now() / 1000);
    const clientId = this.#client.clientId;
    // The claims in the order jose's SignJWT wrote them (the assertion is the same as before).
    const payload = { jti: crypto.randomUUID(), aud: audience, iss: clientId, sub: clientId, nbf: now, iat: now, exp: now + ASSERTION_LIFETIME_S };
    let value: string;
    if (signer.sign) {
      const sign = signer.sign;
      value = await compactJws(signer.header, payload, (data) => sign(data, abortSignal));
    } else {
      const { CompactSign } = await loadJose();
      value = await signedByFileKey(new CompactSign(utf8(JSON.stringify(payload))).setProtectedHeader(signer.header).sign(signer.key!));
    }
    this.#assertion = { audience, value, expiresAt: (now + ASSERTION_LIFETIME_S) * 1000 };
    return value;
  }
}
