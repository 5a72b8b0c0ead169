/**
 * The shared token cache: many credential instances (simulating isolates or processes) sharing one
 * store make one token request per refresh cycle; entries are encrypted; tampered entries are
 * ignored; a store that fails or hangs never fails getToken. Every store the runtime offers is
 * exercised: memory everywhere, Workers KV (Miniflare) in workerd, Deno KV under Deno, Redis
 * (a real redis-server) under Node and Bun.
 */
import { ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, memoryTokenCache, redisTokenCache, sharedTokenCache, type TokenCache, type TokenCacheStore } from "../src/core.ts";
import { atMost, equal, match, notEqual, ok, throws } from "./assert.ts";
import { test, type TestContext } from "./harness.ts";
import { fixture, fixtureBytes, fixtureText, passwordOf } from "./support/fixtures.ts";
import { ARM, collectLogs, FAST_RETRY, GRAPH, secretApp, timed, tokenRequests, type TestApp } from "./support/helpers.ts";

/** Wraps a store to see what it holds. */
function recording(store: TokenCacheStore): TokenCache & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return sharedTokenCache({
    values,
    get: (k) => store.get(k),
    async set(k, v, ttl) {
      values.set(k, v);
      await store.set(k, v, ttl);
    },
    delete: store.delete && ((k) => store.delete!(k)),
    add: store.add && ((k: string, v: string, ttl: number) => store.add!(k, v, ttl)),
  });
}

function fleet(t: TestContext, app: TestApp, store: TokenCache, n: number) {
  return Array.from({ length: n }, () =>
    new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, retryOptions: FAST_RETRY, tokenCache: store, tokenCacheOptions: { timeoutInMs: 2000 } }),
  );
}

function storesOf(t: TestContext): [string, TokenCache][] {
  const stores = Object.entries(t.tokenStores ?? {});
  const expected = { node: ["memory", "redis"], bun: ["memory", "redis"], deno: ["memory", "deno-kv"], workerd: ["memory", "workers-kv"] }[t.runtime];
  for (const name of expected) ok(stores.some(([n]) => n === name), `the ${t.runtime} runner provides the ${name} store`);
  return stores;
}

test("shared cache: 50 instances sharing a store make 1 token request per refresh cycle (every store of this runtime)", async (t) => {
  for (const [name, store] of storesOf(t)) {
    const app = await secretApp(t, { expiresIn: 3600, refreshIn: 600 });
    await t.emulator.setDelay(50);
    const creds = fleet(t, app, store, 50);
    const first = await Promise.all(creds.map((c) => c.getToken(ARM)));
    equal(await tokenRequests(t), 1, `${name}: cold start`);
    equal(new Set(first.map((x) => x.token)).size, 1, `${name}: one token`);
    // a new instance joining later reads the store, not Entra
    const late = fleet(t, app, store, 1)[0]!;
    equal((await late.getToken(ARM)).token, first[0]!.token);
    equal(await tokenRequests(t), 1, `${name}: a late instance`);
    // past refresh_in: one instance refreshes, the others keep the cached token or take the new one
    t.advanceClock(601_000);
    const second = await Promise.all(creds.map((c) => c.getToken(ARM)));
    equal(await tokenRequests(t), 2, `${name}: one refresh for 50 instances`);
    ok(second.every((x) => x.expiresOnTimestamp > Date.now()), `${name}: every token is valid`);
    await t.emulator.reset();
  }
});

test("shared cache: the store never holds a plaintext token; a tampered entry is ignored", async (t) => {
  const app = await secretApp(t);
  const store = recording(memoryTokenCache());
  const [a] = fleet(t, app, store, 1);
  const token = await a!.getToken(ARM);
  const entries = [...store.values].filter(([k]) => !k.endsWith(":fetching"));
  equal(entries.length, 1);
  const [key, value] = entries[0]!;
  ok(key.includes(app.tenantId) && key.includes(app.clientId), "the key names tenant and client");
  ok(!value.includes(token.token) && !value.includes(token.token.split(".")[1]!), "no plaintext token");
  ok(!value.includes(app.secret));
  // flip one character of the ciphertext
  const i = value.length - 5;
  await store.set(key, value.slice(0, i) + (value[i] === "A" ? "B" : "A") + value.slice(i + 1), 3600);
  const { events, logger } = collectLogs();
  const fresh = await new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: store, logger }).getToken(ARM);
  notEqual(fresh.token, token.token, "the tampered entry was not used");
  equal(await tokenRequests(t), 2);
  ok(events.some((e) => e.event === "cache.entry_ignored"));
});

test("shared cache: another encryption key cannot read the entries", async (t) => {
  const app = await secretApp(t);
  const store = memoryTokenCache();
  const mk = (key: string) =>
    new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: store, tokenCacheOptions: { encryptionKey: key } });
  await mk("key-one-0123456789").getToken(ARM);
  await mk("key-one-0123456789").getToken(ARM);
  equal(await tokenRequests(t), 1);
  await mk("key-two-0123456789").getToken(ARM);
  equal(await tokenRequests(t), 2);
});

test("shared cache: a store that fails or hangs never fails getToken", async (t) => {
  const app = await secretApp(t);
  const broken = sharedTokenCache({
    get: async () => {
      throw new Error("store down");
    },
    set: async () => {
      throw new Error("store down");
    },
  });
  const { events, logger } = collectLogs();
  const c1 = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: broken, logger });
  equal((await c1.getToken(ARM)).tokenType, "Bearer");
  ok(events.some((e) => e.event === "cache.store_failed" && e.level === "warning"));
  const hanging = sharedTokenCache({ get: () => new Promise<string>(() => {}), set: () => new Promise<void>(() => {}) });
  const c2 = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: hanging, tokenCacheOptions: { timeoutInMs: 100 } });
  const { ms } = await timed(() => c2.getToken(ARM));
  atMost(ms, 2000);
  equal(await tokenRequests(t), 2);
});

test("shared cache: a store outage mid-run causes no failed getToken", async (t) => {
  const app = await secretApp(t, { expiresIn: 3600, refreshIn: 600 });
  const inner = memoryTokenCache();
  let down = false;
  const refused = () => Promise.reject(new Error("connection refused"));
  const flaky = sharedTokenCache<TokenCacheStore>({
    get: (k) => (down ? refused() : inner.get(k)),
    set: (k, v, ttl) => (down ? refused() : inner.set(k, v, ttl)),
    add: (k, v, ttl) => (down ? refused() : inner.add!(k, v, ttl)),
    delete: (k) => (down ? refused() : inner.delete!(k)),
  });
  const creds = fleet(t, app, flaky, 20);
  await Promise.all(creds.map((c) => c.getToken(ARM)));
  down = true;
  t.advanceClock(601_000);
  const results = await Promise.allSettled(creds.map((c) => c.getToken(ARM)));
  equal(results.filter((r) => r.status === "rejected").length, 0);
  down = false;
  t.advanceClock(601_000);
  const again = await Promise.allSettled(creds.map((c) => c.getToken(ARM)));
  equal(again.filter((r) => r.status === "rejected").length, 0);
});

test("shared cache: certificate credentials derive the same key from the private key (RS256 and PS256)", async (t) => {
  const e = fixture("pfx-legacy");
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, certificates: [fixtureText(e.leaf!)] });
  const store = memoryTokenCache();
  const mk = (assertionAlgorithm: "RS256" | "PS256") =>
    new ClientCertificateCredential(tenantId, clientId, { certificate: fixtureBytes(e.file), certificatePassword: passwordOf(e) }, { authorityHost: t.emulatorUrl, tokenCache: store, assertionAlgorithm });
  const a = await mk("RS256").getToken(ARM);
  const b = await mk("PS256").getToken(ARM);
  equal(b.token, a.token);
  equal(await tokenRequests(t), 1);
});

test("shared cache: ClientAssertionCredential needs an explicit encryptionKey", (t) => {
  const store = memoryTokenCache();
  throws(() => new ClientAssertionCredential("t", "c", () => "x.y.z", { authorityHost: t.emulatorUrl, tokenCache: store }), { name: "TypeError", message: /encryptionKey/ });
  new ClientAssertionCredential("t", "c", () => "x.y.z", { authorityHost: t.emulatorUrl, tokenCache: store, tokenCacheOptions: { encryptionKey: "0123456789abcdef" } });
  throws(() => new ClientSecretCredential("t", "c", "s", { tokenCache: {} as never }), { name: "TypeError", message: /tokenCache/ });
});

test("shared cache: your own store is passed through sharedTokenCache; a bare one is refused with what to do", async (t) => {
  const app = await secretApp(t);
  const map = new Map<string, string>();
  const bare: TokenCacheStore = {
    get: async (k) => map.get(k),
    set: async (k, v) => void map.set(k, v),
  };
  throws(() => new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: bare as never }), {
    name: "TypeError",
    message: /tokenCache must come from .*sharedTokenCache\(store\)/,
  });
  for (const bad of [null, undefined, 1, "kv", {}, { get: () => null }, { set: () => {} }]) {
    throws(() => sharedTokenCache(bad as never), { name: "TypeError", message: /sharedTokenCache: the store must have get\(key\) and set/ });
  }
  const wrapped = sharedTokenCache(bare);
  equal(wrapped, bare, "the store itself is marked and returned");
  equal(sharedTokenCache(wrapped), wrapped, "marking twice is harmless");
  equal(Object.keys(wrapped).join(","), "get,set", "the mark is not enumerable");
  equal(JSON.stringify(wrapped), "{}", "nor serialised");
  const creds = Array.from({ length: 5 }, () => new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: wrapped }));
  const tokens = await Promise.all(creds.map((c) => c.getToken(ARM)));
  equal(new Set(tokens.map((x) => x.token)).size, 1);
  equal(await tokenRequests(t), 1);
  ok(map.size >= 1, "the token went into the user's store");
  for (const v of map.values()) ok(!v.includes(tokens[0]!.token), "encrypted");
  // a frozen store is not changed: a marked stand-in is returned, and the store itself is used
  const frozen = Object.freeze({ get: async (k: string) => map.get(k), set: async (k: string, v: string) => void map.set(k, v) });
  const standIn = sharedTokenCache(frozen);
  ok(standIn !== frozen && Object.isFrozen(frozen), "the frozen store is left as it is");
  map.clear();
  const viaFrozen = await new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: standIn }).getToken(GRAPH);
  ok(map.size >= 1, "the frozen store received the entry");
  equal((await new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: sharedTokenCache(frozen) }).getToken(GRAPH)).token, viaFrozen.token);
  equal(await tokenRequests(t), 2, "the second credential read the frozen store's entry");
});

test("shared cache: claims requests bypass the shared cache", async (t) => {
  const app = await secretApp(t);
  const store = memoryTokenCache();
  const [a, b] = fleet(t, app, store, 2);
  const first = await a!.getToken(ARM);
  const withClaims = await b!.getToken(ARM, { claims: JSON.stringify({ access_token: { nbf: { essential: true, value: "1" } } }) });
  notEqual(withClaims.token, first.token);
  equal(await tokenRequests(t), 2);
});

test("shared cache: an encryption key that is empty, short, of the wrong type or undefined (an unset variable) is a TypeError at construction", (t) => {
  const store = memoryTokenCache();
  const make = (tokenCacheOptions: object) =>
    new ClientSecretCredential("t", "c", "client-secret-value", { authorityHost: t.emulatorUrl, tokenCache: store, tokenCacheOptions: tokenCacheOptions as never });
  const env: Record<string, string | undefined> = {};
  const bad: [string, unknown][] = [
    ["empty string", ""],
    ["15 characters", "fifteen-chars!!"],
    ["empty Uint8Array", new Uint8Array(0)],
    ["15 bytes", new Uint8Array(15)],
    ["a number", 1234567890123456789],
    ["null", null],
    ["an ArrayBuffer", new ArrayBuffer(32)],
    ["an array of numbers", Array.from({ length: 32 }, () => 7)],
    ["undefined from an unset variable", env.CACHE_KEY],
  ];
  for (const [what, encryptionKey] of bad) {
    const e = throws(() => make({ encryptionKey }), { name: "TypeError", message: /tokenCacheOptions\.encryptionKey .*at least 16 bytes/ }, what);
    if (typeof encryptionKey === "string" && encryptionKey) ok(!e.message.includes(encryptionKey), `${what}: the key is not quoted`);
  }
  match(throws(() => make({ encryptionKey: env.CACHE_KEY })).message, /is undefined \(an environment variable that is not set\?\)/);
  match(throws(() => make({ encryptionKey: "short" })).message, /has 5 bytes/);
  // accepted: 16 bytes and more, as a string (UTF-8 bytes count) or bytes; absent derives from the secret
  make({ encryptionKey: "0123456789abcdef" });
  make({ encryptionKey: "ééééééééé" }); // 9 characters, 18 bytes
  make({ encryptionKey: new Uint8Array(16) });
  make({});
  make({ timeoutInMs: 100 });
  throws(() => new ClientAssertionCredential("t", "c", () => "x.y.z", { tokenCache: store, tokenCacheOptions: { encryptionKey: "" } }), { name: "TypeError", message: /at least 16 bytes/ });
});

test("shared cache: a key given as a view into a larger buffer (a pooled Node Buffer) uses exactly its bytes, copied at construction", async (t) => {
  const app = await secretApp(t);
  const store = memoryTokenCache();
  const pool = new Uint8Array(8192);
  crypto.getRandomValues(pool);
  const view = new Uint8Array(pool.buffer, 1000, 32); // byteOffset > 0, like Buffer.from(…) of a short value
  const copy = view.slice();
  const make = (encryptionKey: Uint8Array) =>
    new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: store, tokenCacheOptions: { encryptionKey } });
  const first = make(view);
  pool.fill(0); // the caller reuses its buffer: the credential keeps the key it was given
  const token = await first.getToken(ARM);
  equal((await make(copy).getToken(ARM)).token, token.token, "the same 32 bytes read the entry");
  equal(await tokenRequests(t), 1);
  const NodeBuffer = (globalThis as { Buffer?: { from(v: Uint8Array): Uint8Array } }).Buffer;
  if (NodeBuffer) {
    const pooled = NodeBuffer.from(copy);
    // Node pools Buffers under 4 KiB (Deno's and Bun's Buffer may not).
    if (t.runtime === "node") ok(pooled.byteOffset > 0 || pooled.buffer.byteLength > pooled.length, "a pooled Buffer");
    equal((await make(pooled).getToken(ARM)).token, token.token, "a pooled Node Buffer holding the key");
    equal(await tokenRequests(t), 1);
  }
  await make(new Uint8Array(pool.buffer, 0, 32)).getToken(ARM);
  equal(await tokenRequests(t), 2, "another 32 bytes of the pool are another key");
});

// ── Review 10: store errors, odd stores, hung stores, stampedes, failed cold starts, the timeout ──

test("shared cache: URL credentials in a store's error text (any scheme, escaped or encoded) reach no log event", async (t) => {
  const app = await secretApp(t);
  const password = "Abc8Q~x.y_Z-pw-0123456789";
  const texts = [
    `ERR connecting to redis://:${encodeURIComponent(password)}@cache:6379`,
    `connect failed: rediss://default:${password}@cache.example.net:6380/0`,
    `bad url "postgres://app:${password}@db/x" (code 7)`,
    `{"url":"redis:\\/\\/user:${password}@cache:6379"}`,
    `redis%3A%2F%2F%3A${encodeURIComponent(password)}%40cache%3A6379`,
    `${"x".repeat(100)} redis://:${password.repeat(60)}@cache`, // the userinfo runs past what is read
    `connect to redis://default:${password}'q@host:6379 failed`, // "'" is allowed in a userinfo (review 12)
  ];
  for (const text of texts) {
    const { events, logger } = collectLogs();
    const store = sharedTokenCache({
      get: async () => {
        throw new Error(text);
      },
      set: async () => {
        throw new Error(text);
      },
    });
    await new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: store, logger }).getToken(ARM);
    const failed = events.filter((e) => e.event === "cache.store_failed");
    ok(failed.length > 0, `${text.slice(0, 40)}: logged`);
    for (const e of failed) {
      const shown = JSON.stringify(e);
      for (const part of [password, encodeURIComponent(password), password.slice(0, 10), password.slice(-10)]) ok(!shown.includes(part), `${text.slice(0, 40)}: no password in ${shown}`);
      ok(shown.includes("[redacted]"), `${text.slice(0, 40)}: marked redacted`);
    }
  }
  // an error whose message getter throws still means only "ask Entra"
  const odd = new Error("x");
  Object.defineProperty(odd, "message", {
    get() {
      throw new Error("getter");
    },
  });
  const throwing = sharedTokenCache({ get: () => Promise.reject(odd), set: () => Promise.reject(odd) });
  equal((await new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: throwing }).getToken(GRAPH)).tokenType, "Bearer");
  // a URL without credentials is kept as it is (it says where the store is)
  const { events, logger } = collectLogs();
  const plain = sharedTokenCache({ get: () => Promise.reject(new Error("ECONNREFUSED redis://cache:6379")), set: async () => {} });
  await new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: plain, logger }).getToken(GRAPH);
  ok(events.some((e) => e.event === "cache.store_failed" && e.message.includes("ECONNREFUSED redis://cache:6379")));
});

test("shared cache: a store whose get() returns bytes, a number or an object is a miss at once, logged with the type (not the value)", async (t) => {
  const app = await secretApp(t);
  const kinds: [string, (v: string) => unknown][] = [
    ["Uint8Array", (v) => new TextEncoder().encode(v)],
    ["number", () => 42],
    ["Object", (v) => ({ value: v })],
  ];
  for (const [type, wrap] of kinds) {
    const map = new Map<string, string>();
    const store = sharedTokenCache({ get: async (k: string) => (map.has(k) ? wrap(map.get(k)!) : undefined) as string, set: async (k: string, v: string) => void map.set(k, v) });
    const { events, logger } = collectLogs();
    const mk = () => new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: store, logger });
    await mk().getToken(ARM); // fills the store
    const { ms } = await timed(() => mk().getToken(ARM)); // reads bytes back: a miss, not a 3 s wait
    atMost(ms, 2500, `${type}: no wait for a winner`);
    const said = events.filter((e) => e.event === "cache.store_failed" && e.message.includes(`returned a ${type} from get()`));
    ok(said.length > 0, `${type}: logged: ${events.map((e) => e.message).join(" | ")}`);
    for (const e of said) for (const v of map.values()) if (v) ok(!e.message.includes(v.slice(3, 20)), `${type}: no value`);
  }
});

test("shared cache: the token is returned as soon as it is in hand; a hung write and release go on in the background, logged", async (t) => {
  const app = await secretApp(t);
  const { events, logger } = collectLogs();
  const hang = () => new Promise<void>(() => {});
  const store = sharedTokenCache({ get: async () => undefined, add: async () => true, set: hang, delete: hang });
  const c = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: store, tokenCacheOptions: { timeoutInMs: 3000 }, logger });
  const { ms } = await timed(() => c.getToken(ARM));
  atMost(ms, 2500, "not held by the write's and the release's timeouts (3 s each)");
  const until = Date.now() + 15_000;
  while (Date.now() < until && !events.some((e) => e.message.includes("failed to release"))) await new Promise((r) => setTimeout(r, 100));
  ok(events.some((e) => e.message.includes("failed to write (StoreTimeout")), "the write's timeout is logged");
  ok(events.some((e) => e.message.includes("failed to release (StoreTimeout")), "then the release's");
});

test("shared cache: a store whose reads answer but whose writes hang (no add) costs one timeout, not three — a timed-out claim write is a failed store: ask Entra at once (review 12)", async (t) => {
  const app = await secretApp(t);
  const m = new Map<string, string>();
  const store = sharedTokenCache({ get: async (k) => m.get(k), set: () => new Promise<void>(() => {}) });
  const c = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache: store, tokenCacheOptions: { timeoutInMs: 1000 } });
  const { ms } = await timed(() => c.getToken(ARM));
  atMost(ms, 2000, "one 1 s timeout (the claim's write), then the token: not the wait after it and more");
  equal(await tokenRequests(t), 1);
});

test("shared cache: 50 cold instances make 1 token request whatever the token endpoint's latency (0, 10, 30 ms; every store of this runtime)", async (t) => {
  for (const [name, store] of storesOf(t)) {
    for (const delay of [0, 10, 30]) {
      const app = await secretApp(t, { expiresIn: 3600 });
      await t.emulator.setDelay(delay);
      const tokens = await Promise.all(fleet(t, app, store, 50).map((c) => c.getToken(ARM)));
      equal(new Set(tokens.map((x) => x.token)).size, 1, `${name}, ${delay} ms: one token`);
      equal(await tokenRequests(t), 1, `${name}, ${delay} ms: token requests`);
      await t.emulator.reset();
    }
  }
});

test("shared cache: when the cold start's request is refused, the waiting instances learn it at once and make their own (stores with and without add/delete)", async (t) => {
  const app = await secretApp(t);
  await t.emulator.setDelay(50);
  const map = new Map<string, string>();
  const stores: [string, TokenCache][] = [
    ["memoryTokenCache", memoryTokenCache()],
    ["get/set only", sharedTokenCache({ get: async (k: string) => map.get(k), set: async (k: string, v: string) => void map.set(k, v) })],
  ];
  for (const [name, tokenCache] of stores) {
    const creds = Array.from({ length: 20 }, () => new ClientSecretCredential(app.tenantId, app.clientId, "wrong-secret-0123456789", { authorityHost: t.emulatorUrl, tokenCache, retryOptions: { maxRetries: 0 } }));
    const { ms, value } = await timed(() => Promise.allSettled(creds.map((c) => c.getToken(ARM))));
    equal(value.filter((r) => r.status === "rejected" && (r.reason as { code?: string }).code === "ERR_ENTRA_REFUSED").length, 20, `${name}: each refused`);
    atMost(ms, 2500, `${name}: no instance waits out the 3 s for a token that will not come`);
  }
});

test("shared cache: tokenCacheOptions.timeoutInMs is a whole number of ms from 1 to 2^31 - 1 (a TypeError that says so)", (t) => {
  const store = memoryTokenCache();
  const make = (timeoutInMs: unknown) =>
    new ClientSecretCredential("t", "c", "client-secret-value", { authorityHost: t.emulatorUrl, tokenCache: store, tokenCacheOptions: { timeoutInMs } as never });
  for (const bad of [0, -1, NaN, Infinity, -Infinity, 1e10, 2 ** 31, 1.5, "250"]) {
    throws(() => make(bad), { name: "TypeError", message: /tokenCacheOptions\.timeoutInMs must be a whole number of milliseconds from 1 to 2147483647/ }, String(bad));
  }
  for (const good of [1, 250, 2 ** 31 - 1, undefined, null]) make(good); // null and undefined: the default
});

test("shared cache: README's Redis client (no 'error' listener) survives its redis-server being killed mid-run; getToken keeps working (Node, Bun)", async (t) => {
  if (t.runtime !== "node" && t.runtime !== "bun") return;
  ok(t.ownRedis, `the ${t.runtime} runner can start a redis-server`);
  const app = await secretApp(t);
  const own = await t.ownRedis!();
  t.cleanup(() => own.close());
  {
    const tokenCache = redisTokenCache(own.client);
    const { events, logger } = collectLogs();
    const mk = () => new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.emulatorUrl, tokenCache, logger });
    const first = await mk().getToken(ARM);
    equal((await mk().getToken(ARM)).token, first.token, "read from Redis");
    equal(await tokenRequests(t), 1);
    own.kill();
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 200)); // node-redis sees the socket close and reconnects (emitting 'error')
      equal((await mk().getToken(`https://graph.microsoft.com/${i}/.default`)).tokenType, "Bearer", `during the outage #${i}`);
    }
    ok(events.some((e) => e.event === "cache.store_failed"), "the failed commands are logged");
  }
});
