/**
 * Types of the local Entra emulator (`entra-edge/testing`).
 *
 * @module
 */

import type { EmulatorTime } from "./clock.ts";

export type { EmulatorTime } from "./clock.ts";

/**
 * A client secret with an end date (the portal's "Expires"): once the emulator's clock passes
 * `expiresOn`, the secret gets Entra's AADSTS7000222.
 *
 * @example
 * ```ts
 * emulator.addApp({ tenantId: "contoso", clientId: "app", secrets: [{ value: "s3cret", expiresOn: "2027-01-01T00:00:00Z" }] });
 * ```
 */
export interface EmulatorSecret {
  /** The secret's text, as the client sends it. */
  value: string;
  /** End of validity: a `Date`, epoch ms or ISO 8601 text (default: never). */
  expiresOn?: EmulatorTime;
}

/**
 * A registered certificate with an explicit validity (the key credential's start and end date).
 * Without them, the certificate's own `notBefore` / `notAfter` apply, as when it is uploaded in
 * the portal.
 *
 * @example
 * ```ts
 * import { createTestCertificate } from "entra-edge/testing";
 *
 * const { certificatePem } = await createTestCertificate();
 * emulator.addApp({ tenantId: "contoso", clientId: "app", certificates: [{ certificate: certificatePem, expiresOn: "2030-01-01T00:00:00Z" }] });
 * ```
 */
export interface EmulatorCertificate {
  /** PEM text (one or more `CERTIFICATE` blocks) or DER bytes. */
  certificate: string | Uint8Array;
  /** Start of validity (default: the certificate's notBefore). */
  startsOn?: EmulatorTime;
  /** End of validity (default: the certificate's notAfter). */
  expiresOn?: EmulatorTime;
}

/**
 * A federated identity credential (workload identity federation): tokens from `issuer` for
 * `subject`, with one of `audiences`, are accepted as the app's `client_assertion`. Matching is
 * case-sensitive, as in Entra. The token is verified against `jwks` when given, against the
 * emulator's own issuer key when `issuer` is one of its `/issuer/{name}` URLs, and otherwise
 * against the JWKS the issuer's `/.well-known/openid-configuration` names (fetched with the
 * emulator's `fetch` option).
 *
 * @example
 * ```ts
 * emulator.addApp({
 *   tenantId: "contoso",
 *   clientId: "app",
 *   federatedCredentials: [{ issuer: emulator.issuerUrl("k8s"), subject: "system:serviceaccount:default:app" }],
 * });
 * ```
 */
export interface EmulatorFederatedCredential {
  /** The issuer URL, exactly as the token's `iss`. */
  issuer: string;
  /** The subject, exactly as the token's `sub`. */
  subject: string;
  /** Accepted audiences (default `["api://AzureADTokenExchange"]`). */
  audiences?: string[];
  /** A name for the record (for your own reference). */
  name?: string;
  /** The issuer's public keys; skips fetching its discovery document. */
  jwks?: { keys: JsonWebKey[] };
}

/**
 * An app registration known to the emulator.
 *
 * @example
 * ```ts
 * import type { EmulatorApp } from "entra-edge/testing";
 *
 * const app: EmulatorApp = { tenantId: "contoso", clientId: "app", secrets: ["s3cret"], claims: { roles: ["Reader"] } };
 * ```
 */
export interface EmulatorApp {
  /** Directory (tenant) id the app lives in. */
  tenantId: string;
  /** Application (client) id. */
  clientId: string;
  /** Accepted client secrets: the value, or `{ value, expiresOn }`. */
  secrets?: (string | EmulatorSecret)[];
  /** Registered certificates: PEM text (one or more `CERTIFICATE` blocks), DER bytes, or `{ certificate, startsOn, expiresOn }`. */
  certificates?: (string | Uint8Array | EmulatorCertificate)[];
  /** Federated identity credentials: external tokens accepted as the app's client assertion. */
  federatedCredentials?: EmulatorFederatedCredential[];
  /** `expires_in` of issued tokens, in seconds (default 3599). */
  expiresIn?: number;
  /** `refresh_in` of issued tokens, in seconds (default: not sent). */
  refreshIn?: number;
  /** Extra claims put in every access token issued to the app (e.g. `roles`), over the defaults. */
  claims?: Record<string, unknown>;
}

/**
 * What {@link EmulatorControl.issueExternalToken} signs: a token from the emulator acting as an
 * external OIDC issuer (a Kubernetes service account token, a GitHub Actions ID token, …).
 *
 * @example
 * ```ts
 * const token = await emulator.issueExternalToken({ issuer: "k8s", subject: "system:serviceaccount:default:app" });
 * ```
 */
export interface ExternalTokenOptions {
  /** An issuer name (its URL is `issuerUrl(name)`) or the full issuer URL (default `"default"`). */
  issuer?: string;
  /** `sub`: what the federated credential's `subject` must match. */
  subject: string;
  /** `aud` (default `"api://AzureADTokenExchange"`). */
  audience?: string | string[];
  /** Lifetime in seconds (default 3600; negative for an expired token). */
  expiresIn?: number;
  /** Extra claims (over the defaults). */
  claims?: Record<string, unknown>;
}

/**
 * A workload allowed to ask the emulator for ID tokens the way GitHub Actions does:
 * `GET /issuer/{issuer}/token?audience=…` with `Authorization: Bearer <requestToken>` answers
 * `{ "value": "<jwt>" }` for `subject`.
 *
 * @example
 * ```ts
 * emulator.addWorkload({ issuer: "github", subject: "repo:contoso/app:ref:refs/heads/main", requestToken: "gh-request-token" });
 * // ACTIONS_ID_TOKEN_REQUEST_URL=<emulator>/issuer/github/token  ACTIONS_ID_TOKEN_REQUEST_TOKEN=gh-request-token
 * ```
 */
export interface EmulatorWorkload {
  /** The issuer name (default `"github"`). */
  issuer?: string;
  /** `sub` of the ID tokens it gets. */
  subject: string;
  /** The bearer token the workload presents. */
  requestToken: string;
  /** Lifetime of the tokens in seconds (default 300). */
  expiresIn?: number;
  /** Extra claims of its ID tokens (over the defaults). */
  claims?: Record<string, unknown>;
}

/**
 * What {@link EmulatorControl.forgeToken} signs: an access token as if issued to an app, with the
 * claims a resource-server test needs.
 *
 * @example
 * ```ts
 * const token = await emulator.forgeToken({ tenantId: "contoso", audience: "api://my-api", claims: { roles: ["Admin"] } });
 * ```
 */
export interface ForgeTokenOptions {
  /** Default `"00000000-0000-0000-0000-000000000000"`. */
  tenantId?: string;
  /** Default `"00000000-0000-0000-0000-000000000001"`. */
  clientId?: string;
  /** `aud` (default `"https://graph.microsoft.com"`). */
  audience?: string;
  /** Lifetime in seconds (default 3599; negative for an expired token). */
  expiresIn?: number;
  /** Claims over the defaults (`exp`, `iss`, … can be replaced too). */
  claims?: Record<string, unknown>;
}

/**
 * The emulator's clock as {@link EmulatorControl} exposes it (`EntraEmulator.clock` is the
 * synchronous `EmulatorClock`; over `connectEmulator()` every method returns a promise).
 *
 * @example
 * ```ts
 * await emulator.clock.advance(3_600_000);
 * ```
 */
export interface EmulatorClockControl {
  /** The emulator's time, epoch ms. */
  now(): number | Promise<number>;
  /** Moves the emulator's time to `time` (it keeps running from there). */
  set(time: EmulatorTime): void | Promise<void>;
  /** Moves the emulator's time forward by `ms`. */
  advance(ms: number): void | Promise<void>;
  /** Back to real time. */
  reset(): void | Promise<void>;
}

/**
 * A fault injected into the token endpoint. Faults are queued: each token request takes the
 * first one that applies to it (consuming one of its `times`, default 1; `"forever"` never runs
 * out). `tenantId` / `clientId` restrict a fault to the requests of one tenant / app, so tests of
 * different apps can inject faults concurrently; `probability` (0 < p ≤ 1) applies it to that
 * share of the requests it matches, at random (a request it spares goes on to the later faults
 * and does not consume a use).
 *
 * @example
 * ```ts
 * import type { EmulatorFault } from "entra-edge/testing";
 *
 * const throttled: EmulatorFault = { kind: "status", status: 429, retryAfter: 1, times: 2 };
 * emulator.injectFault(throttled); // the next two token requests get a 429 with Retry-After: 1
 * emulator.injectFault({ kind: "slow", delayMs: 2_000, clientId: "app1" });
 * ```
 */
export type EmulatorFault = (
  /** An HTTP error answer. `retryAfter` becomes the `Retry-After` header (seconds or HTTP date). */
  | { kind: "status"; status: number; retryAfter?: number | string; headers?: Record<string, string>; body?: string; contentType?: string }
  /** Waits `delayMs`, then answers normally. */
  | { kind: "slow"; delayMs: number }
  /** Closes the connection without an answer (in handler mode: rejects with a TypeError). */
  | { kind: "drop" }
  /** Never answers (until the client gives up). */
  | { kind: "hang" }
  /** An HTML page, like a proxy's error page (default status 502). */
  | { kind: "html"; status?: number }
  /** 200 with a truncated JSON body. */
  | { kind: "brokenJson" }
  /** 200 JSON without `access_token`. */
  | { kind: "missingToken" }
  /** 200 with a valid token whose response fields are replaced/added (e.g. `token_type`, `expires_in: "3600"`). */
  | { kind: "tokenFields"; fields: Record<string, unknown> }
  /** 200 with a JSON body padded to `bytes` bytes. */
  | { kind: "hugeBody"; bytes: number }
) & {
  times?: number | "forever";
  /** Only requests to this tenant (case-insensitive). */
  tenantId?: string;
  /** Only requests with this `client_id` (case-insensitive). */
  clientId?: string;
  /** Applies to this share of the matching requests, at random (default 1: every one). */
  probability?: number;
};

/**
 * One token request as the emulator saw it (never the secret or the assertion itself).
 *
 * @example
 * ```ts
 * import type { EmulatorRequest } from "entra-edge/testing";
 *
 * const seen: EmulatorRequest[] = emulator.requests();
 * console.log(seen.map((r) => `${r.status} ${r.clientId} ${r.clientAuth} ${r.scope}`)); // [ "200 app1 secret https://graph.microsoft.com/.default" ]
 * ```
 */
export interface EmulatorRequest {
  /** The emulator clock's time (epoch ms) when the request arrived. */
  time: number;
  /** The HTTP method (`POST` for a token request). */
  method: string;
  /** The URL path, e.g. `/contoso/oauth2/v2.0/token`. */
  path: string;
  /** The tenant named in the path. */
  tenantId: string;
  /** The `client_id` sent. */
  clientId?: string;
  /** The `scope` sent. */
  scope?: string;
  /** The `grant_type` sent. */
  grantType?: string;
  /** How the client authenticated (`federated`: an external token matched against the federated credentials). */
  clientAuth: "secret" | "assertion" | "federated" | "none";
  /** The `claims` sent (a CAE / Conditional Access challenge), as JSON text. */
  claims?: string;
  /** Decoded header and payload of the client assertion, when one was sent. */
  assertion?: { header: Record<string, unknown>; payload: Record<string, unknown> };
  /** Selected request headers (lower-case names). */
  headers: Record<string, string>;
  /** Status of the answer (0 for drop/hang). */
  status: number;
  /** AADSTS code of an error answer. */
  errorCode?: number;
  /** The fault that answered this request, if any. */
  fault?: EmulatorFault["kind"];
}

/**
 * The control surface of an emulator. `EntraEmulator` implements it in-process;
 * `connectEmulator(url)` implements it over HTTP for an emulator served elsewhere (another process,
 * or the host of a Worker under test). Every method may be awaited.
 *
 * @example
 * ```ts
 * import { connectEmulator, EntraEmulator, type EmulatorControl } from "entra-edge/testing";
 *
 * // The same test helper for an emulator in this process and one served elsewhere.
 * async function registerApp(control: EmulatorControl): Promise<void> {
 *   await control.addApp({ tenantId: "contoso", clientId: "app", secrets: ["s3cret"] });
 *   await control.clock.advance(60_000);
 * }
 * await registerApp(new EntraEmulator());
 * await registerApp(connectEmulator("http://127.0.0.1:8787"));
 * ```
 */
export interface EmulatorControl {
  /** Registers an app (or replaces the one with the same tenant and client id). */
  addApp(app: EmulatorApp): void | Promise<void>;
  /** Queues a fault for the token endpoint. */
  injectFault(fault: EmulatorFault): void | Promise<void>;
  /** Removes every queued fault. */
  clearFaults(): void | Promise<void>;
  /** Delay applied to every token answer (ms), e.g. to make concurrency observable. */
  setDelay(ms: number): void | Promise<void>;
  /** The token requests seen so far, oldest first. */
  requests(): EmulatorRequest[] | Promise<EmulatorRequest[]>;
  /** Verifies an access token issued by this emulator and returns its claims; rejects otherwise. */
  verifyAccessToken(token: string): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Forgets apps, workloads, faults, the delay, the request log and the clock's offset. */
  reset(): void | Promise<void>;
  /** The clock every time-dependent rule reads. */
  readonly clock: EmulatorClockControl;
  /** Signs an access token with the emulator's key (verifiable with its JWKS) carrying chosen claims. */
  forgeToken(options?: ForgeTokenOptions): string | Promise<string>;
  /** The URL of the emulator's external OIDC issuer `name` (default `"default"`). */
  issuerUrl(name?: string): string | Promise<string>;
  /** Signs a token as the external OIDC issuer (for federated credentials). */
  issueExternalToken(options: ExternalTokenOptions): string | Promise<string>;
  /** Lets a workload fetch ID tokens GitHub-Actions style from `/issuer/{issuer}/token`. */
  addWorkload(workload: EmulatorWorkload): void | Promise<void>;
}
