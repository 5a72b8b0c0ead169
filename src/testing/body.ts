/**
 * Reading request and response bodies with a size limit, so an oversized upload (or a huge
 * discovery document) is refused after `limit` bytes instead of being buffered whole.
 *
 * @module
 */
import { concat } from "../lib/bytes.ts";
import { readChunks } from "../lib/stream.ts";
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
  const chunks = await readChunks(body.body, limit);
  if (!chunks) throw new BodyTooLarge(limit);
  return fromUtf8(concat(chunks));
}

/** Reads a JSON body with a size limit. */
export async function readJsonLimited(body: Request | Response, limit: number): Promise<unknown> {
  return JSON.parse(await readTextLimited(body, limit));
}
