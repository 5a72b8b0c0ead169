/**
 * What the bench measures: the package as users get it. `npm run build`, `npm pack`, then the
 * tarball installed in an empty folder together with the peers at the versions in package.json's
 * devDependencies (one `npm install`, from npm's cache when it has them). The child script is
 * bundled into that folder (its own imports inlined, packages left as imports), so
 * `import("entra-edge")` in a child resolves the installed tarball through the runtime's export
 * conditions, exactly as in an app.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

export interface Installed {
  /** The app folder: package.json, node_modules/, the child script, the import probe. */
  dir: string;
  tarball: { file: string; bytes: number; unpackedBytes: number; files: number };
  /** Installed versions, read from the app folder's node_modules. */
  versions: Record<string, string>;
  child: string;
  probe: string;
}

const PEERS = ["@azure/identity", "@azure/msal-node"] as const;

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
}

export async function installPackage(root: string, scratch: string, log: (s: string) => void): Promise<Installed> {
  log("npm run build …");
  npm(["run", "build"], root);
  log("npm pack …");
  const [info] = JSON.parse(npm(["pack", "--json", "--pack-destination", scratch], root)) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
  const tarball = join(scratch, info!.filename);
  const dir = join(scratch, "app");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "entra-edge-bench-app", private: true, type: "module" }, null, 2));
  // What a Deno project with a package.json and npm's node_modules uses; stops config discovery here.
  writeFileSync(join(dir, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }));
  const dev = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies;
  const peers = PEERS.map((p) => `${p}@${dev[p]}`);
  log(`npm install ${info!.filename} ${peers.join(" ")} (in an empty folder) …`);
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock", tarball, ...peers], dir);
  const version = (name: string) => {
    try {
      return (JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    } catch {
      return "not installed";
    }
  };
  const versions: Record<string, string> = {};
  for (const name of ["entra-edge", ...PEERS, "@azure/msal-common", "@azure/core-rest-pipeline", "jose", "asn1js", "@noble/hashes"]) versions[name] = version(name);
  const child = join(dir, "bench-child.mjs");
  await build({
    entryPoints: [join(root, "bench/child.ts")],
    outfile: child,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "es2022",
    packages: "external",
    logLevel: "error",
  });
  const probe = join(dir, "import-probe.mjs");
  writeFileSync(probe, readFileSync(join(root, "bench/measure/import-probe.mjs"), "utf8"));
  return { dir, tarball: { file: info!.filename, bytes: info!.size, unpackedBytes: info!.unpackedSize, files: info!.entryCount }, versions, child, probe };
}
