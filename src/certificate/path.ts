/**
 * Paths in messages. A certificate path is quoted when a file cannot be read — unless the "path"
 * is really the certificate itself (PEM text, or base64 of a PFX or key pasted where a path was
 * expected), which would put the private key into the error message, the logs and the CLI's
 * output. Such values, and any path too long or too odd to be a plain file name, are described
 * instead of quoted, and the message says how to pass contents.
 *
 * @module
 */

import { MAX_QUOTED_PATH } from "../lib/limits.ts";

/**
 * What a string given as a path holds when it is certificate contents instead, or undefined: PEM
 * text, or base64 of DER (a PFX, key or certificate: "MI…", a SEQUENCE) or of PEM text ("LS0tLS1",
 * "-----"). Only the wording of a failed read depends on it, never whether the file is read, so
 * an odd real path cannot be refused for it. Linear in the length of the string.
 */
function contentsInPath(path: string): "PEM text" | "base64 (a PFX, key or PEM text)" | undefined {
  if (path.includes("-----BEGIN ") || path.includes("-----END ") || path.includes("PRIVATE KEY-----")) return "PEM text";
  let compact = "";
  for (let i = 0; i < path.length && compact.length < 8; i++) if (path.charCodeAt(i) > 32) compact += path[i];
  if (!compact.startsWith("MI") && !compact.startsWith("LS0tLS1")) return undefined;
  let letters = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    const base64 = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61 || c === 45 || c === 95;
    if (base64) letters++;
    else if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return undefined;
  }
  return letters >= 64 ? "base64 (a PFX, key or PEM text)" : undefined;
}

/**
 * The path as a message may show it: quoted when short, plain and shaped like a path — it starts
 * as one (`/`, `./`, `../`, `~/`, a drive letter, `\\\\`) or ends with a certificate or token file's
 * extension; no space or BOM at either end, no `=` at the end or `+` in it (base64), not an Entra
 * secret's `xxx8Q~` shape — else described without its text. A password or secret given where the
 * path belongs (arguments swapped) is not shaped so, and is not quoted: `Summer2024/Prod` or an
 * `openssl rand -base64` password holds a `/` but does not start with one (a separator anywhere
 * quoted them: attack review of session 10). A relative path such as `certs/app` is described too.
 */
export function showPath(path: string): string {
  const shaped = /^(\.{0,2}[/\\]|~[/\\]|[A-Za-z]:[/\\])|\.(pem|pfx|p12|crt|cer|key|der|txt|b64|base64|jwt|token)$/i.test(path) && !/^\s|\s$|=$|\+|^.{3}\dQ~/.test(path);
  let plain = shaped && path.length <= MAX_QUOTED_PATH && contentsInPath(path) === undefined;
  for (let i = 0; plain && i < path.length; i++) if (path.charCodeAt(i) < 32) plain = false;
  return plain ? `"${path}"` : `(${contentsInPath(path) ? "" : "a path of "}${path.length} characters, not shown)`;
}

/**
 * The sentence a failed read ends with when the "path" holds certificate contents: what to pass
 * instead (`instead` names the option or variable, e.g. `{ certificate: value }`).
 */
export function contentsHint(path: string, instead: string): string | undefined {
  const what = contentsInPath(path);
  return what && `The value given as the certificate path is not a path: it holds ${what} (${path.length} characters, not shown). Pass the certificate contents as ${instead}.`;
}
