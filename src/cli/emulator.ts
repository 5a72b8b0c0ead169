/**
 * `entra-edge emulator`: serves the local Entra emulator on 127.0.0.1 for users testing their own
 * apps, prints its URL and the AZURE_* lines that point an app at it, logs each token request, and
 * runs until SIGINT / SIGTERM. Secrets given with `--app` are never printed.
 *
 * @module
 */
import { parseCertificateWith } from "../certificate/parse.ts";
import { thumbprints } from "../certificate/x509.ts";
import { parsePem } from "../certificate/pem.ts";
import { parseX509 } from "../certificate/x509.ts";
import { noRuntime } from "../lib/runtime.ts";
import type { EmulatorApp } from "../testing/types.ts";
import { flag, listOption, parseArgs, stringOption, UsageError } from "./args.ts";
import { describe, exitCodeOf, EXIT } from "./errors.ts";
import { certificatePassword, readCertificateFile } from "./files.ts";
import { EMULATOR_HELP } from "./help.ts";
import type { CliIO } from "./io.ts";

const SPEC = {
  port: {},
  app: { repeat: true },
  cert: { repeat: true },
  "password-env": {},
  help: { boolean: true, short: "h" },
};

const ID = /^[0-9a-zA-Z._-]+$/;

interface Registration {
  app: EmulatorApp & { secrets: string[]; certificates: (string | Uint8Array)[] };
  /** How the app authenticates, for the output (never the secret). */
  described: string[];
  /** A certificate file given for the app (for the AZURE_CLIENT_CERTIFICATE_PATH hint). */
  certificatePath?: string;
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

function port(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError("--port must be a number from 0 to 65535 (0: a free port)");
  return n;
}

/** Runs `entra-edge emulator` until a signal arrives. */
export async function emulatorCommand(io: CliIO, args: readonly string[]): Promise<number> {
  const parsed = parseArgs(args, SPEC);
  if (flag(parsed, "help")) {
    io.stdout(EMULATOR_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length) throw new UsageError(`emulator takes no arguments, only options (got ${parsed.positionals.length})`);
  const listenPort = port(stringOption(parsed, "port"));
  const registrations = new Map<string, Registration>();
  const entry = (tenantId: string, clientId: string): Registration => {
    const key = `${tenantId.toLowerCase()}\n${clientId.toLowerCase()}`;
    let r = registrations.get(key);
    if (!r) registrations.set(key, (r = { app: { tenantId, clientId, secrets: [], certificates: [] }, described: [] }));
    return r;
  };
  const apps = listOption(parsed, "app").map((v) => triple("app", v, "secret"));
  const certs = listOption(parsed, "cert").map((v) => triple("cert", v, "file"));
  for (const [tenant, client, secret] of apps) {
    const r = entry(tenant, client);
    r.app.secrets.push(secret);
    r.described.push("client secret (the one given with --app)");
  }

  try {
    const password = certs.length ? certificatePassword(io, stringOption(parsed, "password-env")).password : undefined;
    for (const [tenant, client, path] of certs) {
      const file = await readCertificateFile(io, path);
      // A PEM with CERTIFICATE blocks needs no key; anything else is loaded like the credential does.
      const pemCerts = file.pem ? parsePem(file.pem).filter((b) => b.label === "CERTIFICATE") : [];
      const publicOnly = pemCerts.length > 0 && !/PRIVATE KEY-----/.test(file.pem ?? "");
      // (a public-only certificate is parsed here, so a broken one is a CertificateError, exit 3)
      const leaf = publicOnly ? parseX509(pemCerts[0]!.der).der : (await parseCertificateWith(noRuntime, { certificate: file.certificate }, password)).chain[0]!;
      const prints = await thumbprints(leaf);
      const r = entry(tenant, client);
      r.app.certificates.push(leaf);
      r.described.push(`certificate ${prints.sha1Thumbprint} (${path})`);
      r.certificatePath ??= publicOnly ? `<the PEM or PFX with the private key of ${path}>` : path;
    }
  } catch (error) {
    const code = exitCodeOf(error);
    if (code === EXIT.failure || code === EXIT.usage) throw error;
    io.stderr(`entra-edge emulator: ${describe(error)}\n`);
    const needsPassword = (error as { code?: string }).code === "ERR_CERT_PASSWORD_REQUIRED";
    io.stderr(
      needsPassword
        ? "next: put the password in an environment variable and add --password-env <VAR> (or give the certificate alone as PEM)\n"
        : "next: check the --cert file with: entra-edge cert <file> --password-env <VAR>\n",
    );
    return code;
  }

  const { EntraEmulator } = await import("../testing/emulator.ts");
  const emulator = new EntraEmulator();
  for (const r of registrations.values()) {
    const app: EmulatorApp = { tenantId: r.app.tenantId, clientId: r.app.clientId };
    if (r.app.secrets.length) app.secrets = r.app.secrets;
    if (r.app.certificates.length) app.certificates = r.app.certificates;
    emulator.addApp(app);
  }
  let logged = 0;
  const served = await io.serve(async (request) => {
    const result = await emulator.handle(request);
    const log = emulator.requests();
    for (; logged < log.length; logged++) {
      const q = log[logged]!;
      const error = q.errorCode ? ` AADSTS${q.errorCode}` : "";
      io.stdout(`${new Date(q.time).toISOString()} ${q.method} ${q.path} client=${q.clientId ?? "-"} auth=${q.clientAuth} -> ${q.status}${error}\n`);
    }
    return result;
  }, { port: listenPort });

  io.stdout(`Entra emulator listening on ${served.url}\n`);
  io.stdout(`  token endpoint: ${served.url}/<tenant>/oauth2/v2.0/token\n\n`);
  if (registrations.size === 0) {
    io.stdout("No apps registered: every token request gets AADSTS700016. Add --app tenant:client:secret or --cert tenant:client:file.\n\n");
  }
  for (const r of registrations.values()) {
    io.stdout(`App ${r.app.clientId} in tenant ${r.app.tenantId}: ${r.described.join("; ")}\n`);
    io.stdout(`  AZURE_AUTHORITY_HOST=${served.url}\n`);
    io.stdout(`  AZURE_TENANT_ID=${r.app.tenantId}\n`);
    io.stdout(`  AZURE_CLIENT_ID=${r.app.clientId}\n`);
    if (r.app.secrets.length) io.stdout("  AZURE_CLIENT_SECRET=<the secret given with --app>\n");
    else if (r.certificatePath) io.stdout(`  AZURE_CLIENT_CERTIFICATE_PATH=${r.certificatePath}\n`);
    io.stdout("\n");
  }
  io.stdout("Press Ctrl+C to stop.\n");
  const signal = await io.untilSignal();
  await served.close();
  io.stdout(`Stopped (${signal}).\n`);
  return EXIT.ok;
}
