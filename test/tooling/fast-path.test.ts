/**
 * The build's fast path for @peculiar/utils's `toUint8Array` (tsup.config.ts, what asn1js calls
 * for every element of a PFX in the bundled `node`/`bun` files): applied to what ships, refused
 * loudly when the package's text changes, and giving the same result or error as the original on
 * every kind of input — every typed array and DataView, Node Buffers from the pool, views of
 * SharedArrayBuffers and resizable ArrayBuffers, ArrayBuffers and SharedArrayBuffers themselves,
 * another realm's of each (node:vm), views whose `Symbol.toStringTag` claims to be a buffer,
 * look-alike objects, detached buffers and non-buffers.
 */
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { runInNewContext } from "node:vm";
import { BUFFER_SOURCE_FAST, BUFFER_SOURCE_ORIGINAL, patchBufferSource } from "../../tsup.config.ts";
import { deepEqual, equal, ok, throws } from "../assert.ts";
import { test } from "../harness.ts";
import { ensureBuilt } from "./process.ts";

type ToUint8Array = (data: unknown) => Uint8Array;

const sourcePath = (root: string) => createRequire(`${root}/package.json`).resolve("@peculiar/utils").replace(/index\.js$/, "bytes/buffer-source.js");

async function both(root: string): Promise<{ original: ToUint8Array; fast: ToUint8Array }> {
  const text = readFileSync(sourcePath(root), "utf8");
  const load = async (code: string) => ((await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { toUint8Array: ToUint8Array }).toUint8Array;
  return { original: await load(text), fast: await load(patchBufferSource(text)) };
}

/** What a call did, comparable across the two: the error's class and message, or the result's kind, bytes and what it shares with the input. */
function outcome(fn: ToUint8Array, make: () => unknown): unknown {
  const input = make();
  try {
    const out = fn(input);
    const source = input as { buffer?: unknown; byteOffset?: unknown } | null;
    const shares = out.buffer === input ? "the input" : source !== null && typeof source === "object" && out.buffer === source.buffer ? "the input's buffer" : "a copy";
    // (relative to the input's own offset: a pooled Buffer lands anywhere in its pool)
    const offset = shares === "the input's buffer" ? out.byteOffset - Number(source!.byteOffset) : out.byteOffset;
    return { class: out.constructor.name, realm: out instanceof Uint8Array ? "this" : "other", byteOffset: offset, length: out.length, bytes: [...out], shares };
  } catch (e) {
    return { threw: (e as Error).constructor.name, message: (e as Error).message };
  }
}

/** Every kind of input, as factories (each call makes a fresh one, so the two functions see equal inputs). */
function inputs(): [string, () => unknown][] {
  const filled = (n: number, offset = 0) => {
    const b = new ArrayBuffer(n + offset);
    new Uint8Array(b).forEach((_, i, a) => (a[i] = (i * 37 + 11) & 0xff));
    return b;
  };
  const out: [string, () => unknown][] = [];
  const typed: (new (buffer: ArrayBufferLike | number, byteOffset?: number, length?: number) => ArrayBufferView)[] = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];
  const float16 = (globalThis as { Float16Array?: (typeof typed)[number] }).Float16Array;
  if (float16) typed.push(float16);
  /** Resizable ArrayBuffers (ES2024), which the library's ES2022 types do not declare. */
  const resizable = (length: number, maxByteLength: number) => new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(length, { maxByteLength });
  for (const T of typed) {
    out.push([`${T.name} over a whole buffer`, () => new T(filled(16))]);
    out.push([`${T.name} at an offset`, () => new T(filled(32), 8, 2)]);
    out.push([`${T.name}, empty`, () => new T(0)]);
    out.push([`${T.name} of a SharedArrayBuffer`, () => new T(new SharedArrayBuffer(16), 8)]);
    out.push([`${T.name} of another realm`, () => runInNewContext(`new ${T.name}(new ArrayBuffer(24), 8, 1)`)]);
  }
  out.push(["DataView", () => new DataView(filled(16), 3, 5)]);
  out.push(["DataView of a SharedArrayBuffer", () => new DataView(new SharedArrayBuffer(8))]);
  out.push(["DataView of another realm", () => runInNewContext("new DataView(new ArrayBuffer(8), 2)")]);
  out.push(["a pooled Node Buffer (byteOffset > 0)", () => Buffer.from("pooled bytes")]);
  out.push(["Buffer.alloc", () => Buffer.alloc(10, 7)]);
  out.push(["a Uint8Array of a resizable ArrayBuffer", () => new Uint8Array(resizable(8, 64))]);
  out.push(["a length-tracking view of a resizable ArrayBuffer", () => new Uint8Array(resizable(8, 64), 2)]);
  out.push(["a view of a detached ArrayBuffer", () => {
    const b = filled(8);
    const v = new Uint8Array(b);
    structuredClone(b, { transfer: [b] });
    return v;
  }]);
  out.push(["an ArrayBuffer", () => filled(12)]);
  out.push(["an empty ArrayBuffer", () => new ArrayBuffer(0)]);
  out.push(["a resizable ArrayBuffer", () => resizable(4, 8)]);
  out.push(["a detached ArrayBuffer", () => {
    const b = filled(8);
    structuredClone(b, { transfer: [b] });
    return b;
  }]);
  out.push(["a SharedArrayBuffer", () => new SharedArrayBuffer(6)]);
  out.push(["an ArrayBuffer of another realm", () => runInNewContext("new ArrayBuffer(5)")]);
  out.push(["a SharedArrayBuffer of another realm", () => runInNewContext("new SharedArrayBuffer(5)")]);
  // Views whose Symbol.toStringTag says something else: the original copies the ones claiming to be a buffer.
  for (const tag of ["ArrayBuffer", "SharedArrayBuffer", "Uint8Array", "", 42, undefined]) {
    out.push([`a Uint8Array whose own Symbol.toStringTag is ${String(tag)}`, () => Object.defineProperty(new Uint8Array(filled(8)), Symbol.toStringTag, { value: tag })]);
    out.push([`a DataView whose own Symbol.toStringTag is ${String(tag)}`, () => Object.defineProperty(new DataView(filled(8), 1), Symbol.toStringTag, { value: tag })]);
  }
  out.push(["a Uint8Array subclass claiming to be an ArrayBuffer", () => new (class extends Uint8Array {
    override get [Symbol.toStringTag]() {
      return "ArrayBuffer" as "Uint8Array";
    }
  })(4)]);
  out.push(["a view whose Symbol.toStringTag getter throws", () => Object.defineProperty(new Uint8Array(4), Symbol.toStringTag, { get() {
    throw new RangeError("tag getter");
  } })]);
  // Look-alikes and non-buffers.
  out.push(["a view look-alike over an ArrayBuffer", () => ({ buffer: filled(8), byteOffset: 2, byteLength: 3 })]);
  out.push(["a view look-alike over something else", () => ({ buffer: [1, 2, 3], byteOffset: 0, byteLength: 3 })]);
  out.push(["an object claiming to be an ArrayBuffer", () => ({ [Symbol.toStringTag]: "ArrayBuffer", length: 2, 0: 5, 1: 6 })]);
  out.push(["a Proxy of a Uint8Array", () => new Proxy(new Uint8Array(4), {})]);
  for (const [name, value] of [["null", null], ["undefined", undefined], ["0", 0], ["a string", "bytes"], ["an object", {}], ["an array", [1, 2, 3]], ["a function", () => 1], ["a symbol", Symbol("x")], ["a bigint", 1n]] as const) {
    out.push([name, () => value]);
  }
  return out;
}

test("@peculiar/utils fast path: toUint8Array gives the original's result or error for every kind of input", async (t) => {
  const { original, fast } = await both(t.root!);
  const cases = inputs();
  ok(cases.length > 80, `${cases.length} inputs`);
  for (const [name, make] of cases) deepEqual(outcome(fast, make), outcome(original, make), name);
  // It is the fast path these inputs exercised: a view's tag read once instead of four toString calls.
  let reads = 0;
  const counted = () => Object.defineProperty(new Uint8Array(4), Symbol.toStringTag, { get: () => (reads++, "Uint8Array") });
  fast(counted());
  equal(reads, 1, "the patched toUint8Array reads a view's Symbol.toStringTag once");
  reads = 0;
  original(counted());
  equal(reads, 4, "the original reads it four times (two toString calls, twice)");
});

test("@peculiar/utils fast path: the build patches exactly the published text, and fails loudly when it changed", async (t) => {
  const text = readFileSync(sourcePath(t.root!), "utf8");
  ok(text.includes(BUFFER_SOURCE_ORIGINAL), "the installed @peculiar/utils has the toUint8Array the build patches");
  equal(patchBufferSource(text), text.replace(BUFFER_SOURCE_ORIGINAL, BUFFER_SOURCE_FAST), "only that function is replaced");
  throws(() => patchBufferSource(text.replace("assertBufferSource(data);\n\tif (isArrayBufferLike", "assertBufferSource(data);\n\n\tif (isArrayBufferLike")), { message: /not the text tsup\.config\.ts patches.*was the package updated/ }, "a changed function stops the build");
  throws(() => patchBufferSource(text + text), { message: /found 2 times/ }, "so does a second copy");
  await ensureBuilt(t.root!);
  const pkcs12 = readdirSync(`${t.root}/dist/bundled`).filter((f) => /^pkcs12-.*\.js$/.test(f));
  equal(pkcs12.length, 1, "one PKCS#12 file in dist/bundled");
  const shipped = readFileSync(`${t.root}/dist/bundled/${pkcs12[0]}`, "utf8").replaceAll("\\\n", "");
  ok(shipped.includes("const tag=data[Symbol.toStringTag]"), "the bundled PKCS#12 file has the fast path");
  ok(readFileSync(`${t.root}/dist/bundled/LICENSES.md`, "utf8").includes("Modified: entra-edge's build adds a fast path for views to `toUint8Array`"), "LICENSES.md says @peculiar/utils's code is modified");
}, { timeoutMs: 180_000 }); // it may be the one that waits for `npm run build` (ensureBuilt)
