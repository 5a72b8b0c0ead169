/**
 * Input generators for the certificate-parser fuzz suite (test/fuzz.test.ts): a small DER tree
 * (parse, edit, re-encode with recomputed lengths, looking inside OCTET/BIT STRINGs that hold DER),
 * structure-aware mutations (hostile lengths, deep nesting, patched iteration counts, swapped
 * OIDs), byte-level mutations, PEM text mangling, and a re-MAC step so that mutated PFX contents
 * get past the integrity check. Everything is deterministic given its arguments, so fast-check
 * can shrink and replay.
 */
import fc from "fast-check";
import { bmpPassword, hmac, pkcs12Kdf } from "../../src/certificate/pkcs12-crypto/kdf.ts";
import { MAX_ITERATIONS } from "../../src/lib/limits.ts";
import { nodeBuffer, PoolView } from "./views.ts";

// ── bytes ──────────────────────────────────────────────────────────────────────────────────────

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function pemBlock(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** PEM blocks of a (valid) fixture text, found independently of the code under test. */
export function pemBlocks(text: string): { label: string; der: Uint8Array }[] {
  const out: { label: string; der: Uint8Array }[] = [];
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END \1-----/g)) {
    out.push({ label: m[1]!, der: fromBase64(m[2]!.replace(/\s+/g, "")) });
  }
  return out;
}

// ── DER tree ───────────────────────────────────────────────────────────────────────────────────

export interface Node {
  /** Identifier octets. */
  ident: Uint8Array;
  /** Children of a constructed node, or the DER held by a wrapping OCTET/BIT STRING. */
  children?: Node[];
  /** This primitive OCTET STRING (0x04) or BIT STRING (0x03, unused bits 0) holds `children` as DER. */
  wrap?: "octet" | "bit";
  /** Content of a primitive node. */
  content?: Uint8Array;
  /** Literal bytes standing for the whole node (after a mutation replaced it). */
  raw?: Uint8Array;
  /** Length octets to write instead of the real length. */
  length?: Uint8Array;
  /** BER indefinite length with end-of-contents octets. */
  indefinite?: boolean;
}

function parseAt(bytes: Uint8Array, pos: number, end: number, depth: number): { node: Node; next: number } | undefined {
  if (depth > 48 || pos >= end) return undefined;
  const first = bytes[pos]!;
  let p = pos + 1;
  if ((first & 0x1f) === 0x1f) {
    while (p < end && bytes[p]! & 0x80) p++;
    p++;
  }
  if (p >= end) return undefined;
  const ident = bytes.slice(pos, p);
  let len = bytes[p++]!;
  if (len === 0x80) return undefined; // fixtures are DER
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4 || p + n > end) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[p++]!;
  }
  const stop = p + len;
  if (stop > end) return undefined;
  if (first & 0x20) {
    const children: Node[] = [];
    let q = p;
    while (q < stop) {
      const r = parseAt(bytes, q, stop, depth + 1);
      if (!r) return undefined;
      children.push(r.node);
      q = r.next;
    }
    return { node: { ident, children }, next: stop };
  }
  const content = bytes.slice(p, stop);
  const node: Node = { ident, content };
  // An OCTET STRING or BIT STRING whose content is itself one whole DER SEQUENCE/SET/[0].
  const inner = first === 0x04 ? content : first === 0x03 && content[0] === 0 ? content.subarray(1) : undefined;
  if (inner && inner.length > 1 && (inner[0] === 0x30 || inner[0] === 0x31 || inner[0] === 0xa0)) {
    const r = parseAt(inner, 0, inner.length, depth + 1);
    if (r && r.next === inner.length) return { node: { ident, wrap: first === 0x04 ? "octet" : "bit", children: [r.node] }, next: stop };
  }
  return { node, next: stop };
}

/** Parses DER that must span all of `bytes`; undefined when it is not (strict, definite) DER. */
export function parseTree(bytes: Uint8Array): Node | undefined {
  const r = parseAt(bytes, 0, bytes.length, 0);
  return r && r.next === bytes.length ? r.node : undefined;
}

export function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.of(0x80 | out.length, ...out);
}

export function tlv(ident: number | Uint8Array, content: Uint8Array): Uint8Array {
  return concat([typeof ident === "number" ? Uint8Array.of(ident) : ident, encodeLength(content.length), content]);
}

/** Re-encodes a tree, recomputing every length (except overridden ones). */
export function serialize(node: Node): Uint8Array {
  if (node.raw) return node.raw;
  let body: Uint8Array;
  if (node.children) {
    body = concat(node.children.map(serialize));
    if (node.wrap === "bit") body = concat([Uint8Array.of(0), body]);
  } else body = node.content ?? new Uint8Array(0);
  if (node.indefinite) return concat([node.ident, Uint8Array.of(0x80), body, Uint8Array.of(0, 0)]);
  return concat([node.ident, node.length ?? encodeLength(body.length), body]);
}

export function clone(node: Node): Node {
  return { ...node, children: node.children?.map(clone) };
}

interface Site {
  node: Node;
  parent?: Node;
  index: number;
}

function sites(root: Node): Site[] {
  const out: Site[] = [{ node: root, index: 0 }];
  for (let i = 0; i < out.length; i++) {
    const { node } = out[i]!;
    node.children?.forEach((c, index) => out.push({ node: c, parent: node, index }));
  }
  return out;
}

const tagOf = (n: Node) => n.ident[0]!;

// ── values used by the mutations ───────────────────────────────────────────────────────────────

/** Length octets a hostile encoder might write. */
export const HOSTILE_LENGTHS: readonly Uint8Array[] = [
  Uint8Array.of(0x84, 0xff, 0xff, 0xff, 0xff), // 4 GiB
  Uint8Array.of(0x84, 0x7f, 0xff, 0xff, 0xff),
  Uint8Array.of(0x84, 0x80, 0x00, 0x00, 0x00), // "negative" if read as int32
  Uint8Array.of(0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // 2^64 - 1
  Uint8Array.of(0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0), // 9 length octets
  Uint8Array.of(0x80), // indefinite, without end-of-contents
  Uint8Array.of(0xff), // reserved
  Uint8Array.of(0x81), // long form cut short
  Uint8Array.of(0x83, 0xff, 0xff, 0xff),
  Uint8Array.of(0x82, 0x00, 0x01), // non-minimal
  Uint8Array.of(0x00),
  Uint8Array.of(0x7f),
];

/** INTEGER content octets of a non-negative value. */
export const int = (n: number | bigint): Uint8Array => {
  let v = BigInt(n);
  if (v === 0n) return Uint8Array.of(0);
  const out: number[] = [];
  while (v > 0n) {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  if (out[0]! & 0x80) out.unshift(0);
  return Uint8Array.from(out);
};

/** INTEGER contents for iteration counts, versions and key fields: all refused before any work. */
export const HOSTILE_INTEGERS: readonly Uint8Array[] = [
  int(2 ** 31 - 1),
  int(1_000_000_000),
  int(MAX_ITERATIONS + 1), // (exactly the cap is timed by its own test: it is computed, not refused)
  int(2 ** 32),
  int(2 ** 53),
  int(2n ** 64n),
  int(0),
  int(1),
  int(2048),
  Uint8Array.of(0xff), // -1
  Uint8Array.of(0x80), // -128
  Uint8Array.of(0x80, 0, 0, 0), // -2^31
  Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
  Uint8Array.of(0x00, 0x00, 0x08, 0x00), // non-minimal 2048
  new Uint8Array(0), // empty
  new Uint8Array(300).fill(0x7f), // 2400-bit
];

/** Object identifiers by family: a swap picks another of the same family, or any. */
export const OID_FAMILIES: Record<string, readonly string[]> = {
  cipher: ["2.16.840.1.101.3.4.1.2", "2.16.840.1.101.3.4.1.22", "2.16.840.1.101.3.4.1.42", "2.16.840.1.101.3.4.1.6", "1.2.840.113549.3.7", "1.2.840.113549.3.2", "1.3.14.3.2.7"],
  pbe: [
    "1.2.840.113549.1.5.13",
    "1.2.840.113549.1.12.1.1",
    "1.2.840.113549.1.12.1.2",
    "1.2.840.113549.1.12.1.3",
    "1.2.840.113549.1.12.1.4",
    "1.2.840.113549.1.12.1.5",
    "1.2.840.113549.1.12.1.6",
    "1.2.840.113549.1.5.3",
    "1.2.840.113549.1.5.10",
  ],
  kdf: ["1.2.840.113549.1.5.12", "1.3.6.1.4.1.11591.4.11"],
  prf: ["1.2.840.113549.2.7", "1.2.840.113549.2.8", "1.2.840.113549.2.9", "1.2.840.113549.2.10", "1.2.840.113549.2.11", "1.2.840.113549.2.6"],
  digest: ["1.3.14.3.2.26", "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3", "2.16.840.1.101.3.4.2.4", "1.2.840.113549.2.5"],
  key: ["1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10", "1.2.840.10045.2.1", "1.3.101.112", "1.3.101.110", "1.2.840.10040.4.1"],
  signature: ["1.2.840.113549.1.1.11", "1.2.840.113549.1.1.5", "1.2.840.113549.1.1.13", "1.2.840.10045.4.3.2"],
  content: ["1.2.840.113549.1.7.1", "1.2.840.113549.1.7.2", "1.2.840.113549.1.7.3", "1.2.840.113549.1.7.6"],
  bag: ["1.2.840.113549.1.12.10.1.1", "1.2.840.113549.1.12.10.1.2", "1.2.840.113549.1.12.10.1.3", "1.2.840.113549.1.12.10.1.4", "1.2.840.113549.1.12.10.1.5", "1.2.840.113549.1.12.10.1.6"],
  certType: ["1.2.840.113549.1.9.22.1", "1.2.840.113549.1.9.22.2"],
  attribute: ["1.2.840.113549.1.9.20", "1.2.840.113549.1.9.21", "2.5.4.3", "2.5.4.10", "1.2.840.10045.3.1.7"],
};

export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map((a) => BigInt(a));
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const out: number[] = [];
  for (const v of values) {
    const chunk: number[] = [Number(v & 0x7fn)];
    for (let x = v >> 7n; x > 0n; x >>= 7n) chunk.unshift(Number(x & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return Uint8Array.from(out);
}

const ALL_OIDS = Object.values(OID_FAMILIES).flat();
const OID_BY_HEX = new Map<string, string>();
for (const [family, oids] of Object.entries(OID_FAMILIES)) for (const o of oids) OID_BY_HEX.set(toHex(encodeOid(o)), family);

/** Odd OID contents: empty, truncated, a huge arc, very long. */
const HOSTILE_OIDS: readonly Uint8Array[] = [
  new Uint8Array(0),
  Uint8Array.of(0x2a, 0x86),
  Uint8Array.of(0x2a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f),
  new Uint8Array(200).fill(0x81),
  Uint8Array.of(0x80, 0x01),
];

// ── deep nesting ───────────────────────────────────────────────────────────────────────────────

export type NestMode = "definite" | "indefinite" | "set" | "context" | "octets";

/** `inner` wrapped in `depth` constructed nodes, built without quadratic copying. */
export function nest(inner: Uint8Array, depth: number, mode: NestMode): Uint8Array {
  const ident = mode === "set" ? 0x31 : mode === "context" ? 0xa0 : mode === "octets" ? 0x24 : 0x30;
  if (mode === "indefinite") {
    const out = new Uint8Array(depth * 4 + inner.length);
    for (let i = 0; i < depth; i++) {
      out[2 * i] = 0x30;
      out[2 * i + 1] = 0x80;
    }
    out.set(inner, depth * 2);
    return out; // the tail is zeros: the end-of-contents octets
  }
  const headers: Uint8Array[] = [];
  let size = inner.length;
  for (let i = 0; i < depth; i++) {
    const h = concat([Uint8Array.of(ident), encodeLength(size)]);
    headers.push(h);
    size += h.length;
  }
  return concat([...headers.reverse(), inner]);
}

export const NEST_DEPTHS = [33, 100, 101, 1_000, 5_000, 20_000] as const;

// ── mutations ──────────────────────────────────────────────────────────────────────────────────

export const BYTE_OPS = ["flip", "truncate", "insert", "delete", "overwrite", "duplicate"] as const;
export const TREE_OPS = ["length", "indefinite", "integer", "iterations", "oid", "tag", "drop", "repeat", "swap", "content", "nest", "inner"] as const;
export type Op = (typeof BYTE_OPS)[number] | (typeof TREE_OPS)[number];

export interface Mutation {
  op: Op;
  a: number;
  b: number;
  bytes: Uint8Array;
}

export function mutateBytes(input: Uint8Array, m: Mutation): Uint8Array {
  const n = input.length;
  switch (m.op) {
    case "truncate":
      return input.slice(0, n === 0 ? 0 : m.a % n);
    case "insert": {
      const at = m.a % (n + 1);
      return concat([input.subarray(0, at), m.bytes.length ? m.bytes : Uint8Array.of(m.b & 0xff), input.subarray(at)]);
    }
    case "delete": {
      if (n === 0) return input;
      const at = m.a % n;
      return concat([input.subarray(0, at), input.subarray(at + 1 + (m.b % 16))]);
    }
    case "overwrite": {
      const out = input.slice();
      if (n) out[m.a % n] = m.b & 0xff;
      return out;
    }
    case "duplicate": {
      if (n === 0) return input;
      const at = m.a % n;
      const piece = input.subarray(at, at + 1 + (m.b % 64));
      return concat([input.subarray(0, at), piece, piece, input.subarray(at)]);
    }
    default: {
      // flip (and any tree op applied to bytes that are not DER): flip 1–3 bits
      const out = input.slice();
      if (n) for (let k = 0; k <= m.b % 3; k++) out[(m.a + k * 7919) % n]! ^= 1 << ((m.b >> (2 + k * 3)) & 7);
      return out;
    }
  }
}

const PRIMITIVE_TAGS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x1e, 0x80, 0x81, 0x00];
const ANY_TAGS = [0x30, 0x31, 0x04, 0x24, 0x02, 0x05, 0x06, 0x03, 0x23, 0xa0, 0xa1, 0x80, 0x00, 0xff, 0x1f, 0x3f];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

/** Applies one structural mutation to a tree (in place); returns false if it did not apply. */
function mutateTree(root: Node, m: Mutation): boolean {
  const all = sites(root);
  const chooseFrom = (list: Site[]) => (list.length ? list[m.a % list.length] : undefined);
  switch (m.op) {
    case "length": {
      const s = chooseFrom(all)!;
      s.node.length = pick(HOSTILE_LENGTHS, m.b);
      return true;
    }
    case "indefinite": {
      const s = chooseFrom(all.filter((x) => x.node.children && !x.node.wrap));
      if (!s) return false;
      s.node.indefinite = true;
      return true;
    }
    case "integer":
    case "iterations": {
      // "iterations": an INTEGER right after an OCTET STRING — PBKDF2 / PBE salt + count, MacData.
      const ints = all.filter((x) => tagOf(x.node) === 0x02 && !x.node.raw);
      const list = m.op === "integer" ? ints : ints.filter((x) => x.parent && x.index > 0 && tagOf(x.parent.children![x.index - 1]!) === 0x04);
      const s = chooseFrom(list);
      if (!s) return false;
      s.node.content = pick(HOSTILE_INTEGERS, m.b);
      return true;
    }
    case "oid": {
      const s = chooseFrom(all.filter((x) => tagOf(x.node) === 0x06 && x.node.content));
      if (!s) return false;
      const family = OID_BY_HEX.get(toHex(s.node.content!));
      const choice = m.b % 8;
      if (choice === 7) s.node.content = pick(HOSTILE_OIDS, m.b >> 3);
      else if (family && choice < 5) s.node.content = encodeOid(pick(OID_FAMILIES[family]!, m.b >> 3));
      else s.node.content = encodeOid(pick(ALL_OIDS, m.b >> 3));
      return true;
    }
    case "tag": {
      const s = chooseFrom(all)!;
      const next = pick(s.node.children ? ANY_TAGS : [...PRIMITIVE_TAGS, ...ANY_TAGS], m.b);
      s.node.ident = next === 0x1f || next === 0x3f ? Uint8Array.of(next, 0x81, 0x00) : Uint8Array.of(next);
      return true;
    }
    case "drop": {
      const s = chooseFrom(all.filter((x) => x.parent));
      if (!s) return false;
      s.parent!.children!.splice(s.index, 1);
      return true;
    }
    case "repeat": {
      // The element repeated: a few times, or thousands (bags, certificates, attributes).
      const s = chooseFrom(all.filter((x) => x.parent && !x.parent.wrap));
      if (!s) return false;
      const size = serialize(s.node).length;
      const times = Math.min(pick([1, 2, 7, 100, 2_000], m.b), Math.max(1, Math.floor(4_000_000 / size)));
      s.parent!.children!.splice(s.index, 0, ...Array.from({ length: times }, () => clone(s.node)));
      return true;
    }
    case "swap": {
      const s = chooseFrom(all.filter((x) => x.node.children && x.node.children.length > 1 && !x.node.wrap));
      if (!s) return false;
      const c = s.node.children!;
      const i = m.b % c.length;
      const j = (i + 1) % c.length;
      [c[i], c[j]] = [c[j]!, c[i]!];
      return true;
    }
    case "content": {
      const s = chooseFrom(all.filter((x) => !x.node.children));
      if (!s) return false;
      const choice = m.b % 4;
      s.node.content = choice === 0 ? new Uint8Array(0) : choice === 1 ? new Uint8Array(70_000).fill(m.b & 0xff) : m.bytes;
      return true;
    }
    case "nest": {
      const s = chooseFrom(all)!;
      const modes: NestMode[] = ["definite", "indefinite", "set", "context", "octets"];
      const nested = nest(serialize(s.node), pick(NEST_DEPTHS, m.b), pick(modes, m.b >> 3));
      if (s.parent) s.parent.children![s.index] = { ident: new Uint8Array(0), raw: nested };
      else Object.assign(s.node, { raw: nested });
      return true;
    }
    case "inner": {
      // Byte-level damage inside a wrapped OCTET/BIT STRING (e.g. the PFX AuthenticatedSafe).
      const s = chooseFrom(all.filter((x) => x.node.wrap));
      if (!s) return false;
      const inner = concat(s.node.children!.map(serialize));
      const damaged = mutateBytes(inner, { ...m, op: pick(BYTE_OPS, m.b), a: m.a * 31 + m.b });
      s.node.content = s.node.wrap === "bit" ? concat([Uint8Array.of(0), damaged]) : damaged;
      delete s.node.children;
      delete s.node.wrap;
      return true;
    }
    default:
      return false;
  }
}

/** Applies mutations to DER bytes: structural ones through the tree, byte ones on the encoding. */
export function mutateDer(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = input;
  for (const m of mutations) {
    const tree = (TREE_OPS as readonly string[]).includes(m.op) ? parseTree(bytes) : undefined;
    if (tree && mutateTree(tree, m)) bytes = serialize(tree);
    else bytes = mutateBytes(bytes, m);
  }
  return bytes;
}

/** The same, but the PFX's MAC is recomputed afterwards (so the damage reaches the contents). */
export function mutatePfx(input: Uint8Array, mutations: readonly Mutation[], password: string | undefined): Uint8Array {
  const tree = parseTree(input);
  if (!tree) return mutateDer(input, mutations);
  for (const m of mutations) {
    if (!(TREE_OPS as readonly string[]).includes(m.op)) {
      // byte damage goes inside the AuthenticatedSafe, as the "inner" op does
      mutateTree(tree, { ...m, op: "inner", b: (BYTE_OPS as readonly string[]).indexOf(m.op) + 6 * (m.b >> 3) });
    } else mutateTree(tree, m);
  }
  remac(tree, password);
  return serialize(tree);
}

const MAC_HASHES: Record<string, "SHA-1" | "SHA-256"> = { "1.3.14.3.2.26": "SHA-1", "2.16.840.1.101.3.4.2.1": "SHA-256" };

/**
 * Recomputes the MAC of a PFX tree over its (possibly mutated) AuthenticatedSafe, when the tree
 * still has the expected shape and a SHA-1/SHA-256 MAC with a small iteration count.
 */
export function remac(pfx: Node, password: string | undefined): boolean {
  const [, authSafe, macData] = pfx.children ?? [];
  const wrapped = authSafe?.children?.[1]?.children?.[0];
  const digestInfo = macData?.children?.[0];
  const algOid = digestInfo?.children?.[0]?.children?.[0];
  const digest = digestInfo?.children?.[1];
  const salt = macData?.children?.[1];
  const iter = macData?.children?.[2];
  if (!wrapped || wrapped.ident[0] !== 0x04 || !algOid?.content || !digest?.content || !salt?.content) return false;
  const hashes = Object.entries(MAC_HASHES).find(([oid]) => toHex(encodeOid(oid)) === toHex(algOid.content!));
  if (!hashes) return false;
  let iterations = 1;
  if (iter) {
    if (!iter.content || iter.content.length === 0 || iter.content.length > 3 || iter.content[0]! & 0x80) return false;
    iterations = iter.content.reduce((n, b) => n * 256 + b, 0);
    if (iterations < 1 || iterations > 20_000) return false;
  }
  const content = wrapped.children ? concat(wrapped.children.map(serialize)) : (wrapped.content ?? new Uint8Array(0));
  const hash = hashes[1];
  const key = pkcs12Kdf(hash, bmpPassword(password ?? ""), salt.content, 3, iterations, hash === "SHA-1" ? 20 : 32);
  digest.content = hmac(hash, key, content);
  return true;
}

// ── PEM text ───────────────────────────────────────────────────────────────────────────────────

export const PEM_LABELS = [
  "CERTIFICATE",
  "X509 CERTIFICATE",
  "TRUSTED CERTIFICATE",
  "PRIVATE KEY",
  "RSA PRIVATE KEY",
  "ENCRYPTED PRIVATE KEY",
  "EC PRIVATE KEY",
  "DSA PRIVATE KEY",
  "PUBLIC KEY",
  "CERTIFICATE REQUEST",
  "PKCS12",
  "X",
] as const;

export const TEXT_OPS = ["der", "label", "label-begin", "base64", "dup", "dup-distinct", "drop", "swap", "cut", "no-end", "headers", "line-ends", "noise", "begin-flood", "giant"] as const;

export interface TextMutation {
  op: (typeof TEXT_OPS)[number];
  a: number;
  b: number;
  der: Mutation;
  noise: string;
}

interface Located {
  start: number;
  end: number;
  label: string;
  body: string;
}

function locate(text: string): Located[] {
  const out: Located[] = [];
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----\r?\n?/g)) {
    out.push({ start: m.index!, end: m.index! + m[0].length, label: m[1]!, body: m[2]! });
  }
  return out;
}

function decodable(body: string): Uint8Array | undefined {
  try {
    return fromBase64(body.replace(/\s+/g, ""));
  } catch {
    return undefined; // an earlier mangling broke it
  }
}

const BASE64_DAMAGE = ["!", "-", "_", "*", "é", "\u0000", "=", "==", "===", "A", " ", "\t", "\r", "😀", "-----"];

/** Applies one mangling to PEM text. */
export function mutatePem(text: string, m: TextMutation): string {
  // Texts past 300 KB (after a flood or many copies) only get cut, damaged or re-lined: the
  // generator must stay fast and within memory however the mutations stack.
  const big = text.length > 300_000;
  if (big && !["cut", "noise", "line-ends", "base64"].includes(m.op)) return text.slice(0, text.length - 1 - (m.b % 1000));
  const blocks = big ? [] : locate(text);
  const block = blocks.length ? blocks[m.a % blocks.length] : undefined;
  const replace = (b: Located, s: string) => text.slice(0, b.start) + s + text.slice(b.end);
  const at = text.length ? m.b % text.length : 0;
  switch (m.op) {
    case "der": {
      const der = block && decodable(block.body);
      if (!block || !der) break;
      return replace(block, pemBlock(block.label, mutateDer(der, [m.der])));
    }
    case "label":
      if (!block) break;
      return replace(block, `-----BEGIN ${pick(PEM_LABELS, m.b)}-----${block.body}-----END ${pick(PEM_LABELS, m.b)}-----\n`);
    case "label-begin": // BEGIN and END disagree
      if (!block) break;
      return replace(block, `-----BEGIN ${pick(PEM_LABELS, m.b)}-----${block.body}-----END ${pick(PEM_LABELS, m.b + 1)}-----\n`);
    case "base64": {
      if (!block) break;
      const i = block.body.length ? m.b % block.body.length : 0;
      const damage = pick(BASE64_DAMAGE, m.b >> 4);
      const body = m.b & 8 ? block.body.slice(0, i) + damage + block.body.slice(i) : block.body.slice(0, i) + block.body.slice(i + 1 + (m.b % 5));
      return replace(block, `-----BEGIN ${block.label}-----${body}-----END ${block.label}-----\n`);
    }
    case "dup": {
      if (!block) break;
      const piece = text.slice(block.start, block.end);
      return text.slice(0, block.end) + piece.repeat(Math.min(pick([1, 3, 50, 500], m.b), Math.ceil(2_000_000 / piece.length))) + text.slice(block.end);
    }
    case "dup-distinct": {
      // Many copies that differ in one byte each, so nothing de-duplicates them.
      const der = block && decodable(block.body);
      if (!block || !der) break;
      const copies: string[] = [];
      const times = Math.min(pick([10, 200, 1_000], m.b), Math.ceil(2_000_000 / (block.end - block.start)));
      for (let i = 0; i < times; i++) {
        const d = der.slice();
        if (d.length) d[d.length - 1 - (i % Math.min(d.length, 200))]! ^= 1 + (i >> 8);
        copies.push(pemBlock(block.label, d));
      }
      return text.slice(0, block.end) + copies.join("") + text.slice(block.end);
    }
    case "drop":
      if (!block) break;
      return replace(block, "");
    case "swap": {
      if (blocks.length < 2) break;
      const [x, y] = [blocks[0]!, blocks[blocks.length - 1]!];
      return text.slice(0, x.start) + text.slice(y.start, y.end) + text.slice(x.end, y.start) + text.slice(x.start, x.end) + text.slice(y.end);
    }
    case "cut":
      return text.slice(0, at);
    case "no-end":
      if (!block) break;
      return replace(block, `-----BEGIN ${block.label}-----${block.body}`);
    case "headers": {
      if (!block) break;
      const headers = pick(
        ["Proc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,0123456789ABCDEF\n\n", "Comment: fuzz\n\n", "Comment: fuzz\r\n\r\n", "X: y\n".repeat(5_000), "X: y\r\n".repeat(30), "Bag Attributes\n"],
        m.b,
      );
      return replace(block, `-----BEGIN ${block.label}-----\n${headers}${block.body.replace(/^\r?\n/, "")}-----END ${block.label}-----\n`);
    }
    case "line-ends":
      return pick([(s: string) => s.replace(/\n/g, "\r\n"), (s: string) => s.replace(/\n/g, "\r"), (s: string) => "\uFEFF" + s, (s: string) => s.replace(/\n/g, "\n\u0000"), (s: string) => s.replace(/\n/g, " \t\n")], m.b)(text);
    case "noise":
      return text.slice(0, at) + m.noise + text.slice(at);
    case "begin-flood":
      // Many BEGIN lines without an END (or with a mismatched one): must not take quadratic time.
      return text.slice(0, at) + pick(["-----BEGIN CERTIFICATE-----\nAAAA\n", "-----BEGIN A-----\n-----END B-----\n", "-----BEGIN X-----", "-----END CERTIFICATE-----\n"], m.b).repeat(pick([100, 5_000, 30_000], m.b >> 2)) + text.slice(at);
    case "giant":
      return text.slice(0, at) + `-----BEGIN CERTIFICATE-----\n${"QUFB".repeat(pick([1_000, 250_000], m.b))}\n-----END CERTIFICATE-----\n` + text.slice(at);
  }
  return text.slice(0, at) + text.slice(at + 1);
}

// ── PEM by grammar ─────────────────────────────────────────────────────────────────────────────

/** Line ends: one kind for the whole text, or a mix chosen line by line. */
export type LineEnds = "lf" | "crlf" | "cr" | "mixed";

/**
 * One block as the PEM grammar builds it: what follows the BEGIN line's dashes on that line (text,
 * and whether a line break follows at all), an RFC 1421 header section (`Name: value` lines,
 * continuation lines, a run of `X:` lines, with or without the blank line that ends it), the
 * base64 wrapped at some width with white space around it, and an END line whose label may
 * differ. Together with noise between blocks, a BOM and blocks interleaved inside another block's
 * body, this covers what the RFC allows and what hostile or careless tools write.
 */
export interface PemBlockPlan {
  /** Text after BEGIN's closing dashes, on the same line. */
  beginTail: "" | " " | "\t" | "X:" | "Comment: on the BEGIN line";
  /** Whether a line break follows the BEGIN line (the 166-byte ReDoS input had none). */
  breakAfterBegin: boolean;
  /** Header lines, in order. */
  headers: string[];
  /** Whether a blank line ends the headers (RFC 1421 requires one). */
  blankAfterHeaders: boolean;
  /** Base64 line width. */
  width: number;
  /** White space put around each base64 line. */
  indent: "" | " " | "\t" | "  ";
  trailing: "" | " " | "\t";
  /** Damage to the base64: none, a character that is not base64, or a cut. */
  damage: "none" | "bad-char" | "cut";
  /** The END label: the same, or another one. */
  endLabel: "same" | "other";
}

export interface PemPlan {
  bom: boolean;
  lineEnds: LineEnds;
  /** Seed for the per-line choice of `mixed` line ends. */
  mixSeed: number;
  /** Text before, between and after blocks. */
  noise: string[];
  blocks: PemBlockPlan[];
  /** Interleave: the second block starts inside the first one's body. */
  interleave: boolean;
}

const HEADER_RUNS: readonly (() => string[])[] = [
  () => [],
  () => [],
  () => ["Comment: made by the fuzzer"],
  () => ["Comment: a comment that goes on", "  over a continuation line", "\tand another"],
  () => ["Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,F87E93E4D6D3AA4C23CF2593880E5D35"],
  () => ["X-Custom-Header-9: value: with: colons", "Subject: CN=x"],
  () => Array.from({ length: 28 }, () => "X:"),
  () => Array.from({ length: 40 }, () => "X:"),
  () => Array.from({ length: 300 }, (_, i) => (i % 2 ? "X:" : "A-b: c")),
  () => Array.from({ length: 5_000 }, () => "X: y"),
];

const blockPlanArb: fc.Arbitrary<PemBlockPlan> = fc.record({
  beginTail: fc.constantFrom<PemBlockPlan["beginTail"]>("", "", "", " ", "\t", "X:", "Comment: on the BEGIN line"),
  breakAfterBegin: fc.boolean(),
  headers: fc.nat(HEADER_RUNS.length - 1).map((i) => HEADER_RUNS[i]!()),
  blankAfterHeaders: fc.boolean(),
  width: fc.constantFrom(64, 64, 76, 4, 1, 10_000),
  indent: fc.constantFrom<PemBlockPlan["indent"]>("", "", " ", "\t", "  "),
  trailing: fc.constantFrom<PemBlockPlan["trailing"]>("", "", " ", "\t"),
  damage: fc.constantFrom<PemBlockPlan["damage"]>("none", "none", "none", "bad-char", "cut"),
  endLabel: fc.constantFrom<PemBlockPlan["endLabel"]>("same", "same", "same", "other"),
});

/** A plan for `count` blocks (the blocks of a seed text, re-rendered). */
export function pemPlanArb(count: number): fc.Arbitrary<PemPlan> {
  return fc.record({
    bom: fc.boolean(),
    lineEnds: fc.constantFrom<LineEnds>("lf", "crlf", "cr", "mixed"),
    mixSeed: fc.nat(),
    noise: fc.array(fc.constantFrom("", "", "Bag Attributes\n    localKeyID: 01 02 03\n", "subject=CN = x\n", "\n\n", "   ", "X:\r\n"), { minLength: count + 1, maxLength: count + 1 }),
    blocks: fc.array(blockPlanArb, { minLength: count, maxLength: count }),
    interleave: fc.boolean(),
  });
}

/**
 * Renders blocks by a plan. `wellFormed` is true when a correct RFC 1421 reader must give the
 * same blocks as the seed: no damage, matching labels, no legacy-encryption headers, headers (if
 * any) after a line break and ended by a blank line, no interleaving.
 */
export function renderPem(blocks: readonly { label: string; der: Uint8Array }[], plan: PemPlan): { text: string; wellFormed: boolean } {
  let x = plan.mixSeed | 1;
  let last = "";
  const eol = () => {
    if (plan.lineEnds === "lf") return "\n";
    if (plan.lineEnds === "crlf") return "\r\n";
    if (plan.lineEnds === "cr") return "\r";
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    // never CR then LF as two line ends: that is one CRLF, and a blank line would vanish
    const options = last === "\r" ? ["\r", "\r\n"] : ["\n", "\r\n", "\r"];
    return (last = options[(x >>> 0) % options.length]!);
  };
  let wellFormed = !plan.interleave || blocks.length < 2;
  const rendered = blocks.map((b, k) => {
    const p = plan.blocks[k]!;
    let b64 = toBase64(b.der);
    if (p.damage === "bad-char") b64 = b64.slice(0, b64.length >> 1) + "*" + b64.slice(b64.length >> 1);
    if (p.damage === "cut") b64 = b64.slice(0, Math.max(1, b64.length - 5));
    const lines: string[] = [];
    for (let i = 0; i < b64.length; i += p.width) lines.push(p.indent + b64.slice(i, i + p.width) + p.trailing);
    const headers = p.headers.map((h) => h + eol()).join("") + (p.headers.length && p.blankAfterHeaders ? eol() : "");
    const endLabel = p.endLabel === "same" ? b.label : b.label === "CERTIFICATE" ? "PRIVATE KEY" : "CERTIFICATE";
    const legacy = p.headers.some((h) => /^(Proc-Type|DEK-Info):/.test(h));
    const tailIsHeader = p.beginTail.includes(":");
    if (p.damage !== "none" || p.endLabel !== "same" || legacy) wellFormed = false;
    if (p.headers.length && !p.blankAfterHeaders) wellFormed = false;
    if (tailIsHeader || (!p.breakAfterBegin && (p.headers.length > 0 || p.beginTail !== ""))) wellFormed = false;
    const head = `-----BEGIN ${b.label}-----${p.beginTail}${p.breakAfterBegin ? eol() : ""}${headers}`;
    const body = lines.map((l) => l + eol()).join("");
    return { head, body, end: `-----END ${endLabel}-----${eol()}` };
  });
  let text = plan.bom ? "\uFEFF" : "";
  for (let k = 0; k < rendered.length; k++) {
    const r = rendered[k]!;
    text += plan.noise[k] ?? "";
    if (plan.interleave && k === 0 && rendered.length > 1) {
      // the second block opens in the middle of the first one's body
      const half = r.body.length >> 1;
      const next = rendered[1]!;
      text += r.head + r.body.slice(0, half) + next.head + next.body + next.end + r.body.slice(half) + r.end;
      k++;
      continue;
    }
    text += r.head + r.body + r.end;
  }
  return { text: text + (plan.noise[rendered.length] ?? ""), wellFormed };
}

// ── how users hold bytes ───────────────────────────────────────────────────────────────────────

export interface ViewPlan {
  kind: "offset" | "buffer-like" | "node-buffer";
  /** Bytes before and after the data in the shared buffer (a Node pool has up to 8 KiB). */
  before: number;
  after: number;
  /** What fills the rest of the buffer: zeros, a copy of the data itself, or DER-looking bytes. */
  fill: "zeros" | "copy" | "der";
}

export const viewPlanArb: fc.Arbitrary<ViewPlan> = fc.record({
  kind: fc.constantFrom<ViewPlan["kind"]>("offset", "buffer-like", "buffer-like", "node-buffer"),
  before: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 8_192 })),
  after: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 8_192 })),
  fill: fc.constantFrom<ViewPlan["fill"]>("zeros", "copy", "der"),
});

/**
 * `data` as a view into a larger buffer, the way a pooled Node Buffer holds it: an offset view,
 * a {@link PoolView} (slice() returns a view), or — where the runtime has Node's Buffer — a real Buffer made by
 * `Buffer.from` after `before` bytes of other allocations (for data under 4 KiB: inside the pool).
 */
export function viewFor(data: Uint8Array, plan: ViewPlan): Uint8Array {
  const B = nodeBuffer();
  if (plan.kind === "node-buffer" && B) {
    B.from(new Uint8Array(plan.before % 4_000).fill(0x30)); // other data in the pool before it
    return B.from(data);
  }
  const buffer = new ArrayBuffer(plan.before + data.length + plan.after);
  const all = new Uint8Array(buffer);
  if (plan.fill === "copy") for (let i = 0; i < all.length; i++) all[i] = data.length ? data[i % data.length]! : 0;
  if (plan.fill === "der") for (let i = 0; i < all.length; i++) all[i] = i % 7 === 0 ? 0x30 : i % 7 === 1 ? 0x82 : (i * 131) & 0xff;
  all.set(data, plan.before);
  return plan.kind === "offset" ? new Uint8Array(buffer, plan.before, data.length) : new PoolView(buffer, plan.before, data.length);
}

// ── arbitraries ────────────────────────────────────────────────────────────────────────────────

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom<Op>(...BYTE_OPS, ...TREE_OPS),
  a: fc.nat(),
  b: fc.nat(),
  bytes: fc.uint8Array({ minLength: 0, maxLength: 24 }),
});

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 3 });

/** Manglings that grow the text a lot (many blocks, floods): rarer, as each case costs more. */
const GROWING: readonly TextMutation["op"][] = ["dup", "dup-distinct", "begin-flood", "giant"];

export const textMutationArb: fc.Arbitrary<TextMutation> = fc.record({
  op: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TEXT_OPS.filter((o) => !GROWING.includes(o))) }, { weight: 1, arbitrary: fc.constantFrom(...GROWING) }),
  a: fc.nat(),
  b: fc.nat(),
  der: mutationArb,
  noise: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("-----BEGIN ", "-----END CERTIFICATE-----", "\n\n", "-----BEGIN PRIVATE KEY-----\n", "=")),
});

/** Random bytes, sometimes shaped like DER (a SEQUENCE header in front). */
export const randomBytesArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 3_000 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(Uint8Array.of(0x30), Uint8Array.of(0x30, 0x80), Uint8Array.of(0x30, 0x82, 0x0a, 0x98), Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff), Uint8Array.of(0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03)), fc.uint8Array({ maxLength: 2_000 }))
      .map(([head, tail]) => concat([head, tail])),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...NEST_DEPTHS), fc.constantFrom<NestMode>("definite", "indefinite", "set", "context", "octets")).map(([depth, mode]) => nest(Uint8Array.of(0x05, 0x00), depth, mode)),
  },
);

export const randomTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 2_000 }),
  fc.array(fc.constantFrom("-----BEGIN ", "-----END ", "CERTIFICATE", "PRIVATE KEY", "RSA ", "ENCRYPTED ", "-----", "\n", "\r\n", "MIIB", "AAAA", "=", "Proc-Type: 4,ENCRYPTED", "X: y", " "), { maxLength: 200 }).map((parts) => parts.join("")),
);

// ── builders for inputs that must be valid at a high iteration count ───────────────────────────

const oidTlv = (dotted: string) => tlv(0x06, encodeOid(dotted));
const OID = {
  data: "1.2.840.113549.1.7.1",
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  hmacSha256: "1.2.840.113549.2.9",
  aes256: "2.16.840.1.101.3.4.1.42",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509: "1.2.840.113549.1.9.22.1",
};

/** The PBKDF2 PRFs by WebCrypto hash name. */
const HMAC_OIDS: Record<string, string> = { "SHA-1": "1.2.840.113549.2.7", "SHA-256": "1.2.840.113549.2.9", "SHA-384": "1.2.840.113549.2.10", "SHA-512": "1.2.840.113549.2.11" };

/** An EncryptedPrivateKeyInfo of `pkcs8` (PBES2: PBKDF2-HMAC-`hash` at `iterations`, AES-256-CBC), really encrypted. */
export async function encryptPkcs8(pkcs8: Uint8Array, password: string, iterations: number, hash: "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512" = "SHA-256"): Promise<Uint8Array> {
  const salt = new Uint8Array(16).fill(7);
  const iv = new Uint8Array(16).fill(9);
  const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveKey"]);
  const key = await crypto.subtle.deriveKey({ name: "PBKDF2", hash, salt, iterations }, base, { name: "AES-CBC", length: 256 }, false, ["encrypt"]);
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv }, key, pkcs8 as Uint8Array<ArrayBuffer>));
  const kdf = tlv(0x30, concat([oidTlv(OID.pbkdf2), tlv(0x30, concat([tlv(0x04, salt), tlv(0x02, int(iterations)), tlv(0x30, concat([oidTlv(HMAC_OIDS[hash]!), Uint8Array.of(0x05, 0x00)]))]))]));
  const scheme = tlv(0x30, concat([oidTlv(OID.aes256), tlv(0x04, iv)]));
  return tlv(0x30, concat([tlv(0x30, concat([oidTlv(OID.pbes2), tlv(0x30, concat([kdf, scheme]))])), tlv(0x04, data)]));
}

export const shroudedKeyBag = (epki: Uint8Array) => tlv(0x30, concat([oidTlv(OID.shroudedKeyBag), tlv(0xa0, epki)]));
export const certBag = (der: Uint8Array) => tlv(0x30, concat([oidTlv(OID.certBag), tlv(0xa0, tlv(0x30, concat([oidTlv(OID.x509), tlv(0xa0, tlv(0x04, der))])))]));

/** A PFX without a MAC whose single plain SafeContents holds `bags`. */
export function pfxOf(bags: readonly Uint8Array[]): Uint8Array {
  const dataInfo = (content: Uint8Array) => tlv(0x30, concat([oidTlv(OID.data), tlv(0xa0, tlv(0x04, content))]));
  const authSafe = tlv(0x30, dataInfo(tlv(0x30, concat(bags))));
  return tlv(0x30, concat([tlv(0x02, int(3)), dataInfo(authSafe)]));
}
