/**
 * Federated identity credentials (workload identity federation): an external token presented as
 * `client_assertion` is matched against the app's records and verified against its issuer's
 * JWKS, in Entra's terms — AADSTS700211 (no record for the issuer), 90061 (the issuer's OIDC
 * endpoints could not be read), 7000272 (the signing key is not in the issuer's JWKS), 50013 (bad
 * signature), 700024 (outside `nbf`/`exp`), 700213 / 7002138 (subject; matching is
 * case-sensitive), 700212 (audience) and 700222 (an Entra-issued token).
 *
 * @module
 */
import { importJWK } from "jose/key/import";
import { compactVerify } from "jose/jws/compact/verify";
import { lifetimeError, type DecodedJwt } from "./assertion.ts";
import { aadsts, type EntraErrorSpec } from "./errors.ts";
import { readJsonLimited } from "./body.ts";
import type { StoredFederated } from "./registration.ts";

/** Signature algorithms accepted on external tokens (Kubernetes and GitHub sign RS256; some issuers ES256). */
const ALGORITHMS = new Set(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]);
/** Discovery documents and JWKS larger than this are refused. */
const MAX_DOCUMENT_BYTES = 1 << 20;
const FETCH_TIMEOUT_MS = 10_000;
const CACHE_MS = 60_000;

type Jwks = { keys: JsonWebKey[] };

/** Where the keys of an issuer come from: the emulator's own issuer, or its published discovery. */
type KeySource = (issuer: string) => Promise<Jwks | undefined> | Jwks | undefined;

/** Reads issuers' JWKS through `fetch`: discovery → `jwks_uri` → keys, cached for a minute. */
export class JwksFetcher {
  readonly #fetch: () => typeof fetch;
  #cache = new Map<string, { at: number; keys: Promise<Jwks> }>();

  constructor(fetchFn: () => typeof fetch) {
    this.#fetch = fetchFn;
  }

  /** The issuer's keys; `fresh` skips the cache (a key not found may have been rotated in). Rejects when unreachable. */
  get(issuer: string, fresh = false): Promise<Jwks> {
    const hit = this.#cache.get(issuer);
    if (hit && !fresh && Date.now() - hit.at < CACHE_MS) return hit.keys;
    const keys = this.#load(issuer);
    if (this.#cache.size >= 100) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(issuer, { at: Date.now(), keys });
    keys.catch(() => this.#cache.delete(issuer));
    return keys;
  }

  async #load(issuer: string): Promise<Jwks> {
    const get = async (url: string) => {
      const response = await this.#fetch()(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
      return (await readJsonLimited(response, MAX_DOCUMENT_BYTES)) as Record<string, unknown>;
    };
    const discovery = await get(`${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`);
    if (typeof discovery.jwks_uri !== "string") throw new Error("no jwks_uri in the discovery document");
    const jwks = await get(discovery.jwks_uri);
    if (!Array.isArray(jwks.keys)) throw new Error("no keys in the JWKS");
    return jwks as unknown as Jwks;
  }
}

interface FederationCheck {
  assertion: string;
  decoded: DecodedJwt;
  records: readonly StoredFederated[];
  /** The emulator clock's time, epoch ms. */
  now: number;
  /** The emulator's own issuer keys for `iss`, when `iss` is one of its issuer URLs. */
  ownKeys: KeySource;
  fetcher: JwksFetcher;
}

function keyFor(jwks: Jwks, header: Record<string, unknown>): JsonWebKey | undefined {
  const kid = typeof header.kid === "string" ? header.kid : undefined;
  const x5t = typeof header.x5t === "string" ? header.x5t : undefined;
  const keys = jwks.keys.filter((k) => typeof k === "object" && k !== null);
  if (kid !== undefined) return keys.find((k) => (k as { kid?: unknown }).kid === kid);
  if (x5t !== undefined) return keys.find((k) => (k as { x5t?: unknown }).x5t === x5t);
  return keys.length === 1 ? keys[0] : undefined;
}

async function signatureError(check: FederationCheck, issuer: string, alg: string): Promise<EntraErrorSpec | undefined> {
  const { header } = check.decoded;
  const registered = check.records.find((r) => r.jwks)?.jwks;
  const identifier = String(header.kid ?? header.x5t ?? "(none)");
  let jwks: Jwks | undefined = registered ?? (await check.ownKeys(issuer));
  let key: JsonWebKey | undefined;
  if (jwks) key = keyFor(jwks, header);
  else {
    try {
      jwks = await check.fetcher.get(issuer);
      key = keyFor(jwks, header) ?? keyFor((jwks = await check.fetcher.get(issuer, true)), header);
    } catch {
      return aadsts.externalOidc();
    }
  }
  if (!key) return aadsts.federatedKeyNotFound(identifier, issuer);
  try {
    await compactVerify(check.assertion, await importJWK({ ...key, alg }, alg), { algorithms: [alg] });
  } catch {
    return aadsts.federatedSignature();
  }
  return undefined;
}

/** Verifies an external token against the app's federated credentials; the error to answer, or `undefined`. */
export async function verifyFederated(check: FederationCheck): Promise<EntraErrorSpec | undefined> {
  const { header, payload } = check.decoded;
  const issuer = payload.iss;
  if (typeof issuer !== "string") return aadsts.assertionMissingClaim("iss");
  if (/^https:\/\/(sts\.windows\.net|login\.microsoftonline\.com)\//i.test(issuer)) return aadsts.entraIssuedAssertion();
  const records = check.records.filter((r) => r.issuer === issuer);
  if (records.length === 0) return aadsts.federatedIssuer(issuer);

  const alg = typeof header.alg === "string" ? header.alg : "";
  if (!ALGORITHMS.has(alg)) return aadsts.assertionAlgorithm(alg || "none");
  const signature = await signatureError({ ...check, records }, issuer, alg);
  if (signature) return signature;

  const lifetime = lifetimeError(payload, check.now);
  if (lifetime) return lifetime;

  const subject = typeof payload.sub === "string" ? payload.sub : "";
  const bySubject = records.filter((r) => r.subject === subject);
  if (bySubject.length === 0) {
    const caseOnly = records.some((r) => r.subject.toLowerCase() === subject.toLowerCase());
    return caseOnly ? aadsts.federatedSubjectCase(subject) : aadsts.federatedSubject(subject);
  }
  const audiences = typeof payload.aud === "string" ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud.filter((a): a is string => typeof a === "string") : [];
  if (!bySubject.some((r) => r.audiences.some((a) => audiences.includes(a)))) return aadsts.federatedAudience(audiences.join(", "));
  return undefined;
}
