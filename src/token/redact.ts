/**
 * Redaction of secret values (the client secret, the client assertion) from every text that reaches
 * an error or a log event: what a transport threw, and everything taken from the token endpoint's
 * answer. An echo of the request may carry a secret in another program's encoding, whole or in the
 * middle of a longer text, so each secret is matched in every encoding at once: raw, %-escaped in
 * either case (encodeURIComponent, URLSearchParams, Go/Python query escaping, or any mix — `+` for a
 * space), JSON-escaped (`\"`, `\\`, `\/`, `\n`, `\uXXXX` in either case), and inside base64 or
 * base64url.
 *
 * Linear time: the pattern has no quantifiers, and in each character's group at most one
 * alternative can match at a given position (they start with different characters), so matching
 * from one position costs at most the pattern's length — O(text × secret) in all, with the secret
 * fixed. Base64 runs are decoded once from each of their 4 alignments — with `atob` here, not
 * lib/bytes.ts: that module is also reached through the lazy certificate imports, and a bundler
 * wraps such a module in a lazy initialiser, ~100 B gzip in every client-secret Worker.
 *
 * @module
 */

const encoder = new TextEncoder();

const literal = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");

/**
 * The pattern of one character (code point) of a secret in any of the encodings (the pattern is
 * case-insensitive, for the hex digits). The alternatives start with different characters — except
 * for `%` and `\`, whose escapes start with themselves, so that only a secret holding `%25` or
 * `\\` lets two of them match at one place.
 */
function char(c: string): string {
  if (/\w/.test(c)) return c;
  const alts = new Set([
    [...encoder.encode(c)].map((b) => "%" + b.toString(16).padStart(2, "0")).join(""),
    c.replace(/[^]/g, (u) => "\\\\u" + u.charCodeAt(0).toString(16).padStart(4, "0")),
  ]);
  for (const x of [c, JSON.stringify(c).slice(1, -1), c === "/" ? "\\/" : c, c === " " ? "+" : c]) alts.add(literal(x));
  return `(?:${[...alts].join("|")})`;
}

/**
 * A function that replaces each secret of `secrets`, in any encoding, by `[redacted]`. The pattern
 * is built at the first call (only failures redact anything).
 *
 * @example
 * ```ts
 * const redact = redactor(["s3cr~t value"]);
 * redact("bad body: client_secret=s3cr%7et+value"); // "bad body: client_secret=[redacted]"
 * ```
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  let pattern: RegExp | undefined;
  const replace = (text: string): string =>
    text.replace(
      (pattern ??= new RegExp(
        secrets
          .filter(Boolean)
          // As sent: a lone surrogate becomes U+FFFD.
          .map((s) => new TextDecoder().decode(encoder.encode(s)))
          .map((s) => [...s].map(char).join(""))
          .join("|") || "(?!)",
        "gi",
      )),
      "[redacted]",
    );
  return (text) =>
    // A run of base64 that hides a secret goes whole.
    replace(text).replace(/[\w+/-]{12,}/g, (run) => {
      for (let k = 0; k < 4; k++) {
        try {
          const part = run.slice(k).replace(/-/g, "+").replace(/_/g, "/");
          // atob takes unpadded base64, but not a last group of 1 character.
          const decoded = new TextDecoder().decode(Uint8Array.from(atob(part.slice(0, part.length % 4 === 1 ? -1 : undefined)), (c) => c.charCodeAt(0)));
          if (replace(decoded) !== decoded) return "[redacted]";
        } catch {
          // not base64 from this alignment
        }
      }
      return run;
    });
}
