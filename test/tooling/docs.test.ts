/**
 * The docs are true and checked: every export of every entry has TSDoc with an @example; every
 * example (TSDoc, README.md, SECURITY.md) type-checks as a user's file against the built package;
 * `deno doc --lint` of every entry is clean. Each check also runs on a broken canary and must
 * report it, so a check that stopped checking fails here too.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import process from "node:process";
import { deepEqual, equal, ok } from "../assert.ts";
import { test } from "../harness.ts";
import { checkExamples, collectExamples, entries, exportDocs, GROUPS, type Example, type Group } from "./docs.ts";
import { ensureBuilt, run } from "./process.ts";

const scratch = (root: string, name: string) => {
  const dir = `${root}/.tmp/${name}-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

test("docs: every export of every entry (package.json and deno.json exports) has TSDoc with an @example", (t) => {
  const files = entries(t.root!);
  for (const e of ["src/index.ts", "src/core.ts", "src/node.ts", "src/deno.ts", "src/bun.ts", "src/workerd.ts", "src/testing.ts", "src/testing-workerd.ts"]) ok(files.includes(e), `entries include ${e} (got ${files.join(", ")})`);
  // The canary: an entry with an export without TSDoc and one with TSDoc but no example.
  const dir = scratch(t.root!, "docs-exports");
  writeFileSync(`${dir}/entry.ts`, `export function undocumented(): void {}\n/** Documented, without an example. */\nexport const noExample = 1;\n/**\n * Documented.\n *\n * @example\n * \`\`\`ts\n * withExample();\n * \`\`\`\n */\nexport function withExample(): void {}\n`);
  const docs = exportDocs(t.root!, [...files, `${dir}/entry.ts`]);
  const canary = docs.filter((d) => d.entry.endsWith("/entry.ts"));
  deepEqual(canary.map((d) => [d.name, d.hasExample]).sort(), [["noExample", false], ["undocumented", false], ["withExample", true]], "the check sees a missing @example");
  const missing = docs.filter((d) => !d.entry.endsWith("/entry.ts") && !d.hasExample).map((d) => `${d.entry}: ${d.name} (declared in ${d.declaredIn})`);
  ok(docs.length > 250, `the entries export the library (${docs.length} entry × name)`);
  deepEqual(missing, [], "exports without a TSDoc @example (a fenced code block)");
});

/** A broken example per group: a number where the secret goes (TS2345), so it fails only if the package's types were found. */
function canaries(): Example[] {
  const code: Record<Group, string> = {
    node: `import { ClientSecretCredential } from "entra-edge";\nnew ClientSecretCredential(tenantId, clientId, 42);`,
    bun: `import { ClientSecretCredential } from "entra-edge";\nnew ClientSecretCredential(Bun.env.AZURE_TENANT_ID!, clientId, 42);`,
    workerd: `import { ClientSecretCredential } from "entra-edge";\nnew ClientSecretCredential(env.AZURE_TENANT_ID, clientId, 42);`,
    deno: `import { ClientSecretCredential } from "npm:entra-edge";\nimport { EnvironmentCredential } from "jsr:@entra-edge/entra-edge";\nnew EnvironmentCredential({ env: Deno.env.toObject() });\nnew ClientSecretCredential(tenantId, clientId, 42);`,
  };
  return GROUPS.map((group) => ({ origin: `canary:${group}`, subject: "canary", file: "canary", line: 1, code: code[group], group }));
}

test("docs: every example in TSDoc, README.md and SECURITY.md type-checks against the built package (tsc for Node, Bun and Workers; deno check for Deno)", async (t) => {
  await ensureBuilt(t.root!);
  const examples = collectExamples(t.root!);
  for (const g of GROUPS) ok(examples.some((e) => e.group === g), `some examples are checked as ${g} code`);
  ok(examples.some((e) => e.file === "README.md"), "README.md's blocks are collected");
  // Every export's @example was collected (the extraction finds what the export check counts).
  const collected = new Set(examples.map((e) => `${e.file}#${e.subject.split(".")[0]}`));
  const uncollected = [...new Set(exportDocs(t.root!).filter((d) => d.hasExample).map((d) => `${d.declaredIn}#${d.name}`))].filter((k) => !collected.has(k));
  deepEqual(uncollected, [], "exports whose @example the extraction missed");

  const started = Date.now();
  const checked = await checkExamples(t.root!, [...examples, ...canaries()], scratch(t.root!, "docs-examples"));
  const broken: string[] = [];
  const unchecked: string[] = [];
  for (const g of GROUPS) {
    const out = checked.output[g];
    // tsc: `file:line:col [subject; file]: error TSnnnn`; deno: `TSnnnn [ERROR]: …` then `    at file:line:col [subject; file]`.
    const lines = out.split("\n");
    const errors =
      g === "deno"
        ? lines.flatMap((l, i) => (/^\s+at /.test(l) ? [`${l.trim()}: ${lines.slice(0, i).reverse().find((m) => /\[ERROR\]/.test(m)) ?? ""}`] : []))
        : lines.filter((l) => /: error TS\d+/.test(l));
    broken.push(...errors.filter((l) => !l.includes("[canary;")).map((l) => `${g}: ${l.trim()}`));
    // The canary fails for its wrong argument type — so the package's types were found — and the checker exits non-zero.
    if (!errors.some((l) => l.includes("[canary;")) || !/TS2345/.test(out) || checked.codes[g] === 0) unchecked.push(`${g} (exit ${checked.codes[g]}):\n${out.slice(0, 3000)}`);
  }
  ok(broken.length === 0, `${broken.length} errors in examples (file:line:column of the code line, the export it documents):\n${broken.join("\n")}`);
  deepEqual(unchecked, [], "checks that did not report their broken canary");
  console.log(`    (${examples.length} examples: ${GROUPS.map((g) => `${g} ${examples.filter((e) => e.group === g).length} in ${checked.ms[g]} ms`).join(", ")}; ${Date.now() - started} ms)`);
}, { timeoutMs: 240_000 });

test("docs: deno doc --lint of every entry is clean (and reports an undocumented export)", async (t) => {
  const deno = `${t.root}/node_modules/.bin/deno`;
  const files = entries(t.root!);
  const r = await run(deno, ["doc", "--lint", "--config", "deno.json", ...files], { cwd: t.root!, env: { NO_COLOR: "1" }, timeoutMs: 120_000 });
  equal(r.code, 0, `deno doc --lint ${files.join(" ")}:\n${(r.stdout + r.stderr).slice(-6000)}`);
  const dir = scratch(t.root!, "docs-lint");
  writeFileSync(`${dir}/entry.ts`, `export function undocumented(): void {}\n`);
  const canary = await run(deno, ["doc", "--lint", "entry.ts"], { cwd: dir, env: { NO_COLOR: "1" }, timeoutMs: 120_000 });
  ok(canary.code !== 0 && /missing-jsdoc/.test(canary.stdout + canary.stderr), `deno doc --lint reports an undocumented export:\n${canary.stdout}${canary.stderr}`);
}, { timeoutMs: 120_000 });
