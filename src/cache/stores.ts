/**
 * Adapters from existing stores to a `TokenCache`: Cloudflare Workers KV, Deno KV, Redis
 * (node-redis v4+), and an in-memory store. They take the store object you already have, so no
 * runtime API is named here.
 *
 * @module
 */
import { sharedTokenCache } from "./shared.ts";
import type { DenoKvLike, KVNamespaceLike, RedisClientLike, TokenCache } from "../types.ts";

/**
 * A Cloudflare Workers KV namespace as the shared token cache.
 *
 * KV is eventually consistent (changes can take up to 60 s to reach other locations) and its
 * minimum TTL is 60 s; entries carry their own expiry, so a stale read is never served as valid.
 * The token is written after `getToken` has returned it, in the background, and then the
 * "fetching" marker is deleted: a Worker whose response is sent before they land loses them
 * (measured in Miniflare: the write landed, the marker's delete never ran). A lost write means the
 * next instance asks Entra; a lost delete leaves the marker until its TTL (60 s, KV's minimum),
 * during which a cold instance that finds no token waits up to 3 s before it asks.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, workersKvTokenCache } from "entra-edge";
 *
 * // wrangler.toml: [[kv_namespaces]] binding = "TOKEN_CACHE" id = "…"
 * const credential = new ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, {
 *   tokenCache: workersKvTokenCache(env.TOKEN_CACHE),
 * });
 * ```
 */
export function workersKvTokenCache(namespace: KVNamespaceLike): TokenCache {
  return sharedTokenCache({
    get: (key) => namespace.get(key),
    set: (key, value, ttlSeconds) => namespace.put(key, value, { expirationTtl: Math.max(60, Math.ceil(ttlSeconds)) }),
    delete: (key: string) => namespace.delete(key),
  });
}

/**
 * A Deno KV database (`await Deno.openKv()`) as the shared token cache, with an atomic claim for
 * the "fetching" marker.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, denoKvTokenCache } from "npm:entra-edge";
 *
 * const kv = await Deno.openKv(); // --unstable-kv outside Deno Deploy
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { tokenCache: denoKvTokenCache(kv) });
 * ```
 */
export function denoKvTokenCache(kv: DenoKvLike, prefix: readonly unknown[] = ["entra-edge"]): TokenCache {
  const k = (key: string) => [...prefix, key];
  return sharedTokenCache({
    async get(key) {
      const { value } = await kv.get(k(key));
      return typeof value === "string" ? value : null;
    },
    async set(key, value, ttlSeconds) {
      await kv.set(k(key), value, { expireIn: ttlSeconds * 1000 });
    },
    delete: (key) => kv.delete(k(key)),
    async add(key, value, ttlSeconds) {
      const op = kv.atomic();
      op.check({ key: k(key), versionstamp: null });
      op.set(k(key), value, { expireIn: ttlSeconds * 1000 });
      return (await op.commit()).ok;
    },
  });
}

/**
 * A Redis client (node-redis v4+, connected) as the shared token cache, with `SET NX` for the
 * "fetching" marker.
 *
 * node-redis emits `'error'` when its connection drops, and an `'error'` event nobody listens to
 * ends a Node process: a client that has no `'error'` listener when it is passed here gets one
 * that ignores the event, so that a Redis outage only means asking Entra (each failed command is
 * logged as `cache.store_failed`). A client that already has a listener is left as it is: add
 * yours before passing the client to see the errors.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { ClientSecretCredential, redisTokenCache } from "entra-edge";
 *
 * const redis = await createClient({ url: process.env.REDIS_URL })
 *   .on("error", (e) => console.warn("redis:", e.message)) // node-redis: without a listener, an outage ends the process
 *   .connect();
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { tokenCache: redisTokenCache(redis) });
 * ```
 */
export function redisTokenCache(client: RedisClientLike): TokenCache {
  // Duck-typed: node-redis clients are EventEmitters; other RESP clients may not be.
  const events = client as { on?: (event: "error", listener: () => void) => unknown; listenerCount?: (event: "error") => number };
  if (typeof events.on === "function" && typeof events.listenerCount === "function" && events.listenerCount("error") === 0) events.on("error", () => {});
  return sharedTokenCache({
    async get(key) {
      const v = await client.get(key);
      return typeof v === "string" ? v : null;
    },
    async set(key, value, ttlSeconds) {
      await client.set(key, value, { EX: Math.max(1, Math.ceil(ttlSeconds)) });
    },
    async delete(key) {
      await client.del(key);
    },
    async add(key, value, ttlSeconds) {
      return (await client.set(key, value, { EX: Math.max(1, Math.ceil(ttlSeconds)), NX: true })) === "OK";
    },
  });
}

/**
 * An in-memory store: shares tokens between credential objects of one process or isolate (e.g.
 * credentials created per request). Entries expire; the store holds at most `maxEntries`.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, memoryTokenCache } from "entra-edge";
 *
 * const shared = memoryTokenCache();
 * const a = new ClientSecretCredential(tenantId, clientId, clientSecret, { tokenCache: shared });
 * const b = new ClientSecretCredential(tenantId, clientId, clientSecret, { tokenCache: shared }); // reuses a's tokens
 * ```
 */
export function memoryTokenCache(maxEntries = 1000): TokenCache & { readonly size: number } {
  const map = new Map<string, { value: string; until: number }>();
  const live = (key: string) => {
    const e = map.get(key);
    if (e && e.until <= Date.now()) map.delete(key);
    return map.get(key);
  };
  return sharedTokenCache({
    get size() {
      return map.size;
    },
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      if (map.size >= maxEntries && !map.has(key)) map.delete(map.keys().next().value as string);
      map.set(key, { value, until: Date.now() + ttlSeconds * 1000 });
    },
    async delete(key) {
      map.delete(key);
    },
    async add(key, value, ttlSeconds) {
      if (live(key)) return false;
      map.set(key, { value, until: Date.now() + ttlSeconds * 1000 });
      return true;
    },
  });
}
