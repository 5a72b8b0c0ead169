/**
 * Bundle size with esbuild (minified; gzip at zlib's default level 6; 1 KiB = 1024 bytes) of
 * three small apps, for Cloudflare Workers (platform neutral, conditions workerd/worker/browser,
 * like wrangler) and for Node (platform node):
 *   secret — uses only ClientSecretCredential;
 *   pem    — ClientCertificateCredential with PEM text;
 *   pfx    — ClientCertificateCredential with a base64 PFX (same imports; the PFX code is lazy).
 * Each is built twice: as one file (what wrangler deploys by default: dynamic imports inlined)
 * and with splitting, where the entry chunk plus the chunks it imports statically is what loads
 * at start ("initial"), and the chunks behind dynamic imports load on demand ("lazy").
 * entra-edge is bundled from its source entries (src/workerd.ts, src/node.ts); the peers from
 * node_modules (secret app, platform node).
 */
import { build, type BuildOptions, type Metafile } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export type Platform = "workerd" | "node";
export type App = "secret" | "pem" | "pfx";

export interface Size {
  min: number;
  gzip: number;
}

export interface BundleResult {
  library: string;
  app: App;
  platform: Platform;
  single: Size & { packages: string[] };
  /** Minified bytes per source module in the one-file build (entra-edge secret app only). */
  modules?: { path: string; bytes: number }[];
  split?: {
    entry: Size;
    initial: Size & { files: number; packages: string[] };
    lazy: (Size & { file: string; packages: string[] })[];
    lazyTotal: Size;
    /**
     * What a token with a PEM certificate loads: the initial chunks plus the lazy chunk(s) holding
     * jose (signing) and their static imports — not the PFX-only chunks (pkijs, legacy ciphers).
     */
    pemPath?: Size & { files: number };
  };
}

const SCOPE = "https://graph.microsoft.com/.default";

/** The app measured for entra-edge (also built by the bundle budget test in test/tooling/bundle.test.ts). */
export function ourApp(app: App, platform: Platform, entry: string): string {
  const env = platform === "workerd" ? "env" : "process.env";
  const make =
    app === "secret"
      ? `new ClientSecretCredential(${env}.AZURE_TENANT_ID, ${env}.AZURE_CLIENT_ID, ${env}.AZURE_CLIENT_SECRET)`
      : app === "pem"
        ? `new ClientCertificateCredential(${env}.AZURE_TENANT_ID, ${env}.AZURE_CLIENT_ID, { certificate: ${env}.AZURE_CLIENT_CERTIFICATE_PEM })`
        : `new ClientCertificateCredential(${env}.AZURE_TENANT_ID, ${env}.AZURE_CLIENT_ID, { certificate: ${env}.AZURE_CLIENT_CERTIFICATE_PFX_BASE64, certificatePassword: ${env}.AZURE_CLIENT_CERTIFICATE_PASSWORD })`;
  const name = app === "secret" ? "ClientSecretCredential" : "ClientCertificateCredential";
  if (platform === "workerd") {
    return `import { ${name} } from ${JSON.stringify(entry)};
export default { async fetch(request, env) { const credential = ${make}; const { token } = await credential.getToken(${JSON.stringify(SCOPE)}); return new Response(String(token.length)); } };`;
  }
  return `import { ${name} } from ${JSON.stringify(entry)};
const credential = ${make};
const { token } = await credential.getToken(${JSON.stringify(SCOPE)});
console.log(token.length);`;
}

const PEER_APPS: Record<string, string> = {
  "@azure/identity": `import { ClientSecretCredential } from "@azure/identity";
const credential = new ClientSecretCredential(process.env.AZURE_TENANT_ID, process.env.AZURE_CLIENT_ID, process.env.AZURE_CLIENT_SECRET);
const { token } = await credential.getToken(${JSON.stringify(SCOPE)});
console.log(token.length);`,
  "@azure/msal-node": `import { ConfidentialClientApplication } from "@azure/msal-node";
const app = new ConfidentialClientApplication({ auth: { clientId: process.env.AZURE_CLIENT_ID, authority: "https://login.microsoftonline.com/" + process.env.AZURE_TENANT_ID, clientSecret: process.env.AZURE_CLIENT_SECRET } });
const result = await app.acquireTokenByClientCredential({ scopes: [${JSON.stringify(SCOPE)}] });
console.log(result.accessToken.length);`,
};

function options(platform: Platform, root: string, code: string, outdir: string, splitting: boolean): BuildOptions {
  const base: BuildOptions = {
    stdin: { contents: code, resolveDir: root, loader: "js", sourcefile: "app.js" },
    bundle: true,
    write: false,
    outdir,
    format: "esm",
    splitting,
    minify: true,
    metafile: true,
    logLevel: "silent",
  };
  if (platform === "workerd") {
    return { ...base, platform: "neutral", conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"], external: ["cloudflare:*"] };
  }
  return { ...base, platform: "node" };
}

function packagesOf(inputs: string[]): string[] {
  const names = new Set<string>();
  for (const input of inputs) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) names.add(m[1]!);
  }
  return [...names].sort();
}

async function measure(library: string, app: App, platform: Platform, root: string, code: string): Promise<BundleResult> {
  const outdir = mkdtempSync(join(tmpdir(), "entra-edge-bench-bundle-"));
  try {
    const single = await build(options(platform, root, code, outdir, false));
    const file = single.outputFiles!.find((f) => f.path.endsWith(".js"))!;
    const singleInputs = Object.values(single.metafile!.outputs).flatMap((o) => Object.keys(o.inputs));
    const result: BundleResult = {
      library,
      app,
      platform,
      single: { min: file.contents.length, gzip: gzipSync(file.contents).length, packages: packagesOf(singleInputs) },
    };
    if (library === "entra-edge" && app === "secret") {
      const inputs = Object.values(single.metafile!.outputs).find((o) => o.entryPoint)?.inputs ?? {};
      result.modules = Object.entries(inputs)
        .map(([path, v]) => ({ path: path.replace(/^.*?(src\/|node_modules\/)/, "$1"), bytes: v.bytesInOutput }))
        .filter((x) => x.bytes > 0)
        .sort((a, b) => b.bytes - a.bytes);
    }
    const split = await build(options(platform, root, code, outdir, true));
    const meta: Metafile = split.metafile!;
    const bytes = new Map(split.outputFiles!.map((f) => [f.path.slice(f.path.lastIndexOf("/") + 1), f.contents]));
    const outputs = new Map(Object.entries(meta.outputs).map(([p, o]) => [p.slice(p.lastIndexOf("/") + 1), o]));
    const entryName = [...outputs].find(([, o]) => o.entryPoint?.endsWith("app.js") || o.entryPoint === "<stdin>")?.[0];
    if (!entryName) throw new Error(`no entry chunk for ${library} ${app} ${platform}`);
    const size = (names: Iterable<string>): Size => {
      const list = [...names].map((n) => bytes.get(n)!);
      return { min: list.reduce((s, b) => s + b.length, 0), gzip: list.reduce((s, b) => s + gzipSync(b).length, 0) };
    };
    // Initial: the entry and what it imports statically; lazy: what dynamic imports reach beyond that.
    const initial = new Set<string>();
    const walk = (name: string, set: Set<string>, kinds: string[]) => {
      if (set.has(name)) return;
      set.add(name);
      for (const imp of outputs.get(name)?.imports ?? []) {
        if (imp.external) continue;
        if (kinds.includes(imp.kind)) walk(imp.path.slice(imp.path.lastIndexOf("/") + 1), set, kinds);
      }
    };
    walk(entryName, initial, ["import-statement"]);
    const reachable = new Set<string>();
    walk(entryName, reachable, ["import-statement", "dynamic-import"]);
    const lazy = [...reachable].filter((n) => !initial.has(n));
    const initialInputs = [...initial].flatMap((n) => Object.keys(outputs.get(n)!.inputs));
    result.split = {
      entry: size([entryName]),
      initial: { ...size(initial), files: initial.size, packages: packagesOf(initialInputs) },
      lazy: lazy.map((n) => ({ file: n, ...size([n]), packages: packagesOf(Object.keys(outputs.get(n)!.inputs)) })),
      lazyTotal: size(lazy),
    };
    if (library === "entra-edge" && app !== "secret") {
      const pem = new Set(initial);
      for (const name of lazy) {
        if (Object.keys(outputs.get(name)!.inputs).some((i) => i.includes("node_modules/jose/"))) walk(name, pem, ["import-statement"]);
      }
      result.split.pemPath = { ...size(pem), files: pem.size };
    }
    return result;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export async function measureBundles(root: string): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const platform of ["workerd", "node"] as const) {
    const entry = `${root}src/${platform === "workerd" ? "workerd" : "node"}.ts`;
    for (const app of ["secret", "pem", "pfx"] as const) results.push(await measure("entra-edge", app, platform, root, ourApp(app, platform, entry)));
  }
  for (const [library, code] of Object.entries(PEER_APPS)) results.push(await measure(library, "secret", "node", root, code));
  return results;
}
