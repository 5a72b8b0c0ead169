/**
 * The words of the refusals that depend on what an input is rather than on what went wrong inside
 * it: bytes that are neither PEM nor a PFX (a Java key store, UTF-16 text), and PEM without the
 * private key or the certificate — with what its other BEGIN lines suggest (an OpenSSH key, an
 * OpenSSL trusted certificate, a public key, a label with a stray space) — and what a failed load's
 * error says beside its own words. Loaded only when an input is refused: none of it is on the path
 * of one that loads, so a PEM Worker's modules (README "Keeping the PFX code out of a Worker") do
 * not carry it.
 *
 * @module
 */
import type { CertificateSource } from "../types.ts";
import { CertificateError, malformed, UNSET_PASSWORD } from "./error.ts";
import { isReadLabel } from "./pem.ts";

/**
 * Bytes that do not start as DER and are not PEM text: a Java key store (keytool turns it into a
 * PKCS#12 file, review 11), UTF-16 text (Windows Notepad's "Unicode": a BOM, or NUL bytes between
 * the characters; attack review of session 11), or something else.
 *
 * @example
 * ```ts
 * if (bytes[0] !== 0x30) throw notPemOrPfx(bytes);
 * ```
 */
export function notPemOrPfx(bytes: Uint8Array): CertificateError {
  const [a, b, c, d] = bytes;
  const magic = bytes.length >= 4 ? ((a! << 24) | (b! << 16) | (c! << 8) | d!) >>> 0 : 0;
  if (magic === 0xfeedfeed || magic === 0xcececece) {
    return malformed(`the data is a Java key store (${magic === 0xfeedfeed ? "JKS" : "JCEKS"}), not a PFX: convert it with keytool -importkeystore -srckeystore app.jks -destkeystore app.p12 -deststoretype pkcs12, and load app.p12`);
  }
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff) || (a !== 0 && b === 0 && c !== 0 && d === 0) || (a === 0 && b !== 0 && c === 0 && d !== 0)) {
    return malformed('the data is UTF-16 text (as Windows Notepad saves "Unicode"), not PEM or a PFX: save the PEM file as UTF-8 (or ASCII)');
  }
  return malformed("the data is neither PEM text nor a PFX/PKCS#12 file");
}

/**
 * A certificate string with NUL characters: binary read as text — a PFX read with an encoding
 * (`fs.readFileSync(path, "utf8")`), or UTF-16 text (Notepad's "Unicode") — which is neither PEM
 * text nor base64 (it said "not valid base64"; attack reviews of session 11).
 *
 * @example
 * ```ts
 * if (text.includes("\0")) throw binaryText();
 * ```
 */
export function binaryText(): CertificateError {
  return malformed(
    'the certificate string holds NUL characters: it is a binary file read as text (a PFX read with an encoding, as fs.readFileSync(path, "utf8") does) or UTF-16 text; pass the file\'s bytes (fs.readFileSync(path), no encoding) or its path, or save PEM text as UTF-8',
  );
}

/** What the BEGIN lines a PEM text was not read for suggest, as sentences ("" when nothing). */
function skippedNote(skipped: readonly string[], missing: "key" | "certificate" | "blocks"): string {
  let notes = "";
  for (const label of skipped) {
    const fixed = label.trim().replace(/ +/g, " ");
    if (fixed !== label && isReadLabel(fixed)) notes += ` The line "-----BEGIN ${label}-----" has a stray space: it is read as -----BEGIN ${fixed}----- only.`;
    else if (label === "OPENSSH PRIVATE KEY" && missing !== "certificate") notes += " Its OPENSSH PRIVATE KEY block (ssh-keygen's own format) is not read: convert the key to PKCS#8 with ssh-keygen -p -m PKCS8 -f <key file> (it rewrites that file).";
    else if (label === "TRUSTED CERTIFICATE" && missing !== "key") notes += " Its TRUSTED CERTIFICATE block (openssl x509 -trustout) is not read: write it as a CERTIFICATE with openssl x509 -in cert.pem -out plain.pem.";
    else if (label.endsWith("PUBLIC KEY") && missing === "key") notes += ` Its ${label} block is a public key, not the private key.`;
  }
  return notes;
}

/**
 * PEM text with no block a certificate input reads (`skipped`: the labels of its BEGIN lines).
 *
 * @example
 * ```ts
 * if (blocks.length === 0) throw noBlocks(skipped);
 * ```
 */
export function noBlocks(skipped: readonly string[]): CertificateError {
  const others = skipped.length ? `; its BEGIN lines are of other kinds: ${skipped.map((l) => `-----BEGIN ${l}-----`).join(", ")}` : "";
  const note = skippedNote(skipped, "blocks");
  return malformed(`the text holds no PEM block of a certificate or private key (-----BEGIN CERTIFICATE----- / -----BEGIN PRIVATE KEY-----)${others}${note ? `.${note.slice(0, -1)}` : ""}`);
}

/**
 * An input without its private key (`certificates`: how many certificates it holds) or, with one,
 * without a certificate; `skipped`: the labels of a PEM text's other BEGIN lines.
 *
 * @example
 * ```ts
 * if (keys.length === 0 || certs.length === 0) throw missingPart(keys.length > 0, certs.length, skipped);
 * ```
 */
export function missingPart(hasKey: boolean, certificates: number, skipped: readonly string[]): CertificateError {
  if (!hasKey) {
    return new CertificateError(
      "ERR_CERT_NO_PRIVATE_KEY",
      `${certificates ? "The certificate input holds certificates but no private key; include the key (PEM: a PRIVATE KEY block; PFX: export with the key)" : "The certificate input holds no private key"}.${skippedNote(skipped, "key")}`,
    );
  }
  return new CertificateError("ERR_CERT_NO_CERTIFICATE", `The certificate input holds a private key but no certificate; include the certificate (a CERTIFICATE block, or a PFX with it).${skippedNote(skipped, "certificate")}`);
}

/**
 * The error a failed load throws, from what was thrown (a CredentialUnavailableError is passed on
 * before this): a CertificateError as it is, with a hint where the password given explains it
 * (white space at its ends; given but undefined); anything else from a parser as
 * ERR_CERT_MALFORMED, its words kept without what could be encoded key material — or `undefined`
 * for a lazy module that was not deployed (workerd: No such module; Node, Bun, Deno: not found),
 * which the loader says is that. (No import of lib/errors.ts here: reached through this lazy
 * module, bundlers would wrap it in a lazy initialiser in every Worker, the secret-only one too.)
 *
 * @example
 * ```ts
 * throw explained(e, source, passwordOverride) ?? new Error("a module of entra-edge was not deployed");
 * ```
 */
export function explained(e: unknown, source: CertificateSource, passwordOverride: string | undefined): CertificateError | undefined {
  // A wrong password that ends (or begins) with a line break or a space: read from a file or an
  // `echo` with its newline, most likely. Said without quoting it.
  const password = passwordOverride ?? (typeof source === "object" ? (source as { certificatePassword?: unknown }).certificatePassword : undefined);
  if (e instanceof CertificateError && e.code === "ERR_CERT_BAD_PASSWORD" && typeof password === "string" && /^\s|\s$/.test(password)) {
    const what = /[\r\n]$/.test(password)
      ? "ends with a line break, as reading it from a file or an echo adds"
      : /^\uFEFF/.test(password)
        ? "begins with a byte-order mark (U+FEFF), as text files saved by Notepad do"
        : "begins or ends with white space (a space or a tab)";
    return new CertificateError(e.code, `${e.message} The password given ${what}: if the real one has none, remove it.`);
  }
  if (e instanceof CertificateError && e.code === "ERR_CERT_PASSWORD_REQUIRED" && typeof source === "object" && Object.hasOwn(source, "certificatePassword") && password === undefined) {
    return new CertificateError(e.code, `${e.message} ${UNSET_PASSWORD}`);
  }
  if (e instanceof CertificateError) return e;
  // Keep the parser's words for debugging, without anything that could be encoded key material.
  const detail = e instanceof Error ? `${e.name}: ${e.message}`.replace(/[A-Za-z0-9+/=_-]{16,}/g, "…").slice(0, 160) : "unknown error";
  if (/\bmodule\b.*\bnot found|no such module|cannot find module/i.test(detail)) return undefined;
  return malformed("it could not be parsed", new Error(detail));
}
