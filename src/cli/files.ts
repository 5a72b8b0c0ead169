/**
 * Reading certificate files for the CLI (`cert`, `emulator --cert`): the bytes through the runtime
 * adapter, the format detected, and the password taken from an environment variable — never from
 * the command line.
 *
 * @module
 */
import { fromUtf8 } from "../lib/bytes.ts";
import { readFileWith } from "../lib/runtime.ts";
import { contentsHint, showPath } from "../certificate/path.ts";
import { CertificateError } from "../certificate/error.ts";
import { CredentialUnavailableError } from "../lib/errors.ts";
import { UsageError } from "./args.ts";
import type { CliIO } from "./io.ts";
import { envOf } from "./io.ts";

/** The environment variable read when `--password-env` is not given. */
const DEFAULT_PASSWORD_VARIABLE = "AZURE_CLIENT_CERTIFICATE_PASSWORD";

export interface CertificateFile {
  path: string;
  /** What the file holds. */
  format: "PEM" | "PFX (PKCS#12)" | "base64 PFX text";
  /** What to hand to the loader: PEM/PFX bytes, or the base64 text. */
  certificate: Uint8Array | string;
  /** The PEM text, when the file is PEM. */
  pem?: string;
}

/**
 * Reads `path` with the runtime's file access; failures become CredentialUnavailableError (exit 3).
 * The path is quoted only when it is short and plain: certificate contents pasted as the file
 * argument are described, never printed (the runtime's own error, which quotes the path, is then
 * left out too).
 */
export async function readCertificateFile(io: CliIO, path: string): Promise<CertificateFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFileWith(io.runtime, path);
  } catch (e) {
    const hint = contentsHint(path, "a file: save them to a file and give its path");
    if (hint) throw new CredentialUnavailableError(`Cannot read the certificate file. ${hint}`);
    const shown = showPath(path);
    const quoted = shown.startsWith('"');
    if (e instanceof CertificateError || (e instanceof CredentialUnavailableError && quoted)) throw e;
    const detail = quoted ? (e instanceof Error ? `${e.name}: ${e.message}` : String(e)) : e instanceof Error ? e.name : "error";
    throw new CredentialUnavailableError(`Cannot read ${shown} (${detail}). Check the path and that it may be read.`);
  }
  let start = 0;
  while (start < bytes.length && /\s/.test(String.fromCharCode(bytes[start]!))) start++;
  if (bytes[start] === 0x30) return { path, format: "PFX (PKCS#12)", certificate: bytes };
  const text = fromUtf8(bytes);
  if (text.includes("-----BEGIN ")) return { path, format: "PEM", certificate: bytes, pem: text };
  const compact = text.replace(/\s+/g, "");
  if (compact.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return { path, format: "base64 PFX text", certificate: compact };
  return { path, format: "PFX (PKCS#12)", certificate: bytes };
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The password: from the variable `--password-env` names, else from AZURE_CLIENT_CERTIFICATE_PASSWORD
 * when set, else none. Returns where it came from (for the output), never the password itself.
 */
export function certificatePassword(io: CliIO, variable: string | undefined): { password?: string; from?: string } {
  const get = envOf(io);
  if (variable !== undefined) {
    if (!VARIABLE_NAME.test(variable)) {
      throw new UsageError("--password-env takes the NAME of an environment variable that holds the password (e.g. --password-env PFX_PASSWORD), not the password");
    }
    const password = get(variable);
    if (password === undefined) throw new CredentialUnavailableError(`--password-env names ${variable}, which is not set. Set it to the certificate's password, e.g. read -rs ${variable} && export ${variable}`);
    return { password, from: variable };
  }
  const password = get(DEFAULT_PASSWORD_VARIABLE);
  return password === undefined ? {} : { password, from: DEFAULT_PASSWORD_VARIABLE };
}
