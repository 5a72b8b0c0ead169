/**
 * Every performance figure in README.md is the bench's: README's Performance section and its
 * marked figures (`<!-- bench:KEY -->…<!-- /bench -->`) must be exactly what bench/readme.ts
 * renders from bench/results.json, and bench/RESULTS.md exactly what bench/report.ts renders from
 * it. An edited number in README, RESULTS.md or results.json fails here; `npm run bench` writes
 * all three from one run (`-- --render` rewrites the first two from results.json).
 */
import { readFile } from "node:fs/promises";
import { checkReadme } from "../../bench/readme.ts";
import { renderMarkdown, type Results } from "../../bench/report.ts";
import { equal, ok } from "../assert.ts";
import { test, type TestContext } from "../harness.ts";

async function load(t: TestContext): Promise<{ readme: string; results: Results; markdown: string }> {
  const [readme, json, markdown] = await Promise.all(["README.md", "bench/results.json", "bench/RESULTS.md"].map((f) => readFile(`${t.root}/${f}`, "utf8")));
  return { readme: readme!, results: JSON.parse(json!) as Results, markdown: markdown! };
}

test("figures: README.md's performance figures are the ones bench/results.json gives", async (t) => {
  const { readme, results } = await load(t);
  const problems = checkReadme(readme, results);
  equal(problems.join("\n"), "", "README.md and bench/results.json disagree (run `npm run bench`, or `npm run bench -- --render` after a change of wording)");
});

test("figures: bench/RESULTS.md is what bench/results.json renders to", async (t) => {
  const { results, markdown } = await load(t);
  const want = renderMarkdown(results).split("\n");
  const have = markdown.split("\n");
  const diff = want.map((line, i) => (line === have[i] ? "" : `line ${i + 1}: "${have[i] ?? "(missing)"}" but results.json gives "${line}"`)).filter(Boolean);
  if (have.length > want.length) diff.push(`${have.length - want.length} extra line(s) at the end`);
  equal(diff.slice(0, 10).join("\n"), "", "bench/RESULTS.md and bench/results.json disagree");
});

test("figures: one changed digit anywhere in README's figures, or in results.json, is caught", async (t) => {
  const { readme, results } = await load(t);
  // Every digit in the Performance section and in each marked figure, changed one at a time.
  const spans: [number, number][] = [];
  const block = /<!-- bench:performance:start[^>]*-->\n([\s\S]*?)<!-- bench:performance:end -->/.exec(readme);
  ok(block, "README.md has the Performance block");
  spans.push([block!.index + block![0].indexOf(block![1]!), block!.index + block![0].indexOf(block![1]!) + block![1]!.length]);
  for (const m of readme.matchAll(/<!-- bench:[a-z0-9-]+ -->([\s\S]*?)<!-- \/bench -->/g)) spans.push([m.index! + m[0].indexOf(m[1]!), m.index! + m[0].indexOf(m[1]!) + m[1]!.length]);
  let digits = 0;
  for (const [from, to] of spans) {
    for (let i = from; i < to; i++) {
      const ch = readme[i]!;
      if (!/\d/.test(ch)) continue;
      digits++;
      const edited = readme.slice(0, i) + String((Number(ch) + 1) % 10) + readme.slice(i + 1);
      ok(checkReadme(edited, results).length > 0, `changing the digit at offset ${i} ("…${readme.slice(Math.max(from, i - 30), i + 1)}") went unnoticed`);
    }
  }
  ok(digits > 100, `README's bench figures hold digits to check (${digits})`);
  const bumped = JSON.parse(JSON.stringify(results)) as Results;
  const imports = Object.values(bumped.imports)[0]!;
  imports[0]!.medianMs += 1;
  ok(checkReadme(readme, bumped).length > 0, "a changed import time in results.json shows in README's figures");
});
