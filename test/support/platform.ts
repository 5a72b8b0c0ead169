/**
 * What every runner on Node, Deno and Bun does before and after the portable suite, once: report
 * unhandled rejections to the harness, find a port where nothing listens, serve the emulator,
 * seed the runtime's own environment with the env app (so `new EnvironmentCredential()` is tested
 * without `{ env }`), set up the token stores, run, print `RESULT {…}` and exit. A runner only
 * says which runtime it is and hands over the few things that differ (see {@link Host}); workerd's
 * host uses the same serving and port helpers.
 */
import { EntraEmulator, serveEmulator, type ServedEmulator } from "../../src/testing.ts";
import { memoryTokenCache, redisTokenCache } from "../../src/core.ts";
import type { TokenCache } from "../../src/types.ts";
import { fuzzSettings, reportUnhandledRejection, run, type Platform, type Runtime, type RuntimeLib } from "../harness.ts";
import { envAppVariables } from "./env-app.ts";
import { spawnRedisServer } from "./redis-server.ts";

/** What differs between the runtimes a runner starts on. */
export interface Host {
  runtime: Exclude<Runtime, "workerd">;
  /** The library's runtime entry (src/node.ts, src/deno.ts, src/bun.ts). */
  lib: RuntimeLib;
  /** Reads and sets the runtime's environment (process.env, Deno.env, Bun.env). */
  env: { get(name: string): string | undefined; set(name: string, value: string): void };
  readFile(path: string): Promise<Uint8Array>;
  /** Writes a text file, replacing it (the federated token file tests rotate). */
  writeFile(path: string, text: string): Promise<void>;
  inspect(value: unknown): string;
  /** Calls `handler` with every unhandled rejection's reason. */
  onUnhandledRejection(handler: (reason: unknown) => void): void;
  /** Token stores this runtime adds to the in-memory one (Redis, Deno KV), and how to close them. */
  tokenStores?(): Promise<{ stores: Record<string, TokenCache>; close(): unknown }>;
  exit(code: number): never;
}

/** The repository root (no trailing slash). */
export const ROOT = decodeURIComponent(new URL("../..", import.meta.url).pathname).replace(/\/$/, "");

/**
 * A URL on 127.0.0.1 where nothing listens: a port the runtime's server was just given, closed.
 *
 * @example
 * ```ts
 * const closedUrl = await closedUrl(); // http://127.0.0.1:41234 — fetch fails at once
 * ```
 */
export async function closedUrl(): Promise<string> {
  const probe = await serveEmulator(new EntraEmulator());
  const url = probe.url;
  await probe.close();
  return url;
}

/**
 * Serves a fresh emulator on 127.0.0.1 (`control: true` lets a Worker or another process drive it
 * over HTTP).
 *
 * @example
 * ```ts
 * const { emulator, served } = await servedEmulator({ control: true });
 * ```
 */
export async function servedEmulator(options: { control?: boolean } = {}): Promise<{ emulator: EntraEmulator; served: ServedEmulator }> {
  const emulator = new EntraEmulator(options);
  return { emulator, served: await serveEmulator(emulator) };
}

/**
 * The Redis token store, when test/run.ts started a redis-server (REDIS_URL); Node and Bun use it.
 *
 * @example
 * ```ts
 * tokenStores: () => redisStores(process.env.REDIS_URL),
 * ```
 */
export async function redisStores(url: string | undefined): Promise<{ stores: Record<string, TokenCache>; close(): unknown; ownRedis?: Platform["ownRedis"] }> {
  if (!url) return { stores: {}, close() {} };
  const { createClient } = await import("redis");
  const redis = await createClient({ url }).connect();
  return { stores: { redis: redisTokenCache(redis) }, close: () => redis.quit(), ownRedis: () => ownRedis(createClient) };
}

/** A redis-server of one test's own (a free port), and a README-style client of it. */
async function ownRedis(createClient: typeof import("redis").createClient): ReturnType<NonNullable<Platform["ownRedis"]>> {
  const { port, child } = await spawnRedisServer();
  // Wait until it accepts connections (a probe client, with a listener, that does not reconnect).
  for (let ready = false, i = 0; !ready && i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const probe = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } }).on("error", () => {});
    ready = await probe.connect().then(
      () => (probe.destroy(), true),
      () => false,
    );
  }
  const readme = await createClient({ url: `redis://127.0.0.1:${port}` }).connect(); // as README shows: no 'error' listener
  return {
    client: readme,
    kill: () => void child.kill("SIGKILL"),
    close: async () => {
      child.kill("SIGKILL");
      readme.destroy();
    },
  };
}

/**
 * Runs the registered suite on this runtime and exits with its outcome (1 when a test failed).
 *
 * @example
 * ```ts
 * import "../suite.ts";
 * await runSuite({ runtime: "bun", lib, env: { get: (k) => Bun.env[k], set: (k, v) => (Bun.env[k] = v) }, … });
 * ```
 */
export async function runSuite(host: Host, extra: Partial<Platform> = {}): Promise<never> {
  host.onUnhandledRejection(reportUnhandledRejection);
  const closed = await closedUrl();
  const { emulator, served } = await servedEmulator();
  const tokenFile = `${ROOT}/test/generated/federated-token-${host.runtime}-${Math.random().toString(36).slice(2, 10)}`;
  for (const [k, v] of Object.entries(envAppVariables(served.url, tokenFile))) host.env.set(k, v);
  const added = await host.tokenStores?.();
  const result = await run(
    {
      runtime: host.runtime,
      lib: host.lib,
      emulator,
      emulatorUrl: served.url,
      closedUrl: closed,
      readFile: (p) => host.readFile(p),
      writeFile: (p, text) => host.writeFile(p, text),
      tokenFile,
      root: ROOT,
      env: host.env,
      inspect: (v) => host.inspect(v),
      fuzz: fuzzSettings((k) => host.env.get(k)),
      tokenStores: { memory: memoryTokenCache(), ...added?.stores },
      ownRedis: (added as { ownRedis?: Platform["ownRedis"] } | undefined)?.ownRedis,
      ...extra,
    },
    { filter: host.env.get("TEST_FILTER"), print: (l) => console.log(l) },
  );
  await served.close();
  await added?.close();
  console.log(`RESULT ${JSON.stringify({ passed: result.passed, failed: result.failed })}`);
  return host.exit(result.failed ? 1 : 0);
}
