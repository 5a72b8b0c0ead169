/** Helpers shared by the test files (portable: no runtime-specific API). */
import { ClientSecretCredential, type CredentialOptions, type LogEvent } from "../../src/core.ts";
import type { EmulatorApp } from "../../src/testing/types.ts";
import type { TestContext } from "../harness.ts";
import { everyText as everyTextImpl, registerSentinel, scan } from "./sentinels.ts";

export const ARM = "https://management.azure.com/.default";
export const GRAPH = "https://graph.microsoft.com/.default";

/** Fast retries for tests: real behaviour, small waits. */
export const FAST_RETRY = { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 5_000 } as const;

export interface TestApp {
  tenantId: string;
  clientId: string;
  secret: string;
}

/** Registers a fresh app (unique tenant and client id) with one secret. */
export async function secretApp(t: TestContext, extra: Partial<EmulatorApp> = {}): Promise<TestApp> {
  const tenantId = extra.tenantId ?? t.id("tenant");
  const clientId = extra.clientId ?? t.id("client");
  const secret = `sentinel-secret-${t.id("s")}~XyZ`;
  registerSentinel(secret);
  await t.emulator.addApp({ tenantId, clientId, secrets: [secret], ...extra });
  return { tenantId, clientId, secret };
}

/** A ClientSecretCredential against the test's emulator, with fast retries. */
export function secretCredential(t: TestContext, app: TestApp, options: CredentialOptions = {}): ClientSecretCredential {
  return new ClientSecretCredential(app.tenantId, app.clientId, app.secret, {
    authorityHost: t.emulatorUrl,
    ...options,
    retryOptions: { ...FAST_RETRY, ...options.retryOptions },
  });
}

/** Collects logger events. */
export function collectLogs(): { events: LogEvent[]; logger: (e: LogEvent) => void } {
  const events: LogEvent[] = [];
  return {
    events,
    logger: (e) => {
      scan(e, `log event ${e.event}`);
      events.push(e);
    },
  };
}

/** Every string reachable from a value (message, stack, cause chain, properties). */
export const everyText = everyTextImpl;

/** Time in ms taken by `fn`. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = Date.now();
  const value = await fn();
  return { ms: Date.now() - started, value };
}

export async function tokenRequests(t: TestContext): Promise<number> {
  return (await t.emulator.requests()).filter((r) => r.path.endsWith("/oauth2/v2.0/token")).length;
}
