/**
 * App registrations: `EmulatorApp` checked and copied into what the token endpoint reads —
 * secrets with their end dates, certificates with their validity (the certificate's own, or the
 * key credential's override), federated identity credentials. Plain-JS mistakes (a misspelt
 * option, a wrong type) are `TypeError`s naming the field.
 *
 * @module
 */
import { parseX509 } from "../certificate/x509.ts";
import { toMillis } from "./clock.ts";
import { digest, fromBase64, fromUtf8, pemBlocks, toPem } from "./encoding.ts";
import type { EmulatorApp, EmulatorCertificate, EmulatorFederatedCredential, EmulatorSecret } from "./types.ts";

export const DEFAULT_FIC_AUDIENCE = "api://AzureADTokenExchange";

interface Thumbprints {
  sha1: Uint8Array;
  sha256: Uint8Array;
}

/** A certificate registered on an app, with the validity the token endpoint enforces. */
export class RegisteredCertificate {
  readonly der: Uint8Array;
  /** Epoch ms: the key credential's start and end. */
  readonly startsOn: number;
  readonly expiresOn: number;
  #thumbprints: Promise<Thumbprints> | undefined;

  constructor(der: Uint8Array, startsOn?: number, expiresOn?: number) {
    if (der.length < 16 || der[0] !== 0x30) throw new TypeError("emulator: a registered certificate is not DER/PEM X.509");
    let parsed: ReturnType<typeof parseX509>;
    try {
      parsed = parseX509(der);
    } catch (e) {
      throw new TypeError(`emulator: a registered certificate is not DER/PEM X.509 (${e instanceof Error ? e.message : String(e)})`);
    }
    this.der = der;
    this.startsOn = startsOn ?? parsed.notBefore.getTime();
    this.expiresOn = expiresOn ?? parsed.notAfter.getTime();
  }

  /** SHA-1 and SHA-256 of the DER (what `x5t` / `x5t#S256` carry, base64url). */
  thumbprints(): Promise<Thumbprints> {
    this.#thumbprints ??= Promise.all([digest("SHA-1", this.der), digest("SHA-256", this.der)]).then(([sha1, sha256]) => ({ sha1, sha256 }));
    return this.#thumbprints;
  }

  get pem(): string {
    return toPem(this.der, "CERTIFICATE");
  }
}

/** A secret as the token endpoint checks it. */
interface StoredSecret {
  value: string;
  /** Epoch ms; absent: never expires. */
  expiresOn?: number;
}

/** A federated identity credential as the token endpoint checks it. */
export interface StoredFederated {
  issuer: string;
  subject: string;
  audiences: string[];
  jwks?: { keys: JsonWebKey[] };
}

/** An app as the token endpoint reads it. */
export interface AppEntry {
  tenantId: string;
  clientId: string;
  secrets: StoredSecret[];
  certificates: RegisteredCertificate[];
  federated: StoredFederated[];
  expiresIn: number;
  refreshIn?: number;
  claims?: Record<string, unknown>;
}

function only(value: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new TypeError(`emulator: ${what} has an unknown field '${key}' (known: ${known.join(", ")})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function list<T>(value: T[] | undefined, what: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`emulator: addApp ${what} must be an array`);
  return value;
}

function isPemBytes(bytes: Uint8Array): boolean {
  return fromUtf8(bytes.subarray(0, 64)).includes("-----BEGIN");
}

/** The DER certificates of one registered entry: PEM text with one or more blocks, bare base64, or DER. */
function certificateDers(input: string | Uint8Array): Uint8Array[] {
  if (input instanceof Uint8Array && !isPemBytes(input)) return [new Uint8Array(input)];
  if (typeof input !== "string" && !(input instanceof Uint8Array)) throw new TypeError("emulator: a registered certificate must be PEM text, DER bytes or { certificate, startsOn?, expiresOn? }");
  const text = typeof input === "string" ? input : fromUtf8(input);
  const blocks = pemBlocks(text, "CERTIFICATE");
  if (blocks.length === 0) {
    if (/-----BEGIN/.test(text)) throw new TypeError("emulator: no CERTIFICATE block in a registered certificate");
    blocks.push(fromBase64(text)); // bare base64 DER
  }
  return blocks;
}

/** Parses the `certificates` of an `EmulatorApp`. */
function parseCertificates(inputs: readonly (string | Uint8Array | EmulatorCertificate)[] | undefined): RegisteredCertificate[] {
  const out: RegisteredCertificate[] = [];
  for (const input of inputs ?? []) {
    if (isObject(input)) {
      only(input, ["certificate", "startsOn", "expiresOn"], "a certificate entry");
      const entry = input as unknown as EmulatorCertificate;
      const startsOn = entry.startsOn === undefined ? undefined : toMillis(entry.startsOn, "certificate startsOn");
      const expiresOn = entry.expiresOn === undefined ? undefined : toMillis(entry.expiresOn, "certificate expiresOn");
      for (const der of certificateDers(entry.certificate)) out.push(new RegisteredCertificate(der, startsOn, expiresOn));
    } else {
      for (const der of certificateDers(input as string | Uint8Array)) out.push(new RegisteredCertificate(der));
    }
  }
  return out;
}

function parseSecret(input: string | EmulatorSecret): StoredSecret {
  if (typeof input === "string") {
    if (!input) throw new TypeError("emulator: a secret is empty");
    return { value: input };
  }
  if (!isObject(input)) throw new TypeError("emulator: a secret must be a string or { value, expiresOn? }");
  only(input, ["value", "expiresOn"], "a secret");
  if (typeof input.value !== "string" || !input.value) throw new TypeError("emulator: a secret's value must be a non-empty string");
  return input.expiresOn === undefined ? { value: input.value } : { value: input.value, expiresOn: toMillis(input.expiresOn, "secret expiresOn") };
}

function parseFederated(input: EmulatorFederatedCredential): StoredFederated {
  if (!isObject(input)) throw new TypeError("emulator: a federated credential must be { issuer, subject, audiences? }");
  only(input, ["issuer", "subject", "audiences", "name", "jwks"], "a federated credential");
  const { issuer, subject, audiences, jwks } = input;
  if (typeof issuer !== "string" || !issuer) throw new TypeError("emulator: a federated credential needs an issuer (the token's iss)");
  if (typeof subject !== "string" || !subject) throw new TypeError("emulator: a federated credential needs a subject (the token's sub)");
  if (audiences !== undefined && (!Array.isArray(audiences) || audiences.length === 0 || !audiences.every((a) => typeof a === "string" && a))) {
    throw new TypeError("emulator: a federated credential's audiences must be a non-empty array of strings");
  }
  if (jwks !== undefined && !(isObject(jwks) && Array.isArray(jwks.keys))) throw new TypeError("emulator: a federated credential's jwks must be { keys: [...] }");
  const out: StoredFederated = { issuer, subject, audiences: audiences ? [...audiences] : [DEFAULT_FIC_AUDIENCE] };
  if (jwks) out.jwks = structuredClone(jwks);
  return out;
}

function seconds(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`emulator: addApp ${what} must be a number of seconds`);
  return value;
}

const APP_FIELDS = ["tenantId", "clientId", "secrets", "certificates", "federatedCredentials", "expiresIn", "refreshIn", "claims"] as const;

/** Checks and copies an app registration. */
export function registerApp(app: EmulatorApp): AppEntry {
  if (!isObject(app) || typeof app.tenantId !== "string" || !app.tenantId || typeof app.clientId !== "string" || !app.clientId) {
    throw new TypeError("emulator: addApp needs a tenantId and a clientId");
  }
  only(app, APP_FIELDS, "addApp's app");
  if (app.claims !== undefined && !isObject(app.claims)) throw new TypeError("emulator: addApp claims must be an object");
  const entry: AppEntry = {
    tenantId: app.tenantId,
    clientId: app.clientId,
    secrets: list(app.secrets, "secrets").map(parseSecret),
    certificates: parseCertificates(list(app.certificates, "certificates")),
    federated: list(app.federatedCredentials, "federatedCredentials").map(parseFederated),
    expiresIn: seconds(app.expiresIn, "expiresIn") ?? 3599,
  };
  const refreshIn = seconds(app.refreshIn, "refreshIn");
  if (refreshIn !== undefined) entry.refreshIn = refreshIn;
  if (app.claims) entry.claims = structuredClone(app.claims);
  return entry;
}
