/**
 * The tarball test: `npm pack`, install the tarball in an empty folder, and import `entra-edge` by
 * name on Node, Deno, Bun and in a Worker bundled with esbuild (workerd conditions) run by
 * Miniflare without nodejs_compat — so each runtime's export condition is really resolved — and
 * get tokens from the emulator with a client secret, a PFX (base64) and, where files exist, a
 * certificate path. Which entry each runtime got is asserted from what only that entry does: the
 * runtime named by EnvironmentCredential's message, and a path certificate working (Node, Deno,
 * Bun) or refused with the Workers message (workerd).
 */
import { WORKER_BUILD } from "../support/worker-build.ts";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import process from "node:process";
import { build, type Metafile } from "esbuild";
import { Miniflare } from "miniflare";
import { equal, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";
import { fixture, fixtureBase64, fixtureText } from "../support/fixtures.ts";
import { installPacked, packed, run } from "./process.ts";

const SCOPE = "https://management.azure.com/.default";
const PFX = fixture("pfx-legacy");
const PEM = fixture("pem-pkcs8");

interface Installed {
  dir: string;
  tarball: string;
  files: string[];
}

let installing: Promise<Installed> | undefined;

/** Packs the built package and installs the tarball in an empty folder, once per run. */
function installed(t: TestContext): Promise<Installed> {
  installing ??= (async () => {
    const { base, tarball, files } = await packed(t.root!);
    const dir = `${base}/app`;
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/package.json`, JSON.stringify({ name: "tarball-app", private: true, type: "module" }, null, 2));
    // What a Deno project with a package.json and npm's node_modules uses; stops config discovery here.
    await writeFile(`${dir}/deno.json`, JSON.stringify({ nodeModulesDir: "manual" }));
    await installPacked(tarball, dir);
    return { dir, tarball, files };
  })();
  return installing;
}

interface AppConfig {
  url: string;
  tenantId: string;
  secretClientId: string;
  secret: string;
  pfxClientId: string;
  pfxBase64: string;
  pfxPassword: string;
  pathClientId: string;
  certPath: string;
}

/** Registers the apps the installed package authenticates as. */
async function apps(t: TestContext): Promise<AppConfig> {
  const tenantId = t.id("tenant");
  const config: AppConfig = {
    url: t.emulatorUrl,
    tenantId,
    secretClientId: t.id("secret-app"),
    secret: `tarball-secret-${t.id("s")}`,
    pfxClientId: t.id("pfx-app"),
    pfxBase64: fixtureBase64(PFX.file),
    pfxPassword: PFX.password!,
    pathClientId: t.id("path-app"),
    certPath: `${t.root}/test/fixtures/certs/${PEM.file}`,
  };
  await t.emulator.addApp({ tenantId, clientId: config.secretClientId, secrets: [config.secret] });
  await t.emulator.addApp({ tenantId, clientId: config.pfxClientId, certificates: [fixtureText(PFX.leaf!)] });
  await t.emulator.addApp({ tenantId, clientId: config.pathClientId, certificates: [fixtureText(PEM.leaf!)] });
  return config;
}

/** The same checks on every runtime, written against the package's public API only. */
const CHECK = `
export async function check(lib, cfg) {
  const SCOPE = ${JSON.stringify(SCOPE)};
  const out = { exports: Object.keys(lib).sort() };
  try {
    await new lib.EnvironmentCredential().getToken(SCOPE);
    out.environment = "configured";
  } catch (e) {
    out.environment = e.name + ": " + e.message;
  }
  const options = { authorityHost: cfg.url, retryOptions: { maxRetries: 0 } };
  out.secretToken = (await new lib.ClientSecretCredential(cfg.tenantId, cfg.secretClientId, cfg.secret, options).getToken(SCOPE)).token;
  // No authorityHost: AZURE_AUTHORITY_HOST (set to the emulator for Node, Deno and Bun; a Worker has no process environment).
  const recorded = (url, init) => {
    out.defaultAuthorityUrl = url;
    return url.startsWith(cfg.url + "/") ? fetch(url, init) : Promise.resolve(Response.json({ token_type: "Bearer", expires_in: 3600, access_token: "made-up" }));
  };
  out.defaultAuthorityToken = (await new lib.ClientSecretCredential(cfg.tenantId, cfg.secretClientId, cfg.secret, { fetch: recorded, retryOptions: { maxRetries: 0 } }).getToken(SCOPE)).token;
  const pfx = { certificate: cfg.pfxBase64, certificatePassword: cfg.pfxPassword };
  out.pfxToken = (await new lib.ClientCertificateCredential(cfg.tenantId, cfg.pfxClientId, pfx, options).getToken(SCOPE)).token;
  out.sha1 = (await lib.parseCertificate(pfx)).sha1Thumbprint;
  // entra-edge/core by name: the same classes as the runtime's entry (instanceof holds across them), on every runtime
  const core = await import("entra-edge/core");
  out.coreMismatches = ["AuthenticationError", "CertificateError", "CredentialUnavailableError", "ClientAuthenticationError", "sharedTokenCache"]
    .filter((n) => core[n] === undefined || core[n] !== lib[n])
    .concat(["ClientSecretCredential", "ClientCertificateCredential", "EnvironmentCredential"].filter((n) => core[n] === undefined || !(lib[n] === core[n] || Object.getPrototypeOf(lib[n]) === core[n])));
  try {
    out.pathToken = (await new lib.ClientCertificateCredential(cfg.tenantId, cfg.pathClientId, cfg.certPath, options).getToken(SCOPE)).token;
  } catch (e) {
    out.pathError = e.name + ": " + e.message;
  }
  return out;
}
`;

interface CheckResult {
  exports: string[];
  environment: string;
  secretToken: string;
  pfxToken: string;
  sha1: string;
  pathToken?: string;
  pathError?: string;
  /** The token URL of a ClientSecretCredential made without authorityHost, and its token. */
  defaultAuthorityUrl: string;
  defaultAuthorityToken: string;
  /** The classes entra-edge/core does not share with the entry (none: one copy of each). */
  coreMismatches: string[];
  /** Node, Deno, Bun: entra-edge/testing imported by name issued a token it verifies. */
  testingSubpath?: boolean;
  resolved?: string;
}

async function writeApp(dir: string, config: AppConfig): Promise<void> {
  await writeFile(`${dir}/check.mjs`, CHECK);
  await writeFile(
    `${dir}/main.mjs`,
    `import * as lib from "entra-edge";
import { check } from "./check.mjs";
const result = await check(lib, ${JSON.stringify(config)});
result.resolved = import.meta.resolve("entra-edge");
// entra-edge/testing by name: the emulator in-process, as a credential's transport.
const { EntraEmulator } = await import("entra-edge/testing");
const emulator = new EntraEmulator();
emulator.addApp({ tenantId: "t", clientId: "c", secrets: ["s"] });
const fetch = emulator.fetch;
const local = await new lib.ClientSecretCredential("t", "c", "s", { authorityHost: "http://127.0.0.1", fetch }).getToken("https://graph.microsoft.com/.default");
result.testingSubpath = (await emulator.verifyAccessToken(local.token)).appid === "c";
console.log("RESULT " + JSON.stringify(result));
`,
  );
  await writeFile(
    `${dir}/worker.mjs`,
    `import * as lib from "entra-edge";
import { check } from "./check.mjs";
export default {
  async fetch() {
    try {
      return Response.json(await check(lib, ${JSON.stringify(config)}));
    } catch (e) {
      return new Response(String((e && e.stack) || e), { status: 500 });
    }
  },
};
`,
  );
}

/** What every runtime must show: its own entry, tokens the emulator verifies, the PFX's thumbprint. */
async function verify(t: TestContext, config: AppConfig, result: CheckResult, environmentName: string): Promise<void> {
  for (const name of ["ClientSecretCredential", "ClientCertificateCredential", "ClientAssertionCredential", "EnvironmentCredential", "parseCertificate", "AuthenticationError", "CredentialUnavailableError", "CertificateError"]) {
    ok(result.exports.includes(name), `the package exports ${name}`);
  }
  ok(result.environment.includes(`not set in the ${environmentName} environment`), `EnvironmentCredential reads the ${environmentName} environment (that entry's adapter): ${result.environment}`);
  const secretClaims = await t.emulator.verifyAccessToken(result.secretToken);
  equal(secretClaims.appid, config.secretClientId);
  equal(secretClaims.appidacr, "1", "client secret");
  const pfxClaims = await t.emulator.verifyAccessToken(result.pfxToken);
  equal(pfxClaims.appid, config.pfxClientId);
  equal(pfxClaims.appidacr, "2", "certificate (PFX)");
  equal(result.sha1, PFX.sha1, "the PFX's SHA-1 thumbprint as openssl computed it");
  equal(result.coreMismatches.join(", "), "", `entra-edge/core shares its classes with entra-edge on ${environmentName} (on Deno it resolved to the Node bundle: attack review of session 10)`);
  if (environmentName === "Cloudflare Workers") {
    equal(result.defaultAuthorityUrl, `https://login.microsoftonline.com/${config.tenantId}/oauth2/v2.0/token`, "a Worker has no process environment: the public cloud");
  } else {
    equal(result.defaultAuthorityUrl, `${config.url}/${config.tenantId}/oauth2/v2.0/token`, "without authorityHost, AZURE_AUTHORITY_HOST names the authority");
    equal((await t.emulator.verifyAccessToken(result.defaultAuthorityToken)).appid, config.secretClientId);
  }
}

async function verifyWithFiles(t: TestContext, config: AppConfig, result: CheckResult, runtime: string, environmentName: string): Promise<void> {
  await verify(t, config, result, environmentName);
  ok(result.testingSubpath, "entra-edge/testing imported by name and issued a verifiable token");
  ok(result.resolved?.endsWith(`/node_modules/entra-edge/dist/${runtime}.js`), `"entra-edge" resolved to the ${runtime} build: ${result.resolved}`);
  ok(result.pathToken, `a certificate path works: ${result.pathError ?? ""}`);
  const pathClaims = await t.emulator.verifyAccessToken(result.pathToken!);
  equal(pathClaims.appid, config.pathClientId);
}

async function runApp(t: TestContext, command: string, args: string[]): Promise<CheckResult> {
  const { dir } = await installed(t);
  const r = await run(command, args, { cwd: dir, timeoutMs: 60_000, env: { AZURE_AUTHORITY_HOST: t.emulatorUrl } });
  const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  ok(r.code === 0 && line, `${command.split("/").pop()} ${args.join(" ")} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line!.slice("RESULT ".length)) as CheckResult;
}

test("tarball: npm pack ships dist, the bin, README, LICENSE, SECURITY.md, what README links to (src/README.md, bench/RESULTS.md, examples/) and package.json only — without a clone's lifecycle scripts", async (t) => {
  const { files } = await installed(t);
  for (const f of ["package.json", "README.md", "LICENSE", "SECURITY.md", "dist/cli.js", "dist/index.js", "dist/index.d.ts", "dist/node.js", "dist/deno.js", "dist/bun.js", "dist/workerd.js", "dist/core.js", "dist/testing.js", "dist/testing.d.ts", "dist/certificate/pkcs12.js"]) {
    ok(files.includes(f), `the tarball holds ${f}`);
  }
  const stray = files.filter((f) => !/^(dist\/|examples\/|package\.json$|README\.md$|LICENSE$|SECURITY\.md$|src\/README\.md$|bench\/(RESULTS|README)\.md$)/.test(f));
  equal(stray.join(", "), "", "nothing else is packed (no src/ code, test/, fixtures)");
  // Every relative link of README resolves inside the package.
  const readme = await readFile(`${t.root}/README.md`, "utf8");
  for (const [, target] of readme.matchAll(/\]\(((?!https?:|#|mailto:)[^)#\s]+)/g)) {
    ok(files.some((f) => f === target!.replace(/\/$/, "") || f.startsWith(target!.endsWith("/") ? target! : `${target}/`)), `README links ${target}, which the tarball holds`);
  }
  // npm 11 warns on every install about lifecycle scripts; a clone's prepare/prepack/postpack do not ship.
  const { dir } = await installed(t);
  const manifest = JSON.parse(await readFile(`${dir}/node_modules/entra-edge/package.json`, "utf8")) as { scripts?: Record<string, string> };
  for (const name of ["preinstall", "install", "postinstall", "prepare", "prepack", "postpack"]) equal(manifest.scripts?.[name], undefined, `the shipped package.json has no ${name} script`);
  const repo = JSON.parse(await readFile(`${t.root}/package.json`, "utf8")) as { scripts: Record<string, string> };
  ok(repo.scripts.prepare, "the clone's package.json keeps prepare (restored after npm pack)");
  const cli = await readFile(`${t.root}/dist/cli.js`, "utf8");
  ok(cli.startsWith("#!/usr/bin/env node\n"), "dist/cli.js starts with the node shebang");
}, { timeoutMs: 240_000 });

test("tarball: Node imports entra-edge by name (node condition): secret, PFX and path tokens; AZURE_AUTHORITY_HOST is the default authority", async (t) => {
  const config = await apps(t);
  await writeApp((await installed(t)).dir, config);
  const result = await runApp(t, process.execPath, ["main.mjs"]);
  await verifyWithFiles(t, config, result, "node", "Node.js");
}, { timeoutMs: 240_000 });

test("tarball: Deno imports entra-edge by name from node_modules (deno condition): secret, PFX and path tokens; AZURE_AUTHORITY_HOST is the default authority", async (t) => {
  const config = await apps(t);
  await writeApp((await installed(t)).dir, config);
  const result = await runApp(t, `${t.root}/node_modules/.bin/deno`, ["run", "--allow-env", "--allow-read", "--allow-net=127.0.0.1", "main.mjs"]);
  await verifyWithFiles(t, config, result, "deno", "Deno");
}, { timeoutMs: 240_000 });

test("tarball: Bun imports entra-edge by name (bun condition): secret, PFX and path tokens; AZURE_AUTHORITY_HOST is the default authority", async (t) => {
  const config = await apps(t);
  await writeApp((await installed(t)).dir, config);
  const result = await runApp(t, `${t.root}/node_modules/.bin/bun`, ["main.mjs"]);
  await verifyWithFiles(t, config, result, "bun", "Bun");
}, { timeoutMs: 240_000 });

function inputsInOutput(meta: Metafile): string[] {
  return Object.values(meta.outputs).flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([name]) => name));
}

test("tarball: a Worker bundled by esbuild from the package (workerd condition) runs in workerd without nodejs_compat: secret and PFX tokens, paths refused, the public cloud by default", async (t) => {
  const config = await apps(t);
  const { dir } = await installed(t);
  await writeApp(dir, config);
  const bundle = await build({
    ...WORKER_BUILD,
    entryPoints: [`${dir}/worker.mjs`],
    absWorkingDir: dir,
    target: "es2022",
    metafile: true,
  });
  const inputs = Object.keys(bundle.metafile.inputs);
  ok(inputs.includes("node_modules/entra-edge/dist/workerd.js"), `esbuild resolved the workerd build: ${inputs.filter((i) => /entra-edge\/dist\/[^/]+\.js$/.test(i)).join(", ")}`);
  ok(!inputs.some((i) => /entra-edge\/dist\/(node|deno|bun|index)\.js$/.test(i)), "no other runtime's entry is in the Worker");
  const mf = new Miniflare({ modules: true, script: bundle.outputFiles[0]!.text, compatibilityDate: "2026-05-01" });
  try {
    const res = await mf.dispatchFetch("http://worker.local/");
    const text = await res.text();
    equal(res.status, 200, `the Worker answered ${res.status}: ${text.slice(0, 2000)}`);
    const result = JSON.parse(text) as CheckResult;
    await verify(t, config, result, "Cloudflare Workers");
    ok(!result.pathToken && result.pathError?.includes("Cloudflare Workers have no file system"), `a path is refused with the Workers message: ${result.pathError}`);
  } finally {
    await mf.dispose();
  }
}, { timeoutMs: 240_000 });

test("tarball: a client-secret Worker bundled from the package carries no certificate code, jose or asn1js", async (t) => {
  const { dir } = await installed(t);
  const bundle = async (code: string, splitting: boolean) =>
    build({
      ...WORKER_BUILD,
      stdin: { contents: code, resolveDir: dir, loader: "js" },
      absWorkingDir: dir,
      outdir: `${dir}/out`,
      splitting,
      metafile: true,
      minify: true,
    });
  const secret = await bundle(`import { ClientSecretCredential } from "entra-edge"; export default new ClientSecretCredential("t", "c", "s");`, false);
  const heavy = inputsInOutput(secret.metafile).filter((i) => /node_modules\/(asn1js|jose|@noble|@peculiar)\/|entra-edge\/dist\/certificate\//.test(i));
  equal(heavy.join(", "), "", "nothing of the certificate path in a client-secret Worker");
  const bytes = secret.outputFiles.reduce((n, f) => n + f.contents.length, 0);
  ok(bytes < 40_000, `a client-secret Worker stays small: ${bytes} bytes minified (the PKCS#12 code alone is ~100 KB)`);
  // A PEM app: the PKCS#12 code (asn1js, pkcs12.js) only in the chunk the PFX path imports lazily.
  const pem = await bundle(`import { ClientCertificateCredential } from "entra-edge"; export default new ClientCertificateCredential("t", "c", { certificate: "" });`, true);
  const [, entry] = Object.entries(pem.metafile.outputs).find(([, o]) => o.entryPoint !== undefined)!;
  const entryInputs = Object.entries(entry.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([name]) => name);
  ok(inputsInOutput(pem.metafile).some((i) => i.includes("node_modules/jose/")), "jose (which signs the assertion) is in the bundle");
  const eager = entryInputs.filter((i) => /node_modules\/(asn1js|@peculiar|@noble)\/|entra-edge\/dist\/certificate\/(pkcs12\.js|pkcs12-crypto\/)/.test(i));
  equal(eager.join(", "), "", "asn1js, pkcs12.js and the legacy ciphers are not in the entry chunk");
  const all = inputsInOutput(pem.metafile);
  ok(all.some((i) => i.includes("node_modules/asn1js/")) && all.some((i) => i.includes("entra-edge/dist/certificate/pkcs12.js")), "asn1js and pkcs12.js are in a lazy chunk for PFX files");
  ok(!all.some((i) => i.includes("node_modules/pkijs/")), "pkijs is in no chunk");
}, { timeoutMs: 240_000 });

test("tarball: the declarations compile in a Node project without the DOM lib (lib: es2022, @types/node, skipLibCheck off): every entry", async (t) => {
  const { dir } = await installed(t);
  const project = `${dir}/types-only`;
  await mkdir(project, { recursive: true });
  await writeFile(
    `${project}/tsconfig.json`,
    JSON.stringify({ compilerOptions: { target: "es2022", lib: ["es2022"], module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, skipLibCheck: false, types: ["node"], typeRoots: [`${t.root}/node_modules/@types`] }, files: ["main.ts"] }, null, 2),
  );
  await writeFile(`${project}/package.json`, JSON.stringify({ type: "module" }));
  await writeFile(
    `${project}/main.ts`,
    [
      'import { ClientCertificateCredential, ClientSecretCredential, parseCertificate } from "entra-edge";',
      'import * as core from "entra-edge/core";',
      'import { EntraEmulator } from "entra-edge/testing";',
      'const credential = new ClientSecretCredential("t", "c", "s");',
      'const key: CryptoKey = (await parseCertificate("app.pem")).privateKey;',
      "void [credential, key, core, EntraEmulator, ClientCertificateCredential];",
      "",
    ].join("\n"),
  );
  const r = await run(process.execPath, [`${t.root}/node_modules/typescript/bin/tsc`, "-p", project], { cwd: project, timeoutMs: 120_000 });
  equal(`${r.stdout}${r.stderr}`.trim(), "", "tsc reports nothing");
  equal(r.code, 0);
}, { timeoutMs: 240_000 });
