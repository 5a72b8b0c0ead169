/**
 * Reading a body stream with a size limit, once for the whole library: the token client's
 * answers, the emulator's requests and the serve helpers' uploads all stop at their limit instead
 * of buffering whatever arrives.
 *
 * @module
 */

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
