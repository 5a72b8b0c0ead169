/**
 * A small BER/DER decoder: a tree of nodes with tag, children and content bytes, plus readers for
 * the primitive types certificates and keys use. Every malformed input becomes a
 * `CertificateError` (ERR_CERT_MALFORMED), never another exception.
 *
 * Our own (about 80 lines) rather than asn1js's `fromBER`: the PEM path needs nothing else from
 * asn1js, and asn1js costs ~17 KB gzip in a Worker bundle and ~15 ms of import time on Node. asn1js
 * is loaded only for PKCS#12 files (certificate/pkcs12.ts).
 *
 * @module
 */
import { binary, concat, hex } from "../lib/bytes.ts";
import { MAX_DER_DEPTH, MAX_DER_NODES } from "../lib/limits.ts";
import { malformed } from "./error.ts";

export interface Der {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  cls: number;
  tag: number;
  constructed: boolean;
  /** Children of a constructed node. */
  children: Der[];
  /** Content bytes of a primitive node (for BIT STRING: without the unused-bits byte). */
  content: Uint8Array;
  /** The whole encoding (tag, length, content). */
  raw: Uint8Array;
}

export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  PRINTABLE_STRING: 19,
  T61_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  BMP_STRING: 30,
} as const;

const EMPTY: Uint8Array = new Uint8Array(0);

/** A structural problem found while decoding; `decode` turns it into a CertificateError. */
class Invalid {
  constructor(readonly reason: string) {}
}

/** Elements decoded so far in one `decode` call (bounded by MAX_DER_NODES). */
interface Count {
  nodes: number;
}

/** Reads the element at `start` (which must end by `limit`) and, for constructed ones, its children. */
function element(bytes: Uint8Array, start: number, limit: number, depth: number, count: Count): Der {
  if (depth > MAX_DER_DEPTH) throw malformed("ASN.1 nesting too deep");
  if (++count.nodes > MAX_DER_NODES) throw malformed("too many ASN.1 elements");
  // The header's bytes are read with a bounds check each, not through a closure: one was
  // allocated per element, and V8 compiled this function with it inlined at every read.
  let at = start;
  if (at >= limit) throw new Invalid("truncated");
  const first = bytes[at++]!;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    // High tag number: base-128 digits.
    tag = 0;
    let b: number;
    do {
      if (at >= limit) throw new Invalid("truncated");
      b = bytes[at++]!;
      tag = tag * 128 + (b & 0x7f);
      if (tag > 0x1fffff) throw new Invalid("a tag number is too large");
    } while (b & 0x80);
  }
  if (at >= limit) throw new Invalid("truncated");
  let length = bytes[at++]!;
  let indefinite = false;
  if (length === 0x80) {
    if (!constructed) throw new Invalid("a primitive element has an indefinite length");
    indefinite = true;
  } else if (length > 0x80) {
    const n = length & 0x7f;
    if (n > 4) throw new Invalid("a length is too large");
    if (at + n > limit) throw new Invalid("truncated");
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[at++]!;
  }
  const children: Der[] = [];
  let end: number;
  if (indefinite) {
    // BER indefinite length: children until the end-of-contents octets (00 00).
    for (;;) {
      if (at + 2 > limit) throw new Invalid("truncated");
      if (bytes[at] === 0 && bytes[at + 1] === 0) {
        end = at + 2;
        break;
      }
      const c = element(bytes, at, limit, depth + 1, count);
      children.push(c);
      at += c.raw.length;
    }
  } else {
    end = at + length;
    if (end > limit) throw malformed("an ASN.1 length is invalid");
    if (constructed) {
      while (at < end) {
        const c = element(bytes, at, end, depth + 1, count);
        children.push(c);
        at += c.raw.length;
      }
    }
  }
  const cls = first >> 6;
  let content = constructed ? EMPTY : bytes.subarray(end - length, end);
  if (!constructed && cls === 0 && tag === TAG.BIT_STRING) {
    if (content.length === 0 || content[0]! > 7) throw malformed("a BIT STRING is invalid");
    content = content.subarray(1);
  }
  return { cls, tag, constructed, children, content, raw: bytes.subarray(start, end) };
}

/** Decodes one DER element that must span all of `bytes`. */
export function decode(bytes: Uint8Array, what = "DER data"): Der {
  if (bytes.length === 0) throw malformed(`${what} is empty`);
  let node: Der;
  try {
    node = element(bytes, 0, bytes.length, 0, { nodes: 0 });
  } catch (e) {
    if (e instanceof Invalid) throw malformed(`${what} is not valid ASN.1 (${e.reason})`);
    throw e;
  }
  if (node.raw.length !== bytes.length) throw malformed(`${what} has trailing bytes`);
  return node;
}

/** The node at `index`, checked to be of the expected universal tag. */
export function child(node: Der, index: number, tag?: number, what = "a field"): Der {
  const c = node.children[index];
  if (!c || (tag !== undefined && (c.cls !== 0 || c.tag !== tag))) throw malformed(`${what} is missing or of the wrong type`);
  return c;
}

function expect(node: Der, tag: number, what: string): Der {
  if (node.cls !== 0 || node.tag !== tag) throw malformed(`${what} is of the wrong type`);
  return node;
}

export function readOid(node: Der): string {
  expect(node, TAG.OID, "an object identifier");
  const b = node.content;
  if (b.length === 0 || b.length > 64) throw malformed("an object identifier has a bad length");
  const parts: number[] = [];
  let value = 0;
  for (let i = 0; i < b.length; i++) {
    const byte = b[i]!;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw malformed("an object identifier is too large");
    if (!(byte & 0x80)) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    } else if (i === b.length - 1) throw malformed("an object identifier is truncated");
  }
  return parts.join(".");
}

/** An INTEGER's magnitude without leading zero bytes (for moduli and serials). */
export function readUnsigned(node: Der): Uint8Array {
  expect(node, TAG.INTEGER, "an integer");
  let b = node.content;
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  b = b.subarray(i);
  return b;
}

/** A small INTEGER as a number (iteration counts, versions, key lengths). */
export function readSmallInt(node: Der, what: string): number {
  expect(node, TAG.INTEGER, what);
  const b = node.content;
  if (b.length === 0 || b.length > 6 || (b[0]! & 0x80) !== 0) throw malformed(`${what} is out of range`);
  let n = 0;
  for (const byte of b) n = n * 256 + byte;
  return n;
}

export function readOctets(node: Der, what: string): Uint8Array {
  expect(node, TAG.OCTET_STRING, what);
  if (node.constructed) {
    // BER constructed OCTET STRING: concatenate the segments.
    return concat(node.children.map((c) => readOctets(c, what)));
  }
  return node.content;
}

/** A directory string (UTF8, Printable, IA5, T61, BMP) as text. */
export function readString(node: Der): string {
  if (node.cls !== 0 || node.constructed) return hex(node.content);
  switch (node.tag) {
    case TAG.UTF8_STRING:
      return new TextDecoder().decode(node.content);
    case TAG.BMP_STRING: {
      let s = "";
      for (let i = 0; i + 1 < node.content.length; i += 2) s += String.fromCharCode((node.content[i]! << 8) | node.content[i + 1]!);
      return s;
    }
    default:
      return binary(node.content);
  }
}

/** UTCTime / GeneralizedTime as a Date. */
export function readTime(node: Der): Date {
  const text = binary(node.content);
  const m =
    node.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text)
      : node.tag === TAG.GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(text)
        : null;
  if (!m) throw malformed("a certificate validity time is invalid");
  let year = Number(m[1]);
  if (node.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const date = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
  if (Number.isNaN(date.getTime())) throw malformed("a certificate validity time is invalid");
  return date;
}

/** Encodes a DER length + tag around content (enough for building PKCS#8 wrappers). */
export function encode(tag: number, content: Uint8Array): Uint8Array {
  const len = content.length;
  const lenBytes: number[] = [];
  if (len < 0x80) lenBytes.push(len);
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    lenBytes.push(0x80 | bytes.length, ...bytes);
  }
  const out = new Uint8Array(1 + lenBytes.length + len);
  out[0] = tag;
  out.set(lenBytes, 1);
  out.set(content, 1 + lenBytes.length);
  return out;
}
