/**
 * Bundle sizes of small apps built from the installed package (gzip at zlib's default level 6;
 * 1 KiB = 1024 bytes):
 *   secret — uses only ClientSecretCredential;
 *   pem    — ClientCertificateCredential with PEM text;
 *   pfx    — ClientCertificateCredential with a base64 PFX (same imports; the PFX code is lazy).
 *
 * Workers are built by wrangler itself (`wrangler deploy --dry-run --outdir`, default and
 * `--minify`, offline), which inlines dynamic imports into one file — what `wrangler deploy`
 * uploads. The layout README "Keeping the PFX code out of a Worker" describes (esbuild with
 * splitting, modules uploaded as built) is measured with esbuild: *initial* = the entry chunk and
 * what it imports statically, *PEM token loads* = initial + the lazy jose chunk. Node apps (the
 * peers have no Worker build) are bundled by esbuild for platform node.
 */
import { spawnSync } from "node:child_process";
import { build, type BuildOptions, type Metafile } from "esbuild";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export type App = "secret" | "pem" | "pfx";

export interface Size {
  min: number;
  gzip: number;
}

const SCOPE = "https://graph.microsoft.com/.default";

/** The app measured for entra-edge (also built by the bundle budget test in test/tooling/bundle.test.ts). */
export function ourApp(app: App, platform: "workerd" | "node", entry: string): string {
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

// ---------------------------------------------------------------------------------------------
// Workers built by wrangler

export type WranglerMode = "default" | "minify" | "minify-no-keep-names";

export interface WorkerBuild {
  app: App;
  mode: WranglerMode;
  bytes: number;
  gzip: number;
  /** What wrangler printed ("Total Upload: … / gzip: …"). */
  wranglerSays: string;
  /** Packages and entra-edge dist files in the Worker (from the default build's module markers). */
  packages: string[];
  entraFiles: string[];
}

export const WRANGLER_MODES: Record<WranglerMode, { flags: string[]; toml: string; label: string }> = {
  default: { flags: [], toml: "", label: "default" },
  minify: { flags: ["--minify"], toml: "", label: "--minify" },
  "minify-no-keep-names": { flags: ["--minify"], toml: "keep_names = false\n", label: "--minify, keep_names = false" },
};

/** How to run without a network: a fresh network namespace (as root, or with user namespaces). */
function offline(): string[] | undefined {
  for (const prefix of [["unshare", "-n"], ["unshare", "-rn"]]) {
    const r = spawnSync(prefix[0]!, [...prefix.slice(1), "true"], { stdio: "ignore" });
    if (r.status === 0) return prefix;
  }
  return undefined;
}

function markers(js: string): { packages: string[]; entraFiles: string[] } {
  const packages = new Set<string>();
  const entraFiles = new Set<string>();
  for (const m of js.matchAll(/^\/\/ (?:.*\/)?node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\/(\S*)/gm)) {
    if (m[1] === "entra-edge") entraFiles.add(m[2]!);
    else packages.add(m[1]!);
  }
  return { packages: [...packages].sort(), entraFiles: [...entraFiles].sort() };
}

export function wranglerWorkers(opts: {
  appDir: string;
  root: string;
  node: string;
  compatibilityDate: string;
  builds: [App, WranglerMode][];
  log: (s: string) => void;
}): { workers: WorkerBuild[]; offline: boolean } {
  const isolated = offline();
  const workers: WorkerBuild[] = [];
  const seen = new Map<App, { packages: string[]; entraFiles: string[] }>();
  for (const [app, mode] of opts.builds) {
    const dir = join(opts.appDir, "workers", `${app}-${mode}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "index.js"), ourApp(app, "workerd", "entra-edge"));
    writeFileSync(join(dir, "wrangler.toml"), `name = "bench-${app}"\nmain = "index.js"\ncompatibility_date = "${opts.compatibilityDate}"\n${WRANGLER_MODES[mode].toml}`);
    const out = join(dir, "out");
    const wrangler = [opts.node, join(opts.root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", out, ...WRANGLER_MODES[mode].flags];
    const [command, ...args] = [...(isolated ?? []), ...wrangler];
    opts.log(`wrangler deploy --dry-run ${WRANGLER_MODES[mode].label}: ${app} Worker`);
    const r = spawnSync(command!, args, {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", XDG_CONFIG_HOME: join(opts.appDir, "wrangler-config"), CI: "true", NO_COLOR: "1" },
      timeout: 120_000,
    });
    const said = `${r.stdout}\n${r.stderr}`;
    if (r.status !== 0 || !existsSync(join(out, "index.js"))) throw new Error(`wrangler failed for the ${app} Worker (${mode}), exit ${r.status}:\n${said.slice(-3000)}`);
    const js = readFileSync(join(out, "index.js"));
    const found = mode === "default" ? markers(js.toString("utf8")) : seen.get(app) ?? { packages: [], entraFiles: [] };
    if (mode === "default") seen.set(app, found);
    workers.push({ app, mode, bytes: js.length, gzip: gzipSync(js).length, wranglerSays: /Total Upload: [^\n]+/.exec(said)?.[0] ?? "", ...found });
  }
  return { workers, offline: isolated !== undefined };
}

// ---------------------------------------------------------------------------------------------
// esbuild: the split Worker layout and Node apps

export interface SplitLayout {
  app: App;
  /** One file (splitting off). */
  single: Size;
  entry: Size;
  initial: Size & { files: number; packages: string[] };
  lazy: Size & { files: number; packages: string[] };
  /** What a token with a PEM certificate loads: initial + the lazy jose chunk and its static imports. */
  pemPath: Size & { files: number };
}

export interface NodeBundle {
  library: string;
  app: App;
  single: Size & { packages: string[] };
}

function packagesOf(inputs: string[]): string[] {
  const names = new Set<string>();
  for (const input of inputs) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m && m[1] !== "entra-edge") names.add(m[1]!);
  }
  return [...names].sort();
}

/** README's documented split build for Workers (esbuild --splitting --minify, workerd conditions). */
const WORKER_SPLIT: BuildOptions = {
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["cloudflare:*"],
};

async function esbuildApp(dir: string, code: string, extra: BuildOptions, splitting: boolean) {
  const r = await build({
    stdin: { contents: code, resolveDir: dir, loader: "js", sourcefile: "app.js" },
    bundle: true,
    write: false,
    outdir: join(dir, "esbuild-out"),
    format: "esm",
    splitting,
    minify: true,
    metafile: true,
    logLevel: "silent",
    ...extra,
  });
  return { outputFiles: r.outputFiles!, metafile: r.metafile! };
}

export async function splitWorker(dir: string, app: App): Promise<SplitLayout> {
  const code = ourApp(app, "workerd", "entra-edge");
  const one = await esbuildApp(dir, code, WORKER_SPLIT, false);
  const file = one.outputFiles.find((f) => f.path.endsWith(".js"))!;
  const split = await esbuildApp(dir, code, WORKER_SPLIT, true);
  const meta: Metafile = split.metafile;
  const bytes = new Map(split.outputFiles.map((f) => [f.path.slice(f.path.lastIndexOf("/") + 1), f.contents]));
  const outputs = new Map(Object.entries(meta.outputs).map(([p, o]) => [p.slice(p.lastIndexOf("/") + 1), o]));
  const entryName = [...outputs].find(([, o]) => o.entryPoint !== undefined)?.[0];
  if (!entryName) throw new Error(`no entry chunk for the ${app} Worker`);
  const size = (names: Iterable<string>): Size => {
    const list = [...names].map((n) => bytes.get(n)!);
    return { min: list.reduce((s, b) => s + b.length, 0), gzip: list.reduce((s, b) => s + gzipSync(b).length, 0) };
  };
  const walk = (name: string, set: Set<string>, kinds: string[]) => {
    if (set.has(name)) return;
    set.add(name);
    for (const imp of outputs.get(name)?.imports ?? []) if (!imp.external && kinds.includes(imp.kind)) walk(imp.path.slice(imp.path.lastIndexOf("/") + 1), set, kinds);
  };
  const initial = new Set<string>();
  walk(entryName, initial, ["import-statement"]);
  const reachable = new Set<string>();
  walk(entryName, reachable, ["import-statement", "dynamic-import"]);
  const lazy = [...reachable].filter((n) => !initial.has(n));
  const inputsOf = (names: Iterable<string>) => [...names].flatMap((n) => Object.keys(outputs.get(n)!.inputs));
  const pem = new Set(initial);
  for (const name of lazy) if (Object.keys(outputs.get(name)!.inputs).some((i) => i.includes("node_modules/jose/"))) walk(name, pem, ["import-statement"]);
  return {
    app,
    single: { min: file.contents.length, gzip: gzipSync(file.contents).length },
    entry: size([entryName]),
    initial: { ...size(initial), files: initial.size, packages: packagesOf(inputsOf(initial)) },
    lazy: { ...size(lazy), files: lazy.length, packages: packagesOf(inputsOf(lazy)) },
    pemPath: { ...size(pem), files: pem.size },
  };
}

/** A secret-only Node app bundled by esbuild (platform node, one file) from the installed packages. */
export async function nodeBundles(dir: string): Promise<NodeBundle[]> {
  const apps: [string, string][] = [["entra-edge", ourApp("secret", "node", "entra-edge")], ...Object.entries(PEER_APPS)];
  const out: NodeBundle[] = [];
  for (const [library, code] of apps) {
    const r = await esbuildApp(dir, code, { platform: "node" }, false);
    const file = r.outputFiles.find((f) => f.path.endsWith(".js"))!;
    out.push({ library, app: "secret", single: { min: file.contents.length, gzip: gzipSync(file.contents).length, packages: packagesOf(Object.keys(r.metafile.inputs)) } });
  }
  return out;
}
