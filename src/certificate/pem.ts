/**
 * PEM text: certificate and key blocks in any order, with CRLF line ends, a BOM, headers and any
 * text around them (as `openssl pkcs12 -nodes` or `x509 -text` print). Linear in the text's length
 * whatever it holds: markers are paired in one pass, headers are read line by line, and no
 * regular expression here can backtrack more than a constant per character.
 *
 * @module
 */
import { fromBase64 } from "../lib/bytes.ts";
import { CertificateError, malformed } from "./error.ts";

interface PemBlock {
  label: string;
  der: Uint8Array;
}

const MARKER = /-----(BEGIN|END) ([A-Z0-9 ]+)-----/g;

/**
 * The labels a certificate input is read for, exactly (load.ts's); the rest — public keys, CRLs,
 * CSRs, PGP armor, attribute certificates, OpenSSH keys, … — is text around them: not decoded, and
 * not a block that hides the blocks inside it.
 */
const LABELS = new Set(["CERTIFICATE", "X509 CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY"]);
/** Whether a certificate input reads blocks of this label. */
export const isReadLabel = (label: string): boolean => LABELS.has(label);
/** How many distinct skipped labels {@link parsePem} reports (each at most 40 characters). */
const MAX_SKIPPED = 8;

interface Marker {
  begin: boolean;
  label: string;
  start: number;
  end: number;
}

/**
 * The blocks of our labels that `/-----BEGIN (L)-----([\s\S]*?)-----END \1-----/g` would match,
 * found in linear time: that expression rescans the rest of the text for every BEGIN line without
 * its END, which is quadratic (a 1 MB text of unmatched BEGIN lines took 15 s to reject). The
 * BEGIN lines of other labels are listed in `skipped` (distinct, a few).
 */
function blocksOf(text: string, skipped: string[] | undefined): { blocks: { label: string; body: string }[]; unended?: string } {
  const markers: Marker[] = [];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    markers.push({ begin: m[1] === "BEGIN", label: m[2]!, start: m.index, end: m.index + m[0].length });
    MARKER.lastIndex = m.index + m[0].length - 5; // the closing dashes may open the next marker
  }
  // For every marker, the next END marker and the next BEGIN marker with the same label, and the next END of any label.
  const nextEnd: number[] = new Array(markers.length);
  const nextBegin: number[] = new Array(markers.length);
  const nextAnyEnd: number[] = new Array(markers.length);
  const nextAnyBegin: number[] = new Array(markers.length);
  const ends = new Map<string, number>();
  const begins = new Map<string, number>();
  let anyEnd = -1;
  let anyBegin = -1;
  for (let i = markers.length - 1; i >= 0; i--) {
    const k = markers[i]!;
    nextEnd[i] = ends.get(k.label) ?? -1;
    nextBegin[i] = begins.get(k.label) ?? -1;
    nextAnyEnd[i] = anyEnd;
    nextAnyBegin[i] = anyBegin;
    (k.begin ? begins : ends).set(k.label, i);
    if (k.begin) anyBegin = i;
    else anyEnd = i;
  }
  const blocks: { label: string; body: string }[] = [];
  let unended: string | undefined;
  let consumed = 0;
  for (let i = 0; i < markers.length; i++) {
    const begin = markers[i]!;
    if (!begin.begin || begin.start < consumed) continue;
    if (!LABELS.has(begin.label)) {
      if (skipped && skipped.length < MAX_SKIPPED && begin.label.length <= 40 && !skipped.includes(begin.label)) skipped.push(begin.label);
      continue;
    }
    let j = nextEnd[i]!;
    while (j !== -1 && markers[j]!.start < begin.end) j = nextEnd[j]!; // an END sharing the BEGIN's dashes
    // A BEGIN of the same label before that END: this block was cut short and the next one follows
    // (it said "not valid base64").
    let k = nextBegin[i]!;
    while (k !== -1 && markers[k]!.start < begin.end) k = nextBegin[k]!; // a BEGIN sharing this one's dashes
    if (j === -1 || (k !== -1 && k < j)) {
      if (unended === undefined) {
        // An END of another label before any BEGIN (END PRIVATE KEY right after a BEGIN CERTIFICATE's
        // base64, "END CERTIFICATE -----"): a wrong END line, not a cut; one after a BEGIN is that block's.
        let e = nextAnyEnd[i]!;
        while (e !== -1 && markers[e]!.start < begin.end) e = nextAnyEnd[e]!;
        let b = nextAnyBegin[i]!;
        while (b !== -1 && markers[b]!.start < begin.end) b = nextAnyBegin[b]!;
        const other = e !== -1 && (b === -1 || e < b) ? markers[e]!.label : undefined;
        unended =
          other === undefined
            ? `-----BEGIN ${begin.label}----- is not closed: was the text cut short?`
            : `-----BEGIN ${begin.label}----- is closed by -----END ${other.length > 40 ? `${other.slice(0, 40)}…` : other}-----: its END line must name the same label${other.trim() === begin.label ? " (a stray space before the dashes?)" : ""}`;
      }
      continue;
    }
    blocks.push({ label: begin.label, body: text.slice(begin.end, markers[j]!.start) });
    consumed = markers[j]!.end;
  }
  return { blocks, unended };
}

/** Decodes standard base64 (whitespace ignored); throws a CertificateError on anything else. */
export function decodeBase64(text: string, what: string): Uint8Array {
  const clean = text.replace(/[\s]+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw malformed(`${what} is not valid base64`);
  try {
    return fromBase64(clean);
  } catch (e) {
    throw malformed(`${what} is not valid base64`, e);
  }
}

export function isPemText(text: string): boolean {
  return text.includes("-----BEGIN ");
}

/** A line at CR LF, LF or CR: one pass over the text (a fixed alternation, nothing to backtrack). */
const LINE_END = /\r\n|\r|\n/;
/** An RFC 1421 header line: a field name and a colon (base64 has no colon, so it never matches). */
const HEADER = /^[A-Za-z0-9][A-Za-z0-9-]*:/;
const isBlank = (line: string) => line.trim() === "";

/**
 * The base64 of a block, without its RFC 1421 headers: `Name: value` lines (and continuation lines
 * that start with white space) right after the BEGIN line, ended by a blank line. Read line by line,
 * so the work is linear in the text whatever it holds (a regular expression over the headers took
 * exponential time on a run of `X:` lines without the blank line). Headers without the blank line
 * end at the first line that is neither a header nor a continuation.
 */
function base64Of(label: string, body: string): string {
  const lines = body.split(LINE_END);
  let i = 0;
  while (i < lines.length && isBlank(lines[i]!)) i++; // the rest of the BEGIN line
  if (i < lines.length && HEADER.test(lines[i]!)) {
    const names: string[] = [];
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (isBlank(line)) {
        i++;
        break;
      }
      const header = HEADER.exec(line);
      if (header) names.push(header[0].slice(0, -1).toLowerCase());
      else if (line[0] !== " " && line[0] !== "\t") break;
    }
    if (names.includes("proc-type") || names.includes("dek-info")) {
      throw new CertificateError(
        "ERR_CERT_UNSUPPORTED_ALGORITHM",
        `The ${label} block uses OpenSSL's legacy PEM encryption (Proc-Type/DEK-Info). Convert it to PKCS#8 first: openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key-pkcs8.pem`,
      );
    }
  }
  return lines.slice(i).join("");
}

/**
 * Every PEM block of the text with a label a certificate input uses, in order. The labels of the
 * other BEGIN lines (distinct, at most 8 of them) go to `skipped`, for messages that name them.
 */
export function parsePem(text: string, skipped?: string[]): PemBlock[] {
  // PEM kept on one line with "\n" escapes (.env files, .dev.vars, CI secrets): say so (review 11).
  if (/-----BEGIN [A-Z0-9 ]{1,40}-----\\[nr]/.test(text)) {
    throw malformed('the PEM text holds "\\n" escapes instead of line breaks (as .env files and CI secrets keep it): turn them into newlines first, e.g. text.replace(/(\\\\r)?\\\\n/g, "\\n")');
  }
  const found = blocksOf(text.replace(/^\uFEFF/, ""), skipped);
  // A BEGIN without its END: the text was cut short (a size limit of a variable or secret store) —
  // said even when other blocks are whole, not "no certificate" or "no private key" (attack review of session 10).
  if (found.unended !== undefined) throw malformed(`a PEM block has no matching END line (${found.unended})`);
  return found.blocks.map(({ label, body }) => ({ label, der: decodeBase64(base64Of(label, body), `the ${label} block`) }));
}
