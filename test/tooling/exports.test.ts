/**
 * Every export of src/ is used: public API (reachable from a package entry), or imported by
 * another module of src/ or by a test — statically, or through `await import()`. An export nobody
 * imports is either dead code or something that should not be exported; both make the module
 * graph harder to read. Checked with the TypeScript compiler's symbols, so re-exports, renamed
 * imports and type-only imports count as what they are.
 */
import { readdirSync } from "node:fs";
import ts from "typescript";
import { equal, ok } from "../assert.ts";
import { test } from "../harness.ts";

/** The package's entries (package.json / deno.json exports): what they export is public API. */
const ENTRIES = ["index", "core", "node", "deno", "bun", "workerd", "testing", "testing-workerd"].map((e) => `src/${e}.ts`);

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== "generated" && entry.name !== "fixtures" && entry.name !== "node_modules") walk(path, out);
    } else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** The exports of src/ that no entry, no other module and no test uses, as `file: name`. */
export function unusedExports(root: string): { unused: string[]; checked: number } {
  const rel = (f: string) => f.slice(root.length + 1);
  const files = [...walk(`${root}/src`), ...walk(`${root}/test`), ...walk(`${root}/examples`)];
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const original = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const moduleOf = (file: string) => {
    const sf = program.getSourceFile(file);
    const symbol = sf && checker.getSymbolAtLocation(sf);
    return symbol ? checker.getExportsOfModule(symbol) : [];
  };

  const used = new Set<ts.Symbol>();
  for (const entry of ENTRIES) for (const s of moduleOf(`${root}/${entry}`)) used.add(original(s));

  for (const sf of program.getSourceFiles()) {
    if (!sf.fileName.startsWith(root) || sf.fileName.includes("/node_modules/")) continue;
    const visit = (node: ts.Node): void => {
      // import { a, type b as c } from "…"; export { a } from "…"; import x / import * as ns are names too.
      if (ts.isImportSpecifier(node) || ts.isExportSpecifier(node) || ts.isImportClause(node) || ts.isNamespaceImport(node)) {
        const name = ts.isImportClause(node) ? node.name : node.name;
        const s = name && checker.getSymbolAtLocation(name);
        if (s) used.add(original(s));
      }
      // export * from "…": everything of the target is used by this module's users — counted
      // when this module is an entry (above); elsewhere, count the target's exports as used.
      if (ts.isExportDeclaration(node) && !node.exportClause && node.moduleSpecifier) {
        const target = checker.getSymbolAtLocation(node.moduleSpecifier);
        if (target) for (const s of checker.getExportsOfModule(target)) used.add(original(s));
      }
      // await import("…"): the names taken from it — `const { a, b } = await import(…)`,
      // `(await import(…)).a`, `Promise.all([import(…), …])` destructured into `[{ a }, …]`.
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const target = node.arguments[0] && checker.getSymbolAtLocation(node.arguments[0]);
        const exports = target ? checker.getExportsOfModule(target) : [];
        const byName = new Map(exports.map((s) => [s.name, original(s)]));
        const take = (name: string) => {
          const s = byName.get(name);
          if (s) used.add(s);
        };
        let outer: ts.Node = node.parent;
        while (ts.isAwaitExpression(outer) || ts.isParenthesizedExpression(outer)) outer = outer.parent;
        if (ts.isPropertyAccessExpression(outer)) take(outer.name.text);
        if (ts.isVariableDeclaration(outer) && ts.isObjectBindingPattern(outer.name)) {
          for (const el of outer.name.elements) take((el.propertyName ?? el.name).getText());
        }
        if (ts.isArrayLiteralExpression(outer)) {
          // Promise.all([import(a), import(b)]) → const [{ x }, { y }] = await …
          const index = outer.elements.indexOf(node);
          let decl: ts.Node = outer.parent;
          while (decl && !ts.isVariableDeclaration(decl)) decl = decl.parent;
          if (decl && ts.isVariableDeclaration(decl) && ts.isArrayBindingPattern(decl.name)) {
            const el = decl.name.elements[index];
            if (el && ts.isBindingElement(el) && ts.isObjectBindingPattern(el.name)) for (const e of el.name.elements) take((e.propertyName ?? e.name).getText());
          }
        }
        // Anything else (the module object kept whole): all of its exports count as used.
        if (!ts.isPropertyAccessExpression(outer) && !ts.isVariableDeclaration(outer) && !ts.isArrayLiteralExpression(outer)) for (const s of byName.values()) used.add(s);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  const unused: string[] = [];
  let checked = 0;
  for (const file of walk(`${root}/src`)) {
    for (const s of moduleOf(file)) {
      checked++;
      if (!used.has(original(s))) unused.push(`${rel(file)}: ${s.name}`);
    }
  }
  return { unused, checked };
}

test("exports: every export of src/ is public API or imported by another module or a test", (t) => {
  const { unused, checked } = unusedExports(t.root!);
  ok(checked > 150, `the check saw the exports (${checked})`);
  equal(unused.join("\n"), "", "exports nobody uses");
});
