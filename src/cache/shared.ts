/**
 * The shared cache behind the in-memory one: entries encrypted with AES-GCM (key from HKDF over
 * the credential's secret material, the store key as associated data), store operations bounded
 * by a timeout and never fatal, and a short "fetching" marker so that one instance refreshes
 * while the others keep using the cached token.
 *
 * @module
 */
import { base64url, fromBase64, fromUtf8, utf8 } from "../lib/bytes.ts";
import { MIN_ENCRYPTION_KEY_BYTES } from "../lib/limits.ts";
import type { AccessToken, TokenCache, TokenCacheOptions, TokenCacheStore } from "../types.ts";
import { EXPIRY_MARGIN_MS, REFRESH_RETRY_MS } from "../token/cache.ts";
import { SharedWork } from "../token/single-flight.ts";
import { COORDINATE, type Coordinate, type CoordinatorSetup } from "./types.ts";

/** How long a "fetching" marker stands (s): longer than a token request with its retries usually takes. */
const MARKER_TTL_S = 30;
/** A cold instance that finds a marker polls the store this long for the token before fetching itself. */
const COLD_WAIT_MS = 3_000;
/**
 * How long a read or write waits for the entries' key before going on without the store for that
 * miss (the derivation goes on, for the next). A certificate credential derives it with two
 * signatures — the probe when the certificate loads, then the label — each a Key Vault call with
 * `keyVaultSigner` (0.1–1.5 s each: at 1 s, a 600 ms vault made a cold start skip the store — third
 * attack review); the flight's prelude allows for it.
 */
const KEY_WAIT_MS = 3_000;
const POLL_MS = 100;
/** The longest `timeoutInMs`: what a timer holds (a longer one fires at once, with Node's TimeoutOverflowWarning). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** A released marker, on a store without `delete`: an empty marker counts as free. */
const FREE = "";

/**
 * A store's error text without the credentials a URL carries (`redis://:password@host`, any
 * scheme, also JSON-escaped or %-encoded), cut to 200 characters after that. A URL whose
 * userinfo runs past the part read (1,000 characters) loses everything after its `scheme://`.
 */
function storeErrorText(e: unknown): string {
  let whole: string;
  try {
    whole = e instanceof Error ? `${String(e.name)}: ${String(e.message)}` : "error";
  } catch {
    return "error"; // a message getter that throws
  }
  const text = whole.slice(0, 1000);
  // `scheme://` as is, JSON-escaped (`:\/\/`) or %-encoded, then the userinfo up to its last `@`.
  const scheme = String.raw`([a-z][\w+.-]*(?::|%3a)(?:\/\/|\\\/\\\/|%2f%2f))`;
  // (A userinfo may hold "'": RFC 3986's sub-delims — review 12.)
  let out = text.replace(new RegExp(`${scheme}[^\\s"<>]*(?:@|%40)`, "gi"), "$1[redacted]@");
  if (whole.length > text.length) out = out.replace(new RegExp(`${scheme}(?!\\[redacted\\]@)[^\\s"<>]*$`, "i"), "$1[redacted]");
  return out.slice(0, 200);
}

class StoreTimeout extends Error {
  override name = "StoreTimeout" as const;
}

/** A token as stored (before encryption). */
interface Stored {
  token: string;
  expiresOn: number;
  refreshAfter: number;
}

/**
 * Makes any `TokenCacheStore` usable as a credential's `tokenCache` (the built-in adapters already
 * return one). It marks `store` with a hidden (non-enumerable symbol) property holding the
 * encryption and coordination code and returns it — so that only apps which use a shared cache
 * bundle that code. A frozen or sealed store is not changed: an object inheriting from it, marked,
 * is returned instead (the cache always calls the store you passed).
 *
 * @example
 * ```ts
 * import { ClientSecretCredential, sharedTokenCache } from "entra-edge";
 *
 * const myStore = new Map<string, { value: string; expires: number }>(); // stands for your key-value store
 * const tokenCache = sharedTokenCache({
 *   get: async (key) => myStore.get(key)?.value,
 *   set: async (key, value, ttlSeconds) => void myStore.set(key, { value, expires: Date.now() + ttlSeconds * 1000 }),
 * });
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { tokenCache });
 * ```
 */
export function sharedTokenCache<S extends TokenCacheStore>(store: S): S & TokenCache {
  if (typeof store !== "object" || store === null || typeof store.get !== "function" || typeof store.set !== "function") {
    throw new TypeError("sharedTokenCache: the store must have get(key) and set(key, value, ttlSeconds) methods.");
  }
  if (COORDINATE in store) return store as S & TokenCache;
  const make = (setup: CoordinatorSetup): Coordinate => {
    const shared = new SharedTokenCache(store, setup);
    return shared.coordinate.bind(shared);
  };
  // A frozen or sealed store cannot be marked: a marked object inheriting from it stands in.
  const target: S = Object.isExtensible(store) ? store : Object.create(store);
  Object.defineProperty(target, COORDINATE, { value: make });
  return target as S & TokenCache;
}

class SharedTokenCache {
  readonly #store: TokenCacheStore;
  readonly #setup: CoordinatorSetup;
  readonly #timeout: number;
  readonly #prefix: string;
  /** The entries' AES key, derived once (shared by concurrent derivations; one from a request that ended is left: SharedWork). */
  readonly #aesKey: SharedWork<CryptoKey>;
  /** Store operations that failed or timed out so far: a store that just failed is not asked again in the same miss. */
  #failures = 0;

  constructor(store: TokenCacheStore, setup: CoordinatorSetup) {
    const { options, keyMaterial } = setup;
    const key = encryptionKey(setup.credential, options, keyMaterial !== undefined);
    if (!keyMaterial && !key) {
      throw new TypeError(`${setup.credential}: a shared tokenCache needs tokenCacheOptions.encryptionKey (this credential has no secret to derive one from).`);
    }
    this.#store = store;
    this.#setup = setup;
    const timeout: unknown = options?.timeoutInMs ?? 250;
    if (!(typeof timeout === "number" && Number.isInteger(timeout) && timeout >= 1 && timeout <= MAX_TIMEOUT_MS)) {
      throw new TypeError(
        `${setup.credential}: tokenCacheOptions.timeoutInMs must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (2^31 - 1), got ${typeof timeout === "number" ? String(timeout) : `a ${typeof timeout}`}; leave it out for 250 ms.`,
      );
    }
    this.#timeout = timeout;
    this.#prefix = options?.prefix ?? "entra-edge";
    const material = key ? async () => key : keyMaterial!;
    this.#aesKey = new SharedWork(async (until) => {
      const base = await crypto.subtle.importKey("raw", (await material(until)) as Uint8Array<ArrayBuffer>, "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: utf8("entra-edge token cache v1"), info: utf8("aes-256-gcm") },
        base,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    });
  }

  /**
   * A memory miss: use the stored token while it is fresh; otherwise one instance (the one that
   * claims the "fetching" marker) asks Entra and stores the result, and the others keep using the
   * still-valid stored token — or, on a cold start, wait briefly for the winner's token. A failing
   * or slow store only means asking Entra directly.
   */
  async coordinate(...[tenant, cacheKey, signal, fetch, remember, due]: Parameters<Coordinate>): Promise<AccessToken> {
    // The single flight's time for what comes before `fetch` (which declares its own): at most 9
    // store operations' timeouts — the read (1), the claim (3, and a wait of up to 2), then a read
    // again (1), or the cold wait's last poll and the read after it (3) — the cold wait, the wait
    // for the entries' key (KEY_WAIT_MS, once: after it the store is skipped), and 1 s for the
    // crypto and the polls' pauses. A flight not past them by then is gone (its Worker request
    // ended: token/single-flight.ts).
    due?.(this.#prelude());
    const storeKey = await this.keyFor(tenant, cacheKey);
    const failures = this.#failures;
    const stored = await this.read(storeKey, EXPIRY_MARGIN_MS);
    if (stored && Date.now() < stored.refreshAfterTimestamp) return remember(stored);
    // The token is returned as soon as it is in hand: it is written (encrypted first, then sent),
    // and the claim released after the write, in the background — each step with its timeout,
    // failures logged, nothing rejected.
    const fetchAndShare = async (claimed: boolean) => {
      let sharing: Promise<unknown> | undefined;
      try {
        const token = await fetch();
        // (Encrypting waits for the key at most KEY_WAIT_MS: a certificate's signer that is slow or
        // hangs holds the token back that long, then it goes unshared — review of session 9.)
        due?.(KEY_WAIT_MS);
        const value = await this.#encrypt(storeKey, token);
        if (value !== undefined) sharing = this.#op("write", () => this.#store.set(storeKey, value, ttlOf(token)));
        return token;
      } finally {
        if (claimed) void (sharing ?? Promise.resolve()).then(() => this.release(storeKey));
      }
    };
    // A store that just failed (or timed out) is not asked again in this miss: Entra is.
    if (this.#failures !== failures) return fetchAndShare(false);
    if (await this.claim(storeKey)) {
      // The winner reads again: another instance may have stored a token between our read and our
      // claim (it wrote, then released its marker, and we claimed the free marker) — unless the
      // store just failed.
      const again = this.#failures === failures ? await this.read(storeKey, EXPIRY_MARGIN_MS) : undefined;
      if (again && Date.now() < again.refreshAfterTimestamp) {
        void this.release(storeKey);
        return remember(again);
      }
      try {
        return await fetchAndShare(true);
      } catch (e) {
        // The stored token is still valid: serve it, and try again after the refresh pause.
        if (stored && !signal.aborted && Date.now() < stored.expiresOnTimestamp - EXPIRY_MARGIN_MS) return remember(stored, Date.now() + REFRESH_RETRY_MS);
        throw e;
      }
    }
    // Another instance is fetching.
    if (stored) return remember(stored, Date.now() + 2_000);
    const waited = await this.waitFor(storeKey, EXPIRY_MARGIN_MS, signal);
    return waited ? remember(waited) : fetchAndShare(false);
  }

  #log(level: "debug" | "warning", event: string, message: string): void {
    this.#setup.log(level, event, message);
  }

  /** The store key: readable tenant and client, a digest of the rest (authority, scopes, CAE). */
  async keyFor(tenant: string, cacheKey: string): Promise<string> {
    const { authority, clientId } = this.#setup;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(`${authority}\u0000${tenant}\u0000${clientId}\u0000${cacheKey}`)));
    return `${this.#prefix}:v1:${tenant}:${clientId}:${base64url(digest.subarray(0, 18))}`;
  }

  /** The AES key; a derivation still running past the time its flight declared for the shared cache's steps is started again (its request ended). */
  #key(): Promise<CryptoKey> {
    return this.#aesKey.get(Date.now() + this.#prelude());
  }

  /** What a flight declares for the steps before its fetch (see coordinate). */
  #prelude(): number {
    return 10 * this.#timeout + COLD_WAIT_MS + KEY_WAIT_MS + 1_000;
  }

  /** Runs a store operation (or the key's derivation) with the timeout (`ms`; `late` says it); failures are logged and become undefined. */
  async #op<T>(what: string, fn: () => Promise<T>, ms = this.#timeout, late = `no answer within ${ms} ms`): Promise<T | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreTimeout(late)), ms);
        }),
      ]);
    } catch (e) {
      this.#failures++;
      this.#log("warning", "cache.store_failed", `The shared token cache failed to ${what} (${storeErrorText(e)}); continuing without it.`);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A store read: the string stored, or undefined for nothing there, a failure or a timeout. Any
   * other value (bytes, a number, an object: a store that does not give back the string it was
   * given) is a miss at once, logged with its type (never its value).
   */
  async #get(key: string, what: string): Promise<string | undefined> {
    const v: unknown = await this.#op(what, () => this.#store.get(key));
    if (typeof v === "string") return v;
    if (v !== undefined && v !== null) {
      this.#failures++;
      let type: string = typeof v;
      try {
        if (type === "object") type = String(Object.getPrototypeOf(v)?.constructor?.name ?? type).slice(0, 40);
      } catch {
        // a revoked Proxy, a throwing getter: "object" it is
      }
      this.#log("warning", "cache.store_failed", `The shared token cache's store returned a ${type} from get(), not the string it was given (or undefined/null for none); treated as nothing stored — make get() return the string set() received.`);
    }
    return undefined;
  }

  /**
   * The AES key, or undefined (logged, and the store counts as failed for this miss) when it cannot
   * be had within {@link KEY_WAIT_MS}: a certificate credential derives it with a signature, and a
   * signer that is slow, hangs or refuses (an RSA-PSS key) must cost a store's failure, not getToken.
   */
  #keyNow(): Promise<CryptoKey | undefined> {
    return this.#op("use its key", () => this.#key(), KEY_WAIT_MS, `its key was not derived within ${KEY_WAIT_MS} ms (the certificate's signature is slow or hangs)`);
  }

  /** The stored form of `token`, or undefined without the key (logged). Never rejects. */
  async #encrypt(storeKey: string, token: AccessToken): Promise<string | undefined> {
    const key = await this.#keyNow();
    if (!key) return undefined;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const value: Stored = { token: token.token, expiresOn: token.expiresOnTimestamp, refreshAfter: token.refreshAfterTimestamp };
    try {
      const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8(storeKey) }, key, utf8(JSON.stringify(value)));
      return `v1.${base64url(iv)}.${base64url(new Uint8Array(data))}`;
    } catch {
      return undefined; // (AES-GCM with a key of our own does not fail)
    }
  }

  /** The entry decrypted; undefined when it is not ours (tampered, foreign, garbage); null without the key (logged already). */
  async #decrypt(storeKey: string, text: string): Promise<Stored | undefined | null> {
    const parts = text.split(".");
    if (parts.length !== 3 || parts[0] !== "v1") return undefined;
    const key = await this.#keyNow();
    if (!key) return null;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64(parts[1]!) as Uint8Array<ArrayBuffer>, additionalData: utf8(storeKey) },
        key,
        fromBase64(parts[2]!) as Uint8Array<ArrayBuffer>,
      );
      const v = JSON.parse(fromUtf8(new Uint8Array(plain))) as Stored;
      if (typeof v.token !== "string" || typeof v.expiresOn !== "number" || typeof v.refreshAfter !== "number") return undefined;
      return v;
    } catch {
      return undefined; // tampered, foreign key, or garbage: ignored
    }
  }

  /** Reads the stored token (undefined when absent, unreadable or expired within `marginMs`). */
  async read(storeKey: string, marginMs: number): Promise<AccessToken | undefined> {
    const text = await this.#get(storeKey, "read");
    if (text === undefined || text === FREE) return undefined;
    const v = await this.#decrypt(storeKey, text);
    if (v === null) return undefined; // no key in time: said as cache.store_failed (the entry may be fine)
    if (!v) {
      this.#log("warning", "cache.entry_ignored", "A shared token cache entry could not be decrypted or verified; it is ignored.");
      return undefined;
    }
    if (Date.now() >= v.expiresOn - marginMs) return undefined;
    return Object.freeze({ token: v.token, tokenType: "Bearer" as const, expiresOnTimestamp: v.expiresOn, refreshAfterTimestamp: v.refreshAfter });
  }

  /** Tries to become the instance that fetches; false when another one already is. */
  async claim(storeKey: string): Promise<boolean> {
    const marker = `${storeKey}:fetching`;
    const me = crypto.randomUUID();
    const store = this.#store;
    if (store.add) {
      const won = await this.#op("claim", () => store.add!(marker, me, MARKER_TTL_S));
      return won !== false; // a store that failed: fetch ourselves
    }
    const failures = this.#failures;
    const current = await this.#get(marker, "read the marker");
    if (this.#failures !== failures) return true; // a store that failed: fetch ourselves
    if (current !== undefined && current !== FREE) return false;
    const writing = Date.now();
    await this.#op("claim", () => store.set(marker, me, MARKER_TTL_S));
    if (this.#failures !== failures) return true; // the write failed or timed out: fetch ourselves, without the wait (review 12)
    // Read-after-write: with several writers, the last write wins and only its owner proceeds. The
    // others' writes land within about one write's latency of ours, so the wait grows with it (a
    // loaded store or machine would otherwise let several writers read their own marker back).
    await new Promise((r) => setTimeout(r, 2 * (Date.now() - writing) + 20 + Math.random() * 30));
    const after = await this.#get(marker, "read the marker");
    return after === undefined || after === FREE || after === me;
  }

  /**
   * Frees the marker (after the token was written, or when the fetch failed): deleted, or — a
   * store without `delete` — overwritten with an empty one, which counts as free.
   */
  async release(storeKey: string): Promise<void> {
    const store = this.#store;
    const marker = `${storeKey}:fetching`;
    await this.#op("release", () => (store.delete ? store.delete(marker) : store.set(marker, FREE, 1)));
  }

  /**
   * A cold instance that lost the claim waits for the winner's token (bounded), then gives up; it
   * stops at once when the marker is gone without a token (the winner failed, or could not write).
   */
  async waitFor(storeKey: string, marginMs: number, signal: AbortSignal | undefined): Promise<AccessToken | undefined> {
    const until = Date.now() + COLD_WAIT_MS;
    while (Date.now() < until) {
      if (signal?.aborted) throw signal.reason;
      await new Promise((r) => setTimeout(r, POLL_MS));
      const token = await this.read(storeKey, marginMs);
      if (token) return token;
      const marker = await this.#get(`${storeKey}:fetching`, "read the marker");
      // Released: the winner wrote before it released, so the token is there now — or never will be.
      if (marker === undefined || marker === FREE) return this.read(storeKey, marginMs);
    }
    return undefined;
  }
}

/** The store entry's TTL for `token` (s): until it expires, at least 1. */
function ttlOf(token: AccessToken): number {
  return Math.max(1, Math.floor((token.expiresOnTimestamp - Date.now()) / 1000));
}

/**
 * `tokenCacheOptions.encryptionKey` as bytes (a copy: later changes to the caller's array, or a
 * Node Buffer's shared pool, do not reach it), or undefined when the option is absent. A key that
 * is present must be a string or a Uint8Array (a Node Buffer is one) of at least
 * {@link MIN_ENCRYPTION_KEY_BYTES} bytes: anything else — `""`, `new Uint8Array(0)`, a number, and
 * `undefined` written out (`encryptionKey: process.env.CACHE_KEY` with the variable unset) — is a
 * TypeError, so that a missing key is noticed instead of silently replaced.
 *
 * @example
 * ```ts
 * encryptionKey("ClientSecretCredential", { encryptionKey: env.CACHE_KEY }, true); // TypeError when CACHE_KEY is unset
 * ```
 */
function encryptionKey(credential: string, options: TokenCacheOptions | undefined, derivable: boolean): Uint8Array | undefined {
  if (typeof options !== "object" || options === null || !("encryptionKey" in options)) return undefined;
  const v: unknown = options.encryptionKey;
  const bytes = typeof v === "string" ? utf8(v) : v instanceof Uint8Array ? new Uint8Array(v) : undefined;
  if (bytes && bytes.length >= MIN_ENCRYPTION_KEY_BYTES) return bytes;
  const what =
    v === undefined
      ? "is undefined (an environment variable that is not set?)"
      : bytes
        ? `has ${bytes.length} bytes`
        : `is ${v === null ? "null" : `of type ${typeof v === "object" ? (Object.getPrototypeOf(v)?.constructor?.name ?? "object") : typeof v}`}`;
  throw new TypeError(
    `${credential}: tokenCacheOptions.encryptionKey ${what}: it must be a string or Uint8Array of at least ${MIN_ENCRYPTION_KEY_BYTES} bytes of random key material (the same on every instance)${derivable ? ", or left out to derive the key from the credential's secret or private key" : ""}.`,
  );
}
