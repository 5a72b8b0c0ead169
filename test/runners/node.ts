/** Runs the portable suite on Node (via tsx). */
import { readFile, writeFile } from "node:fs/promises";
import { inspect } from "node:util";
import * as lib from "../../src/node.ts";
import { redisStores, runSuite } from "../support/platform.ts";
import "../suite.ts";

await runSuite({
  runtime: "node",
  lib,
  env: { get: (k) => process.env[k], set: (k, v) => void (process.env[k] = v) },
  readFile: async (p) => new Uint8Array(await readFile(p)),
  writeFile: (p, text) => writeFile(p, text),
  inspect: (v) => inspect(v, { showHidden: true, depth: 8 }),
  onUnhandledRejection: (handler) => void process.on("unhandledRejection", handler),
  tokenStores: () => redisStores(process.env.REDIS_URL),
  exit: (code) => process.exit(code),
});
