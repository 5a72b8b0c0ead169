/**
 * `connectEmulator()`: the HTTP client of the emulator's control API, for an emulator served in
 * another process (or by the host of a Worker under test).
 *
 * @module
 */
import type {
  EmulatorApp,
  EmulatorControl,
  EmulatorFault,
  EmulatorRequest,
  EmulatorTime,
  EmulatorWorkload,
  ExternalTokenOptions,
  ForgeTokenOptions,
} from "./types.ts";
import { encodeBytes } from "./wire.ts";
import { trimSlashes } from "../token/authority.ts";

/**
 * Options of {@link connectEmulator}.
 *
 * @example
 * ```ts
 * import { connectEmulator } from "entra-edge/testing";
 *
 * const remote = connectEmulator("http://127.0.0.1:8787", { fetch: (input, init) => fetch(input, init) });
 * ```
 */
export interface ConnectEmulatorOptions {
  /** The transport (default: `globalThis.fetch`, looked up at call time). */
  fetch?: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
}

/**
 * {@link EmulatorControl} over HTTP: every method returns a promise.
 *
 * @example
 * ```ts
 * import { connectEmulator, type RemoteEmulator } from "entra-edge/testing";
 *
 * const remote: RemoteEmulator = connectEmulator("http://127.0.0.1:8787");
 * const requests = await remote.requests();
 * ```
 */
export interface RemoteEmulator extends EmulatorControl {
  /** Registers an app (or replaces the one with the same tenant and client id). */
  addApp(app: EmulatorApp): Promise<void>;
  /** Queues a fault for the token endpoint. */
  injectFault(fault: EmulatorFault): Promise<void>;
  /** Removes every queued fault. */
  clearFaults(): Promise<void>;
  /** Delay applied to every token answer (ms). */
  setDelay(ms: number): Promise<void>;
  /** The token requests seen so far, oldest first. */
  requests(): Promise<EmulatorRequest[]>;
  /** Verifies an access token issued by the emulator and returns its claims; rejects otherwise. */
  verifyAccessToken(token: string): Promise<Record<string, unknown>>;
  /** Forgets apps, workloads, faults, the delay, the request log and the clock's offset. */
  reset(): Promise<void>;
  /** The emulator's clock. */
  readonly clock: {
    now(): Promise<number>;
    set(time: EmulatorTime): Promise<void>;
    advance(ms: number): Promise<void>;
    reset(): Promise<void>;
  };
  /** Signs an access token with the emulator's key, carrying chosen claims. */
  forgeToken(options?: ForgeTokenOptions): Promise<string>;
  /** The URL of the emulator's external OIDC issuer `name`. */
  issuerUrl(name?: string): Promise<string>;
  /** Signs a token as the external OIDC issuer (for federated credentials). */
  issueExternalToken(options: ExternalTokenOptions): Promise<string>;
  /** Lets a workload fetch ID tokens GitHub-Actions style. */
  addWorkload(workload: EmulatorWorkload): Promise<void>;
}

/**
 * Controls an emulator served with `new EntraEmulator({ control: true })` at `baseUrl`, over its
 * HTTP control API. Every method returns a promise; errors thrown by the emulator reject with an
 * `Error` (a `TypeError` when the emulator threw one) carrying its message.
 *
 * @example
 * ```ts
 * import { connectEmulator } from "entra-edge/testing";
 *
 * const emulator = connectEmulator("http://127.0.0.1:8787");
 * await emulator.reset();
 * await emulator.addApp({ tenantId: "contoso", clientId: "app", secrets: ["s3cret"] });
 * await emulator.injectFault({ kind: "status", status: 503 });
 * await emulator.clock.advance(3_600_000);
 * const log = await emulator.requests();
 * ```
 */
export function connectEmulator(baseUrl: string, options: ConnectEmulatorOptions = {}): RemoteEmulator {
  const base = trimSlashes(baseUrl);
  async function call<T>(method: string, args: unknown[]): Promise<T> {
    const transport = options.fetch ?? globalThis.fetch;
    const response = await transport(`${base}/__emulator/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(encodeBytes(args)),
    });
    const text = await response.text();
    let body: { result?: unknown; error?: string; name?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`emulator control API ${method}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
    }
    if (!response.ok || body.error !== undefined) {
      const message = body.error ?? `HTTP ${response.status}`;
      throw body.name === "TypeError" ? new TypeError(message) : new Error(message);
    }
    return body.result as T;
  }
  const done = () => undefined;
  const serializable = (time: EmulatorTime) => (time instanceof Date ? time.getTime() : time);
  return {
    clock: {
      now: () => call<number>("clock.now", []),
      set: (time) => call<void>("clock.set", [serializable(time)]).then(done),
      advance: (ms) => call<void>("clock.advance", [ms]).then(done),
      reset: () => call<void>("clock.reset", []).then(done),
    },
    forgeToken: (options) => call<string>("forgeToken", options === undefined ? [] : [options]),
    issuerUrl: (name) => call<string>("issuerUrl", name === undefined ? [] : [name]),
    issueExternalToken: (options) => call<string>("issueExternalToken", [options]),
    addWorkload: (workload) => call<void>("addWorkload", [workload]).then(done),
    addApp: (app) => call<void>("addApp", [app]).then(() => undefined),
    injectFault: (fault) => call<void>("injectFault", [fault]).then(() => undefined),
    clearFaults: () => call<void>("clearFaults", []).then(() => undefined),
    setDelay: (ms) => call<void>("setDelay", [ms]).then(() => undefined),
    requests: () => call<EmulatorRequest[]>("requests", []),
    verifyAccessToken: (token) => call<Record<string, unknown>>("verifyAccessToken", [token]),
    reset: () => call<void>("reset", []).then(() => undefined),
  };
}
