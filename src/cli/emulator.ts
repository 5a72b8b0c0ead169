/**
 * `entra-edge emulator`: serves the local Entra emulator on 127.0.0.1 — HTTP, or HTTPS with
 * `--tls` (a throwaway CA it makes) or `--tls-cert/--tls-key` — for users testing their own apps
 * from any language, prints its URL, the lines that make clients trust it and the AZURE_* lines
 * that point an app at it, logs each token request, and runs until SIGINT / SIGTERM. Apps come
 * from flags or a JSON config file. Secrets are never printed.
 *
 * @module
 */
import { parseCertificateWith } from "../certificate/parse.ts";
import { thumbprints } from "../certificate/x509.ts";
import { parsePem } from "../certificate/pem.ts";
import { parseX509 } from "../certificate/x509.ts";
import { MIN_RSA_BITS } from "../lib/limits.ts";
import { noRuntime, readFileWith } from "../lib/runtime.ts";
import { showPath } from "../certificate/path.ts";
import { DROP, RECORD_OF, SERVED } from "../testing/handler.ts";
import type { EmulatorApp, EmulatorFederatedCredential, EmulatorSecret, EmulatorWorkload } from "../testing/types.ts";
import { flag, listOption, nearest, parseArgs, stringOption, UsageError } from "./args.ts";
import { describe, exitCodeOf, EXIT, PASSWORD_ENV } from "./errors.ts";
import { certificatePassword, fileProblem, pathShown, readCertificateFile } from "./files.ts";
import { oneLine } from "./format.ts";
import { normalizeAuthority, trimSlashes } from "../token/authority.ts";
import { EMULATOR_HELP } from "./help.ts";
import type { CliIO } from "./io.ts";
import { CredentialUnavailableError } from "../lib/errors.ts";

const SPEC = {
  port: {},
  app: { repeat: true },
  cert: { repeat: true },
  federated: { repeat: true },
  "password-env": {},
  tls: { boolean: true },
  "tls-cert": {},
  "tls-key": {},
  "ca-file": {},
  "public-url": {},
  "expires-in": {},
  "refresh-in": {},
  control: { boolean: true },
  config: {},
  help: { boolean: true, short: "h" },
};

const ID = /^[0-9a-zA-Z._-]+$/;

/** An app as the flags and the config file describe it, before the emulator's URL is known. */
interface Registration {
  tenantId: string;
  clientId: string;
  secrets: (string | EmulatorSecret)[];
  certificates: { der: Uint8Array; startsOn?: string | number; expiresOn?: string | number }[];
  /** Issuer names (`k8s`) become the emulator's issuer URLs once it listens. */
  federated: EmulatorFederatedCredential[];
  expiresIn?: number;
  refreshIn?: number;
  claims?: Record<string, unknown>;
  /** How the app authenticates, for the output (never the secret). */
  described: string[];
  /** A certificate file given for the app (for the AZURE_CLIENT_CERTIFICATE_PATH hint). */
  certificatePath?: string;
  /** The variable that held the password of that certificate file (for the AZURE_CLIENT_CERTIFICATE_PASSWORD hint). */
  passwordFrom?: string;
  /** Secrets came from the config file (for the AZURE_CLIENT_SECRET hint). */
  fromConfig?: boolean;
}

/** What the config file (`--config emulator.json`) may hold; flags add to it and override its scalars. */
interface ConfigFile {
  port?: number;
  publicUrl?: string;
  tls?: boolean | { cert: string; key: string };
  caFile?: string;
  control?: boolean;
  expiresIn?: number;
  refreshIn?: number;
  apps?: {
    tenantId: string;
    clientId: string;
    secrets?: (string | EmulatorSecret)[];
    certificates?: (string | { file: string; startsOn?: string | number; expiresOn?: string | number })[];
    federatedCredentials?: EmulatorFederatedCredential[];
    expiresIn?: number;
    refreshIn?: number;
    claims?: Record<string, unknown>;
  }[];
  workloads?: EmulatorWorkload[];
}

/** Splits `tenant:client:rest` at the first two colons (a secret or a Windows path may hold more). */
function triple(option: string, value: string, third: string): [string, string, string] {
  const a = value.indexOf(":");
  const b = a === -1 ? -1 : value.indexOf(":", a + 1);
  if (a === -1 || b === -1) throw new UsageError(`--${option} needs tenant:client:${third} (three parts separated by ':')`);
  const tenant = value.slice(0, a);
  const client = value.slice(a + 1, b);
  const rest = value.slice(b + 1);
  if (!ID.test(tenant) || !ID.test(client)) throw new UsageError(`--${option}: the tenant and client ids may hold letters, digits, '.', '_' and '-'`);
  if (rest === "") throw new UsageError(`--${option}: the ${third} is empty`);
  return [tenant, client, rest];
}

function port(value: string | number | undefined): number {
  if (value === undefined) return 0;
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError("--port must be a number from 0 to 65535 (0: a free port)");
  return n;
}

function seconds(name: string, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > 86_400 * 365) throw new UsageError(`--${name} takes a whole number of seconds`);
  return Number(text);
}

/**
 * `--public-url`: what the AZURE_AUTHORITY_HOST line will say, so it is held to authorityHost's
 * rules with the library's own check and wording (https:, or http: on loopback; no user or
 * password, query or fragment). The value is never echoed: it may hold credentials.
 */
function publicUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError("--public-url must be a URL, e.g. https://login.test.example:8443");
  }
  // A path's last segment would be read as a tenant: it is given as the tenant, so only the URL's own rules apply.
  const path = trimSlashes(url.pathname);
  try {
    normalizeAuthority("emulator", path.slice(path.lastIndexOf("/") + 1), value, "--public-url");
  } catch (e) {
    if (!(e instanceof TypeError) || /tenant/.test(e.message)) throw e;
    throw new UsageError(`${e.message.replace(/^emulator: /, "")} It is the AZURE_AUTHORITY_HOST the emulator prints for clients.`);
  }
  return trimSlashes(value);
}

/** The --config path in messages: a plain `….json` path as given, anything else as showPath shows a path. */
function configShown(path: string): string {
  return /^[\w./\\-]{1,200}\.json$/i.test(path) ? path : showPath(path);
}

async function readConfig(io: CliIO, path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = new TextDecoder().decode(await readFileWith(io.runtime, path));
  } catch (e) {
    throw new CredentialUnavailableError(`Cannot read the config file ${configShown(path)} (${fileProblem(e)}). Check the path.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // JSON.parse's message quotes the text around the error: the file holds secrets, so only the position is kept.
    const at = e instanceof Error ? /position \d+(?: \(line \d+ column \d+\))?/.exec(e.message)?.[0] : undefined;
    throw new UsageError(`--config ${configShown(path)} is not JSON${at ? ` (at ${at})` : ""}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UsageError("--config: the file must hold a JSON object ({ \"apps\": [...] })");
  const known = ["port", "publicUrl", "tls", "caFile", "control", "expiresIn", "refreshIn", "apps", "workloads", "$schema"];
  onlyKnown(parsed, known.slice(0, -1), "--config:", known);
  const config = parsed as ConfigFile;
  if (config.apps !== undefined && !Array.isArray(config.apps)) throw new UsageError(`--config: apps must be an array (got ${kindOf(config.apps)})`);
  if (config.workloads !== undefined && !Array.isArray(config.workloads)) throw new UsageError(`--config: workloads must be an array (got ${kindOf(config.workloads)})`);
  config.apps?.forEach((app, i) => {
    const where = `--config: apps[${i}]`;
    if (typeof app !== "object" || app === null || Array.isArray(app)) throw new UsageError(`${where} must be an object ({ "tenantId": …, "clientId": …, "secrets": [...] }), got ${kindOf(app)}`);
    onlyKnown(app, APP_FIELDS, where);
    for (const key of ["secrets", "certificates", "federatedCredentials"] as const) {
      const value = app[key];
      // A string would be iterated character by character: every character a secret (review 10 D6).
      if (value !== undefined && !Array.isArray(value)) throw new UsageError(`${where}.${key} must be an array (got ${kindOf(value)})${key === "secrets" ? ': "secrets": ["<secret>"]' : ""}`);
    }
  });
  return config;
}

/** The fields of an app in the config file (addApp's). */
const APP_FIELDS = ["tenantId", "clientId", "secrets", "certificates", "federatedCredentials", "expiresIn", "refreshIn", "claims"];

/** What a JSON value is, for a message (never the value: it may be a secret). */
function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "string" ? `a string of ${value.length} characters` : typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Refuses a key of `o` that `known` does not list (`allowed`: also accepted, not suggested), naming the nearest. */
function onlyKnown(o: object, known: readonly string[], where: string, allowed: readonly string[] = known): void {
  for (const key of Object.keys(o)) {
    if (allowed.includes(key)) continue;
    const near = nearest(key, known);
    const shown = /^[\w$-]{1,40}$/.test(key) ? `'${key}'` : `(a name of ${key.length} characters, not shown)`;
    throw new UsageError(`${where} unknown field ${shown}${near ? ` (did you mean '${near}'?)` : ""} (known: ${known.join(", ")})`);
  }
}

/** A relative path in the config file is relative to the file's folder. */
function besides(configPath: string, file: string): string {
  if (/^([A-Za-z]:)?[\\/]/.test(file)) return file;
  const slash = Math.max(configPath.lastIndexOf("/"), configPath.lastIndexOf("\\"));
  return slash === -1 ? file : `${configPath.slice(0, slash + 1)}${file}`;
}

/** Loads a certificate file for an app: a PEM with CERTIFICATE blocks needs no key; anything else is loaded like the credential does. */
async function loadCertificate(io: CliIO, path: string, password: () => string | undefined, written = path): Promise<{ der: Uint8Array; sha1: string; caveat: string; publicOnly: boolean; usesPassword: boolean }> {
  const file = await readCertificateFile(io, path, written);
  const pemCerts = file.pem ? parsePem(file.pem).filter((b) => b.label === "CERTIFICATE") : [];
  const publicOnly = pemCerts.length > 0 && !/PRIVATE KEY-----/.test(file.pem ?? "");
  // (a public-only certificate is parsed here, so a broken one is a CertificateError, exit 3)
  const der = publicOnly ? parseX509(pemCerts[0]!.der).der : (await parseCertificateWith(noRuntime, { certificate: file.certificate }, password())).chain[0]!;
  // A PFX (or an encrypted PEM key) opened with the password: clients need it too.
  const usesPassword = !publicOnly && password() !== undefined && (file.format !== "PEM" || /ENCRYPTED/.test(file.pem ?? ""));
  const modulus = parseX509(der).rsa?.modulus;
  const bits = modulus ? (modulus.length - 1) * 8 + (32 - Math.clz32(modulus[0]!)) : undefined;
  // Registered as given (the emulator tests what clients send), with the credential's refusal said at once.
  const caveat = bits !== undefined && bits < MIN_RSA_BITS ? ` — its RSA key has ${bits} bits: ClientCertificateCredential refuses keys under ${MIN_RSA_BITS} bits, as Entra needs` : "";
  return { der, sha1: (await thumbprints(der)).sha1Thumbprint, caveat, publicOnly, usesPassword };
}

/** `issuer|subject[|audience]` of `--federated`. */
function federatedRecord(rest: string): EmulatorFederatedCredential {
  const parts = rest.split("|");
  const [issuer = "", subject = "", audience] = parts;
  if (parts.length < 2 || parts.length > 3 || !issuer || !subject || audience === "") {
    throw new UsageError("--federated needs tenant:client:<issuer>|<subject>[|<audience>] (issuer: a URL, or the name of the emulator's own issuer)");
  }
  return audience === undefined ? { issuer, subject } : { issuer, subject, audiences: [audience] };
}

const TLS_HOSTS = "localhost, 127.0.0.1, ::1";

/** Runs `entra-edge emulator` until a signal arrives. */
export async function emulatorCommand(io: CliIO, args: readonly string[]): Promise<number> {
  const parsed = parseArgs(args, SPEC);
  if (flag(parsed, "help")) {
    io.stdout(EMULATOR_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length) throw new UsageError(`emulator takes no arguments, only options (got ${parsed.positionals.length})`);
  const configPath = stringOption(parsed, "config");

  const registrations = new Map<string, Registration>();
  const workloads: EmulatorWorkload[] = [];
  const entry = (tenantId: string, clientId: string): Registration => {
    const key = `${tenantId.toLowerCase()}\n${clientId.toLowerCase()}`;
    let r = registrations.get(key);
    if (!r) registrations.set(key, (r = { tenantId, clientId, secrets: [], certificates: [], federated: [], described: [] }));
    return r;
  };

  let config: ConfigFile = {};
  let listenPort: number;
  let base: string | undefined;
  let tlsFiles: { cert: string; key: string } | undefined;
  // The config file's paths as written (before besides joined them), for what a message may quote.
  const written = new Map<string, string>();
  const joined = (file: string): string => {
    const path = besides(configPath!, file);
    written.set(path, file);
    return path;
  };
  let makeTls = false;
  let caFile: string | undefined;
  let expiresIn: number | undefined;
  let refreshIn: number | undefined;
  try {
    if (configPath !== undefined) config = await readConfig(io, configPath);
    listenPort = port(stringOption(parsed, "port") ?? config.port);
    base = publicUrl(stringOption(parsed, "public-url") ?? config.publicUrl);
    expiresIn = seconds("expires-in", stringOption(parsed, "expires-in") ?? config.expiresIn);
    refreshIn = seconds("refresh-in", stringOption(parsed, "refresh-in") ?? config.refreshIn);
    const tlsCert = stringOption(parsed, "tls-cert");
    const tlsKey = stringOption(parsed, "tls-key");
    if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new UsageError("--tls-cert and --tls-key go together (the server certificate and its private key, PEM)");
    if (tlsCert !== undefined && flag(parsed, "tls")) throw new UsageError("--tls makes its own certificate: give either --tls or --tls-cert/--tls-key");
    const configTls = typeof config.tls === "object" && config.tls !== null ? { cert: joined(config.tls.cert), key: joined(config.tls.key) } : undefined;
    tlsFiles = tlsCert !== undefined ? { cert: tlsCert, key: tlsKey! } : flag(parsed, "tls") ? undefined : configTls;
    makeTls = flag(parsed, "tls") || (tlsFiles === undefined && config.tls === true);
    caFile = stringOption(parsed, "ca-file") ?? (config.caFile === undefined ? undefined : joined(config.caFile));
    if (caFile !== undefined && !makeTls) throw new UsageError("--ca-file says where --tls writes its CA: give --tls too");

    for (const [tenant, client, secret] of listOption(parsed, "app").map((v) => triple("app", v, "secret"))) {
      const r = entry(tenant, client);
      r.secrets.push(secret);
      r.described.push("client secret (the one given with --app)");
    }
    for (const [tenant, client, rest] of listOption(parsed, "federated").map((v) => triple("federated", v, "issuer|subject"))) {
      const record = federatedRecord(rest);
      entry(tenant, client).federated.push(record);
    }

    let password: string | undefined;
    let passwordFrom: string | undefined;
    let passwordRead = false;
    const passwordOnce = () => {
      if (!passwordRead) ({ password, from: passwordFrom } = certificatePassword(io, stringOption(parsed, "password-env")));
      passwordRead = true;
      return password;
    };
    for (const [tenant, client, path] of listOption(parsed, "cert").map((v) => triple("cert", v, "file"))) {
      const cert = await loadCertificate(io, path, passwordOnce);
      const r = entry(tenant, client);
      r.certificates.push({ der: cert.der });
      r.described.push(`certificate ${cert.sha1} (${oneLine(path)})${cert.caveat}`);
      r.certificatePath ??= cert.publicOnly ? `<the PEM or PFX with the private key of ${path}>` : path;
      if (cert.usesPassword && r.certificatePath === path) r.passwordFrom ??= passwordFrom;
    }
    for (const app of config.apps ?? []) {
      if (typeof app?.tenantId !== "string" || !ID.test(app.tenantId) || typeof app.clientId !== "string" || !ID.test(app.clientId)) {
        throw new UsageError("--config: every app needs a tenantId and a clientId (letters, digits, '.', '_', '-')");
      }
      const r = entry(app.tenantId, app.clientId);
      for (const secret of app.secrets ?? []) r.secrets.push(secret);
      if (app.secrets?.length) {
        r.described.push(`${app.secrets.length} client secret(s) from the config file`);
        r.fromConfig = true;
      }
      for (const c of app.certificates ?? []) {
        const file = typeof c === "string" ? c : c?.file;
        if (typeof file !== "string" || !file) throw new UsageError("--config: a certificate is a file path or { \"file\": path, \"startsOn\"?, \"expiresOn\"? }");
        const path = besides(configPath!, file);
        // Judged on what the file says (a secret put where a path goes is not path-shaped), not on the joined path.
        const cert = await loadCertificate(io, path, passwordOnce, file);
        const validity = typeof c === "string" ? {} : { ...(c.startsOn !== undefined ? { startsOn: c.startsOn } : {}), ...(c.expiresOn !== undefined ? { expiresOn: c.expiresOn } : {}) };
        r.certificates.push({ der: cert.der, ...validity });
        r.described.push(`certificate ${cert.sha1} (${oneLine(path)})${cert.caveat}`);
        r.certificatePath ??= cert.publicOnly ? `<the PEM or PFX with the private key of ${path}>` : path;
      if (cert.usesPassword && r.certificatePath === path) r.passwordFrom ??= passwordFrom;
      }
      for (const f of app.federatedCredentials ?? []) r.federated.push(f);
      if (app.expiresIn !== undefined) r.expiresIn = app.expiresIn;
      if (app.refreshIn !== undefined) r.refreshIn = app.refreshIn;
      if (app.claims !== undefined) r.claims = app.claims;
    }
    workloads.push(...(config.workloads ?? []));
    // An app without a credential would refuse every token request (AADSTS7000215 for any secret):
    // a config mistake (a misspelt "secret" was ignored before), not an app to serve.
    for (const r of registrations.values()) {
      if (!r.secrets.length && !r.certificates.length && !r.federated.length) {
        throw new UsageError(`--config: the app ${r.clientId} in tenant ${r.tenantId} has no credential: give it "secrets": ["…"], "certificates": ["<file>"] or "federatedCredentials": [{ "issuer", "subject" }]`);
      }
    }
  } catch (error) {
    const code = exitCodeOf(error);
    if (code === EXIT.failure || code === EXIT.usage) throw error;
    io.stderr(`entra-edge emulator: ${describe(error, PASSWORD_ENV)}\n`);
    const needsPassword = (error as { code?: string }).code === "ERR_CERT_PASSWORD_REQUIRED";
    io.stderr(
      needsPassword
        ? "next: put the password in an environment variable and add --password-env <VAR> (or give the certificate alone as PEM)\n"
        : error instanceof CredentialUnavailableError && /config file/.test(error.message)
          ? "next: check the --config path\n"
          : "next: check the certificate file with: entra-edge cert <file> --password-env <VAR>\n",
    );
    return code;
  }

  const { EntraEmulator } = await import("../testing/emulator.ts");
  const control = flag(parsed, "control") || config.control === true;
  const appsFor = (issuerBase: string): EmulatorApp[] =>
    [...registrations.values()].map((r) => {
      const app: EmulatorApp = { tenantId: r.tenantId, clientId: r.clientId };
      if (r.secrets.length) app.secrets = r.secrets;
      if (r.certificates.length) {
        app.certificates = r.certificates.map((c) => ({
          certificate: c.der,
          ...(c.startsOn !== undefined ? { startsOn: c.startsOn } : {}),
          ...(c.expiresOn !== undefined ? { expiresOn: c.expiresOn } : {}),
        }));
      }
      if (r.federated.length) {
        app.federatedCredentials = r.federated.map((f) =>
          typeof f?.issuer === "string" && !f.issuer.includes("://") ? { ...f, issuer: `${issuerBase}/issuer/${f.issuer}` } : f,
        );
      }
      const e = r.expiresIn ?? expiresIn;
      if (e !== undefined) app.expiresIn = e;
      const f = r.refreshIn ?? refreshIn;
      if (f !== undefined) app.refreshIn = f;
      if (r.claims) app.claims = r.claims;
      return app;
    });
  // Everything is checked before listening: a config mistake is a usage error, not a half-started emulator.
  try {
    const check = new EntraEmulator({ publicUrl: "http://127.0.0.1:1" });
    for (const app of appsFor("http://127.0.0.1:1")) check.addApp(app);
    for (const w of workloads) check.addWorkload(w);
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message.replace(/^emulator: /, ""));
    throw error;
  }

  let tls: { cert: string; key: string } | undefined;
  let ca: { path: string; temporary: string | undefined; notAfter: Date } | undefined;
  try {
    if (tlsFiles) {
      const text = async (path: string, option: string) => {
        try {
          return new TextDecoder().decode(await readFileWith(io.runtime, path));
        } catch (e) {
          throw new CredentialUnavailableError(`Cannot read the ${option} file ${pathShown(path, written.get(path))} (${fileProblem(e)}).`);
        }
      };
      tls = { cert: await text(tlsFiles.cert, "--tls-cert"), key: await text(tlsFiles.key, "--tls-key") };
    } else if (makeTls) {
      if (!io.writeFile || (!caFile && !io.tempDir)) throw new CredentialUnavailableError("This runtime's CLI cannot write the CA file that --tls makes; give --tls-cert/--tls-key instead.");
      const { createTlsCertificates } = await import("../testing/x509.ts");
      const made = await createTlsCertificates();
      tls = { cert: made.server.certificatePem, key: made.server.privateKeyPem };
      const temporary = caFile === undefined ? await io.tempDir!() : undefined;
      const path = caFile ?? `${temporary}/entra-edge-emulator-ca.pem`;
      await io.writeFile(path, made.ca.certificatePem);
      ca = { path, temporary, notAfter: made.ca.notAfter };
    }
  } catch (error) {
    const code = exitCodeOf(error) === EXIT.failure ? EXIT.config : exitCodeOf(error);
    io.stderr(`entra-edge emulator: ${describe(error)}\n`);
    io.stderr(tlsFiles ? "next: check the --tls-cert/--tls-key files (PEM certificate and PEM private key)\n" : "next: give --ca-file <path> in a folder you may write to\n");
    return code;
  }

  const emulator = new EntraEmulator({ control, ...(base ? { publicUrl: base } : {}) });
  let served: Awaited<ReturnType<CliIO["serve"]>>;
  try {
    // Each token request is logged when it is answered, with its own status (requests answered
    // concurrently each get theirs, in the order they end).
    served = await io.serve(async (request) => {
      let result: Awaited<ReturnType<typeof emulator.handle>> | undefined;
      try {
        return (result = await emulator.handle(request));
      } finally {
        const q = emulator[RECORD_OF](request);
        if (q) {
          const error = q.errorCode ? ` AADSTS${q.errorCode}` : "";
          const status = result === undefined ? "no answer (the emulator failed)" : result === DROP ? "dropped (fault)" : String(q.status);
          // What the request sent (its path, its client_id) is outside text: one line, however it is made.
          io.stdout(`${new Date(q.time).toISOString()} ${oneLine(q.method)} ${oneLine(q.path)} client=${q.clientId === undefined ? "-" : oneLine(q.clientId)} auth=${q.clientAuth} -> ${status}${error}\n`);
        }
      }
    }, { port: listenPort, ...(tls ? { tls } : {}) });
  } catch (error) {
    if (ca?.temporary) await io.removeFile?.(ca.temporary).catch(() => {});
    if ((error as { code?: unknown }).code !== "EADDRINUSE") throw error;
    io.stderr(`entra-edge emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    io.stderr(`next: stop what listens on port ${listenPort}, or choose another with --port <n> (--port 0 takes a free one)\n`);
    return EXIT.config;
  }
  emulator[SERVED](served.url);
  const url = base ?? served.url;
  for (const app of appsFor(url)) emulator.addApp(app);
  for (const w of workloads) emulator.addWorkload(w);

  io.stdout(`Entra emulator listening on ${served.url}${base ? ` (public URL ${base})` : ""}\n`);
  io.stdout(`  token endpoint: ${url}/<tenant>/oauth2/v2.0/token\n`);
  if (control) io.stdout(`  control API:    ${served.url}/__emulator/ (connectEmulator("${served.url}") from entra-edge/testing: request log, faults, clock)\n`);
  if (ca) {
    io.stdout(`\nTLS: a throwaway CA made for this run (valid until ${ca.notAfter.toISOString()}) signed the server certificate (${TLS_HOSTS}).\n`);
    io.stdout(`Its certificate is in ${ca.path}; trust it in the client:\n`);
    io.stdout(`  NODE_EXTRA_CA_CERTS=${ca.path}   # node and bun: entra-edge, @azure/identity, msal-node\n`);
    io.stdout(`  REQUESTS_CA_BUNDLE=${ca.path}    # Python requests: MSAL for Python, azure-identity\n`);
    io.stdout(`  SSL_CERT_FILE=${ca.path}         # OpenSSL and Go clients (MSAL Go, azidentity)\n`);
    io.stdout(`  CURL_CA_BUNDLE=${ca.path}        # curl\n`);
    io.stdout(`  DENO_CERT=${ca.path}             # deno\n`);
  } else if (tls) {
    io.stdout(`\nTLS: serving the --tls-cert certificate; clients must trust its issuer.\n`);
  }
  if (tls) {
    io.stdout(`MSAL clients: skip instance discovery (a call to login.microsoftonline.com): @azure/identity { disableInstanceDiscovery: true },\n`);
    io.stdout(`  msal-node auth.knownAuthorities: ["${new URL(url).host}"], MSAL for Python instance_discovery=False.\n`);
  }
  io.stdout("\n");
  if (registrations.size === 0) {
    io.stdout("No apps registered: every token request gets AADSTS700016. Add --app tenant:client:secret, --cert tenant:client:file or --config <file>.\n\n");
  }
  const registered = new Map(appsFor(url).map((a) => [`${a.tenantId}\n${a.clientId}`, a]));
  for (const r of registrations.values()) {
    const federated = registered.get(`${r.tenantId}\n${r.clientId}`)?.federatedCredentials ?? [];
    const described = [...r.described, ...federated.map((f) => `federated credential (issuer ${oneLine(String(f.issuer))}, subject ${oneLine(String(f.subject))})`)];
    io.stdout(`App ${r.clientId} in tenant ${r.tenantId}: ${described.join("; ")}\n`);
    io.stdout(`  AZURE_AUTHORITY_HOST=${url}\n`);
    io.stdout(`  AZURE_TENANT_ID=${r.tenantId}\n`);
    io.stdout(`  AZURE_CLIENT_ID=${r.clientId}\n`);
    if (r.secrets.length) io.stdout(`  AZURE_CLIENT_SECRET=<${r.fromConfig ? "a secret of the app in the config file" : "the secret given with --app"}>\n`);
    else if (r.certificatePath) {
      io.stdout(`  AZURE_CLIENT_CERTIFICATE_PATH=${r.certificatePath}\n`);
      if (r.passwordFrom) io.stdout(`  AZURE_CLIENT_CERTIFICATE_PASSWORD=<the password in ${r.passwordFrom}>\n`);
    }
    io.stdout("\n");
  }
  for (const w of workloads) {
    io.stdout(`Workload ${oneLine(String(w.subject))}: ID tokens from GET ${emulator.issuerUrl(w.issuer ?? "github")}/token?audience=… with the request token of the config file\n`);
    io.stdout(`  ACTIONS_ID_TOKEN_REQUEST_URL=${emulator.issuerUrl(w.issuer ?? "github")}/token\n\n`);
  }
  io.stdout("Press Ctrl+C to stop.\n");
  const signal = await io.untilSignal();
  await served.close();
  if (ca?.temporary) await io.removeFile?.(ca.temporary).catch(() => {});
  io.stdout(`Stopped (${signal}).\n`);
  return EXIT.ok;
}
