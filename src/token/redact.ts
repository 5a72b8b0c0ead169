/**
 * Redaction of secret values (the client secret, the client assertion) from every text that reaches
 * an error or a log event: what a transport threw, and everything taken from the token endpoint's
 * answer. An echo of the request may carry a secret in another program's encoding, whole, cut
 * short ("…&client_secret=Abc8Q%7Ex.y_Z-1234..."), or in the middle of a longer text, so the text
 * is first decoded — %-escapes in either case (encodeURIComponent, URLSearchParams, Go/Python query
 * escaping, or any mix), `+` for a space, JSON escapes (`\"`, `\\`, `\/`, `\n`, `\uXXXX`) — keeping
 * where each decoded byte came from, and then every run of {@link WINDOW} or more bytes that also
 * stands in a secret is replaced, in the original text, by `[redacted]`. A run of base64 or
 * base64url that decodes (from any of its 4 alignments) to text holding such a run goes whole.
 *
 * A secret shorter than {@link WINDOW} bytes cannot be told from ordinary text, and where its
 * redactions fell would spell it: a text holding one is withheld whole.
 *
 * Linear time: one decoding pass, then one set lookup of a {@link WINDOW}-byte slice per byte; the
 * base64 runs are decoded once from each alignment. `atob` here, not lib/bytes.ts: that module is
 * also reached through the lazy certificate imports, and a bundler wraps such a module in a lazy
 * initialiser, ~100 B gzip in every client-secret Worker.
 *
 * @module
 */

/** Bytes in a row of a secret that an echo must not keep. */
const WINDOW = 8;

const hex = (s: string) => /^[\da-f]+$/i.test(s);

/** Writes code point (or byte) `code` at `n` as UTF-8, lower-cased, `+` as a space; returns the new end. */
function put(bytes: Uint8Array, at: Int32Array, n: number, code: number, from: number, byte: boolean): number {
  // A lone surrogate becomes U+FFFD, as fetch sends it.
  if (code >= 0xd800 && code < 0xe000 && !byte) code = 0xfffd;
  const out =
    code < 0x80 || byte
      ? [code]
      : code < 0x800
        ? [0xc0 | (code >> 6), 0x80 | (code & 63)]
        : code < 0x10000
          ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)]
          : [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)];
  for (const b of out) {
    bytes[n] = b === 43 ? 32 : b >= 65 && b <= 90 ? b + 32 : b;
    at[n++] = from;
  }
  return n;
}

/**
 * `text` decoded to UTF-8 bytes — ASCII letters lower-cased, `+` and a space the same byte — with,
 * for each byte, the index in `text` where its source starts. With `binary`, each character of
 * `text` is one byte already (what `atob` returns); with `raw`, escapes are bytes like the rest.
 */
function decode(text: string, binary = false, raw = false): { bytes: Uint8Array; at: Int32Array; n: number } {
  const bytes = new Uint8Array(text.length * 3);
  const at = new Int32Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    // Plain ASCII first: most of any text.
    if (code < 0x80 && (raw || (code !== 37 && code !== 92))) {
      bytes[n] = code === 43 ? 32 : code >= 65 && code <= 90 ? code + 32 : code;
      at[n++] = i++;
      continue;
    }
    const next = text[i + 1];
    if (code === 37 && i + 3 <= text.length && hex(text.slice(i + 1, i + 3))) {
      // One byte of a %-escaped UTF-8 sequence (decoded bytes, not characters).
      n = put(bytes, at, n, parseInt(text.slice(i + 1, i + 3), 16), i, true);
      i += 3;
    } else if (code === 92 && next === "u" && i + 6 <= text.length && hex(text.slice(i + 2, i + 6))) {
      let unit = parseInt(text.slice(i + 2, i + 6), 16);
      const from = i;
      i += 6;
      if (unit >= 0xd800 && unit < 0xdc00 && text[i] === "\\" && text[i + 1] === "u" && hex(text.slice(i + 2, i + 6))) {
        const low = parseInt(text.slice(i + 2, i + 6), 16);
        if (low >= 0xdc00 && low < 0xe000) {
          unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
          i += 6;
        }
      }
      n = put(bytes, at, n, unit, from, binary);
    } else if (code === 92 && next !== undefined && '"\\/bfnrt'.includes(next)) {
      n = put(bytes, at, n, ({ b: 8, f: 12, n: 10, r: 13, t: 9 } as Record<string, number>)[next] ?? next.charCodeAt(0), i, binary);
      i += 2;
    } else {
      const point = binary ? code : text.codePointAt(i)!;
      n = put(bytes, at, n, point, i, binary);
      i += point > 0xffff ? 2 : 1;
    }
  }
  return { bytes, at, n };
}

const key = (b: Uint8Array, i: number) => String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
const head = (b: Uint8Array, i: number) => (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;

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
  // The secrets' windows, and their first 3 bytes: a cheap test before a window is built.
  let windows: Set<string> | undefined;
  const heads = new Set<number>();
  const short: string[] = [];
  const setUp = () => {
    windows = new Set();
    for (const s of secrets.filter(Boolean)) {
      // Each secret decoded as a text is (a secret holding `%41` echoed raw decodes alike), and as
      // its own bytes (a secret holding `%41` echoed %-escaped decodes to them).
      const own = new TextEncoder().encode(s).map((b) => (b === 43 ? 32 : b >= 65 && b <= 90 ? b + 32 : b));
      for (const { bytes, n } of [decode(s), { bytes: own, n: own.length }]) {
        if (n < WINDOW) short.push(key(bytes, 0).slice(0, n));
        for (let i = 0; i + WINDOW <= n; i++) {
          windows.add(key(bytes, i));
          heads.add(head(bytes, i));
        }
      }
    }
    return windows;
  };
  /** Where in `text` a secret's windows run, read with or without its escapes decoded. */
  const runs = (text: string, binary: boolean | undefined, raw: boolean, w: Set<string>): [number, number][] | undefined => {
    const { bytes, at, n } = decode(text, binary, raw);
    for (const s of short) for (let i = 0; i + s.length <= n; i++) if ([...s].every((c, k) => bytes[i + k] === c.charCodeAt(0))) return undefined;
    const found: [number, number][] = [];
    for (let i = 0; i + WINDOW <= n; i++) {
      if (!heads.has(head(bytes, i)) || !w.has(key(bytes, i))) continue;
      // A run of windows: extend while the next window is a secret's too.
      let j = i + 1;
      while (j + WINDOW <= n && heads.has(head(bytes, j)) && w.has(key(bytes, j))) j++;
      // The run's last byte, then on to the end of the character it came from.
      let last = j + WINDOW - 2;
      while (last + 1 < n && at[last + 1] === at[last]) last++;
      found.push([at[i]!, last + 1 < n ? at[last + 1]! : text.length]);
      i = last;
    }
    return found;
  };
  /** `text` with every secret run replaced; `undefined` when a short secret is in it. */
  const plain = (text: string, binary?: boolean): string | undefined => {
    const w = windows ?? setUp();
    const decoded = runs(text, binary, false, w);
    // Escapes read as themselves too: a raw echo of a secret holding `%41` or `\n`.
    const raw = /[%\\]/.test(text) ? runs(text, binary, true, w) : [];
    if (!decoded || !raw) return undefined;
    let out = "";
    let from = 0;
    for (const [start, end] of [...decoded, ...raw].sort((x, y) => x[0] - y[0])) {
      if (end <= from) continue;
      out += text.slice(from, Math.max(start, from)) + (start >= from ? "[redacted]" : "");
      from = end;
    }
    return out + text.slice(from);
  };
  return (text) => {
    const once = plain(text);
    if (once === undefined) return "[withheld: the text held a secret]";
    // A run of base64 that hides a secret goes whole.
    return once.replace(/[\w+/-]{12,}/g, (run) => {
      for (let k = 0; k < 4; k++) {
        try {
          const part = run.slice(k).replace(/-/g, "+").replace(/_/g, "/");
          // atob takes unpadded base64, but not a last group of 1 character.
          const decoded = atob(part.slice(0, part.length % 4 === 1 ? -1 : undefined));
          if (plain(decoded, true) !== decoded) return "[redacted]";
        } catch {
          // not base64 from this alignment
        }
      }
      return run;
    });
  };
}
