/**
 * JSON encoding of control-API arguments: `Uint8Array`s travel as `{ "$bytes": base64 }`, `Date`s
 * as their ISO 8601 text (which every time option accepts).
 *
 * @module
 */
import { fromBase64, toBase64 } from "./encoding.ts";

/** Replaces every `Uint8Array` inside `value` with `{ $bytes: base64 }`. */
export function encodeBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: toBase64(value) };
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(encodeBytes);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeBytes(v)]));
  }
  return value;
}

/** The inverse of {@link encodeBytes}. */
export function decodeBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeBytes);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    const only = entries.length === 1 ? entries[0] : undefined;
    if (only && only[0] === "$bytes" && typeof only[1] === "string") return fromBase64(only[1]);
    return Object.fromEntries(entries.map(([k, v]) => [k, decodeBytes(v)]));
  }
  return value;
}
