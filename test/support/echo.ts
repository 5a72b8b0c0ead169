/**
 * Transports that echo the token request: the way a proxy, a WAF, a gateway or a chatty custom
 * `fetch` puts the request body (or part of it) into an error or an answer. Used by the redaction
 * tests and their fuzzer (test/redaction.test.ts): every echo is built from the body the
 * credential really sent, re-encoded the way another program would.
 */
import type { FetchLike } from "../../src/core.ts";

/** How the echoing program encodes the form fields (`name=value` pairs joined with `&`). */
export const INNER = ["form", "lower", "mixed", "uri", "go", "raw"] as const;
export type Inner = (typeof INNER)[number];

/** What it wraps the text in afterwards. */
export const OUTER = ["none", "json", "json-ascii", "json-php", "base64", "base64url", "hex", "HEX", "hex-spaced", "hexdump", "hex-escaped", "bytes-json", "html"] as const;
export type Outer = (typeof OUTER)[number];

/** Which part of the body it echoes. */
export const PARTS = ["whole", "field", "value", "from-field", "to-field", "suffix", "prefix", "truncated"] as const;
export type Part = (typeof PARTS)[number];

/** Where the echo ends up. */
export const PLACES = [
  "transport",
  "transport-split",
  "error",
  "error_description",
  "error_uri",
  "trace_id",
  "timestamp",
  "correlation_id",
  "all-fields",
  "client-request-id",
  "token_type",
  "content-type",
] as const;
export type Place = (typeof PLACES)[number];

export interface Echo {
  inner: Inner;
  outer: Outer;
  part: Part;
  place: Place;
  /** The HTTP status of an answer that carries the echo (not for token_type). */
  status: 400 | 401 | 429 | 500 | 503;
  /** Picks cut points (0 ≤ cut < 1). */
  cut: number;
}

const pct = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

/** One `name=value` pair as the inner encoding writes it. */
function pair(inner: Inner, name: string, value: string): string {
  switch (inner) {
    case "form":
      return new URLSearchParams({ [name]: value }).toString();
    case "lower":
      return new URLSearchParams({ [name]: value }).toString().replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    case "mixed": {
      let i = 0;
      return new URLSearchParams({ [name]: value }).toString().replace(/%[0-9A-F]{2}/g, (m) => (i++ % 2 ? m.toLowerCase() : m.slice(0, 2) + m[2]!.toLowerCase()));
    }
    case "uri":
      return `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
    case "go":
      // Go's url.QueryEscape / Python's quote_plus: '~' stays, space is '+', !'()* are escaped.
      return `${pct(name)}=${pct(value).replace(/%20/g, "+")}`;
    case "raw":
      return `${name}=${value}`;
  }
}

function outer(kind: Outer, text: string): string {
  const b64 = () => {
    const bytes = new TextEncoder().encode(text);
    let bin = "";
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin);
  };
  switch (kind) {
    case "none":
      return text;
    case "json":
      return JSON.stringify(text);
    case "json-ascii":
      // Python's json.dumps (ensure_ascii): every non-ASCII code unit as \uXXXX.
      return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
    case "json-php":
      // PHP's json_encode: '/' as '\/', non-ASCII as \uXXXX (upper-case hex).
      return JSON.stringify(text).replace(/\//g, "\\/").replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0"));
    case "base64":
      return b64();
    case "base64url":
      return b64().replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    case "hex":
    case "HEX": {
      // A dump of the bytes (Buffer#toString("hex"), Go's %x; %X in upper case).
      const hex = Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, "0")).join("");
      return kind === "HEX" ? hex.toUpperCase() : hex;
    }
    case "hex-spaced":
      // Go's fmt.Sprintf("% x", body); with colons as well (openssl's, Wireshark's "63:6c").
      return Array.from(new TextEncoder().encode(text), (b, i) => (i ? (i % 2 ? " " : ":") : "") + b.toString(16).padStart(2, "0")).join("");
    case "hexdump": {
      // hexdump -C / Go's hex.Dump: an offset, 16 bytes in two groups of 8, the printable column.
      const bytes = new TextEncoder().encode(text);
      const lines: string[] = [];
      for (let o = 0; o < bytes.length; o += 16) {
        const row = bytes.subarray(o, o + 16);
        const cells = Array.from(row, (b, i) => (i === 8 ? " " : "") + b.toString(16).padStart(2, "0"));
        lines.push(`${o.toString(16).padStart(8, "0")}  ${cells.join(" ").padEnd(49)} |${String.fromCharCode(...Array.from(row, (b) => (b > 31 && b < 127 ? b : 46)))}|`);
      }
      return lines.join("\n");
    }
    case "hex-escaped":
      // A C / Python bytes literal: \x63\x6c…
      return Array.from(new TextEncoder().encode(text), (b) => "\\x" + b.toString(16).padStart(2, "0")).join("");
    case "html":
      // OWASP ESAPI's HTML encoder: every character but letters and digits as a numeric entity, in hex and decimal by turns.
      return text.replace(/[^A-Za-z0-9]/gu, (c) => (c.length % 2 ? `&#x${c.codePointAt(0)!.toString(16)};` : `&#${c.codePointAt(0)};`));
    case "bytes-json":
      // JSON.stringify of a Node Buffer.
      return JSON.stringify({ type: "Buffer", data: Array.from(new TextEncoder().encode(text)) });
  }
}

/** The fields whose values are secret. */
const SECRET_FIELDS = new Set(["client_secret", "client_assertion"]);

/**
 * The echoed text(s) of a request body: one text, or two for `transport-split` (the body cut in
 * two outside the secret, one part in the message, the other in the cause).
 */
export function echoTexts(body: string, echo: Echo): string[] {
  const pairs = [...new URLSearchParams(body)];
  const at = Math.max(0, pairs.findIndex(([k]) => SECRET_FIELDS.has(k)));
  const encoded = pairs.map(([k, v]) => pair(echo.inner, k, v));
  const join = (list: string[]) => list.join("&");
  // The secret pair's span in the joined text.
  const start = join(encoded.slice(0, at)).length + (at > 0 ? 1 : 0);
  const end = start + encoded[at]!.length;
  const full = join(encoded);
  let text: string;
  switch (echo.part) {
    case "whole":
      text = full;
      break;
    case "field":
      text = encoded[at]!;
      break;
    case "value":
      text = encoded[at]!.slice(encoded[at]!.indexOf("=") + 1);
      break;
    case "from-field":
      text = join(encoded.slice(at));
      break;
    case "to-field":
      text = join(encoded.slice(0, at + 1));
      break;
    case "suffix":
      text = full.slice(Math.floor(echo.cut * (start + 1)));
      break;
    case "prefix":
      text = full.slice(0, end + Math.floor(echo.cut * (full.length - end + 1)));
      break;
    case "truncated": {
      // A gateway's "Body: <first N characters>...": cut inside the secret's value, 8 or more of
      // its encoded characters kept.
      const value = start + encoded[at]!.indexOf("=") + 1;
      text = full.slice(0, value + 8 + Math.floor(echo.cut * Math.max(0, end - value - 8))) + "...";
      break;
    }
  }
  if (echo.place === "transport-split") {
    // Cut before or after the secret pair (a cut inside it would leave no whole secret to find).
    const offset = full.indexOf(text);
    const sStart = start - offset;
    const sEnd = end - offset;
    const before = echo.cut < 0.5;
    const k = before ? Math.floor((echo.cut * 2) * (sStart + 1)) : sEnd + Math.floor((echo.cut * 2 - 1) * (text.length - sEnd + 1));
    return [outer(echo.outer, text.slice(0, Math.max(0, k))), outer(echo.outer, text.slice(Math.max(0, k)))];
  }
  return [outer(echo.outer, text)];
}

/** Whether `text` can be an HTTP header value as is. */
const headerSafe = (text: string) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(text);

/**
 * A transport that answers (or fails) with an echo of the request it was given. `after`: how many
 * calls get a good token first (for refresh tests).
 */
export function echoingFetch(echo: Echo, options: { goodAnswers?: number } = {}): FetchLike {
  let good = options.goodAnswers ?? 0;
  return async (_url, init) => {
    if (good > 0) {
      good--;
      return Response.json({ access_token: "opaque-access-token-value", token_type: "Bearer", expires_in: 3600 });
    }
    const [text, rest] = echoTexts(String(init.body), echo);
    const t = text!;
    if (echo.place === "transport") throw new TypeError(`fetch failed: could not send ${t}`);
    if (echo.place === "transport-split") throw new TypeError(`fetch failed: could not send ${t}`, { cause: new Error(`${rest} (rest of the request)`) });
    const json = (status: number, fields: Record<string, unknown>, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(fields), { status, headers: { "content-type": "application/json", ...headers } });
    const base = { error: "invalid_request", error_description: "AADSTS900144: The request body must contain the following parameter: 'x'.", error_codes: [900144] };
    switch (echo.place) {
      case "token_type":
        return json(200, { access_token: "opaque-access-token-value", token_type: t, expires_in: 3600 });
      case "all-fields":
        return json(echo.status, { error: t, error_description: `${t}\r\nTrace ID: ${t}`, error_uri: t, trace_id: t, timestamp: t, correlation_id: t }, headerSafe(t) ? { "client-request-id": t } : {});
      case "client-request-id":
        if (headerSafe(t)) return json(echo.status, base, { "client-request-id": t });
        return json(echo.status, { ...base, correlation_id: t });
      case "content-type":
        if (headerSafe(t)) return new Response("<html>blocked</html>", { status: echo.status, headers: { "content-type": t } });
        return json(echo.status, { ...base, error_description: t });
      case "error_description":
        return json(echo.status, { ...base, error_description: `AADSTS50000: bad request: ${t}\r\nTrace ID: 0000\r\nCorrelation ID: 1111` });
      default:
        return json(echo.status, { ...base, [echo.place]: t });
    }
  };
}
