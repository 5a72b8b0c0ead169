/**
 * Run by `prepare` (after npm install / npm ci). npm links every dependency's bin into
 * node_modules/.bin, which npm scripts put first on PATH, so the pinned Node builds' `node` would
 * stand in for this machine's Node in every npm script (npm start, npm run bench, npm test).
 * This removes that one link; test/run.ts calls the pinned builds by path.
 */
import { readlinkSync, rmSync } from "node:fs";

const link = new URL("../../../node_modules/.bin/node", import.meta.url);
try {
  if (/^\.\.\/node\d+\/bin\/node$/.test(readlinkSync(link))) rmSync(link);
} catch {
  // no link: nothing to do
}
