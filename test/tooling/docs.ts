/**
 * The documentation checks of test/tooling/docs.test.ts, usable on their own:
 *
 *   node --import tsx test/tooling/docs.ts          (after npm run build: counts, then checks every example)
 *
 * - {@link entries}: every entry point, from package.json's and deno.json's exports.
 * - {@link exportDocs}: every export of every entry and whether its TSDoc has an `@example`.
 * - {@link collectExamples}: the fenced code blocks of every exported declaration's TSDoc (and its
 *   members', and the entries' `@module` docs), of README.md and of SECURITY.md.
 * - {@link checkExamples}: writes them to a folder as a user's files and type-checks them against
 *   the built package, installed as `node_modules/entra-edge` (package.json and dist/, so its
 *   exports pick dist/*.d.ts): tsc for Node, Bun and Workers, `deno check` for Deno.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import ts from "typescript";

export type Group = "node" | "bun" | "workerd" | "deno";
export const GROUPS: Group[] = ["node", "bun", "workerd", "deno"];

/** One code block, where it came from, and where it is checked. */
export interface Example {
  /** `src/node.ts:42` — the line of the block's first code line. */
  origin: string;
  /** What it documents (`ClientCertificateCredential`, `README.md`). */
  subject: string;
  file: string;
  line: number;
  code: string;
  group: Group;
}

/** The entries' source files (src/*.ts), from package.json's dist paths and deno.json's exports. */
export function entries(root: string): string[] {
  const files = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === "string") {
      const m = /^\.\/dist\/(?:bundled\/)?(.+)\.js$/.exec(value);
      if (m && m[1] !== "cli") files.add(`src/${m[1]}.ts`);
      if (/^\.\/src\/.+\.ts$/.test(value)) files.add(value.slice(2));
    } else if (value && typeof value === "object") for (const v of Object.values(value)) walk(v);
  };
  walk(JSON.parse(readFileSync(`${root}/package.json`, "utf8")).exports);
  walk(JSON.parse(readFileSync(`${root}/deno.json`, "utf8")).exports);
  return [...files].sort();
}

function program(root: string, files: string[]): ts.Program {
  return ts.createProgram(files.map((f) => (f.startsWith("/") ? f : `${root}/${f}`)), {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    types: [],
  });
}

export interface ExportDoc {
  entry: string;
  name: string;
  /** Where the exported declaration is (relative to the root). */
  declaredIn: string;
  hasDoc: boolean;
  hasExample: boolean;
}

/** Every export of every entry (names re-exported by several entries are listed once per entry). */
export function exportDocs(root: string, files = entries(root)): ExportDoc[] {
  const p = program(root, files);
  const checker = p.getTypeChecker();
  const out: ExportDoc[] = [];
  for (const file of files) {
    const source = p.getSourceFile(file.startsWith("/") ? file : `${root}/${file}`)!;
    const module = checker.getSymbolAtLocation(source);
    if (!module) continue; // a file that exports nothing
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const tags = symbol.getJsDocTags(checker);
      out.push({
        entry: file.replace(`${root}/`, ""),
        name: exported.name,
        declaredIn: (symbol.declarations?.[0]?.getSourceFile().fileName ?? "?").replace(`${root}/`, ""),
        hasDoc: ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim().length > 0,
        hasExample: tags.some((t) => t.name === "example" && /```/.test(ts.displayPartsToString(t.text))),
      });
    }
  }
  return out;
}

/** Where a block is checked: by the file it documents, else by what it uses. */
function groupOf(file: string, code: string): Group {
  const byFile: Record<string, Group> = { "src/node.ts": "node", "src/deno.ts": "deno", "src/bun.ts": "bun", "src/workerd.ts": "workerd", "src/testing-workerd.ts": "workerd" };
  if (byFile[file]) return byFile[file]!;
  if (/\bDeno\.|from "(jsr|npm):/.test(code)) return "deno";
  if (/\bBun\./.test(code)) return "bun";
  if (/\bprocess\.|from "node:/.test(code)) return "node";
  if (/cloudflare:workers|export default \{|\benv\.[A-Z]/.test(code)) return "workerd";
  return "node";
}

/** The checked languages; a block whose info string says more (```ts api-summary) is not an example. */
const FENCE = /^```(ts|typescript|js|javascript|mjs)\s*$/;

/** The fenced blocks of a text whose first line is line `firstLine` of `file`. */
function blocks(text: string, file: string, firstLine: number, subject: string): Example[] {
  const lines = text.split("\n");
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i]!.trim())) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!.trim())) end++;
    const indent = /^\s*/.exec(lines[start] ?? "")![0].length;
    const code = lines.slice(start, end).map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)![0].length))).join("\n");
    out.push({ origin: `${file}:${firstLine + start}`, subject, file, line: firstLine + start, code, group: groupOf(file, code) });
    i = end;
  }
  return out;
}

/** The code blocks of the JSDoc comments attached to `node` (text without the ` * ` margins). */
function jsDocBlocks(node: ts.Node, source: ts.SourceFile, file: string, subject: string): Example[] {
  const out: Example[] = [];
  for (const doc of ts.getJSDocCommentsAndTags(node)) {
    if (!ts.isJSDoc(doc)) continue;
    const text = source.text.slice(doc.getStart(source), doc.getEnd()).split("\n").map((l) => l.replace(/^\s*(\/\*\*|\*\/|\*(?!\/) ?)/, "").replace(/\*\/\s*$/, "")).join("\n");
    out.push(...blocks(text, file, source.getLineAndCharacterOfPosition(doc.getStart(source)).line + 1, subject));
  }
  return out;
}

/** Every example the docs show: exported declarations (and their members), entries, README.md, SECURITY.md. */
export function collectExamples(root: string, files = entries(root)): Example[] {
  const p = program(root, files);
  const checker = p.getTypeChecker();
  const seen = new Set<ts.Node>();
  const out: Example[] = [];
  const visit = (node: ts.Node, subject: string) => {
    if (seen.has(node)) return;
    seen.add(node);
    const source = node.getSourceFile();
    const file = source.fileName.replace(`${root}/`, "");
    out.push(...jsDocBlocks(node, source, file, subject));
    if (ts.isClassLike(node) || ts.isInterfaceDeclaration(node)) for (const m of node.members) visit(m, `${subject}.${m.name?.getText(source) ?? "constructor"}`);
    if (ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type)) for (const m of node.type.members) visit(m, `${subject}.${m.name?.getText(source) ?? "?"}`);
  };
  for (const file of files) {
    const source = p.getSourceFile(`${root}/${file}`)!;
    // The @module comment: the first statement's JSDoc when it says @module.
    const first = source.statements[0];
    if (first) for (const doc of ts.getJSDocCommentsAndTags(first)) if (ts.isJSDoc(doc) && doc.tags?.some((t) => t.tagName.text === "module")) out.push(...jsDocBlocks(first, source, file, `${file} (module)`));
    const module = checker.getSymbolAtLocation(source);
    if (!module) continue;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const d of symbol.declarations ?? []) visit(d, exported.name);
    }
  }
  for (const md of ["README.md", "SECURITY.md"]) out.push(...blocks(readFileSync(`${root}/${md}`, "utf8"), md, 1, md));
  // A module comment that is also an export's comment is collected twice: keep one.
  const unique = new Map(out.map((e) => [`${e.origin}`, e]));
  return [...unique.values()];
}

/** What the reader has in a snippet (their ids and secret; the credential or emulator a member's example calls), declared for every group: anything else an example uses, it imports or defines. */
const PLACEHOLDERS = `/** Values and objects the reader of an example has. */
declare const tenantId: string;
declare const clientId: string;
declare const clientSecret: string;
declare const credential: import("entra-edge").ClientSecretCredential;
declare const emulator: import("entra-edge/testing").EntraEmulator;
`;

/** The Worker's bindings, as \`wrangler types\` would declare them for the examples. */
const WORKER_ENV = `interface Env {
  AZURE_TENANT_ID: string;
  AZURE_CLIENT_ID: string;
  AZURE_CLIENT_SECRET: string;
  AZURE_CLIENT_CERTIFICATE: string;
  AZURE_CLIENT_CERTIFICATE_PASSWORD: string;
  TOKEN_CACHE: import("entra-edge").KVNamespaceLike;
}
/** The bindings, as a Worker's handler receives them (and \`cloudflare:workers\` exports them). */
declare const env: Env;
`;

/** The Bun globals the examples use (an app would install @types/bun). */
const BUN_GLOBALS = `declare const Bun: { env: Record<string, string | undefined>; file(path: string): { bytes(): Promise<Uint8Array>; text(): Promise<string> } };
`;

export interface Checked {
  /** The compiler's output with each extracted file named by its origin (file:line). */
  output: Record<Group, string>;
  codes: Record<Group, number>;
  examples: Example[];
  ms: Record<Group, number>;
}

/**
 * Type-checks `examples` as a user's files in `dir` (created, and removed unless `keep`): one
 * project per group, each importing the built package through `dir/node_modules/entra-edge`.
 */
export async function checkExamples(root: string, examples: Example[], dir: string, keep = false): Promise<Checked> {
  rmSync(dir, { recursive: true, force: true });
  // The package as installed: what the tarball's package.json and dist/ hold, in node_modules (a
  // real folder, not a link: Deno resolves a .d.ts's `./x.js` imports only inside node_modules).
  // Its dependencies (jose, asn1js, …) and @types/node resolve from the repository's node_modules above.
  mkdirSync(`${dir}/node_modules/entra-edge`, { recursive: true });
  cpSync(`${root}/package.json`, `${dir}/node_modules/entra-edge/package.json`);
  cpSync(`${root}/dist`, `${dir}/node_modules/entra-edge/dist`, { recursive: true });
  writeFileSync(`${dir}/package.json`, JSON.stringify({ name: "docs-examples", private: true, type: "module", dependencies: { "entra-edge": "*" } }, null, 2));
  const names = new Map<string, Example>();
  for (const g of GROUPS) {
    mkdirSync(`${dir}/${g}`);
    writeFileSync(`${dir}/${g}/placeholders.d.ts`, PLACEHOLDERS + (g === "workerd" ? WORKER_ENV : "") + (g === "bun" ? BUN_GLOBALS : ""));
  }
  examples.forEach((e, i) => {
    const name = `${e.group}/example${String(i).padStart(3, "0")}.ts`;
    names.set(name, e);
    // Every block is a module (top-level await, imports); `export {}` is added on its last line.
    writeFileSync(`${dir}/${name}`, `${e.code}\nexport {};\n`);
  });
  const tsc = `${root}/node_modules/typescript/bin/tsc`;
  const common = { target: "ES2022", strict: true, noEmit: true, skipLibCheck: true, allowJs: false, isolatedModules: true };
  const configs: Record<Exclude<Group, "deno">, object> = {
    // A Node ESM app: NodeNext resolution (package.json exports, "types" condition), @types/node, and
    // the DOM lib as examples/tsconfig.json and many apps have it (review 11: a fetch body that
    // @types/node takes and DOM's BodyInit does not).
    node: { compilerOptions: { ...common, module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022", "DOM", "DOM.Iterable"], types: ["node"] }, include: ["*.ts"] },
    bun: { compilerOptions: { ...common, module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022", "DOM"], types: ["node"] }, include: ["*.ts"] },
    // A Worker: no Node types; wrangler bundles (Bundler resolution).
    workerd: { compilerOptions: { ...common, module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022", "DOM", "DOM.Iterable"], types: [] }, include: ["*.ts"] },
  };
  const output = {} as Record<Group, string>;
  const codes = {} as Record<Group, number>;
  const ms = {} as Record<Group, number>;
  /** Names each extracted file in the compiler's output by its origin: `src/node.ts:42:7 [parseCertificate]`. */
  const rename = (g: Group, text: string) =>
    text.replace(/(?:[^\s(]*\/)?(example\d{3}\.ts)(?:\((\d+),(\d+)\)|:(\d+):(\d+))/g, (all, file: string, l1?: string, c1?: string, l2?: string, c2?: string) => {
      const e = names.get(`${g}/${file}`);
      if (!e) return all;
      return `${e.file}:${e.line + Number(l1 ?? l2) - 1}:${c1 ?? c2} [${e.subject}; ${g}/${file}]`;
    });
  const exec = (command: string, args: string[], cwd: string) =>
    new Promise<{ status: number; output: string }>((resolve, reject) => {
      const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ status: code ?? 1, output }));
    });
  // The four checks run at the same time (separate processes).
  await Promise.all(
    GROUPS.map(async (g) => {
      const t0 = Date.now();
      let r: { status: number; output: string };
      if (g === "deno") {
        writeFileSync(
          `${dir}/deno/deno.json`,
          JSON.stringify({
            // As a Deno user: `npm:entra-edge` from node_modules (the built package); JSR's package is its published sources.
            imports: { "jsr:@entra-edge/entra-edge": `${root}/src/deno.ts` },
            nodeModulesDir: "manual",
            lock: false,
            compilerOptions: { strict: true, lib: ["deno.ns", "deno.unstable", "dom"], types: ["./placeholders.d.ts"] },
          }),
        );
        const files = [...names].filter(([, e]) => e.group === "deno").map(([n]) => n.slice("deno/".length));
        r = files.length ? await exec(`${root}/node_modules/.bin/deno`, ["check", "--quiet", "--config", "deno.json", ...files], `${dir}/deno`) : { status: 0, output: "" };
      } else {
        writeFileSync(`${dir}/${g}/tsconfig.json`, JSON.stringify(configs[g], null, 2));
        r = await exec(process.execPath, [tsc, "-p", `${dir}/${g}/tsconfig.json`, "--pretty", "false"], `${dir}/${g}`);
      }
      ms[g] = Date.now() - t0;
      codes[g] = r.status;
      output[g] = rename(g, r.output.replace(/\x1b\[[0-9;]*m/g, "")).trim();
    }),
  );
  if (!keep) rmSync(dir, { recursive: true, force: true });
  return { output, codes, examples, ms };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.cwd();
  const docs = exportDocs(root);
  const missing = docs.filter((d) => !d.hasExample);
  const decls = new Map(docs.map((d) => [`${d.declaredIn}#${d.name}`, d]));
  const missingDecls = [...decls.values()].filter((d) => !d.hasExample);
  console.log(`entries: ${entries(root).join(", ")}`);
  console.log(`exports: ${docs.length} (entry × name), ${missing.length} without an @example; ${new Set(docs.map((d) => d.name)).size} names, ${decls.size} declarations, ${missingDecls.length} without an @example`);
  for (const d of missingDecls) console.log(`  no @example: ${d.name} (${d.declaredIn})${d.hasDoc ? "" : " — no TSDoc at all"}`);
  const examples = collectExamples(root);
  console.log(`examples: ${examples.length} (${GROUPS.map((g) => `${g} ${examples.filter((e) => e.group === g).length}`).join(", ")})`);
  if (process.argv.includes("--list")) for (const e of examples) console.log(`  ${e.group}\t${e.origin}\t${e.subject}`);
  const checked = await checkExamples(root, examples, `${root}/.tmp/docs-cli`, process.argv.includes("--keep"));
  for (const g of GROUPS) console.log(`── ${g}: exit ${checked.codes[g]} in ${checked.ms[g]} ms\n${checked.output[g]}`);
}
