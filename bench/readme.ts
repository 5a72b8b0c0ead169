/**
 * README.md's figures, rendered from bench/results.json: the Performance section between
 * `<!-- bench:performance:start … -->` and `<!-- bench:performance:end -->`, and inline figures
 * elsewhere marked `<!-- bench:KEY -->figure<!-- /bench -->`. `npm run bench` writes them
 * ({@link applyReadme}); test/tooling/figures.test.ts renders them again from results.json and
 * fails on any difference ({@link checkReadme}) — so every figure is the bench's, and an edited
 * number (in README or results.json) is caught. To change the wording, edit this file.
 */
import { SECRET_WORKER_GZIP, SECRET_WORKER_TEST_LIMIT } from "./budgets.ts";
import type { CredentialKind, LibraryName, RuntimeName } from "./config.ts";
import { AFTER, BEFORE, COMPILE_CACHED, hostNode, hostSpeedLine, KIND, machineLine, nodeVersion, renderSummary, table, worker, type Results } from "./report.ts";
import { fmt, kib } from "./stats.ts";

const BLOCK_START = /<!-- bench:performance:start[^>]*-->\n/;
const BLOCK_END = "<!-- bench:performance:end -->";
const INLINE = /<!-- bench:([a-z0-9-]+) -->([\s\S]*?)<!-- \/bench -->/g;

const runtimeName = (r: Results, rt: string) => (rt.startsWith("node") ? `Node ${nodeVersion(r, rt)}` : `${rt === "deno" ? "Deno" : "Bun"} ${r.machine.runtimes[rt]}`);

/** The inline figures by key. */
export function inlineFigures(r: Results): Record<string, string> {
  const host = hostNode(r)!;
  const imp = (lib: LibraryName) => r.imports[host]?.find((i) => i.name === lib)?.medianMs;
  const identityBundle = r.nodeBundles.find((b) => b.library === "@azure/identity")?.single.gzip;
  const split = r.split.find((s) => s.app === "pem");
  const pfxCode = split ? split.lazy.gzip - (split.pemPath.gzip - split.initial.gzip) : undefined;
  const nodes = Object.keys(r.imports).filter((k) => k.startsWith("node"));
  const identityImports = nodes.map((n) => r.imports[n as RuntimeName]!.find((i) => i.name === "@azure/identity")!.medianMs);
  return {
    "peer-import": `${fmt(Math.min(...identityImports), 0)}–${fmt(Math.max(...identityImports), 0)} ms (\`@azure/identity\` on Node ${nodes.map((n) => n.slice(4)).join(", ")}) and ${kib(identityBundle)} gzip`,
    "why-ours": `${fmt(imp("entra-edge"), 1)} ms; ${kib(worker(r, "secret", "minify")?.gzip)} (Worker, wrangler \`--minify\`)`,
    "why-identity": `${fmt(imp("@azure/identity"), 1)} ms; ${kib(identityBundle)} (bundled for Node)`,
    "worker-secret": kib(worker(r, "secret", "minify")?.gzip),
    "worker-pfx-code": kib(pfxCode),
    "worker-pem-one-file": kib(worker(r, "pem", "minify")?.gzip),
    "worker-pem-split": kib(split?.pemPath.gzip),
  };
}

/** The Performance section's body. */
export function renderPerformance(r: Results): string {
  const host = hostNode(r)!;
  const p = r.machine.packages;
  const out: string[] = [];
  out.push(
    `Measured by \`npm run bench\` on the package as users get it — packed (\`npm pack\`), installed in an empty folder together with @azure/identity ${p["@azure/identity"]} and @azure/msal-node ${p["@azure/msal-node"]}, imported by name in fresh processes, and Workers built from it by wrangler ${r.machine.runtimes.wrangler} — all libraries in the same run, against the local Entra emulator over HTTPS. ${machineLine(r)}${hostSpeedLine(r) ? ` ${hostSpeedLine(r)}` : ""} Every table, and how each library was configured: [bench/RESULTS.md](bench/RESULTS.md).`,
    "",
  );
  out.push(renderSummary(r), "");

  const runtimes = Object.keys(r.imports) as RuntimeName[];
  const imports = (lib: LibraryName) => runtimes.map((rt) => fmt(r.imports[rt]?.find((i) => i.name === lib)?.medianMs, 1));
  const ratios = runtimes.map((rt) => {
    const ours = r.imports[rt]?.find((i) => i.name === "entra-edge")?.medianMs;
    const theirs = r.imports[rt]?.find((i) => i.name === "@azure/identity")?.medianMs;
    return ours && theirs ? `${fmt(theirs / ours, 0)}×` : "–";
  });
  out.push("Import of the installed package in a fresh process (median ms; the `node` and `bun` conditions load a bundled entry, Deno the module-per-module build):", "");
  out.push(
    table(
      ["", ...runtimes.map((rt) => runtimeName(r, rt))],
      [["entra-edge", ...imports("entra-edge")], ["@azure/identity", ...imports("@azure/identity")], ["@azure/msal-node", ...imports("@azure/msal-node")], ["entra-edge vs @azure/identity", ...ratios]],
    ),
    "",
  );

  const cached = runtimes.filter((rt) => r.imports[rt]?.some((i) => i.name === COMPILE_CACHED));
  if (cached.length) {
    const ms = (rt: RuntimeName, name: string) => fmt(r.imports[rt]?.find((i) => i.name === name)?.medianMs, 1);
    out.push(
      `On Node ≥ 22.1, Node's compile cache keeps V8's compiled code between processes — \`NODE_COMPILE_CACHE=<folder>\` in the environment, or \`module.enableCompileCache()\` at the top of your app (it covers every module the app loads after it): the import then takes ${cached.map((rt) => `${ms(rt, COMPILE_CACHED)} ms instead of ${ms(rt, "entra-edge")}`).join(" and ")} on ${cached.map((rt) => runtimeName(r, rt)).join(" and ")} (measured in the same run, after a first process filled the cache).`,
      "",
    );
  }

  const cpuRuntimes = Object.keys(r.cpu) as RuntimeName[];
  out.push(
    "CPU of the first token in a fresh process (`process.cpuUsage()`, every thread, from `import(\"entra-edge\")` to the token, without the CPU inside `fetch` — the runtime's HTTP client and TLS; median ms of the processes), and of a repeat `parseCertificate` of the same file in that process (median of 15):",
    "",
  );
  const cpuRow = (label: string, f: (rt: RuntimeName) => string) => [label, ...cpuRuntimes.map(f)];
  const lib = (kind: CredentialKind) => (rt: RuntimeName) => fmt(r.cpu[rt]?.[kind]?.libraryCpuMs, 1);
  out.push(
    table(
      ["", ...cpuRuntimes.map((rt) => runtimeName(r, rt))],
      [
        ...(["secret", "pem", "pfx", "legacy-pfx"] as const).map((k) => cpuRow(`first token, ${KIND[k]}`, lib(k))),
        cpuRow("… the token request itself (CPU inside `fetch`, PFX)", (rt) => fmt(r.cpu[rt]?.pfx?.fetchCpuMs, 1)),
        cpuRow("repeat parse, PFX (OpenSSL 3) / legacy PFX", (rt) => `${fmt(r.cpu[rt]?.pfx?.repeatParseCpuMs, 1)} / ${fmt(r.cpu[rt]?.["legacy-pfx"]?.repeatParseCpuMs, 1)}`),
      ],
    ),
    "",
  );
  const parts = r.cpuParts[host]?.pfx;
  if (parts) {
    const part = (prefix: string) => fmt(parts.parts.find((x) => x.name.startsWith(prefix))?.cpuMs, 1);
    const top = (prefix: string) => {
      const name = parts.parts.find((x) => x.name.startsWith(prefix))?.name ?? "";
      return (parts.split[name] ?? []).filter((x) => x.share >= 0.1).map((x) => `${x.name}: ${fmt(x.cpuMs, 1)}`).join("; ");
    };
    out.push(
      `Where the first PFX token's CPU goes (${runtimeName(r, host)}, OpenSSL 3 PFX, each part alone in a fresh process, ms): loading entra-edge ${part("load entra-edge")}, jose ${part("load jose")} and the PFX path (asn1js, the PKCS#12 reader) ${part("load the PFX path")}; the first \`getToken\` before its request ${part(BEFORE)} (${top(BEFORE)}); after the answer ${part(AFTER)} (${top(AFTER)}); the token request itself ${part("token request")}. Every part on every Node: [bench/RESULTS.md](bench/RESULTS.md).`,
      "",
    );
  }
  out.push("Budgets, judged on this run:", "");
  out.push(table(["budget", "target", "measured", "verdict"], r.budgets.map((b) => [b.name, b.target, b.measured, `**${b.verdict}**`])), "");
  out.push(
    `The PKCS#12 code (asn1js, the PKCS#12 reader) loads only when a PFX is parsed, and jose with the first certificate assertion (checked above on the shipped files, at run time and in the Workers). The shared-cache code comes only with a \`tokenCache\` store, so Workers without one never bundle it. \`npm test\` holds the secret-only Worker (esbuild from src/) to ${SECRET_WORKER_TEST_LIMIT.toLocaleString("en-US")} B gzip (what each issue added is in bench/budgets.ts); the goal of ${SECRET_WORKER_GZIP.toLocaleString("en-US")} B, built by wrangler, is not met.`,
    "",
  );
  out.push("Reproduce: `npm run bench` (about three minutes; `-- --quick` for fewer samples, writing nothing).");
  return out.join("\n");
}

/** README.md with every bench figure rendered from `r`. */
export function applyReadme(readme: string, r: Results): string {
  const figures = inlineFigures(r);
  let out = readme.replace(INLINE, (_whole, key: string) => {
    if (!(key in figures)) throw new Error(`README.md: unknown bench figure "${key}" (known: ${Object.keys(figures).join(", ")})`);
    return `<!-- bench:${key} -->${figures[key]}<!-- /bench -->`;
  });
  const start = BLOCK_START.exec(out);
  const end = out.indexOf(BLOCK_END);
  if (!start || end < start.index) throw new Error("README.md has no <!-- bench:performance:start --> … <!-- bench:performance:end --> block");
  const from = start.index + start[0].length;
  out = `${out.slice(0, from)}${renderPerformance(r)}\n${out.slice(end)}`;
  return out;
}

/** What differs between README.md and the figures rendered from `r` (empty when they agree). */
export function checkReadme(readme: string, r: Results): string[] {
  const problems: string[] = [];
  const figures = inlineFigures(r);
  const found = new Set<string>();
  for (const m of readme.matchAll(INLINE)) {
    const [, key, value] = m as unknown as [string, string, string];
    found.add(key);
    if (!(key in figures)) problems.push(`README.md names an unknown bench figure "${key}"`);
    else if (value !== figures[key]) problems.push(`README.md figure "${key}" is "${value}"; bench/results.json gives "${figures[key]}"`);
  }
  for (const key of Object.keys(figures)) if (!found.has(key)) problems.push(`README.md lacks the bench figure "${key}" (<!-- bench:${key} -->…<!-- /bench -->)`);
  const start = BLOCK_START.exec(readme);
  const end = readme.indexOf(BLOCK_END);
  if (!start || end < start.index) {
    problems.push("README.md has no <!-- bench:performance:start --> … <!-- bench:performance:end --> block");
    return problems;
  }
  const have = readme.slice(start.index + start[0].length, end).split("\n");
  const want = `${renderPerformance(r)}\n`.split("\n");
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    if (have[i] !== want[i]) problems.push(`README.md Performance, line ${i + 1}: "${have[i] ?? "(missing)"}"; bench/results.json gives "${want[i] ?? "(nothing)"}"`);
  }
  return problems;
}
