/**
 * Reading request and response bodies with a size limit, so an oversized upload (or a huge
 * discovery document) is refused after `limit` bytes instead of being buffered whole.
 *
 * @module
 */
import { fromUtf8 } from "./encoding.ts";

/** The body was longer than the limit. */
export class BodyTooLarge extends Error {
  override name = "BodyTooLarge" as const;
  constructor(readonly limit: number) {
    super(`the body is larger than ${limit} bytes`);
  }
}

/** Reads `body` as text, rejecting with {@link BodyTooLarge} past `limit` bytes. */
export async function readTextLimited(body: Request | Response, limit: number): Promise<string> {
  const declared = Number(body.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    await body.body?.cancel().catch(() => {});
    throw new BodyTooLarge(limit);
  }
  if (!body.body) return "";
  const reader = body.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(limit);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return fromUtf8(all);
}

/** Reads a JSON body with a size limit. */
export async function readJsonLimited(body: Request | Response, limit: number): Promise<unknown> {
  return JSON.parse(await readTextLimited(body, limit));
}
