/**
 * Types of the local Entra emulator (`entra-edge/testing`).
 *
 * @module
 */

/** An app registration known to the emulator. */
export interface EmulatorApp {
  /** Directory (tenant) id the app lives in. */
  tenantId: string;
  /** Application (client) id. */
  clientId: string;
  /** Accepted client secrets. */
  secrets?: string[];
  /** Registered certificates: PEM text (one or more `CERTIFICATE` blocks) or DER bytes. */
  certificates?: (string | Uint8Array)[];
  /** `expires_in` of issued tokens, in seconds (default 3599). */
  expiresIn?: number;
  /** `refresh_in` of issued tokens, in seconds (default: not sent). */
  refreshIn?: number;
}

/**
 * A fault injected into the token endpoint. Faults are queued: each token request takes the
 * first one that applies to it (consuming one of its `times`, default 1; `"forever"` never runs
 * out). `tenantId` / `clientId` restrict a fault to the requests of one tenant / app, so tests of
 * different apps can inject faults concurrently; `probability` (0 < p ≤ 1) applies it to that
 * share of the requests it matches, at random (a request it spares goes on to the later faults
 * and does not consume a use).
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

/** One token request as the emulator saw it (never the secret or the assertion itself). */
export interface EmulatorRequest {
  /** `Date.now()` when the request arrived. */
  time: number;
  method: string;
  path: string;
  tenantId: string;
  clientId?: string;
  scope?: string;
  grantType?: string;
  /** How the client authenticated. */
  clientAuth: "secret" | "assertion" | "none";
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
 */
export interface EmulatorControl {
  addApp(app: EmulatorApp): void | Promise<void>;
  injectFault(fault: EmulatorFault): void | Promise<void>;
  clearFaults(): void | Promise<void>;
  /** Delay applied to every token answer (ms), e.g. to make concurrency observable. */
  setDelay(ms: number): void | Promise<void>;
  requests(): EmulatorRequest[] | Promise<EmulatorRequest[]>;
  /** Verifies an access token issued by this emulator and returns its claims; rejects otherwise. */
  verifyAccessToken(token: string): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Forgets apps, faults, the delay and the request log. */
  reset(): void | Promise<void>;
}
