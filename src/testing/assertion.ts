/**
 * Client assertions (certificate credentials): the registered certificates of an app and the
 * checks Entra documents for a `client_assertion` — the certificate found by `x5t` / `x5t#S256`,
 * the `x5c` leaf, the signature, `iss`/`sub`, `aud`, `exp`/`nbf` and `jti`.
 *
 * AADSTS codes used (see `errors.ts`): 90011 wrong `client_assertion_type` (400 invalid_request, as
 * Entra has answered); 50027 malformed JWT or a missing `exp`/`jti`/`iss`/`sub` claim; 5002738
 * unsupported `alg`; 700027 no thumbprint, unknown thumbprint ("The key was not found"), `x5c`
 * not matching and bad signature; 700021 `iss`/`sub` ≠ `client_id`; 700023 `aud` ≠ token URL
 * ("does not match Realm issuer"); 700024 outside `nbf`/`exp` (5 minutes of clock skew allowed).
 * Everything but 90011 is a 401 `invalid_client`, like Entra's answers for bad client credentials.
 *
 * @module
 */
import { importX509 } from "jose/key/import";
import { compactVerify } from "jose/jws/compact/verify";
import { aadsts, type EntraErrorSpec } from "./errors.ts";
import { digest, fromBase64, fromUtf8, pemBlocks, toBase64Url, toHex, toPem } from "./encoding.ts";

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const CLOCK_SKEW_S = 300;

interface Thumbprints {
  sha1: string;
  sha256: string;
}

/** A certificate registered on an app. */
export class RegisteredCertificate {
  readonly der: Uint8Array;
  #thumbprints: Promise<Thumbprints> | undefined;

  constructor(der: Uint8Array) {
    if (der.length < 16 || der[0] !== 0x30) throw new TypeError("emulator: a registered certificate is not DER/PEM X.509");
    this.der = der;
  }

  /** SHA-1 and SHA-256 of the DER, base64url (what `x5t` / `x5t#S256` carry). */
  thumbprints(): Promise<Thumbprints> {
    this.#thumbprints ??= Promise.all([digest("SHA-1", this.der), digest("SHA-256", this.der)]).then(([a, b]) => ({
      sha1: toBase64Url(a),
      sha256: toBase64Url(b),
    }));
    return this.#thumbprints;
  }

  get pem(): string {
    return toPem(this.der, "CERTIFICATE");
  }
}

function isPemBytes(bytes: Uint8Array): boolean {
  const head = fromUtf8(bytes.subarray(0, 64));
  return head.includes("-----BEGIN");
}

/** Parses the `certificates` of an `EmulatorApp` (PEM text with one or more certificates, or DER). */
export function parseCertificates(inputs: readonly (string | Uint8Array)[] | undefined): RegisteredCertificate[] {
  const out: RegisteredCertificate[] = [];
  for (const input of inputs ?? []) {
    if (input instanceof Uint8Array && !isPemBytes(input)) {
      out.push(new RegisteredCertificate(input));
      continue;
    }
    const text = typeof input === "string" ? input : fromUtf8(input);
    const blocks = pemBlocks(text, "CERTIFICATE");
    if (blocks.length === 0) {
      if (/-----BEGIN/.test(text)) throw new TypeError("emulator: no CERTIFICATE block in a registered certificate");
      blocks.push(fromBase64(text)); // bare base64 DER
    }
    for (const der of blocks) out.push(new RegisteredCertificate(der));
  }
  return out;
}

/** Splits a JWT without verifying it; `undefined` when it is not one. */
export function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined {
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

export interface AssertionCheck {
  assertion: string;
  assertionType: string | null;
  clientId: string;
  /** The exact URL the request was posted to (origin + path). */
  tokenUrl: string;
  certificates: readonly RegisteredCertificate[];
}

function sameId(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

/** Verifies a client assertion like Entra; resolves to the error to answer, or `undefined` if valid. */
export async function verifyAssertion(check: AssertionCheck): Promise<EntraErrorSpec | undefined> {
  if (check.assertionType !== JWT_BEARER) return aadsts.assertionType();
  const decoded = decodeJwt(check.assertion);
  if (!decoded) return aadsts.assertionMalformed("the client assertion is not a JWS compact serialization with JSON header and payload");
  const { header, payload } = decoded;

  const alg = header.alg;
  if (alg !== "RS256" && alg !== "PS256") return aadsts.assertionAlgorithm(String(alg));

  const x5t = typeof header.x5t === "string" ? header.x5t : undefined;
  const x5tS256 = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : undefined;
  if (!x5t && !x5tS256) return aadsts.assertionNoThumbprint();
  let certificate: RegisteredCertificate | undefined;
  for (const c of check.certificates) {
    const t = await c.thumbprints();
    if ((x5tS256 && t.sha256 === x5tS256) || (x5t && t.sha1 === x5t)) {
      certificate = c;
      break;
    }
  }
  const usedHex = (() => {
    try {
      return toHex(fromBase64((x5tS256 ?? x5t) as string));
    } catch {
      return String(x5tS256 ?? x5t);
    }
  })();
  if (!certificate) return aadsts.assertionKeyNotFound(usedHex, check.clientId);

  if (header.x5c !== undefined) {
    const first = Array.isArray(header.x5c) ? header.x5c[0] : undefined;
    let leaf: Uint8Array | undefined;
    try {
      leaf = typeof first === "string" ? fromBase64(first) : undefined;
    } catch {
      leaf = undefined;
    }
    const matches = leaf !== undefined && leaf.length === certificate.der.length && leaf.every((b, i) => b === certificate.der[i]);
    if (!matches) return aadsts.assertionX5cMismatch();
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

  if (typeof payload.aud !== "string" || payload.aud.toLowerCase() !== check.tokenUrl.toLowerCase()) return aadsts.assertionAudience();

  if (payload.exp === undefined) return aadsts.assertionMissingClaim("exp");
  const now = Date.now() / 1000;
  if (typeof payload.exp !== "number" || payload.exp + CLOCK_SKEW_S < now) return aadsts.assertionLifetime();
  if (payload.nbf !== undefined && (typeof payload.nbf !== "number" || payload.nbf - CLOCK_SKEW_S > now)) return aadsts.assertionLifetime();

  if (typeof payload.jti !== "string" || payload.jti === "") return aadsts.assertionMissingClaim("jti");
  return undefined;
}
