/**
 * README "Keeping the PFX code out of a Worker": a Worker built with code splitting and uploaded as
 * several modules (what wrangler does with `no_bundle` and an ESModule rule) runs in workerd, and
 * the PFX code is a module of its own that only a PFX loads. Proven by leaving those modules out
 * of the upload: PEM tokens still work (so nothing on the PEM path imports them), a PFX fails;
 * with every module uploaded, the PFX (legacy RC2/3DES, base64) gets a token too. The modules a
 * PEM token needs are held to the 30 KB budget of the benchmarks (issue 5).
 */
import { WORKER_BUILD } from "../support/worker-build.ts";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { gzipSync } from "node:zlib";
import { atMost, equal, ok } from "../assert.ts";
import { PEM_WORKER_SPLIT_GZIP, PEM_WORKER_SPLIT_TEST_LIMIT } from "../../bench/budgets.ts";
import { test, type TestContext } from "../harness.ts";
import { fixture, fixtureBase64, fixtureText, passwordOf } from "../support/fixtures.ts";

const PFX_ONLY = /node_modules\/(asn1js|@noble|@peculiar)\/|src\/certificate\/(pkcs12\.ts|pkcs12-crypto\/)/;

interface Chunk {
  name: string;
  contents: Uint8Array;
  pfxOnly: boolean;
}

async function splitWorker(t: TestContext): Promise<Chunk[]> {
  const outdir = `${t.root}/.tmp/worker-split`;
  const result = await build({
    ...WORKER_BUILD,
    stdin: {
      contents: `
        import { ClientCertificateCredential } from "../src/workerd.ts";
        export default {
          async fetch(request, env) {
            const pfx = new URL(request.url).pathname === "/pfx";
            try {
              const credential = new ClientCertificateCredential(
                env.TENANT,
                env.CLIENT,
                pfx ? { certificate: env.PFX_BASE64, certificatePassword: env.PFX_PASSWORD } : { certificate: env.PEM },
                { authorityHost: env.AUTHORITY },
              );
              const { token } = await credential.getToken("https://graph.microsoft.com/.default");
              return Response.json({ ok: true, token });
            } catch (e) {
              return Response.json({ ok: false, error: String(e) });
            }
          },
        };`,
      resolveDir: `${t.root}/test`,
      loader: "ts",
    },
    outdir,
    splitting: true,
    minify: true,
    metafile: true,
    entryNames: "worker",
    chunkNames: "chunk-[hash]",
  });
  const outputs = result.metafile!.outputs;
  return result.outputFiles!.map((f) => {
    const name = f.path.slice(outdir.length + 1);
    const inputs = Object.keys(outputs[Object.keys(outputs).find((k) => k.endsWith(`/${name}`))!]!.inputs);
    return { name, contents: f.contents, pfxOnly: inputs.some((i) => PFX_ONLY.test(i)) };
  });
}

async function fetchToken(t: TestContext, chunks: Chunk[], path: string, bindings: Record<string, string>): Promise<{ ok: boolean; token?: string; error?: string }> {
  const root = `${t.root}/.tmp/worker-split`;
  const mf = new Miniflare({
    modules: chunks.map((c) => ({ type: "ESModule" as const, path: `${root}/${c.name}`, contents: c.contents })),
    modulesRoot: root,
    compatibilityDate: "2026-05-01",
    bindings,
  });
  try {
    const res = await mf.dispatchFetch(`http://worker.local${path}`);
    return (await res.json()) as { ok: boolean; token?: string; error?: string };
  } finally {
    await mf.dispose();
  }
}

test("worker split: the PFX code is a module of its own; a PEM token never loads it, a PFX loads it on demand (Miniflare)", async (t) => {
  const pem = fixture("pem-pkcs8");
  const pfx = fixture("pfx-legacy");
  const tenantId = t.id("tenant");
  const clientId = t.id("client");
  await t.emulator.addApp({ tenantId, clientId, certificates: [fixtureText(pem.leaf!), fixtureText(pfx.leaf!)] });
  const bindings = {
    TENANT: tenantId,
    CLIENT: clientId,
    AUTHORITY: t.emulatorUrl,
    PEM: fixtureText(pem.file),
    PFX_BASE64: fixtureBase64(pfx.file),
    PFX_PASSWORD: passwordOf(pfx) ?? "",
  };
  const chunks = await splitWorker(t);
  const pfxOnly = chunks.filter((c) => c.pfxOnly);
  const pemPath = chunks.filter((c) => !c.pfxOnly);
  ok(pfxOnly.length > 0, "the PKCS#12 code (asn1js, pkcs12.ts) and the legacy ciphers are in chunks of their own");
  ok(!pfxOnly.some((c) => c.name === "worker.js"), "not in the entry");

  // Upload without the PFX modules: PEM works, so nothing on its path imports them.
  const pemToken = await fetchToken(t, pemPath, "/pem", bindings);
  ok(pemToken.ok, `PEM token without the PFX modules: ${pemToken.error}`);
  const claims = await t.emulator.verifyAccessToken(pemToken.token!);
  equal(claims.aud, "https://graph.microsoft.com");
  const missing = await fetchToken(t, pemPath, "/pfx", bindings);
  ok(!missing.ok, "a PFX needs the modules that were left out");
  equal((await t.emulator.requests()).length, 1, "only the PEM credential reached the token endpoint");

  // Every module uploaded: the PFX loads its code on demand.
  const pfxToken = await fetchToken(t, chunks, "/pfx", bindings);
  ok(pfxToken.ok, `PFX token with every module: ${pfxToken.error}`);

  const gzip = (list: Chunk[]) => list.reduce((n, c) => n + gzipSync(c.contents).length, 0);
  const pemBytes = gzip(pemPath);
  console.log(`    worker split: ${chunks.length} modules; a PEM token's ${pemPath.length}: ${pemBytes} B gzip; PFX-only ${pfxOnly.length}: ${gzip(pfxOnly)} B gzip`);
  atMost(pemBytes, PEM_WORKER_SPLIT_TEST_LIMIT, `the modules a PEM token uses, gzip (issue 5 budget: ${PEM_WORKER_SPLIT_GZIP.toLocaleString("en-US")} B, not met since session 8: bench/budgets.ts)`);
}, { timeoutMs: 120_000 });
