/**
 * What a runtime loads from a built package: starting at an entry file of dist/, the files it
 * imports statically (loaded at import) and the ones behind dynamic `import()`s (loaded later),
 * with the packages inside each file — bundled into it (esbuild's `// node_modules/<pkg>/…`
 * markers of unminified output) or imported from it by name. Used by the bench (which lazy chunk
 * is jose, which is the PFX path) and by test/tooling/bundle.test.ts (no PKCS#12 code, asn1js, outside the PFX path).
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";

export interface ShippedFile {
  /** Path relative to the package folder (`dist/node.js`). */
  file: string;
  bytes: number;
  gzip: number;
  /** Packages bundled into the file or imported from it statically by name (node:* left out). */
  packages: string[];
  /** Packages the file imports by name with a dynamic `import()` (module-per-module builds). */
  lazyPackages: string[];
  /** Relative imports, resolved to package-relative paths. */
  staticImports: string[];
  dynamicImports: string[];
  /** The file exports `readPkcs12` (the PFX path's chunk). */
  pkcs12: boolean;
}

export interface Layout {
  entry: string;
  /** The entry and everything it imports statically: what `import("entra-edge")` loads. */
  initial: string[];
  /** Reached only through a dynamic import (and their static imports). */
  lazy: string[];
  files: Record<string, ShippedFile>;
}

const STATIC = /(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
const BUNDLED = /^\/\/ (?:.*\/)?node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm;

function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

export function readShipped(packageDir: string, file: string): ShippedFile {
  const text = readFileSync(join(packageDir, file), "utf8");
  const packages = new Set<string>();
  for (const m of text.matchAll(BUNDLED)) packages.add(m[1]!);
  const resolve = (spec: string) => relative(packageDir, join(packageDir, dirname(file), spec)).replaceAll("\\", "/");
  const lazyPackages = new Set<string>();
  const staticImports: string[] = [];
  const dynamicImports: string[] = [];
  // Doc comments that esbuild keeps (class members' TSDoc) show imports in their @example: lines
  // inside a block comment (starting with `*`) are not code.
  const code = text.replace(/^\s*\*.*$/gm, "");
  for (const [list, names, re] of [
    [staticImports, packages, STATIC],
    [dynamicImports, lazyPackages, DYNAMIC],
  ] as const) {
    for (const m of code.matchAll(re)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) list.push(resolve(spec));
      else if (!spec.startsWith("node:") && !spec.startsWith("cloudflare:")) names.add(packageOf(spec));
    }
  }
  return {
    file,
    bytes: Buffer.byteLength(text),
    gzip: gzipSync(text).length,
    packages: [...packages].sort(),
    lazyPackages: [...lazyPackages].sort(),
    staticImports: [...new Set(staticImports)],
    dynamicImports: [...new Set(dynamicImports)],
    pkcs12: /\bexport\s*\{[^}]*\breadPkcs12\b/.test(text),
  };
}

/** The load graph from `entry` (package-relative, e.g. `dist/node.js`). */
export function layoutOf(packageDir: string, entry: string): Layout {
  const files: Record<string, ShippedFile> = {};
  const get = (f: string) => (files[f] ??= readShipped(packageDir, f));
  const initial = new Set<string>();
  const walk = (f: string, into: Set<string>, seen: Set<string>) => {
    if (seen.has(f) || into.has(f)) return;
    into.add(f);
    for (const s of get(f).staticImports) walk(s, into, seen);
  };
  walk(entry, initial, new Set());
  const lazy = new Set<string>();
  const queue = [...initial];
  while (queue.length) {
    const f = queue.shift()!;
    for (const d of get(f).dynamicImports) {
      const before = new Set(lazy);
      walk(d, lazy, initial);
      for (const added of lazy) if (!before.has(added)) queue.push(added);
    }
    for (const s of get(f).staticImports) if (!initial.has(s) && lazy.has(f)) walk(s, lazy, initial);
  }
  return { entry, initial: [...initial], lazy: [...lazy], files };
}

/** Packages anywhere in a set of files. */
export function packagesIn(layout: Layout, list: string[]): string[] {
  return [...new Set(list.flatMap((f) => layout.files[f]?.packages ?? []))].sort();
}

/** A lazy file and everything it imports statically: what loading it costs. */
export function closure(layout: Layout, file: string): string[] {
  const out = new Set<string>();
  const walk = (f: string) => {
    if (out.has(f) || layout.initial.includes(f)) return;
    out.add(f);
    for (const s of layout.files[f]?.staticImports ?? []) walk(s);
  };
  walk(file);
  return [...out];
}
