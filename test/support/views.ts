/**
 * Bytes the way users hold them: not only an exact Uint8Array, but views into larger buffers.
 * A Node Buffer of under 4 KiB (`fs.readFileSync`, `Buffer.from(base64, "base64")`) is a view into
 * a shared 8 KiB pool (byteOffset > 0, other data around it), and `Buffer#slice` returns another
 * view instead of a copy — so code that does `bytes.slice().buffer` hands a parser the whole pool.
 * Portable: real Node Buffers where the runtime has them (Node, Deno, Bun), and on every runtime a
 * plain offset view and {@link PoolView}, a Uint8Array with Buffer's view semantics.
 */

/** A Uint8Array whose `slice` returns a view (as Node's `Buffer#slice` does), not a copy. */
export class PoolView extends Uint8Array {
  override slice(start?: number, end?: number): PoolView {
    return this.subarray(start, end) as PoolView;
  }
}

/** Node's `Buffer`, as far as these tests use it. */
export interface NodeBuffer {
  from(data: Uint8Array | string, encoding?: string): Uint8Array;
}

/**
 * Node's `Buffer` where the runtime has it — Node and Bun, and Deno 2, as a global (the
 * `node:buffer` export) — and undefined inside workerd (no nodejs_compat). Read as a global
 * because the Worker bundle may not import `node:` modules at all.
 */
export function nodeBuffer(): NodeBuffer | undefined {
  const B = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  return typeof B?.from === "function" ? B : undefined;
}

/** Bytes that could be parsed by mistake: a DER SEQUENCE header and a pseudo-random tail. */
function garbage(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  if (n > 4) out.set([0x30, 0x82, 0x01, 0x00], 0);
  return out;
}

/** `bytes` copied into the middle of a larger ArrayBuffer, with garbage before and after. */
export function viewOf<T extends Uint8Array>(bytes: Uint8Array, make: (buffer: ArrayBuffer, offset: number, length: number) => T, before = 37, after = 4_093): T {
  const buffer = new ArrayBuffer(before + bytes.length + after);
  new Uint8Array(buffer).set(garbage(before, 7), 0);
  new Uint8Array(buffer).set(bytes, before);
  new Uint8Array(buffer).set(garbage(after, 11), before + bytes.length);
  return make(buffer, before, bytes.length);
}

export interface ByteForm {
  /** How the bytes are held, for messages. */
  name: string;
  data: Uint8Array;
}

/**
 * The same bytes in every form a user may hold them: an exact copy, a plain offset view, a
 * {@link PoolView}, and — where Node's Buffer exists — `Buffer.from(bytes)` and
 * `Buffer.from(base64, "base64")` (pooled when under 4 KiB).
 */
export function byteForms(bytes: Uint8Array): ByteForm[] {
  const forms: ByteForm[] = [
    { name: "an exact Uint8Array", data: new Uint8Array(bytes) },
    { name: "a Uint8Array view at an offset into a larger ArrayBuffer", data: viewOf(bytes, (b, o, n) => new Uint8Array(b, o, n)) },
    { name: "a Buffer-like view (slice() returns a view)", data: viewOf(bytes, (b, o, n) => new PoolView(b, o, n)) },
  ];
  const Buffer = nodeBuffer();
  if (Buffer) {
    // A small allocation first, so the copy below does not start at the pool's offset 0.
    Buffer.from("x");
    forms.push({ name: "a Node Buffer (Buffer.from(bytes))", data: Buffer.from(bytes) });
    let bin = "";
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    forms.push({ name: "a Node Buffer (Buffer.from(base64, 'base64'))", data: Buffer.from(btoa(bin), "base64") });
  }
  return forms;
}

/** Whether a view shares its buffer with other data (what the pooled forms must be, to test anything). */
export function isSharedView(u8: Uint8Array): boolean {
  return u8.byteOffset > 0 || u8.buffer.byteLength > u8.byteLength;
}
