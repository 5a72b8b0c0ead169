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
 * Why a file could not be read, in plain words and without the runtime's own text (which quotes
 * the path): "no such file", "permission denied", "a folder", what our adapters refuse (a FIFO, a
 * socket), else the error's code or name.
 *
 * @example
 * ```ts
 * fileProblem(Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: "ENOENT" })); // "no such file"
 * ```
 */
export function fileProblem(e: unknown): string {
  const code = String((e as { code?: unknown })?.code ?? "");
  const name = e instanceof Error ? e.name : "";
  if (code === "ENOENT" || name === "NotFound") return "no such file";
  if (code === "EACCES" || code === "EPERM" || name === "PermissionDenied" || name === "NotCapable") return "permission denied";
  if (code === "EISDIR" || name === "IsADirectory") return "it is a folder, not a file";
  // Our adapters' refusal of what is not a regular file (a FIFO, a socket, a folder) says what it is.
  const kind = e instanceof CredentialUnavailableError ? /: it is (.{1,80}?), not a regular file/.exec(e.message)?.[1] : undefined;
  if (kind) return `it is ${kind}, not a regular file${/folder|block|cannot be opened/.test(kind) ? "" : ": reading it could wait forever"}`;
  return /^E[A-Z0-9]{2,15}$/.test(code) ? code : name || "error";
}

/**
 * `path` as a message may show it, judged on `written` (the value as the user wrote it, before it
 * was joined onto a config file's folder): the joined path of a secret is path-shaped, the secret
 * is not.
 *
 * @example
 * ```ts
 * pathShown("/etc/app/Abc8Q~x.y_Z-1234567890abcdef", "Abc8Q~x.y_Z-1234567890abcdef"); // "(a path of 37 characters, not shown)"
 * ```
 */
export function pathShown(path: string, written = path): string {
  return showPath(written).startsWith('"') ? showPath(path) : showPath(written);
}

/**
 * Reads `path` with the runtime's file access; failures become CredentialUnavailableError (exit 3).
 * Whether the path is quoted is judged on `written` — the value as the user wrote it (a config
 * file's entry before it is joined onto the file's folder): certificate contents or a secret
 * pasted as the file argument are described, never printed, and the runtime's own error text
 * (which quotes the path) is never shown — `fileProblem` says what went wrong.
 */
export async function readCertificateFile(io: CliIO, path: string, written = path): Promise<CertificateFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFileWith(io.runtime, path);
  } catch (e) {
    const hint = contentsHint(written, "a file: save them to a file and give its path");
    if (hint) throw new CredentialUnavailableError(`Cannot read the certificate file. ${hint}`);
    // Our adapters' own refusal (a FIFO, a folder) says what to do, and quotes the path as showPath allows.
    if (e instanceof CertificateError || (e instanceof CredentialUnavailableError && showPath(written).startsWith('"'))) throw e;
    throw new CredentialUnavailableError(`Cannot read ${pathShown(path, written)} (${fileProblem(e)}). Check the path and that it may be read.`);
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
