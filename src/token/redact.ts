/**
 * Redaction of secret values (the client secret, the client assertion) from every text that reaches
 * an error or a log event: what a transport threw, and everything taken from the token endpoint's
 * answer. An echo of the request may carry a secret in another program's encoding, whole, cut
 * short ("…&client_secret=Abc8Q%7Ex.y_Z-1234..."), or in the middle of a longer text, so the text
 * is first decoded — %-escapes in either case (encodeURIComponent, URLSearchParams, Go/Python query
 * escaping, or any mix; escaped twice, `%257E`, too), `+` for a space, JSON escapes (`\"`, `\\`, `\/`, `\n`, `\uXXXX`) — keeping
 * where each decoded byte came from, and then every run of {@link WINDOW} or more bytes that also
 * stands in a secret is replaced, in the original text, by `[redacted]`. A run of base64 or
 * base64url that decodes (from any of its 4 alignments) to text holding such a run goes whole, and
 * so does a run of hex digits (a dump of the body, in either case) that does from either of its 2.
 * Three more views of the whole text are read the same way, each of their characters mapped back
 * to the text it came from: its standalone hex pairs in order (Go's "% x", hexdump -C across its
 * lines, `\x63`), its decimal numbers up to 255 (JSON.stringify of a Node Buffer), and the text
 * with HTML entities decoded.
 *
 * A secret shorter than {@link WINDOW} bytes cannot be told from ordinary text, and where its
 * redactions fell would spell it: a text holding one is withheld whole.
 *
 * Linear time, and bounded: a text is cut to {@link MAX_TEXT} characters first; then one decoding
 * pass per view (two where the text has escapes, read raw too), one set lookup of a {@link WINDOW}-byte
 * slice per byte, and each base64 or hex run decoded once from each alignment. `atob` here, not lib/bytes.ts: that module is
 * also reached through the lazy certificate imports, and a bundler wraps such a module in a lazy
 * initialiser, ~100 B gzip in every client-secret Worker.
 *
 * @module
 */

/** Bytes in a row of a secret that an echo must not keep. */
const WINDOW = 8;

/** The characters of an outside text kept (the rest is cut, before redaction). */
const MAX_TEXT = 8192;

const encoder = new TextEncoder();

/**
 * `text` decoded to UTF-8 bytes (a binary string: a character a byte) — ASCII letters lower-cased,
 * `+` and a space the same byte — and, for each byte, the index in `text` where its source starts.
 * With `binary`, each character of `text` is one byte already (what `atob` returns); with `raw`,
 * escapes are bytes like the rest; with `twice`, %-escapes escaped again (`%257E`) are decoded as one byte, and no JSON escapes.
 */
function decode(text: string, binary?: boolean, raw?: boolean, twice?: boolean): [string, number[]] {
  let bytes = "";
  const at: number[] = [];
  // One unit: a %-escaped byte (with `twice`: only one escaped twice, %25 then the escape), a \uXXXX (or two: a surrogate pair), a JSON escape, a character.
  const unit = raw ? /[^]/uy : twice ? /%25[\dA-Fa-f]{2}|%[\dA-Fa-f]{2}|[^]/uy : /%[\dA-Fa-f]{2}|\\u[Dd][89ABab][\dA-Fa-f]{2}\\u[Dd][C-Fc-f][\dA-Fa-f]{2}|\\u[\dA-Fa-f]{4}|\\["\\/bfnrt]|[^]/uy;
  for (let i = 0; i < text.length; ) {
    let x = text.charCodeAt(i);
    // Plain ASCII (most of any text) without the pattern.
    const out = x < 128 && (raw || (x !== 37 && x !== 92)) ? [x] : undefined;
    let u = text[i]!;
    if (!out) {
      unit.lastIndex = i;
      u = unit.exec(text)![0];
    }
    for (x of out ?? (u[0] === "%" && u.length > 2 ? [parseInt(u.slice(-2), 16)] : u.length > 1 && u[0] === "\\" ? encoder.encode(JSON.parse(`"${u}"`)) : binary ? [x] : encoder.encode(u))) {
      bytes += String.fromCharCode(x === 43 ? 32 : x > 64 && x < 91 ? x + 32 : x);
      at.push(i);
    }
    i += u.length;
  }
  return [bytes, at];
}

/** The character of an HTML entity: `&#x7e;`, `&#126;` (past U+10FFFF: U+FFFD), `&amp;` and the other four of XML. */
function entity(u: string): string {
  const n = u[1] === "#" ? parseInt(u.slice(u[2] === "x" || u[2] === "X" ? 3 : 2, -1), u[2] === "x" || u[2] === "X" ? 16 : 10) : -1;
  return n < 0 ? { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'" }[u]! : String.fromCodePoint(n > 0x10ffff ? 0xfffd : n);
}

/**
 * A function that replaces each secret of `secrets` — in any encoding, whole or any
 * {@link WINDOW}-byte part of it — by `[redacted]`. The windows are computed at the first call
 * (only failures redact anything).
 *
 * @example
 * ```ts
 * const redact = redactor(["s3cr~t value"]);
 * redact("bad body: client_secret=s3cr%7et+value"); // "bad body: client_secret=[redacted]"
 * redact("rejected: client_secret=s3cr%7Et+va..."); // "rejected: client_secret=[redacted]..."
 * ```
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  let windows: Set<string> | undefined;
  const short: string[] = [];
  /** Where in `text` the secrets' windows run; `undefined` when a short secret is in it. */
  const runs = (text: string, binary?: boolean, raw?: boolean, twice?: boolean): [number, number][] | undefined => {
    if (!windows) {
      windows = new Set();
      // Each secret decoded as a text is (a secret holding `%41` echoed raw decodes alike), and as
      // its own bytes (a secret holding `%41` echoed %-escaped decodes to them).
      for (const s of secrets.filter(Boolean)) {
        for (const [b] of [decode(s), decode(s, false, true)]) {
          if (b.length < WINDOW) short.push(b);
          for (let i = 0; i + WINDOW <= b.length; i++) windows.add(b.slice(i, i + WINDOW));
        }
      }
    }
    const [bytes, at] = decode(text, binary, raw, twice);
    if (short.some((s) => bytes.includes(s))) return undefined;
    const found: [number, number][] = [];
    for (let i = 0; i + WINDOW <= bytes.length; i++) {
      if (!windows.has(bytes.slice(i, i + WINDOW))) continue;
      // A run of windows: extend while the next window is a secret's too; then on to the end of
      // the character the run's last byte came from.
      let last = i;
      while (windows.has(bytes.slice(last + 1, last + 1 + WINDOW))) last++;
      last += WINDOW - 1;
      while (at[last + 1] === at[last]) last++;
      found.push([at[i]!, at[last + 1] ?? text.length]);
      i = last;
    }
    return found;
  };
  /** Where secrets run in `text` read every way (decoded, escapes as themselves, escaped twice); `undefined` when a short secret is in it. */
  const all = (text: string, binary?: boolean): [number, number][] | undefined => {
    const decoded = runs(text, binary);
    // Escapes read as themselves too: a raw echo of a secret holding `%41` or `\n`.
    const raw = /[%\\]/.test(text) ? runs(text, binary, true) : [];
    // …and an echo escaped twice (a gateway that escaped the escaped body again: review 10).
    const twice = /%25[\dA-Fa-f]{2}/.test(text) ? runs(text, binary, false, true) : [];
    return decoded && raw && twice && [...decoded, ...raw, ...twice];
  };
  /** `text` with each of the ranges `found` replaced by `[redacted]` (overlapping or adjacent ones by one). */
  const without = (text: string, found: [number, number][]): string => {
    let out = "";
    // (The end of the last range out: a range that starts there or before joins it.)
    let from = -1;
    for (const [start, end] of found.sort((x, y) => x[0] - y[0])) {
      if (end <= from) continue;
      out += text.slice(Math.max(from, 0), Math.max(start, from)) + (start > from ? "[redacted]" : "");
      from = end;
    }
    return out + text.slice(Math.max(from, 0));
  };
  /** `text` with every secret run replaced; `undefined` when a short secret is in it. */
  const plain = (text: string, binary?: boolean): string | undefined => {
    const found = all(text, binary);
    return found && without(text, found);
  };
  return (text) => {
    // No message needs more of an outside text, and the cut bounds the work.
    if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}…`;
    const withheld = "[withheld: the text held a secret]";
    const cuts = all(text);
    if (!cuts) return withheld;
    /** Adds the cuts of a view of `text` — each match of `pattern` read as `char` of it — where that view holds a secret; true when it holds a short one. */
    const view = (pattern: RegExp, char: (m: RegExpExecArray) => string, binary?: boolean): boolean => {
      let decoded = "";
      const spans: number[] = [];
      for (const m of text.matchAll(pattern)) {
        const c = char(m);
        decoded += c;
        for (let k = 0; k < c.length; k++) spans.push(m.index!, m.index! + m[0].length);
      }
      const found = all(decoded, binary);
      for (const [start, end] of found ?? []) cuts.push([spans[2 * start]!, spans[2 * end - 1]!]);
      return !found;
    };
    const byte = (radix: number) => (m: RegExpExecArray) => {
      const b = parseInt(m[1]!, radix);
      return b < 256 ? String.fromCharCode(b) : "";
    };
    // Bytes written one by one, anywhere in the text — hex pairs standing alone or after `\x`
    // (Go's "% x", "63:6c", hexdump -C's columns, "\x63\x6c"), decimal values up to 255
    // (JSON.stringify of a Node Buffer: [99,108,…]) — read in order as one stream each, across
    // lines and whatever stands between them (a dump's offsets, its printable column); and HTML
    // entities (`&#x7e;`, `&#126;`, `&amp;`: an HTML page quoting the body, %-escapes and all)
    // decoded. Where such a view spells a secret, the text it came from goes.
    if (
      view(/(?:\\x|(?<![\dA-Za-z]))([\dA-Fa-f]{2})(?![\dA-Za-z])/g, byte(16), true) ||
      view(/(?<![\w.])(\d{1,3})(?![\w.])/g, byte(10), true) ||
      (/&#|&(?:amp|lt|gt|quot|apos);/.test(text) && view(/&#[Xx][\dA-Fa-f]{1,6};|&#\d{1,7};|&(?:amp|lt|gt|quot|apos);|[^]/gu, (m) => (m[0].length > 2 ? entity(m[0]) : m[0])))
    )
      return withheld;
    const listed = without(text, cuts);
    // A run of base64, or of hex (a dump of the body), that hides a secret goes whole.
    return listed.replace(/[\w+/-]{12,}/g, (run) => {
      // Each run of hex digits from either alignment (an odd last digit stays a character: harmless).
      const views = [...run.matchAll(/[\dA-Fa-f]{16,}/g)].flatMap(([hex]) => [hex, hex.slice(1)].map((h) => h.replace(/../g, (b) => String.fromCharCode(parseInt(b, 16)))));
      for (let k = 0; k < 4; k++) {
        try {
          const part = run.slice(k).replace(/-/g, "+").replace(/_/g, "/");
          // atob takes unpadded base64, but not a last group of 1 character.
          views.push(atob(part.slice(0, part.length % 4 === 1 ? -1 : undefined)));
        } catch {
          // not base64 from this alignment
        }
      }
      return views.some((decoded) => plain(decoded, true) !== decoded) ? "[redacted]" : run;
    });
  };
}
