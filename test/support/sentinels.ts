/**
 * The secret scanner. Secrets the tests use (client secrets, certificate passwords, private key
 * material) are registered as sentinels; every error caught by `rejects`/`throws` and every logger
 * event collected with `collectLogs` is scanned — message, stack, `cause` chain and properties —
 * for a sentinel in any of its encodings (raw, encodeURIComponent, URLSearchParams, either-case
 * %-escapes, JSON-escaped, base64) or for anything shaped like a JWT (assertions and access
 * tokens). A find fails the
 * running test. Active for the whole suite on every runtime.
 */
import { AssertionError, setErrorInspector } from "../assert.ts";
import { afterEach } from "../harness.ts";
import { fixtureText, manifest } from "./fixtures.ts";

/** Each registered secret with the forms the scanner looks for (see {@link leakOf}). */
const sentinels = new Map<string, Forms>();
const leaks: string[] = [];
/** Two base64url segments starting with `{"` and a third: a compact JWS (assertion or token). */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/;
/** One decoder for every view (invalid bytes become U+FFFD); making one per run was a third of the scanner's time. */
const UTF8 = new TextDecoder();
/** The bytes of a binary string (each char code < 256, as atob returns). */
function binaryBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function registerSentinel(value: string): void {
  if (value.length >= 8 && !sentinels.has(value)) sentinels.set(value, formsOf(value));
}

/** Every string reachable from a value: message, stack, cause chain, own properties (enumerable or not). */
export function everyText(value: unknown, seen = new Set<unknown>()): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value !== "object" && typeof value !== "function") return String(value);
  if (seen.has(value)) return "";
  seen.add(value);
  const parts: string[] = [];
  if (value instanceof Error) parts.push(String(value.message), String(value.stack ?? ""));
  for (const key of Reflect.ownKeys(value)) {
    let v: unknown;
    try {
      v = (value as Record<PropertyKey, unknown>)[key];
    } catch {
      continue;
    }
    parts.push(String(key), everyText(v, seen));
  }
  return parts.join("\n");
}

/** `%XX` runs decoded as UTF-8 (invalid bytes become U+FFFD); with `plus`, `+` is a space first (form encoding). */
function percentDecoded(text: string, plus: boolean): string {
  return (plus ? text.replace(/\+/g, " ") : text).replace(/(?:%[0-9a-fA-F]{2})+/g, (run) =>
    UTF8.decode(new Uint8Array(run.slice(1).split("%").map((h) => parseInt(h, 16)))),
  );
}

const JSON_SHORT: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** JSON string escapes (`\uXXXX` in either case, `\"`, `\\`, `\/`, `\n`, …) decoded. */
function jsonDecoded(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\(["\\/bfnrt])/g, (_, u: string | undefined, c: string) => (u ? String.fromCharCode(parseInt(u, 16)) : (JSON_SHORT[c] ?? c)));
}

/**
 * The text as an echo may have encoded a secret: as is, JSON-unescaped, %-decoded (either-case
 * escapes; with and without `+` as space), and the combinations. A secret in any of these
 * encodings — raw, encodeURIComponent, URLSearchParams, lower-case escapes, a mix, JSON.stringify,
 * ASCII-only JSON — appears verbatim in one of the views. Written independently of
 * src/token/redact.ts, so that the two check each other.
 */
export function decodedViews(text: string): string[] {
  // A Set: most views of most texts are the text itself (nothing to decode); the first is the raw text.
  const views = new Set<string>();
  for (const base of [text, base64Decoded(text), hexDecoded(text), byteListDecoded(text), htmlDecoded(text)]) {
    if (!base) continue;
    const json = jsonDecoded(base);
    views.add(base).add(json);
    for (const v of new Set([base, json])) {
      for (const plus of [false, true]) {
        const percent = percentDecoded(v, plus);
        views.add(percent).add(jsonDecoded(percent));
      }
    }
  }
  return [...views];
}

/**
 * Every run of base64 (or base64url) characters decoded as UTF-8, from each of the 4 possible
 * alignments, joined by newlines: what a gateway's base64 of the request says.
 */
function base64Decoded(text: string): string {
  const out: string[] = [];
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{12,}/g)) {
    const std = run.replace(/-/g, "+").replace(/_/g, "/");
    for (let k = 0; k < 4; k++) {
      const rest = std.slice(k);
      const part = rest.length % 4 === 1 ? rest.slice(0, -1) : rest;
      try {
        out.push(UTF8.decode(binaryBytes(atob(part))));
      } catch {
        // not base64 from this alignment
      }
    }
  }
  return out.join("\n");
}

/** Every run of 16 or more hex digits decoded as UTF-8 from each of its 2 alignments, joined by newlines: what a hex dump of the request says. */
function hexDecoded(text: string): string {
  const out: string[] = [];
  for (const [run] of text.matchAll(/[0-9a-fA-F]{16,}/g)) {
    for (let k = 0; k < 2; k++) {
      const pairs = run.slice(k).match(/[0-9a-fA-F]{2}/g) ?? [];
      out.push(UTF8.decode(Uint8Array.from(pairs, (p) => parseInt(p, 16))));
    }
  }
  return out.join("\n");
}

/** HTML numeric entities (hex and decimal) and &amp; &lt; &gt; &quot; &apos; decoded. */
function htmlDecoded(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return text.replace(/&#([xX][0-9a-fA-F]+|[0-9]+);|&(amp|lt|gt|quot|apos);/g, (all, n: string | undefined, name: string | undefined) => {
    if (name) return named[name]!;
    const cp = n![0] === "x" || n![0] === "X" ? parseInt(n!.slice(1), 16) : parseInt(n!, 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
  });
}

/**
 * Bytes written one by one, decoded: every 2-digit hex number standing alone (between characters
 * that are not hex digits: "63 6c", "63:6c", "\\x63", a hexdump's columns — its 8-digit offsets are
 * not such numbers), in order, over the whole text; and every decimal number of up to 3 digits
 * that is at most 255 ("[99,108,…]"). Joined by a newline.
 */
function byteListDecoded(text: string): string {
  const hex = [...text.replace(/\\x/g, " ").matchAll(/(?<![0-9a-fA-F])[0-9a-fA-F]{2}(?![0-9a-fA-F])/g)].map(([h]) => parseInt(h, 16));
  const decimal = [...text.matchAll(/(?<![0-9])[0-9]{1,3}(?![0-9])/g)].map(([d]) => Number(d)).filter((d) => d < 256);
  return [hex, decimal].map((bytes) => UTF8.decode(Uint8Array.from(bytes))).join("\n");
}

/** Base64 (standard and base64url, unpadded) of the bytes of `value` at each of the 3 alignments: what base64 of a longer text holding `value` contains. */
export function base64Needles(value: string): string[] {
  const out: string[] = [];
  for (const bytes of [new TextEncoder().encode(value), new TextEncoder().encode(new URLSearchParams({ v: value }).toString().slice(2))]) {
    for (let a = 0; a < 3; a++) {
      const part = bytes.subarray(a, a + Math.floor((bytes.length - a) / 3) * 3);
      if (part.length < 9) continue;
      const b64 = btoa(String.fromCharCode(...part));
      out.push(b64, b64.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return out;
}

interface Forms {
  /** The secret, and as it is sent when it holds a lone surrogate (U+FFFD). */
  plain: string[];
  base64: string[];
  /** With `formsOf(secret, n)`: every `n` characters (UTF-16 units, no half pairs) in a row of `plain`, any of which is a leak. */
  windows?: { size: number; set: Set<string>; heads: Set<number> };
}

/** What {@link leakOf} looks for; compute it once per secret. */
export function formsOf(secret: string, windowSize?: number): Forms {
  const plain = [...new Set([secret, new TextDecoder().decode(new TextEncoder().encode(secret))])];
  const forms: Forms = { plain, base64: base64Needles(secret) };
  if (windowSize) {
    // Windows of UTF-16 units (8 of them are 8 bytes or more as sent), none cutting a surrogate
    // pair in half: half of one is no character of the secret.
    const set = new Set<string>();
    const heads = new Set<number>();
    const half = (c: number) => c >= 0xd800 && c < 0xe000;
    for (const p of plain) {
      for (let i = 0; i + windowSize <= p.length; i++) {
        if ((half(p.charCodeAt(i)) && p.charCodeAt(i) >= 0xdc00) || (half(p.charCodeAt(i + windowSize - 1)) && p.charCodeAt(i + windowSize - 1) < 0xdc00)) continue;
        set.add(p.slice(i, i + windowSize));
        heads.add(p.charCodeAt(i) * 65536 + p.charCodeAt(i + 1));
      }
    }
    forms.windows = { size: windowSize, set, heads };
  }
  return forms;
}

/**
 * Where (in which encoding) `secret` appears in `text`, or undefined: in any view of
 * {@link decodedViews}, or as base64 of the secret or of its form encoding.
 */
export function leakOf(text: string, secret: string | Forms, views = decodedViews(text)): string | undefined {
  const forms = typeof secret === "string" ? formsOf(secret) : secret;
  for (const form of forms.plain) {
    const i = views.findIndex((v) => v.includes(form));
    if (i >= 0) return i === 0 ? "raw" : "encoded";
  }
  if (forms.base64.some((n) => text.includes(n))) return "base64";
  if (forms.windows) {
    const { size, set, heads } = forms.windows;
    for (const v of views) {
      for (let i = 0; i + size <= v.length; i++) {
        if (heads.has(v.charCodeAt(i) * 65536 + v.charCodeAt(i + 1)) && set.has(v.slice(i, i + size))) return `${size} characters of it in a row`;
      }
    }
  }
  return undefined;
}

/** Returns a description of the first leak in `text`, if any. */
export function findLeak(text: string): string | undefined {
  if (!text) return undefined;
  const views = decodedViews(text);
  for (const [s, forms] of sentinels) {
    const how = leakOf(text, forms, views);
    if (how) return `a registered secret (${s.slice(0, 4)}…, ${how})`;
  }
  if (JWT.test(text)) return "a JWT (client assertion or access token)";
  return undefined;
}

export function scan(value: unknown, where: string): void {
  const leak = findLeak(everyText(value));
  if (leak) leaks.push(`${where} contains ${leak}`);
}

setErrorInspector((error) => {
  const leak = findLeak(everyText(error));
  if (leak) throw new AssertionError(`an error contains ${leak}: ${error instanceof Error ? error.name : typeof error}`);
});

afterEach(() => {
  if (leaks.length) {
    const found = leaks.splice(0);
    throw new AssertionError(`secret leak: ${found.join("; ")}`);
  }
});

// Fixture secrets: the password every encrypted fixture uses, and private key material.
registerSentinel("Fixture-P@ss1");
for (const e of manifest) {
  if (!e.file.endsWith(".pem")) continue;
  const text = fixtureText(e.file);
  for (const m of text.matchAll(/-----BEGIN ([A-Z ]*PRIVATE KEY)-----([\s\S]*?)-----END/g)) {
    const body = m[2]!.replace(/^[A-Za-z-]+:.*$/gm, "").replace(/\s+/g, "");
    registerSentinel(body.slice(40, 104));
    registerSentinel(body.slice(-80, -16));
  }
}
