// Node module hooks that append every loaded module URL to $BENCH_LOAD_LOG: used with
// `node --import ./bench/measure/load-log.mjs` to see when asn1js/jose are really loaded.
import { appendFileSync } from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

if (isMainThread) register(import.meta.url);

export async function load(url, context, next) {
  const log = process.env.BENCH_LOAD_LOG;
  if (log) appendFileSync(log, `${url}\n`);
  return next(url, context);
}
