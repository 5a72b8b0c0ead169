/**
 * The package.json that ships has no development lifecycle scripts. `prepare` is for a clone (it
 * removes the pinned Node builds' `node` link and builds dist/), but npm 11 warns about it on every
 * `npm install entra-edge` ("install scripts not yet covered by allowScripts"). npm pack runs
 * `prepack` before it reads the files and `postpack` after: `strip` saves package.json and writes
 * it without `prepare`; `restore` puts the saved one back (a `strip` after a failed pack restores
 * first). Silent: `npm pack --json` prints its JSON on stdout.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = `${root}package.json`;
const saved = `${root}.tmp/package.json.packing`;

if (process.argv[2] === "strip") {
  if (existsSync(saved)) renameSync(saved, manifest);
  const text = readFileSync(manifest, "utf8");
  const pkg = JSON.parse(text);
  mkdirSync(`${root}.tmp`, { recursive: true });
  writeFileSync(saved, text);
  // The lifecycle scripts of a clone (prepack/postpack name files that do not ship either).
  for (const name of ["prepare", "prepack", "postpack"]) delete pkg.scripts[name];
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (process.argv[2] === "restore") {
  if (existsSync(saved)) renameSync(saved, manifest);
} else {
  process.stderr.write("usage: node .ci/pack-manifest.mjs strip|restore\n");
  process.exit(2);
}
