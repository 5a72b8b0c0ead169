/**
 * Builds dist/ (tsup) when it is missing or older than the sources, so that `entra-edge`, imported
 * by name from a clone (the examples do; package.json's exports point at dist/), is current.
 *
 * Run by `npm install` / `npm ci` in a clone (the `prepare` script, after the pinned-Node cleanup)
 * and by `npm run example` (examples/run.ts). `npm pack` runs `prepare` too: with dist/ current it
 * does nothing (a rebuild there would empty dist/ under whatever is using it), and it never writes
 * to stdout (`npm pack --json` prints JSON there).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Whether dist/ is missing, or a file under src/ (or the build config) changed after it was built. */
export function distIsStale() {
  const built = `${root}dist/node.js`;
  if (!existsSync(built)) return true;
  const at = statSync(built).mtimeMs;
  const newer = (dir) => readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? newer(`${dir}/${e.name}`) : statSync(`${dir}/${e.name}`).mtimeMs > at));
  return newer(`${root}src`) || statSync(`${root}tsup.config.ts`).mtimeMs > at;
}

/** Builds dist/ if it is stale; tsup's output goes to stderr. Returns tsup's exit code (0 when nothing was to do). */
export function ensureDist() {
  if (!distIsStale()) return 0;
  const r = spawnSync(process.execPath, [`${root}node_modules/tsup/dist/cli-default.js`], { cwd: root, stdio: ["ignore", 2, 2] });
  return r.status ?? 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(ensureDist());
