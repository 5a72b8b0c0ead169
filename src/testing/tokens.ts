/**
 * The emulator's token-signing key: issues RS256 access tokens shaped like Entra's v1 app-only
 * tokens, verifies them, and publishes the JWKS.
 *
 * @module
 */
import { digest, fromBase64, fromUtf8, toBase64Url, utf8 } from "./encoding.ts";

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

interface KeyMaterial {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string;
  jwk: JsonWebKey;
}

function encodeJson(value: unknown): string {
  return toBase64Url(utf8(JSON.stringify(value)));
}

function decodeJson(segment: string): Record<string, unknown> {
  const value: unknown = JSON.parse(fromUtf8(fromBase64(segment)));
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JSON object");
  return value as Record<string, unknown>;
}

/** Signs and verifies the emulator's access tokens. The RSA-2048 key is generated on first use. */
export class TokenSigner {
  #keys: Promise<KeyMaterial> | undefined;

  #material(): Promise<KeyMaterial> {
    this.#keys ??= (async () => {
      const pair = (await crypto.subtle.generateKey(
        { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
        true,
        ["sign", "verify"],
      )) as CryptoKeyPair;
      const spki = new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
      const kid = toBase64Url(await digest("SHA-1", spki));
      const exported = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
      const jwk: JsonWebKey & Record<string, unknown> = { kty: "RSA", use: "sig", kid, x5t: kid, n: exported.n, e: exported.e, alg: "RS256" };
      return { privateKey: pair.privateKey, publicKey: pair.publicKey, kid, jwk };
    })();
    this.#keys.catch(() => {
      this.#keys = undefined;
    });
    return this.#keys;
  }

  /** The public key set (`{ keys: [jwk] }`). */
  async jwks(): Promise<{ keys: JsonWebKey[] }> {
    return { keys: [(await this.#material()).jwk] };
  }

  /** Signs `claims` as an RS256 JWT with `kid`/`x5t` in the header. */
  async sign(claims: Record<string, unknown>): Promise<string> {
    const { privateKey, kid } = await this.#material();
    const input = `${encodeJson({ typ: "JWT", alg: "RS256", x5t: kid, kid })}.${encodeJson(claims)}`;
    const signature = new Uint8Array(await crypto.subtle.sign(ALGORITHM, privateKey, utf8(input) as Uint8Array<ArrayBuffer>));
    return `${input}.${toBase64Url(signature)}`;
  }

  /** Verifies a token issued by this signer (signature, `kid`, `exp`, `nbf`) and returns its claims. */
  async verify(token: string): Promise<Record<string, unknown>> {
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
    const valid = await crypto.subtle.verify(
      ALGORITHM,
      publicKey,
      signature as Uint8Array<ArrayBuffer>,
      utf8(`${h}.${p}`) as Uint8Array<ArrayBuffer>,
    );
    if (!valid) throw new Error("invalid access token: bad signature");
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== "number" || claims.exp <= now) throw new Error("invalid access token: expired");
    if (typeof claims.nbf === "number" && claims.nbf > now + 300) throw new Error("invalid access token: not yet valid");
    return claims;
  }
}

/** A stable UUID-shaped id derived from `text` (for `oid`/`sub` of an app's service principal). */
export async function stableUuid(text: string): Promise<string> {
  const hex = Array.from((await digest("SHA-256", utf8(text))).subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What an access token is issued for. */
export interface TokenGrant {
  tenantId: string;
  clientId: string;
  /** The resource (the scope without `/.default`). */
  audience: string;
  lifetime: number;
  /** `"1"` for a secret, `"2"` for a certificate. */
  authMethod: "1" | "2";
  cae: boolean;
}

/** The claims of an Entra v1 app-only access token. */
export async function accessTokenClaims(grant: TokenGrant): Promise<Record<string, unknown>> {
  const now = Math.floor(Date.now() / 1000);
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
  return claims;
}
