/**
 * The emulator's signing keys: access tokens shaped like Entra's v1 app-only tokens, and the
 * tokens of its external OIDC issuer. Each key comes with a self-signed certificate, so its JWK
 * carries `kid` = `x5t` (the certificate's SHA-1 thumbprint, as Entra's keys do), `x5c`,
 * `alg: RS256` and `use: sig`.
 *
 * @module
 */
import { digest, fromBase64, fromUtf8, toBase64, toBase64Url, utf8 } from "./encoding.ts";
import { createTestCertificate } from "./x509.ts";

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

interface KeyMaterial {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string;
  jwk: JsonWebKey & Record<string, unknown>;
}

function encodeJson(value: unknown): string {
  return toBase64Url(utf8(JSON.stringify(value)));
}

function decodeJson(segment: string): Record<string, unknown> {
  const value: unknown = JSON.parse(fromUtf8(fromBase64(segment)));
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JSON object");
  return value as Record<string, unknown>;
}

/** Signs and verifies with one RSA-2048 key, generated on first use with its certificate. */
export class TokenSigner {
  readonly #subject: string;
  #keys: Promise<KeyMaterial> | undefined;

  /** `subject`: the common name of the key's self-signed certificate. */
  constructor(subject: string) {
    this.#subject = subject;
  }

  #material(): Promise<KeyMaterial> {
    this.#keys ??= (async () => {
      const now = Date.now();
      const cert = await createTestCertificate({ subject: this.#subject, notBefore: now - 86_400_000, notAfter: now + 5 * 365 * 86_400_000 });
      const privateKey = cert.signingKey;
      const publicKey = cert.verifyingKey;
      const exported = (await crypto.subtle.exportKey("jwk", publicKey)) as JsonWebKey;
      const kid = cert.x5t;
      const jwk = { kty: "RSA", use: "sig", kid, x5t: kid, n: exported.n, e: exported.e, x5c: [toBase64(cert.der)], alg: "RS256" };
      return { privateKey, publicKey, kid, jwk };
    })();
    this.#keys.catch(() => {
      this.#keys = undefined;
    });
    return this.#keys;
  }

  /** The public key set (`{ keys: [jwk] }`). */
  async jwks(): Promise<{ keys: JsonWebKey[] }> {
    return { keys: [structuredClone((await this.#material()).jwk)] };
  }

  /** Signs `claims` as an RS256 JWT with `kid`/`x5t` in the header. */
  async sign(claims: Record<string, unknown>): Promise<string> {
    const { privateKey, kid } = await this.#material();
    const input = `${encodeJson({ typ: "JWT", alg: "RS256", x5t: kid, kid })}.${encodeJson(claims)}`;
    const signature = new Uint8Array(await crypto.subtle.sign(ALGORITHM, privateKey, utf8(input) as Uint8Array<ArrayBuffer>));
    return `${input}.${toBase64Url(signature)}`;
  }

  /** Verifies a token signed by this key (signature, `kid`, `exp`, `nbf` at `nowMs`) and returns its claims. */
  async verify(token: string, nowMs: number): Promise<Record<string, unknown>> {
    if (typeof token !== "string") throw new Error("invalid access token: not a string");
    const parts = token.split(".");
    if (parts.length !== 3) throw new Error("invalid access token: not a JWS compact serialization");
    const [h = "", p = "", s = ""] = parts;
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    let signature: Uint8Array;
    try {
      header = decodeJson(h);
      claims = decodeJson(p);
      signature = fromBase64(s);
    } catch {
      throw new Error("invalid access token: malformed");
    }
    const { publicKey, kid } = await this.#material();
    if (header.alg !== "RS256" || header.kid !== kid) throw new Error("invalid access token: not issued by this emulator");
    const valid = await crypto.subtle.verify(ALGORITHM, publicKey, signature as Uint8Array<ArrayBuffer>, utf8(`${h}.${p}`) as Uint8Array<ArrayBuffer>);
    if (!valid) throw new Error("invalid access token: bad signature");
    const now = Math.floor(nowMs / 1000);
    if (typeof claims.exp !== "number" || claims.exp <= now) throw new Error("invalid access token: expired");
    if (typeof claims.nbf === "number" && claims.nbf > now + 300) throw new Error("invalid access token: not yet valid");
    return claims;
  }
}

/** A stable UUID-shaped id derived from `text` (for `oid`/`sub` of an app's service principal). */
async function stableUuid(text: string): Promise<string> {
  const hex = Array.from((await digest("SHA-256", utf8(text))).subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What an access token is issued for. */
interface TokenGrant {
  tenantId: string;
  clientId: string;
  /** The resource (the scope without `/.default`). */
  audience: string;
  lifetime: number;
  /** `"1"` for a secret, `"2"` for a certificate or a federated credential. */
  authMethod: "1" | "2";
  cae: boolean;
  /** The emulator clock's time, epoch ms. */
  now: number;
  /** Claims over the defaults. */
  claims?: Record<string, unknown> | undefined;
}

/** The claims of an Entra v1 app-only access token. */
export async function accessTokenClaims(grant: TokenGrant): Promise<Record<string, unknown>> {
  const now = Math.floor(grant.now / 1000);
  const oid = await stableUuid(`${grant.tenantId.toLowerCase()}/${grant.clientId.toLowerCase()}`);
  const claims: Record<string, unknown> = {
    aud: grant.audience,
    iss: `https://sts.windows.net/${grant.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + grant.lifetime,
    aio: toBase64Url(crypto.getRandomValues(new Uint8Array(24))),
    appid: grant.clientId,
    appidacr: grant.authMethod,
    azp: grant.clientId,
    azpacr: grant.authMethod,
    idp: `https://sts.windows.net/${grant.tenantId}/`,
    idtyp: "app",
    oid,
    sub: oid,
    tid: grant.tenantId,
    uti: toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
    ver: "1.0",
  };
  if (grant.cae) claims.xms_cc = ["cp1"];
  return { ...claims, ...grant.claims };
}
