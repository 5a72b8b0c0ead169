/**
 * Reading a body stream with a size limit, once for the whole library: the token client's
 * answers, the emulator's requests and the serve helpers' uploads all stop at their limit instead
 * of buffering whatever arrives.
 *
 * @module
 */
import { concat } from "./bytes.ts";

/**
 * The chunks of `body`, or `undefined` (and the stream cancelled) once more than `limit` bytes
 * have arrived or `signal` has fired.
 *
 * @example
 * ```ts
 * const chunks = await readChunks(response.body!, 1 << 20);
 * const text = chunks && (await new Blob(chunks).text());
 * ```
 */
export async function readChunks(body: ReadableStream<Uint8Array>, limit: number, signal?: AbortSignal): Promise<Uint8Array<ArrayBuffer>[] | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for (let total = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    if ((total += value.byteLength) > limit || signal?.aborted) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value as Uint8Array<ArrayBuffer>);
  }
}

/**
 * A file's stream read whole, or — past `limit` bytes — `limit + 1` zero bytes standing for "too
 * large" (the caller refuses it by its length; the rest is never read).
 *
 * @example
 * ```ts
 * const bytes = await readAtMost(Bun.file(path).stream(), 4 << 20);
 * if (bytes.length > 4 << 20) throw new Error("too large");
 * ```
 */
export async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks = await readChunks(body, limit);
  return chunks ? concat(chunks) : new Uint8Array(limit + 1);
}
