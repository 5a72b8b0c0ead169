/**
 * Tests that need several Worker requests — one credential at module scope, shared by requests
 * that start and end on their own — so they cannot run inside the portable suite (it is one
 * request: test/runners/workerd.ts). test/runners/workerd-host.ts registers them after the Worker's
 * suite, on the Node its workerd version needs, and runs them against a Worker it builds from src/
 * (no nodejs_compat) with the same emulator; they report as `[workerd]` lines of that step.
 *
 * Measured (session 8, both workerd versions, Miniflare): a request that returns its Response
 * without awaiting its getToken loses that I/O and every timer it set — its fetch never settles,
 * its `tryTimeoutInMs` timer never fires, and nothing is logged (no "cross-request promise"
 * warning). Before the fix a second request that joined its flight never answered. A client that
 * aborts `dispatchFetch` (or closes its socket) does not end the request in Miniflare: it runs on,
 * its timers fire and its token reaches the joiners — so that case is not tested here.
 */
import { build } from "esbuild";
import type { Miniflare as MiniflareClass } from "miniflare";
import { atLeast, atMost, equal, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";
import { createTestCertificate } from "../../src/testing/x509.ts";
import { WORKER_BUILD } from "../support/worker-build.ts";

const TRY_TIMEOUT_MS = 1_500;
const ARM_SCOPE = "https://management.azure.com/.default";
/** src/token/single-flight.ts GRACE_MS (not imported: the test runs on code without it too, and fails there). */
const GRACE_MS = 1_000;

/** The Worker: `kv` — the credential shares its tokens through Workers KV (env.KV). */
const worker = (kv: boolean) => `
  import { ClientSecretCredential, workersKvTokenCache } from "../../src/workerd.ts";
  let credential; // one per isolate, as README shows: its cache and flights are shared by requests
  export default {
    async fetch(request, env) {
      credential ??= new ClientSecretCredential(env.TENANT, env.CLIENT, env.SECRET, {
        authorityHost: env.AUTHORITY,
        retryOptions: { tryTimeoutInMs: ${TRY_TIMEOUT_MS}, maxRetries: 0 },
        ${kv ? "tokenCache: workersKvTokenCache(env.KV)," : ""}
      });
      const started = Date.now();
      const token = credential.getToken("https://graph.microsoft.com/.default");
      if (new URL(request.url).pathname === "/leave") {
        // Returns without awaiting (no waitUntil): workerd drops what this request left running.
        token.catch(() => {});
        return new Response("left");
      }
      try {
        return Response.json({ ok: true, token: (await token).token, ms: Date.now() - started });
      } catch (e) {
        return Response.json({ ok: false, error: String(e), ms: Date.now() - started });
      }
    },
  };`;

/**
 * The certificate Worker: one ClientCertificateCredential with a `sign` callback (as keyVaultSigner
 * is: I/O per signature) at module scope. `/leave?at=N` makes the Nth signature of the isolate hang
 * (a Key Vault call that never answers) and returns once it began, without awaiting getToken:
 * workerd drops that signature with the request. Signatures: 1 the probe when the certificate
 * loads, 2 the first assertion, 3 the shared cache's key (with `kv`), then the next assertions.
 */
const certificateWorker = (kv: boolean) => `
  import { ClientCertificateCredential, workersKvTokenCache } from "../../src/workerd.ts";
  let credential, key, hangAt = 0, signs = 0, reached;
  const der = (pem) => Uint8Array.from(atob(pem.replace(/-----[A-Z ]+-----|\\s/g, "")), (c) => c.charCodeAt(0));
  export default {
    async fetch(request, env) {
      key ??= await crypto.subtle.importKey("pkcs8", der(env.KEY), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
      credential ??= new ClientCertificateCredential(env.TENANT, env.CLIENT, {
        certificate: env.CERT,
        sign: async (data) => {
          if (++signs === hangAt) {
            reached();
            await new Promise((r) => setTimeout(r, 600_000));
          }
          return new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, data));
        },
      }, {
        authorityHost: env.AUTHORITY,
        retryOptions: { tryTimeoutInMs: ${TRY_TIMEOUT_MS}, maxRetries: 0 },
        ${kv ? "tokenCache: workersKvTokenCache(env.KV)," : ""}
      });
      const url = new URL(request.url);
      const started = Date.now();
      if (url.pathname === "/leave") {
        hangAt = signs + Number(url.searchParams.get("at"));
        const began = new Promise((r) => (reached = r));
        credential.getToken("https://graph.microsoft.com/.default").catch(() => {});
        await began;
        return new Response("left");
      }
      try {
        const scope = url.searchParams.get("scope") ?? "https://graph.microsoft.com/.default";
        return Response.json({ ok: true, token: (await credential.getToken(scope)).token, ms: Date.now() - started });
      } catch (e) {
        return Response.json({ ok: false, error: String(e), ms: Date.now() - started });
      }
    },
  };`;

/** How long the flight of request A declared (src/cache/shared.ts: 9 store timeouts of 250 ms + the 3 s cold wait + the 3 s key wait + 1 s, before its request's own). */
const SHARED_PRELUDE_MS = 10 * 250 + 3_000 + 3_000 + 1_000;
/** src/cache/shared.ts KEY_WAIT_MS: how long a read or write waits for the entries' key. */
const KEY_WAIT_MS = 3_000;

/** Registers the tests for one workerd version (its Miniflare class and compatibility date). */
export function registerRequestTests(Miniflare: typeof MiniflareClass, compatibilityDate: string): void {
  test(`workerd requests: a request that left its getToken running (its flight dropped with it) does not hang the requests that joined it — they start a fresh flight after its attempt's timeout (${compatibilityDate})`, async (t) => {
    const { mf, clientId } = await appMiniflare(Miniflare, compatibilityDate, t, "secret", false);
    try {
      // The first token request never answers: only a fresh flight can get a token.
      await t.emulator.injectFault({ kind: "hang", clientId });
      equal(await (await mf.dispatchFetch("http://worker.local/leave")).text(), "left");
      await new Promise((r) => setTimeout(r, 200));
      equal((await t.emulator.requests()).length, 1, "request A's flight sent its token request");

      const [b, c] = await joiners(mf, TRY_TIMEOUT_MS + GRACE_MS + 5_000);
      equal((await t.emulator.verifyAccessToken(b.token!)).aud, "https://graph.microsoft.com");
      // They waited for A's attempt to pass its time (less the 200 ms they came later), not longer.
      for (const r of [b, c]) {
        atLeast(r.ms, TRY_TIMEOUT_MS - 200, "left A's flight only once its attempt's time had passed");
        atMost(r.ms, TRY_TIMEOUT_MS + GRACE_MS + 2_000, "then at once");
      }
      equal((await t.emulator.requests()).length, 2, "A's request and one fresh one");

      // Later requests: the cached token, no request.
      const later = (await (await mf.dispatchFetch("http://worker.local/d")).json()) as { token: string };
      equal(later.token, b.token);
      equal((await t.emulator.requests()).length, 2);
    } finally {
      await mf.dispose();
    }
  }, { timeoutMs: 60_000 });

  test(`workerd requests: with a Workers KV tokenCache, a request that left its getToken running does not hang the requests that joined it either — they start a fresh flight once the shared cache's steps had their time (${compatibilityDate})`, async (t) => {
    const { mf } = await appMiniflare(Miniflare, compatibilityDate, t, "secret", true);
    try {
      // A's flight is dropped during its first store read (it returned at once): nothing stored, maybe no token request.
      equal(await (await mf.dispatchFetch("http://worker.local/leave")).text(), "left");
      await new Promise((r) => setTimeout(r, 200));
      const [b, c] = await joiners(mf, SHARED_PRELUDE_MS + GRACE_MS + 5_000);
      equal((await t.emulator.verifyAccessToken(b.token!)).aud, "https://graph.microsoft.com");
      for (const r of [b, c]) {
        atLeast(r.ms, SHARED_PRELUDE_MS - 200, "left A's flight only once the shared cache's steps had had their time");
        atMost(r.ms, SHARED_PRELUDE_MS + GRACE_MS + 2_000, "then at once");
      }
      atMost((await t.emulator.requests()).length, 2, "at most A's request and one fresh one");
    } finally {
      await mf.dispose();
    }
  }, { timeoutMs: 60_000 });

  test(`workerd requests: a certificate whose sign callback (a Key Vault call) was left hanging by the request that loaded it is loaded again by the next requests — they do not wait on it (${compatibilityDate})`, async (t) => {
    const { mf } = await appMiniflare(Miniflare, compatibilityDate, t, "certificate", false);
    try {
      // A's probe signature (the certificate's load) hangs, and A leaves.
      equal(await (await mf.dispatchFetch("http://worker.local/leave?at=1")).text(), "left");
      await new Promise((r) => setTimeout(r, 200));
      const bound = TRY_TIMEOUT_MS + GRACE_MS + 5_000;
      const [b, c] = await joiners(mf, bound);
      equal((await t.emulator.verifyAccessToken(b.token!)).aud, "https://graph.microsoft.com");
      // B and C left A's flight once its attempt had had its time; the load A left is as old: loaded again at once.
      for (const r of [b, c]) atMost(r.ms, TRY_TIMEOUT_MS + GRACE_MS + 2_000, "then a token at once, not after another attempt's time");
      equal((await t.emulator.requests()).length, 1, "one token request: the fresh flight's (A's never got an assertion)");
    } finally {
      await mf.dispose();
    }
  }, { timeoutMs: 60_000 });

  test(`workerd requests: with a Workers KV tokenCache, a shared cache key whose signature was left hanging by a request costs the next requests at most 3 s (their tokens go unshared), and once its time has passed it is derived again (${compatibilityDate})`, async (t) => {
    const { mf } = await appMiniflare(Miniflare, compatibilityDate, t, "certificate", true);
    try {
      // A got its token (Graph; in memory at once); the signature its shared cache key needs hangs, and A leaves.
      const left = Date.now();
      equal(await (await mf.dispatchFetch("http://worker.local/leave?at=3")).text(), "left");
      await new Promise((r) => setTimeout(r, 200));
      // B and C ask for another scope: their flight gets a token and needs the key to share it. They
      // wait for it at most KEY_WAIT_MS (src/cache/shared.ts), then return the token unshared.
      const arm = `?scope=${encodeURIComponent(ARM_SCOPE)}`;
      const [b, c] = await joiners(mf, SHARED_PRELUDE_MS + GRACE_MS + 6_000, arm);
      equal((await t.emulator.verifyAccessToken(b.token!)).aud, "https://management.azure.com");
      for (const r of [b, c]) atMost(r.ms, KEY_WAIT_MS + 3_000 + 1_500, "not held back by A's derivation (the cold wait for A's claim at most, and the key's wait)");
      equal((await t.emulator.requests()).length, 2, "A's token request and B's");
      // Once A's derivation is past the time it declared (plus 1 s), a request derives the key again: its token is shared without that wait.
      await new Promise((r) => setTimeout(r, Math.max(0, left + SHARED_PRELUDE_MS + GRACE_MS + 300 - Date.now())));
      const vault = (await (await mf.dispatchFetch(`http://worker.local/d?scope=${encodeURIComponent("https://vault.azure.net/.default")}`)).json()) as Answer;
      ok(vault.ok, vault.error);
      atMost(vault.ms, KEY_WAIT_MS - 200, "the key derived afresh, not waited for");
    } finally {
      await mf.dispose();
    }
  }, { timeoutMs: 60_000 });
}

/**
 * A Miniflare (ready) running the secret Worker or the certificate Worker, with Workers KV as
 * env.KV if `kv`, for a new app registered with a fresh secret or test certificate.
 */
async function appMiniflare(Miniflare: typeof MiniflareClass, compatibilityDate: string, t: TestContext, kind: "secret" | "certificate", kv: boolean): Promise<{ mf: MiniflareClass; clientId: string }> {
  const source = kind === "secret" ? worker(kv) : certificateWorker(kv);
  const bundle = await build({ ...WORKER_BUILD, stdin: { contents: source, resolveDir: `${t.root}/test/workerd`, loader: "js" } });
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  let bindings: Record<string, string>;
  if (kind === "secret") {
    const secret = `${t.id("secret")}-value`;
    await t.emulator.addApp({ tenantId, clientId, secrets: [secret] });
    bindings = { SECRET: secret };
  } else {
    const cert = await createTestCertificate();
    await t.emulator.addApp({ tenantId, clientId, certificates: [cert.certificatePem] });
    bindings = { CERT: cert.certificatePem, KEY: cert.privateKeyPem };
  }
  const mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    compatibilityDate,
    ...(kv && { kvNamespaces: ["KV"] }),
    bindings: { TENANT: tenantId, CLIENT: clientId, AUTHORITY: t.emulatorUrl, ...bindings },
  });
  await mf.ready.catch(async (e: unknown) => {
    await mf.dispose();
    throw e;
  });
  return { mf, clientId };
}

/** Requests B and C, which join A's flight; a hang fails within `bound` ms (not at the suite's timeout). Both get the one token. */
async function joiners(mf: MiniflareClass, bound: number, query = ""): Promise<[Answer, Answer]> {
  const both = Promise.all(["b", "c"].map((n) => mf.dispatchFetch(`http://worker.local/${n}${query}`).then((r) => r.json() as Promise<Answer>)));
  const outcome = await Promise.race([both, new Promise<undefined>((r) => setTimeout(r, bound))]);
  ok(outcome, `the requests that joined the dropped flight did not answer within ${bound} ms: they hang on it`);
  const [b, c] = outcome as [Answer, Answer];
  ok(b.ok && c.ok, `both got a token: ${b.error ?? ""} ${c.error ?? ""}`);
  equal(b.token, c.token, "one fresh flight for both");
  return [b, c];
}

interface Answer {
  ok: boolean;
  token?: string;
  error?: string;
  ms: number;
}
