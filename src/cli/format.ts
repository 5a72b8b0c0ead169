/** Text formatting for the CLI's output: aligned fields, relative times, and what may be echoed. */
import { showPath } from "../certificate/path.ts";

/** `label:` padded to `width`, then the value: one line. */
export function field(label: string, value: string, width = 16): string {
  return `  ${(label + ":").padEnd(width)}${value}\n`;
}

/**
 * A duration relative to now, for humans: `in 59 min`, `in 2 h 5 min`, `in 94 years`,
 * `3 days ago`.
 *
 * @example
 * ```ts
 * relative(Date.now() + 3_540_000); // "in 59 min"
 * ```
 */
function relative(timestamp: number, now = Date.now()): string {
  const ms = timestamp - now;
  const text = span(Math.abs(ms));
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

function span(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const days = Math.floor(h / 24);
  if (days < 730) return `${days} days`;
  return `${Math.floor(days / 365.25)} years`;
}

/** An ISO date with its relative time: `2026-11-27T07:12:00.000Z (in 59 min)`. */
export function when(date: Date | number, now = Date.now()): string {
  const d = typeof date === "number" ? new Date(date) : date;
  return `${d.toISOString()} (${relative(d.getTime(), now)})`;
}

/**
 * Text from outside (an endpoint's answer, a file name, an error message) made safe for a
 * terminal: every C0 and C1 control character and DEL — ESC sequences, OSC titles, a lone CR that
 * overwrites the line — and the Unicode bidirectional controls and line/paragraph separators
 * (U+202E, which turns the rest of a line around, U+2066–U+2069, U+200E/U+200F, U+061C,
 * U+2028/U+2029) become a visible `\uXXXX` (valid inside a JSON string too), except the line
 * feeds the output is made of.
 *
 * @example
 * ```ts
 * escapeControls("bad \u001b[2J\r done\n"); // "bad \\u001b[2J\\u000d done\n"
 * ```
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Outside text put inside one output line (a file name, a request's client_id): every control
 * character escaped as {@link escapeControls} does — the line feed too, which escapeControls keeps
 * because the CLI's own lines end with it — so the text cannot start a line of its own.
 *
 * @example
 * ```ts
 * oneLine("x.pem\n  sha1Thumbprint: 00"); // "x.pem\\u000a  sha1Thumbprint: 00"
 * ```
 */
export function oneLine(text: string): string {
  return escapeControls(text).replace(/\n/g, "\\u000a");
}

/**
 * A command-line argument as a message may echo it: an option name as typed (`--scoep`), anything
 * else only as the library's {@link showPath} shows a path — quoted when short and path-shaped,
 * else described by its length. A private key, a base64 PFX or a secret given where a file or an
 * option belongs (`entra-edge cert "$(cat key.pem)"`) is never printed.
 *
 * @example
 * ```ts
 * shownArg("--scoep"); // "--scoep"
 * shownArg("-----BEGIN PRIVATE KEY-----\nMIIE…"); // "(1704 characters, not shown)"
 * ```
 */
export function shownArg(arg: string): string {
  return /^--?[A-Za-z][A-Za-z0-9-]{0,39}$/.test(arg) ? arg : showPath(arg);
}
