/**
 * Client assertions signed with a registered certificate: the checks Entra documents for a
 * `client_assertion` — the certificate found by `x5t` / `x5t#S256` (base64url or base64, padded
 * or not: Entra compares the decoded thumbprint), the key credential's validity, the `x5c` leaf,
 * the signature (RS256 or PS256), `iss`/`sub`, `aud`, `exp`/`nbf` (`nbf` optional) and `jti`.
 *
 * AADSTS codes used (see `errors.ts`): 90011 wrong `client_assertion_type` (400 invalid_request, as
 * Entra has answered); 50027 malformed JWT or a missing `exp`/`jti`/`iss`/`sub` claim; 5002738
 * unsupported `alg`; 700027 no thumbprint, unknown thumbprint ("The key was not found"), a key
 * outside its validity ("The key used is expired"), `x5c` not matching and bad signature; 700021
 * `sub` ≠ `client_id`; 700023 `aud` ≠ token URL ("does not match Realm issuer"); 700024 outside
 * `nbf`/`exp` (5 minutes of clock skew allowed). Everything but 90011 is a 401 `invalid_client`,
 * like Entra's answers for bad client credentials.
 *
 * @module
 */
import { importX509 } from "jose/key/import";
import { compactVerify } from "jose/jws/compact/verify";
import { aadsts, type EntraErrorSpec } from "./errors.ts";
import { fromBase64, fromUtf8, toHex } from "./encoding.ts";
import type { RegisteredCertificate } from "./registration.ts";

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Entra allows five minutes of clock skew on assertion times. */
const CLOCK_SKEW_S = 300;

/** A decoded (unverified) JWT. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Splits a JWT without verifying it; `undefined` when it is not one. */
export function decodeJwt(jwt: string): DecodedJwt | undefined {
  const parts = jwt.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header: unknown = JSON.parse(fromUtf8(fromBase64(parts[0] ?? "")));
    const payload: unknown = JSON.parse(fromUtf8(fromBase64(parts[1] ?? "")));
    const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header: header as Record<string, unknown>, payload: payload as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

interface AssertionCheck {
  assertion: string;
  decoded: DecodedJwt;
  clientId: string;
  /** The token URLs the assertion's `aud` may name (the public URL the client was told, lower-cased). */
  tokenUrls: readonly string[];
  certificates: readonly RegisteredCertificate[];
  /** The emulator clock's time, epoch ms. */
  now: number;
}

function sameId(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The thumbprint bytes a header value carries (base64url or base64, with or without padding). */
function thumbprintBytes(value: string): Uint8Array | undefined {
  try {
    return fromBase64(value);
  } catch {
    return undefined;
  }
}

/** `exp` / `nbf` against the clock (with Entra's skew); the error when out of range. */
export function lifetimeError(payload: Record<string, unknown>, now: number): EntraErrorSpec | undefined {
  const { exp, nbf } = payload;
  if (exp === undefined) return aadsts.assertionMissingClaim("exp");
  if (typeof exp !== "number" || (nbf !== undefined && typeof nbf !== "number")) return aadsts.assertionMalformed("exp and nbf must be numbers");
  const seconds = now / 1000;
  if (exp + CLOCK_SKEW_S < seconds || (typeof nbf === "number" && nbf - CLOCK_SKEW_S > seconds)) {
    return aadsts.assertionLifetime(now, typeof nbf === "number" ? nbf : undefined, exp);
  }
  return undefined;
}

/** Verifies a certificate assertion like Entra; resolves to the error to answer, or `undefined` if valid. */
export async function verifyAssertion(check: AssertionCheck): Promise<EntraErrorSpec | undefined> {
  const { header, payload } = check.decoded;
  const alg = header.alg;
  if (alg !== "RS256" && alg !== "PS256") return aadsts.assertionAlgorithm(String(alg));

  const x5t = typeof header.x5t === "string" ? header.x5t : undefined;
  const x5tS256 = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : undefined;
  if (!x5t && !x5tS256) return aadsts.assertionNoThumbprint();
  const sha1 = x5t === undefined ? undefined : thumbprintBytes(x5t);
  const sha256 = x5tS256 === undefined ? undefined : thumbprintBytes(x5tS256);
  let certificate: RegisteredCertificate | undefined;
  for (const c of check.certificates) {
    const t = await c.thumbprints();
    if ((sha256 && sameBytes(t.sha256, sha256)) || (sha1 && sameBytes(t.sha1, sha1))) {
      certificate = c;
      break;
    }
  }
  const used = sha256 ?? sha1;
  const usedHex = used ? toHex(used) : String(x5tS256 ?? x5t);
  if (!certificate) return aadsts.assertionKeyNotFound(usedHex, check.clientId);

  if (check.now < certificate.startsOn || check.now > certificate.expiresOn) {
    return aadsts.assertionKeyExpired(usedHex, check.clientId, certificate.startsOn, certificate.expiresOn, check.now < certificate.startsOn);
  }

  if (header.x5c !== undefined) {
    const first = Array.isArray(header.x5c) ? header.x5c[0] : undefined;
    const leaf = typeof first === "string" ? thumbprintBytes(first) : undefined;
    if (!leaf || !sameBytes(leaf, certificate.der)) return aadsts.assertionX5cMismatch();
  }

  try {
    const key = await importX509(certificate.pem, alg);
    await compactVerify(check.assertion, key, { algorithms: [alg] });
  } catch {
    return aadsts.assertionSignature(usedHex);
  }

  if (payload.iss === undefined) return aadsts.assertionMissingClaim("iss");
  if (payload.sub === undefined) return aadsts.assertionMissingClaim("sub");
  if (!sameId(payload.iss, check.clientId) || !sameId(payload.sub, check.clientId)) return aadsts.assertionSubject();

  if (typeof payload.aud !== "string" || !check.tokenUrls.includes(payload.aud.toLowerCase())) return aadsts.assertionAudience();

  const lifetime = lifetimeError(payload, check.now);
  if (lifetime) return lifetime;

  if (typeof payload.jti !== "string" || payload.jti === "") return aadsts.assertionMissingClaim("jti");
  return undefined;
}
