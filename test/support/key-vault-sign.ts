/**
 * A fake of Azure Key Vault's `sign` operation as a fetch handler, portable to every runtime (a
 * Worker included), checking each request exactly as Key Vault documents it
 * (https://learn.microsoft.com/rest/api/keyvault/keys/sign/sign):
 *
 *   POST {vault}/keys/{key-name}/{key-version}/sign?api-version=7.4 (or 7.5)
 *   Authorization: Bearer <a token for https://vault.azure.net, verified with the emulator>
 *   Content-Type: application/json
 *   { "alg": "RS256" | "PS256", "value": base64url(SHA-256 digest: 32 bytes) }
 *   → 200 { "kid": "{vault}/keys/{name}/{version}", "value": base64url(signature) }
 *
 * It signs the DIGEST it is given — WebCrypto cannot (it hashes its input itself), so the RSA
 * operation is done here with BigInt: EMSA-PKCS1-v1_5 and EMSA-PSS (MGF1-SHA-256, 32-byte salt)
 * encodings, then m^d mod n with the CRT. A signer that sent the wrong digest gets a signature
 * that does not verify. Refusals are Key Vault's: 401 with its challenge, 403 Forbidden, 404
 * KeyNotFound, 400 BadParameter.
 */
import type { EmulatorControl } from "../../src/testing/types.ts";

export interface FakeVaultRequest {
  method: string;
  path: string;
  query: string;
  alg?: string;
  digest?: string;
  status: number;
}

interface RsaPrivate {
  n: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
  bytes: number;
  bits: number;
}

const b64u = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64u = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const toBig = (bytes: Uint8Array) => bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
function toBytes(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}
function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  for (; exp > 0n; exp >>= 1n, base = (base * base) % mod) if (exp & 1n) result = (result * base) % mod;
  return result;
}
const sha256 = async (data: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));

/** The DigestInfo prefix of SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_PREFIX = Uint8Array.from([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]);

function pkcs1v15(digest: Uint8Array, k: number): Uint8Array {
  const t = new Uint8Array([...SHA256_PREFIX, ...digest]);
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[k - t.length - 1] = 0;
  em.set(t, k - t.length);
  return em;
}

async function mgf1(seed: Uint8Array, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  for (let counter = 0, at = 0; at < length; counter++) {
    const block = await sha256(new Uint8Array([...seed, counter >>> 24, (counter >>> 16) & 255, (counter >>> 8) & 255, counter & 255]));
    out.set(block.subarray(0, Math.min(32, length - at)), at);
    at += 32;
  }
  return out;
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with SHA-256, MGF1-SHA-256 and a 32-byte salt. */
async function pss(digest: Uint8Array, modBits: number): Promise<Uint8Array> {
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const salt = crypto.getRandomValues(new Uint8Array(32));
  const h = await sha256(new Uint8Array([...new Uint8Array(8), ...digest, ...salt]));
  const db = new Uint8Array(emLen - 33);
  db[emLen - 32 - 32 - 2] = 1;
  db.set(salt, emLen - 32 - 32 - 1);
  const mask = await mgf1(h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  return new Uint8Array([...db, ...h, 0xbc]);
}

function rsa(key: RsaPrivate, em: Uint8Array): Uint8Array {
  const m = toBig(em);
  const m1 = modPow(m, key.dp, key.p);
  const m2 = modPow(m, key.dq, key.q);
  // (m1 - m2) mod p, non-negative: m2 < q may exceed m1 + p when q > p (BigInt % keeps the sign)
  const h = (key.qi * ((((m1 - m2) % key.p) + key.p) % key.p)) % key.p;
  return toBytes(m2 + h * key.q, key.bytes);
}

async function rsaPrivate(pkcs8Pem: string): Promise<RsaPrivate> {
  const der = Uint8Array.from(atob(pkcs8Pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"]);
  const jwk = (await crypto.subtle.exportKey("jwk", key)) as JsonWebKey;
  const big = (v: string | undefined) => toBig(fromB64u(v!));
  const n = big(jwk.n);
  const bytes = fromB64u(jwk.n!).length;
  return { n, d: big(jwk.d), p: big(jwk.p), q: big(jwk.q), dp: big(jwk.dp), dq: big(jwk.dq), qi: big(jwk.qi), bytes, bits: n.toString(2).length };
}

function vaultError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { code, message } }), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

export interface FakeKeyVault {
  /** Key Vault's origin, e.g. `https://contoso.vault.azure.net`. */
  origin: string;
  /** The key's full identifier (with its version). */
  keyId: string;
  /** Answers like Key Vault; pass as `keyVaultSigner({ fetch })`. */
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  requests: FakeVaultRequest[];
  /** Refuse every sign request with 403 Forbidden (the identity lacks the permission). */
  forbid(on: boolean): void;
}

/**
 * A fake vault holding one RSA key (`keyPem`, PKCS#8 PEM — the certificate's key); tokens are
 * checked with `emulator.verifyAccessToken` (aud `https://vault.azure.net`) in `tenantId`.
 */
export async function fakeKeyVault(options: { emulator: EmulatorControl; tenantId: string; keyPem: string; name?: string; origin?: string }): Promise<FakeKeyVault> {
  const key = await rsaPrivate(options.keyPem);
  const origin = options.origin ?? "https://contoso.vault.azure.net";
  const name = options.name ?? "app-cert";
  const version = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  const keyId = `${origin}/keys/${name}/${version}`;
  const requests: FakeVaultRequest[] = [];
  let forbidden = false;
  const challenge = { "www-authenticate": `Bearer authorization="https://login.microsoftonline.com/${options.tenantId}", resource="https://vault.azure.net"` };

  async function answer(request: Request, record: FakeVaultRequest): Promise<Response> {
    const url = new URL(request.url);
    if (url.origin !== origin) return vaultError(404, "NotFound", `Unknown host ${url.host}.`);
    const m = /^\/keys\/([^/]+)\/([^/]+)\/sign$/.exec(url.pathname);
    if (!m) return vaultError(404, "NotFound", `The requested path ${url.pathname} was not found.`);
    const params = [...url.searchParams.entries()];
    if (params.length !== 1 || params[0]![0] !== "api-version") return vaultError(400, "BadParameter", "The request must have exactly one query parameter, api-version.");
    if (!["7.4", "7.5"].includes(params[0]![1])) return vaultError(400, "BadParameter", `The specified version (${params[0]![1]}) is not recognized.`);
    if (request.method !== "POST") return vaultError(405, "MethodNotAllowed", "Use POST.");
    const bearer = /^Bearer ([A-Za-z0-9._-]+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!bearer) return vaultError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", challenge);
    let claims: Record<string, unknown>;
    try {
      claims = await options.emulator.verifyAccessToken(bearer);
    } catch {
      return vaultError(401, "Unauthorized", "AKV10032: Invalid issuer.", challenge);
    }
    if (claims.aud !== "https://vault.azure.net") return vaultError(401, "Unauthorized", `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${String(claims.aud)}.`, challenge);
    if (claims.tid !== options.tenantId) return vaultError(401, "Unauthorized", "AKV10032: Invalid issuer.", challenge);
    if (!/^application\/json(;|$)/i.test(request.headers.get("content-type") ?? "")) return vaultError(400, "BadParameter", "The content type must be application/json.");
    if (forbidden) return vaultError(403, "Forbidden", `The user, group or application 'appid=${String(claims.appid)}' does not have keys sign permission on key vault '${url.hostname.split(".")[0]}'.`);
    if (decodeURIComponent(m[1]!) !== name || m[2] !== version) return vaultError(404, "KeyNotFound", `A key with (name/id) ${m[1]}/${m[2]} was not found in this key vault.`);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await request.text()) as Record<string, unknown>;
    } catch {
      return vaultError(400, "BadParameter", "The request body is not valid JSON.");
    }
    const keys = Object.keys(body).sort().join(",");
    if (keys !== "alg,value") return vaultError(400, "BadParameter", `The request body must hold alg and value only (got ${keys}).`);
    record.alg = String(body.alg);
    record.digest = String(body.value);
    if (body.alg !== "RS256" && body.alg !== "PS256") return vaultError(400, "BadParameter", `Invalid algorithm ${String(body.alg)} for this key.`);
    if (typeof body.value !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(body.value)) return vaultError(400, "BadParameter", "value must be the base64url SHA-256 digest (32 bytes).");
    const digest = fromB64u(body.value);
    const em = body.alg === "RS256" ? pkcs1v15(digest, key.bytes) : await pss(digest, key.bits);
    return new Response(JSON.stringify({ kid: keyId, value: b64u(rsa(key, em)) }), { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
  }

  return {
    origin,
    keyId,
    requests,
    forbid: (on) => void (forbidden = on),
    async fetch(input, init) {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const record: FakeVaultRequest = { method: request.method, path: url.pathname, query: url.search, status: 0 };
      requests.push(record);
      const response = await answer(request, record);
      record.status = response.status;
      return response;
    },
  };
}
