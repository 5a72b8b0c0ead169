/**
 * `entra-edge cert <file>`: loads a certificate the way ClientCertificateCredential does and shows
 * what the Entra portal and the assertion use: thumbprints (hex and base64url), subject, issuer,
 * validity, key size and the chain.
 *
 * @module
 */
import { parseCertificateWith } from "../certificate/parse.ts";
import { showPath } from "../certificate/path.ts";
import { CertificateError } from "../certificate/error.ts";
import { decodeBase64, parsePem } from "../certificate/pem.ts";
import { parseX509, thumbprints, type X509 } from "../certificate/x509.ts";
import { MIN_RSA_BITS } from "../lib/limits.ts";
import { noRuntime } from "../lib/runtime.ts";
import { commandArgs, flag, stringOption, UsageError } from "./args.ts";
import { describe, errorJson, exitCodeOf, EXIT, PASSWORD_ENV } from "./errors.ts";
import { certificatePassword, readCertificateFile, type CertificateFile } from "./files.ts";
import { field, oneLine, when } from "./format.ts";
import { CERT_HELP } from "./help.ts";
import type { CliIO } from "./io.ts";
import type { ParsedCertificate } from "../types.ts";

const SPEC = {
  "password-env": {},
  json: { boolean: true },
  help: { boolean: true, short: "h" },
};

interface ChainEntry {
  subject: string;
  issuer: string;
  notAfter: Date;
}

function chainOf(cert: ParsedCertificate): ChainEntry[] {
  return cert.chain.map((der) => {
    const c = parseX509(der);
    return { subject: c.subject, issuer: c.issuer, notAfter: c.notAfter };
  });
}

/** Why ClientCertificateCredential refuses a certificate the file holds whole, or undefined when it takes it. */
function refusal(cert: ParsedCertificate): string | undefined {
  return cert.keySize < MIN_RSA_BITS ? `the RSA key has ${cert.keySize} bits; Entra needs ${MIN_RSA_BITS} bits or more` : undefined;
}

function print(io: CliIO, file: CertificateFile, cert: ParsedCertificate, passwordFrom: string | undefined, json: boolean): void {
  const now = Date.now();
  const chain = chainOf(cert);
  const expired = cert.notAfter.getTime() < now;
  const notYet = cert.notBefore.getTime() > now;
  const refused = refusal(cert);
  if (json) {
    const out = {
      file: file.path,
      format: file.format,
      usable: refused === undefined,
      ...(refused && { notUsable: refused }),
      subject: cert.subject,
      issuer: cert.issuer,
      serialNumber: cert.serialNumber,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      expired,
      keyType: "RSA",
      keySize: cert.keySize,
      sha1Thumbprint: cert.sha1Thumbprint,
      sha256Thumbprint: cert.sha256Thumbprint,
      x5t: cert.x5t,
      x5tS256: cert.x5tS256,
      chain: chain.map((c) => ({ subject: c.subject, issuer: c.issuer, notAfter: c.notAfter.toISOString() })),
      passwordFrom: passwordFrom ?? null,
    };
    io.stdout(JSON.stringify(out, null, 2) + "\n");
    return;
  }
  const w = 22;
  const caveat = expired ? " — but it has EXPIRED: Entra refuses it" : notYet ? " — but it is NOT YET VALID: Entra refuses it until then" : "";
  io.stdout(`${oneLine(file.path)}: ${file.format}, ${refused ? `NOT usable by ClientCertificateCredential: ${refused}` : `usable by ClientCertificateCredential${caveat}`}\n`);
  io.stdout(field("subject", cert.subject, w));
  io.stdout(field("issuer", cert.issuer, w));
  io.stdout(field("serial number", cert.serialNumber, w));
  io.stdout(field("valid from", when(cert.notBefore, now) + (notYet ? "  NOT YET VALID" : ""), w));
  io.stdout(field("valid until", when(cert.notAfter, now) + (expired ? "  EXPIRED: Entra refuses it" : ""), w));
  io.stdout(field("key", `RSA ${cert.keySize} bits`, w));
  io.stdout(field("thumbprint (SHA-1)", `${cert.sha1Thumbprint}  (as the Entra portal shows it)`, w));
  io.stdout(field("thumbprint (SHA-256)", cert.sha256Thumbprint, w));
  io.stdout(field("x5t", `${cert.x5t}  (RS256 assertions)`, w));
  io.stdout(field("x5t#S256", `${cert.x5tS256}  (PS256 assertions)`, w));
  io.stdout(field("password", passwordFrom ? `from ${passwordFrom}` : "none given", w));
  io.stdout(`  chain (${chain.length}, leaf first):\n`);
  chain.forEach((c, i) => io.stdout(`    ${i + 1}. ${c.subject}  (issuer ${c.issuer}; until ${c.notAfter.toISOString().slice(0, 10)})\n`));
}

/**
 * The certificates of a file without a private key — the `.cer` / `.pem` uploaded to the app
 * registration (PEM CERTIFICATE blocks, DER, or base64 DER) — or undefined when it is not one.
 */
function certificateOnly(file: CertificateFile): X509[] | undefined {
  try {
    const skipped: string[] = [];
    const blocks = file.pem === undefined ? undefined : parsePem(file.pem, skipped);
    if (blocks?.some((b) => b.label.includes("PRIVATE KEY")) || skipped.some((label) => label.includes("PRIVATE KEY"))) return undefined;
    const ders = blocks ? blocks.filter((b) => b.label === "CERTIFICATE").map((b) => b.der) : [typeof file.certificate === "string" ? decodeBase64(file.certificate, "the file") : file.certificate];
    return ders.length ? ders.map((der) => parseX509(der)) : undefined;
  } catch {
    return undefined;
  }
}

async function printCertificateOnly(io: CliIO, path: string, certs: X509[], json: boolean): Promise<void> {
  const leaf = certs[0]!;
  const prints = await thumbprints(leaf.der);
  const now = Date.now();
  const expired = leaf.notAfter.getTime() < now;
  const keySize = leaf.rsa ? leaf.rsa.modulus.length * 8 : undefined;
  if (json) {
    const out = {
      file: path,
      format: "certificate only (no private key)",
      certificateOnly: true,
      subject: leaf.subject,
      issuer: leaf.issuer,
      serialNumber: leaf.serialNumber,
      notBefore: leaf.notBefore.toISOString(),
      notAfter: leaf.notAfter.toISOString(),
      expired,
      keySize: keySize ?? null,
      ...prints,
      chain: certs.map((c) => ({ subject: c.subject, issuer: c.issuer, notAfter: c.notAfter.toISOString() })),
    };
    io.stdout(JSON.stringify(out, null, 2) + "\n");
    return;
  }
  const w = 22;
  io.stdout(`${oneLine(path)}: certificate only (no private key) — the file to upload to the app registration; ClientCertificateCredential needs the private key too\n`);
  io.stdout(field("subject", leaf.subject, w));
  io.stdout(field("issuer", leaf.issuer, w));
  io.stdout(field("serial number", leaf.serialNumber, w));
  io.stdout(field("valid from", when(leaf.notBefore, now), w));
  io.stdout(field("valid until", when(leaf.notAfter, now) + (expired ? "  EXPIRED: Entra refuses it" : ""), w));
  if (keySize) io.stdout(field("key", `RSA ${keySize} bits`, w));
  io.stdout(field("thumbprint (SHA-1)", `${prints.sha1Thumbprint}  (as the Entra portal shows it)`, w));
  io.stdout(field("thumbprint (SHA-256)", prints.sha256Thumbprint, w));
  io.stdout(field("x5t", `${prints.x5t}  (RS256 assertions)`, w));
  io.stdout(field("x5t#S256", `${prints.x5tS256}  (PS256 assertions)`, w));
  if (certs.length > 1) certs.forEach((c, i) => io.stdout(`    ${i + 1}. ${c.subject}  (issuer ${c.issuer}; until ${c.notAfter.toISOString().slice(0, 10)})\n`));
}

function nextStep(error: unknown, path: string, passwordFrom: string | undefined): string | undefined {
  const code = (error as { code?: string }).code;
  const file = showPath(path).startsWith('"') ? path : "<file>";
  if (code === "ERR_CERT_PASSWORD_REQUIRED") return `put the password in an environment variable and run: entra-edge cert ${file} --password-env <VAR>`;
  if (code === "ERR_CERT_BAD_PASSWORD") return `check the password in ${passwordFrom ?? "the variable"}${passwordFrom === "AZURE_CLIENT_CERTIFICATE_PASSWORD" ? " (set from the environment; pass --password-env <VAR> to use another variable)" : ""}`;
  if (code === "ERR_CERT_NO_PRIVATE_KEY") return "use the file that holds the private key too (the PFX you exported, or the PEM with its PRIVATE KEY block)";
  if (code === "ERR_CERT_UNSUPPORTED_KEY") return "Entra needs an RSA key of 2048 to 4096 bits (up to 8192 are taken): create one (openssl req -x509 -newkey rsa:2048 …) and register its certificate";
  // The message names what is not supported (a cipher, a MAC, PEM's old encryption, an iteration
  // count) and how to convert it; a PFX re-exported with OpenSSL 3's defaults always loads.
  if (code === "ERR_CERT_UNSUPPORTED_ALGORITHM") return "convert it as the message says, or re-export it with OpenSSL 3's defaults: openssl pkcs12 -export -in cert.pem -inkey key.pem -out app.pfx";
  if (code === "ERR_CERT_NOT_FOUND") return "pick a thumbprint or friendly name from the list above";
  const message = error instanceof Error ? error.message : "";
  if (/--allow-/.test(message)) return "run again with the permission flag the message names";
  if (/^--password-env names \w+, which is not set/.test(message)) return "set that variable to the certificate's password (read -rs VAR && export VAR), or name another with --password-env";
  if (/not a regular file/.test(message)) return `save the certificate to a regular file and run: entra-edge cert <file>`;
  if (exitCodeOf(error) === EXIT.config && !code) return `check that ${file} exists and may be read`;
  return "check that the file is a PEM (certificate and PRIVATE KEY), a PFX, or base64 of a PFX: entra-edge cert --help lists the forms";
}

/** Runs `entra-edge cert`. */
export async function certCommand(io: CliIO, args: readonly string[]): Promise<number> {
  const parsed = commandArgs(args, SPEC, CERT_HELP, io.stdout);
  if (!parsed) return EXIT.ok;
  if (parsed.positionals.length !== 1) throw new UsageError(`cert takes exactly one file (got ${parsed.positionals.length})`);
  const path = parsed.positionals[0]!;
  const json = flag(parsed, "json");
  let passwordFrom: string | undefined;
  try {
    const { password, from } = certificatePassword(io, stringOption(parsed, "password-env"));
    passwordFrom = from;
    const file = await readCertificateFile(io, path);
    let cert: ParsedCertificate;
    try {
      cert = await parseCertificateWith(noRuntime, { certificate: file.certificate }, password);
    } catch (error) {
      // A certificate without its key (the file uploaded to the portal): its thumbprints are what the portal shows.
      const only = error instanceof CertificateError && !/PASSWORD/.test(error.code) ? certificateOnly(file) : undefined;
      if (!only) throw error;
      await printCertificateOnly(io, path, only, json);
      return EXIT.ok;
    }
    print(io, file, cert, passwordFrom, json);
    const refused = refusal(cert);
    if (!refused) return EXIT.ok;
    io.stderr(`entra-edge cert: ClientCertificateCredential refuses this certificate: ${refused}.\nnext: ${nextStep({ code: "ERR_CERT_UNSUPPORTED_KEY" }, path, passwordFrom)}\n`);
    return EXIT.config;
  } catch (error) {
    const code = exitCodeOf(error);
    if (code === EXIT.failure || code === EXIT.usage) throw error;
    io.stderr(`entra-edge cert: ${describe(error, PASSWORD_ENV)}\n`);
    const next = nextStep(error, path, passwordFrom);
    if (next) io.stderr(`next: ${next}\n`);
    if (json) io.stdout(JSON.stringify(errorJson(error), null, 2) + "\n");
    return code;
  }
}
