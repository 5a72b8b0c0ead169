/**
 * The results' shape, the budgets (PASS/FAIL, computed from one run's numbers) and the Markdown
 * written to bench/RESULTS.md and printed.
 */
import type { CredentialKind, LibraryName, RuntimeName } from "./config.ts";
import type { MachineInfo } from "./machine.ts";
import type { BundleResult } from "./measure/bundles.ts";
import type { CachedResult } from "./measure/cached.ts";
import type { ConcurrencyResult } from "./measure/concurrency.ts";
import type { FirstTokenResult } from "./measure/first-token.ts";
import type { HeapResult } from "./measure/heap.ts";
import type { ImportResult } from "./measure/imports.ts";
import type { LazyResult } from "./measure/lazy.ts";
import { fmt, kib } from "./stats.ts";

type Counts = Record<string, number>;

export interface RuntimeResults {
  date: string;
  entry: string;
  cached: { library: LibraryName; kind: CredentialKind; result: CachedResult; requests: Counts }[];
  first: { library: LibraryName; kind: CredentialKind; result?: FirstTokenResult; requests?: Counts; unsupported?: string }[];
  /** Fresh process per sample: import the library, make a credential, first token. */
  coldStart: { library: LibraryName; kind: CredentialKind; medianMs: number; samples: number }[];
  concurrency: { library: LibraryName; count: number; tokenRequests: number; result: ConcurrencyResult; requests: Counts }[];
  imports: ImportResult[];
  heap?: { library: LibraryName; kind: CredentialKind; result: HeapResult }[];
  lazy?: LazyResult & { chunks: Record<string, string[]> };
}

export interface Budget {
  name: string;
  target: string;
  measured: string;
  verdict: "PASS" | "FAIL" | "NOT MEASURED";
}

export interface Results {
  machine: MachineInfo;
  configuration: Record<LibraryName, string>;
  runs: Partial<Record<RuntimeName, RuntimeResults>>;
  bundles: BundleResult[];
  budgets: Budget[];
}

const KIND: Record<CredentialKind, string> = { secret: "secret", pem: "certificate (PEM)", pfx: "PFX (OpenSSL 3)", "legacy-pfx": "legacy PFX (RC2/3DES)" };
const verdict = (ok: boolean): Budget["verdict"] => (ok ? "PASS" : "FAIL");

export function evaluateBudgets(r: Results): Budget[] {
  const budgets: Budget[] = [];
  const node = r.runs.node;
  const missing = (name: string, target: string) => budgets.push({ name, target, measured: "not in these results (run `npm run bench -- --runtime node`)", verdict: "NOT MEASURED" });
  for (const kind of ["secret", "pem"] as const) {
    const name = `cached getToken (${KIND[kind]}) vs @azure/identity`;
    const ours = node?.cached.find((c) => c.library === "entra-edge" && c.kind === kind)?.result.nsPerCall;
    const theirs = node?.cached.find((c) => c.library === "@azure/identity" && c.kind === kind)?.result.nsPerCall;
    if (ours === undefined || theirs === undefined) missing(name, "≥ 20× faster");
    else budgets.push({ name, target: "≥ 20× faster", measured: `${fmt(theirs / ours, 0)}× (${fmt(ours, 0)} ns vs ${fmt(theirs, 0)} ns)`, verdict: verdict(theirs / ours >= 20) });
  }
  {
    const name = "import time vs @azure/identity (Node)";
    const ours = node?.imports.find((i) => i.name === "entra-edge")?.medianMs;
    const theirs = node?.imports.find((i) => i.name === "@azure/identity")?.medianMs;
    if (ours === undefined || theirs === undefined) missing(name, "≥ 10× faster");
    else budgets.push({ name, target: "≥ 10× faster", measured: `${fmt(theirs / ours, 0)}× (${fmt(ours, 1)} ms vs ${fmt(theirs, 1)} ms)`, verdict: verdict(theirs / ours >= 10) });
  }
  const bundle = (app: string) => r.bundles.find((b) => b.library === "entra-edge" && b.app === app && b.platform === "workerd");
  {
    const b = bundle("secret");
    const name = "secret-only Worker bundle (one file, as wrangler deploys it; gzip)";
    // "6 KB" read strictly: 6,000 bytes (6 KiB would allow 6,144).
    if (!b) missing(name, "≤ 6 KB (6,000 B)");
    else {
      const split = b.split ? `; with splitting, the entry chunk: ${b.split.entry.gzip.toLocaleString("en-US")} B` : "";
      budgets.push({ name, target: "≤ 6 KB (6,000 B)", measured: `${b.single.gzip.toLocaleString("en-US")} B (${kib(b.single.gzip)})${split}`, verdict: verdict(b.single.gzip <= 6000) });
    }
  }
  {
    const b = bundle("pem");
    const name =
      "PEM certificate Worker bundle, PFX code as its own module (gzip: entry chunk + its static imports + the lazy jose chunk a PEM token loads; see README \"Keeping the PFX code out of a Worker\")";
    const loaded = b?.split?.pemPath;
    if (!b?.split || !loaded) missing(name, "≤ 30 KB (30,000 B)");
    else {
      budgets.push({
        name,
        target: "≤ 30 KB (30,000 B)",
        measured: `${loaded.gzip.toLocaleString("en-US")} B (${kib(loaded.gzip)}) in ${loaded.files} files; as one file (wrangler's default, the PFX code inlined): ${kib(b.single.gzip)}`,
        verdict: verdict(loaded.gzip <= 30000),
      });
    }
  }
  {
    const name = "pkijs loads only when a PFX is parsed";
    const pem = bundle("pem");
    const pfx = bundle("pfx");
    const lazy = node?.lazy;
    if (!pem?.split || !pfx?.split || !lazy) missing(name, "bundle: not in the initial chunks; runtime: not loaded before a PFX");
    else {
      const inInitial = pem.split.initial.packages.includes("pkijs") || pfx.split.initial.packages.includes("pkijs");
      const inLazy = pfx.split.lazy.some((c) => c.packages.includes("pkijs"));
      const beforePfx = lazy.steps.filter((s) => !s.step.includes("PFX")).some((s) => s.loaded.includes("pkijs"));
      const afterPfx = lazy.steps.find((s) => s.step.includes("PFX"))?.loaded.includes("pkijs") ?? false;
      budgets.push({
        name,
        target: "bundle: only in a lazy chunk; runtime: loaded by the first PFX, not before",
        measured: `bundle: initial ${inInitial ? "has" : "has no"} pkijs, lazy ${inLazy ? "has" : "has no"} pkijs; Node: ${beforePfx ? "loaded before a PFX" : "not loaded by import or a PEM token"}, ${afterPfx ? "loaded by the first PFX" : "not loaded by a PFX (?)"}`,
        verdict: verdict(!inInitial && inLazy && !beforePfx && afterPfx),
      });
    }
  }
  for (const count of [100, 1000]) {
    const name = `${count.toLocaleString("en-US")} concurrent cold getToken calls`;
    const c = node?.concurrency.find((x) => x.library === "entra-edge" && x.count === count);
    if (!c) missing(name, "1 token request");
    else budgets.push({ name, target: "1 token request", measured: `${c.tokenRequests} token request(s), ${c.result.failures} failure(s)`, verdict: verdict(c.tokenRequests === 1 && c.result.failures === 0) });
  }
  {
    const name = "legacy PFX parse on Node (parseCertificate, warm median)";
    const f = node?.first.find((x) => x.library === "entra-edge" && x.kind === "legacy-pfx")?.result?.split?.parseMs;
    if (f === undefined) missing(name, "≤ 50 ms");
    else budgets.push({ name, target: "≤ 50 ms", measured: `${fmt(f, 1)} ms (first parse in a fresh process, loading pkijs: ${fmt(node?.lazy?.legacyParseColdMs, 1)} ms)`, verdict: verdict(f <= 50) });
  }
  return budgets;
}

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

const packageList = (names: string[]) => (names.length === 0 ? "none" : names.length > 6 ? `${names.length} packages` : names.join(", "));
const runtimeLabel = (runtime: RuntimeName, m: MachineInfo) => `${runtime} ${m.runtimes[runtime] ?? ""}`.trim();
const ratio = (theirs: number | undefined, ours: number | undefined) => (theirs && ours ? `${fmt(theirs / ours, 0)}×` : "–");

export function renderMarkdown(r: Results, command: string): string {
  const m = r.machine;
  const out: string[] = [];
  out.push("# entra-edge benchmarks", "");
  out.push(`Reproduce with \`${command}\` (\`npm run bench\` runs Node, Deno and Bun; \`-- --runtime deno\` or \`bun\` runs one).`, "");
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB memory, ${m.os}. Runtimes: Node ${m.runtimes.node}, Deno ${m.runtimes.deno}, Bun ${m.runtimes.bun}. ` +
      `Packages: ${Object.entries(m.packages).map(([k, v]) => `${k} ${v}`).join(", ")}. Written ${m.date}; 1-minute load average ${m.load.start} at the start, ${m.load.end ?? "–"} at the end (other work on the machine inflates absolute numbers; the budgets compare libraries measured in the same run).`,
    "",
  );
  const runs = Object.entries(r.runs) as [RuntimeName, RuntimeResults][];
  out.push(`Sections by runtime were measured on: ${runs.map(([rt, run]) => `${rt} ${run.date}`).join("; ")}.`, "");
  out.push(
    "Everything runs against the Entra emulator (`entra-edge/testing`) served over HTTPS on 127.0.0.1 with a throw-away test CA (trusted through NODE_EXTRA_CA_CERTS / DENO_CERT); each measurement runs in a fresh child process.",
    "",
  );

  const summary = renderSummary(r);
  if (summary) out.push("## Summary (Node)", "", summary, "");
  out.push("## Budgets", "");
  out.push(table(["budget", "target", "measured", "verdict"], r.budgets.map((b) => [b.name, b.target, b.measured, `**${b.verdict}**`])), "");

  out.push("## Cached getToken", "", "Median over 25 batches (each ≥ 20 ms) of awaited calls on a credential whose token is cached.", "");
  const rows: (string | number)[][] = [];
  for (const [rt, run] of runs) {
    for (const c of run.cached) {
      const identity = run.cached.find((x) => x.library === "@azure/identity" && x.kind === c.kind)?.result.nsPerCall;
      rows.push([runtimeLabel(rt, m), c.library, KIND[c.kind], fmt(c.result.nsPerCall, 0), `${fmt(c.result.p25, 0)}–${fmt(c.result.p75, 0)}`, fmt(c.result.callsPerSecond, 0), c.library === "entra-edge" ? ratio(identity, c.result.nsPerCall) : "", c.requests.token ?? 0]);
    }
  }
  out.push(table(["runtime", "library", "credential", "ns/call (median)", "p25–p75", "calls/s", "vs identity", "token requests"], rows), "");

  out.push("## First token in a fresh credential", "");
  out.push(
    "Median of 25 samples (5 with --quick; after 5 warm-up samples; for entra-edge, plain and instrumented credentials alternate) of `new Credential(...)` + first `getToken`, in a warm process (modules loaded, connection pool alive); *cold* is the very first call of the process. Requests per token counts every HTTP request the emulator saw (token + discovery). entra-edge split: parse = `parseCertificate` on the same file (read, parse, key import, thumbprints), sign = one jose `SignJWT` RS256 assertion, HTTP = time inside `fetch` incl. the body, rest = the remainder.",
    "",
  );
  const frows: (string | number)[][] = [];
  for (const [rt, run] of runs) {
    for (const f of run.first) {
      if (!f.result) {
        frows.push([runtimeLabel(rt, m), f.library, KIND[f.kind], f.unsupported ?? "–", "", "", "", "", "", ""]);
        continue;
      }
      const total = Object.values(f.requests ?? {}).reduce((a, b) => a + b, 0);
      const s = f.result.split;
      frows.push([
        runtimeLabel(rt, m),
        f.library,
        KIND[f.kind],
        fmt(f.result.medianMs, 2),
        fmt(f.result.coldMs, 1),
        fmt(total / f.result.calls, 1),
        s?.parseMs !== undefined ? fmt(s.parseMs, 2) : s ? "–" : "",
        s?.signMs !== undefined ? fmt(s.signMs, 2) : s ? "–" : "",
        s ? fmt(s.httpMs, 2) : "",
        s ? fmt(s.restMs, 2) : "",
      ]);
    }
  }
  out.push(table(["runtime", "library", "credential", "median ms", "cold ms", "requests/token", "parse ms", "sign ms", "HTTP ms", "rest ms"], frows), "");

  out.push("## Cold start", "", "A fresh process per sample (9): from just before the library is imported until its first token (import, credential, certificate load, discovery, TLS connection, first request). Median.", "");
  const csrows: (string | number)[][] = [];
  for (const [rt, run] of runs) for (const c of run.coldStart ?? []) csrows.push([runtimeLabel(rt, m), c.library, KIND[c.kind], fmt(c.medianMs, 1), c.samples]);
  out.push(table(["runtime", "library", "credential", "ms (median)", "runs"], csrows), "");

  out.push("## Concurrent cold calls", "", "N simultaneous `getToken` calls on a fresh credential; the emulator delays every token answer by 200 ms.", "");
  const crows: (string | number)[][] = [];
  for (const [rt, run] of runs) {
    for (const c of run.concurrency) {
      const discovery = (c.requests["openid-configuration"] ?? 0) + (c.requests["instance-discovery"] ?? 0);
      crows.push([runtimeLabel(rt, m), c.library, c.count.toLocaleString("en-US"), c.tokenRequests.toLocaleString("en-US"), discovery.toLocaleString("en-US"), c.result.failures, fmt(c.result.wallMs, 0)]);
    }
  }
  out.push(table(["runtime", "library", "calls", "token requests", "discovery requests", "failures", "wall ms"], crows), "");

  out.push("## Import time", "", "Median (p25–p75) of the in-process `await import(...)` time in fresh processes (runtime start-up excluded).", "");
  const irows: (string | number)[][] = [];
  for (const [rt, run] of runs) {
    const identity = run.imports.find((i) => i.name === "@azure/identity")?.medianMs;
    for (const i of run.imports) irows.push([runtimeLabel(rt, m), i.name, fmt(i.medianMs, 1), `${fmt(i.p25, 1)}–${fmt(i.p75, 1)}`, i.samples, i.name === "entra-edge" ? ratio(identity, i.medianMs) : "", i.what]);
  }
  out.push(table(["runtime", "library", "ms (median)", "p25–p75", "runs", "vs identity", "what was imported"], irows), "");

  if (r.bundles.length) {
    out.push("## Bundle size", "");
    out.push(
      "esbuild, minified; gzip at zlib level 6; KiB = 1024 bytes. *one file*: splitting off (what wrangler deploys; dynamic imports inlined). With splitting: *initial* = the entry chunk and the chunks it imports statically (loaded at start), *lazy* = chunks behind dynamic imports (loaded on demand); *PEM token loads* = initial + the lazy jose chunk (what a token with a PEM certificate needs; the PFX-only chunks with pkijs and the legacy ciphers stay unloaded). workerd = platform neutral with conditions workerd/worker/browser; node = platform node. entra-edge is bundled from src/workerd.ts / src/node.ts.",
      "",
    );
    const brows = r.bundles.map((b) => [
      b.library,
      b.app,
      b.platform,
      kib(b.single.min),
      kib(b.single.gzip),
      b.split ? kib(b.split.entry.gzip) : "–",
      b.split ? `${kib(b.split.initial.gzip)} (${b.split.initial.files})` : "–",
      b.split && b.split.lazy.length ? `${kib(b.split.lazyTotal.gzip)} (${b.split.lazy.length})` : "–",
      b.split?.pemPath ? `${kib(b.split.pemPath.gzip)} (${b.split.pemPath.files})` : "–",
      b.split ? packageList(b.split.initial.packages) : "–",
      b.split ? packageList([...new Set(b.split.lazy.flatMap((l) => l.packages))]) : "–",
    ]);
    out.push(table(["library", "app", "platform", "one file min", "one file gzip", "entry gzip", "initial gzip (files)", "lazy gzip (files)", "PEM token loads (files)", "packages in initial", "packages in lazy"], brows), "");
    const secret = r.bundles.find((b) => b.library === "entra-edge" && b.app === "secret" && b.platform === "workerd");
    if (secret?.modules) {
      out.push("What the secret-only Worker bundle (one file) is made of, minified bytes per source module:", "");
      out.push(table(["module", "minified bytes"], secret.modules.map((mod) => [mod.path, mod.bytes])), "");
    }
  }

  const node = r.runs.node;
  if (node?.heap) {
    out.push("## Heap per credential (Node)", "", "1,000 credentials, each with a cached token, kept alive: heapUsed growth after forced GCs (`--expose-gc`) / 1,000. External memory (e.g. CryptoKey handles) shown apart.", "");
    out.push(table(["library", "credential", "heap bytes/credential", "external bytes/credential"], node.heap.map((h) => [h.library, KIND[h.kind], fmt(h.result.bytesPerCredential, 0), fmt(h.result.externalPerCredential, 0)])), "");
  }
  if (node?.lazy) {
    out.push("## When the heavy dependencies load (Node)", "", "Packages loaded after each step (from a module-load hook), with the built dist.", "");
    out.push(table(["step", "packages loaded so far"], node.lazy.steps.map((s) => [s.step, s.loaded.join(", ") || "none"])), "");
    out.push(`Legacy PFX: first parse in the process ${fmt(node.lazy.legacyParseColdMs, 1)} ms (includes loading pkijs and the legacy ciphers), then ${fmt(node.lazy.legacyParseWarmMs, 1)} ms (median of 15).`, "");
  }

  out.push("## How each library was configured", "");
  for (const [name, text] of Object.entries(r.configuration)) out.push(`- **${name}**: ${text}`);
  out.push("");
  out.push("Library under test per runtime: " + runs.map(([rt, run]) => `${rt}: ${run.entry}`).join("; ") + ".", "");
  return out.join("\n");
}

/** The README table: one row per measurement, one column per library (Node run). */
export function renderSummary(r: Results): string | undefined {
  const node = r.runs.node;
  if (!node) return undefined;
  const libs: LibraryName[] = ["entra-edge", "@azure/identity", "@azure/msal-node"];
  const cached = (lib: LibraryName, kind: CredentialKind) => fmt(node.cached.find((c) => c.library === lib && c.kind === kind)?.result.nsPerCall, 0);
  const first = (lib: LibraryName, kind: CredentialKind) => {
    const f = node.first.find((c) => c.library === lib && c.kind === kind);
    return f?.result ? fmt(f.result.medianMs, 1) : "not supported";
  };
  const conc = (lib: LibraryName) =>
    [100, 1000].map((n) => node.concurrency.find((c) => c.library === lib && c.count === n)?.tokenRequests.toLocaleString("en-US") ?? "–").join(" / ");
  const imp = (lib: LibraryName) => fmt(node.imports.find((i) => i.name === lib)?.medianMs, 1);
  const bundle = (lib: LibraryName, app: string, platform: string) => {
    const b = r.bundles.find((x) => x.library === lib && x.app === app && x.platform === platform);
    return b ? `${kib(b.single.gzip)} (${b.single.gzip.toLocaleString("en-US")} B)` : "–";
  };
  const initial = (app: string) => {
    const b = r.bundles.find((x) => x.library === "entra-edge" && x.app === app && x.platform === "workerd");
    return b?.split?.pemPath
      ? `${kib(b.split.pemPath.gzip)} (PFX code: + ${kib(b.split.lazyTotal.gzip - (b.split.pemPath.gzip - b.split.initial.gzip))} as its own modules; one file: ${kib(b.single.gzip)})`
      : "–";
  };
  const heap = (lib: LibraryName) => {
    const h = node.heap?.find((x) => x.library === lib && x.kind === "secret");
    return h ? `${fmt(h.result.bytesPerCredential / 1024, 1)} KiB` : "–";
  };
  const rows: string[][] = [
    ["cached `getToken`, secret (ns per call)", ...libs.map((l) => cached(l, "secret"))],
    ["cached `getToken`, certificate (ns per call)", ...libs.map((l) => cached(l, "pem"))],
    ["first token of a new credential in a warm process, secret (ms)", ...libs.map((l) => first(l, "secret"))],
    ["… PEM certificate (ms)", ...libs.map((l) => first(l, "pem"))],
    ["… PFX / legacy PFX (ms)", ...libs.map((l) => (l === "entra-edge" ? `${first(l, "pfx")} / ${first(l, "legacy-pfx")}` : "not supported"))],
    ["cold start: import + first token in a fresh process, secret (ms)", ...libs.map((l) => fmt(node.coldStart?.find((c) => c.library === l && c.kind === "secret")?.medianMs, 0))],
    ["cold start: import + first token in a fresh process, PEM (ms)", ...libs.map((l) => fmt(node.coldStart?.find((c) => c.library === l && c.kind === "pem")?.medianMs, 0))],
    ["token requests for 100 / 1,000 concurrent cold calls", ...libs.map(conc)],
    ["import (ms)", ...libs.map(imp)],
    ["bundle, secret app, Workers (gzip, one file)", bundle("entra-edge", "secret", "workerd"), "–", "–"],
    ["bundle, PEM certificate app, Workers (gzip, split: what a PEM token loads)", initial("pem"), "–", "–"],
    ["bundle, secret app, Node (gzip)", ...libs.map((l) => bundle(l, "secret", "node"))],
    ["heap per cached credential (secret)", ...libs.map(heap)],
  ];
  return table(["Node " + r.machine.runtimes.node, ...libs], rows);
}
