/**
 * What a user's editor and JSR show: every runtime entry's ClientCertificateCredential,
 * EnvironmentCredential and parseCertificate carry their own TSDoc with an @example — in the
 * declarations npm ships (dist/*.d.ts) and in `deno doc` of the sources JSR publishes — and no
 * public signature takes the internal RuntimeAdapter. And the exported classes keep their public
 * `name` in a minified Worker bundle.
 */
import { readdirSync, readFileSync } from "node:fs";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { deepEqual, equal, ok } from "../assert.ts";
import { test } from "../harness.ts";
import { WORKER_BUILD } from "../support/worker-build.ts";
import { ensureBuilt, run } from "./process.ts";

const RUNTIMES = ["node", "deno", "bun", "workerd"] as const;
const OWN = ["ClientCertificateCredential", "EnvironmentCredential", "parseCertificate"];
/** The entries with a process environment also declare the secret and assertion credentials (their default authority is AZURE_AUTHORITY_HOST). */
const ownOf = (runtime: (typeof RUNTIMES)[number]) => (runtime === "workerd" ? OWN : [...OWN, "ClientSecretCredential", "ClientAssertionCredential"]);

/** The doc comment right before `declare class|function <name>` in a .d.ts text. */
function docBefore(dts: string, name: string): string | undefined {
  const m = new RegExp(`(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\s*(?:export )?declare (?:class|function) ${name}\\b`).exec(dts);
  return m?.[1];
}

test("hovers: dist/<runtime>.d.ts gives each runtime's credentials and parseCertificate their own TSDoc with @example; no declaration names RuntimeAdapter or @inheritDoc", async (t) => {
  await ensureBuilt(t.root!);
  for (const runtime of RUNTIMES) {
    const dts = readFileSync(`${t.root}/dist/${runtime}.d.ts`, "utf8");
    for (const name of ownOf(runtime)) {
      const doc = docBefore(dts, name);
      ok(doc, `dist/${runtime}.d.ts declares ${name} with a doc comment`);
      ok(doc!.includes("@example"), `${runtime} ${name}: @example`);
      ok(!doc!.includes("@inheritDoc"), `${runtime} ${name}: its own text, not {@inheritDoc}`);
    }
  }
  for (const file of readdirSync(`${t.root}/dist`).filter((f) => f.endsWith(".d.ts"))) {
    const dts = readFileSync(`${t.root}/dist/${file}`, "utf8");
    ok(!dts.includes("RuntimeAdapter"), `dist/${file} names no RuntimeAdapter (the runtime is a stripped protected static, not a constructor argument)`);
    ok(!dts.includes("@inheritDoc"), `dist/${file}: no @inheritDoc`);
  }
});

interface DocNode {
  name: string;
  kind: string;
  declarations: { location: { filename: string }; jsDoc?: { doc?: string; tags?: { kind: string }[] }; def?: { constructors?: { params: { name: string }[] }[] } }[];
}

test("hovers: deno doc (what JSR shows) of each runtime entry documents its own ClientCertificateCredential, EnvironmentCredential and parseCertificate, declared in that entry", async (t) => {
  for (const runtime of RUNTIMES) {
    const r = await run(`${t.root}/node_modules/.bin/deno`, ["doc", "--json", "--config", "deno.json", `src/${runtime}.ts`], { cwd: t.root!, timeoutMs: 120_000 });
    equal(r.code, 0, `deno doc src/${runtime}.ts: ${r.stderr.slice(-2000)}`);
    const out = JSON.parse(r.stdout) as { nodes: Record<string, { symbols: DocNode[] }> };
    const symbols = Object.entries(out.nodes).find(([file]) => file.endsWith(`/src/${runtime}.ts`))![1].symbols;
    for (const name of ownOf(runtime)) {
      const symbol = symbols.find((s) => s.name === name);
      ok(symbol, `${runtime}: ${name} is documented`);
      const declaration = symbol!.declarations[0]!;
      ok(declaration.location.filename.endsWith(`/src/${runtime}.ts`), `${runtime}: ${name} is declared in src/${runtime}.ts (got ${declaration.location.filename})`);
      ok(declaration.jsDoc?.doc && declaration.jsDoc.doc.length > 80, `${runtime}: ${name} has its own text`);
      ok(!declaration.jsDoc!.doc!.includes("inheritDoc"), `${runtime}: ${name} does not say {@inheritDoc}`);
      ok(declaration.jsDoc!.tags?.some((tag) => tag.kind === "example"), `${runtime}: ${name} has an @example`);
    }
    // The core classes' constructors take no runtime: public signatures are the users' only.
    const core = symbols.find((s) => s.name === "ClientSecretCredential")!.declarations[0]!;
    deepEqual(core.def!.constructors!.map((c) => c.params.map((p) => p.name)), [["tenantId", "clientId", "clientSecret", "options"]], `${runtime}: ClientSecretCredential's constructor`);
  }
}, { timeoutMs: 120_000 });

test("hovers: in a minified Worker bundle every exported class keeps its public name (Class.name, instance.constructor.name)", async (t) => {
  const bundle = await build({
    ...WORKER_BUILD,
    minify: true,
    stdin: {
      contents: `
        import * as lib from "./src/workerd.ts";
        export default {
          async fetch() {
            const names = {};
            for (const [key, value] of Object.entries(lib)) if (typeof value === "function" && /^[A-Z]/.test(key)) names[key] = value.name;
            const cert = new lib.ClientCertificateCredential("t", "c", { certificate: "x" });
            const env = new lib.EnvironmentCredential({ env: {} });
            return Response.json({ names, instances: [cert.constructor.name, env.constructor.name] });
          },
        };`,
      resolveDir: t.root!,
      loader: "js",
    },
  });
  const mf = new Miniflare({ modules: true, script: bundle.outputFiles[0]!.text, compatibilityDate: "2026-05-01" });
  try {
    const body = (await (await mf.dispatchFetch("http://worker.local/")).json()) as { names: Record<string, string>; instances: string[] };
    const classes = Object.keys(body.names);
    ok(classes.length >= 7, `the Worker saw the exported classes (${classes.join(", ")})`);
    for (const [key, name] of Object.entries(body.names)) equal(name, key, `${key}.name`);
    deepEqual(body.instances, ["ClientCertificateCredential", "EnvironmentCredential"]);
  } finally {
    await mf.dispose();
  }
}, { timeoutMs: 60_000 });
