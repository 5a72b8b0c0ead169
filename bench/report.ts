/**
 * The results' shape, the budgets (PASS/FAIL, computed from one run's numbers) and the Markdown of
 * bench/RESULTS.md. Rendering is a pure function of results.json (test/tooling/figures.test.ts
 * renders it again and compares).
 */
import * as B from "./budgets.ts";
import { BUDGET_NODES, type CredentialKind, type LibraryName, type NodeName, type RuntimeName } from "./config.ts";
import type { Layout } from "./layout.ts";
import type { MachineInfo } from "./machine.ts";
import type { NodeBundle, SplitLayout, WorkerBuild, WranglerMode } from "./measure/bundles.ts";
import { WRANGLER_MODES } from "./measure/bundles.ts";
import type { CachedResult } from "./measure/cached.ts";
import type { ConcurrencyResult } from "./measure/concurrency.ts";
import type { CpuFloorResult, CpuPartsResult, CpuResult } from "./measure/cpu.ts";
import type { FirstTokenResult } from "./measure/first-token.ts";
import type { HeapResult } from "./measure/heap.ts";
import type { ImportResult } from "./measure/imports.ts";
import type { Calibration } from "./measure/calibrate.ts";
import { fmt, kib, median } from "./stats.ts";

type Counts = Record<string, number>;
export type CertKind = CredentialKind;
/** The parts of the first getToken before it calls fetch and after the answer (split by the profile). */
export const BEFORE = "getToken before the request";
export const AFTER = "getToken after the answer";

export interface RuntimeResults {
  cached: { library: LibraryName; kind: CredentialKind; result: CachedResult; requests: Counts }[];
  first: { library: LibraryName; kind: CredentialKind; result?: FirstTokenResult; requests?: Counts; unsupported?: string }[];
  /** Fresh process per sample: import the library, make a credential, first token. */
  coldStart: { library: LibraryName; kind: CredentialKind; medianMs: number; samples: number }[];
  concurrency: { library: LibraryName; count: number; tokenRequests: number; result: ConcurrencyResult; requests: Counts }[];
  heap?: { library: LibraryName; kind: CredentialKind; result: HeapResult }[];
}

/** Medians over fresh processes of {@link CpuFloorResult}'s fields. */
export type FloorSummary = CpuFloorResult & { samples: number; totalCpuSamples: number[] };

/** Medians over fresh processes of {@link CpuResult}'s fields. */
export type CpuSummary = { [K in keyof CpuResult]: CpuResult[K] } & { samples: number; libraryCpuSamples: number[] };

export interface PartsSummary {
  samples: number;
  /** Median CPU per part over the unprofiled processes. */
  parts: { name: string; cpuMs: number }[];
  /** The parts before the request and after the answer, split by the profiled process's shares, applied to the part's median CPU. */
  split: Record<string, { name: string; cpuMs: number; share: number }[]>;
}

export interface LayoutSummary {
  entry: string;
  initial: { files: string[]; bytes: number; gzip: number; packages: string[] };
  lazy: { file: string; bytes: number; gzip: number; packages: string[] }[];
  /** node/bun: the PFX path's chunk and what it imports (where asn1js may be). */
  pfxPath?: string[];
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
  tarball: { file: string; bytes: number; unpackedBytes: number; files: number };
  layout: Record<string, LayoutSummary>;
  runs: Partial<Record<RuntimeName, RuntimeResults>>;
  imports: Partial<Record<RuntimeName, ImportResult[]>>;
  cpu: Partial<Record<RuntimeName, Partial<Record<CredentialKind, CpuSummary>>>>;
  cpuParts: Partial<Record<NodeName, Partial<Record<CertKind, PartsSummary>>>>;
  /** The floor of the PEM token's library CPU, measured in the same run (absent from results made before it was measured). */
  cpuFloor?: Partial<Record<RuntimeName, FloorSummary>>;
  workers: WorkerBuild[];
  wranglerOffline: boolean;
  split: SplitLayout[];
  nodeBundles: NodeBundle[];
  lazy: { step: string; files: string[]; packages: string[] }[];
  budgets: Budget[];
  /** The host's speed: the calibration workload at the start and the end of this run (absent from results made before it was measured). */
  calibration?: { start: Partial<Record<NodeName, Calibration>>; end?: Partial<Record<NodeName, Calibration>> };
  /** This run and the full runs before it, newest last (at most {@link HISTORY_LENGTH}): the host's speed beside the CPU figures. */
  history?: HistoryEntry[];
}

/** One full run in {@link Results.history}. */
export interface HistoryEntry {
  date: string;
  /** `git rev-parse --short HEAD` of the checkout measured, `-dirty` with uncommitted changes. */
  commit: string;
  /** Per Node: the calibration workload's total CPU ms at the start and at the end of the run. */
  calibration: Partial<Record<NodeName, { start: number; end?: number }>>;
  /** Per Node: library CPU ms of the first token (PEM, PFX, legacy PFX) and of a repeat PFX parse. */
  cpu: Partial<Record<NodeName, { pem?: number; pfx?: number; legacyPfx?: number; repeatPfx?: number }>>;
  /** The secret-only Worker built by wrangler --minify, gzip bytes. */
  secretWorkerGzip?: number;
}

/** The import row of entra-edge with Node's compile cache (NODE_COMPILE_CACHE) filled by a first process. */
export const COMPILE_CACHED = "entra-edge, NODE_COMPILE_CACHE";

/** How many runs {@link Results.history} keeps. */
export const HISTORY_LENGTH = 12;

/** This run's {@link HistoryEntry}, appended to the history of the results before it. */
export function withHistory(r: Results, commit: string, before: HistoryEntry[]): HistoryEntry[] {
  const calibration: HistoryEntry["calibration"] = {};
  for (const [node, c] of Object.entries(r.calibration?.start ?? {}) as [NodeName, Calibration][]) {
    calibration[node] = { start: c.total, ...(r.calibration?.end?.[node] ? { end: r.calibration.end[node]!.total } : {}) };
  }
  const cpu: HistoryEntry["cpu"] = {};
  for (const node of BUDGET_NODES) {
    const c = r.cpu[node];
    if (!c) continue;
    cpu[node] = { pem: c.pem?.libraryCpuMs, pfx: c.pfx?.libraryCpuMs, legacyPfx: c["legacy-pfx"]?.libraryCpuMs, repeatPfx: c.pfx?.repeatParseCpuMs };
  }
  const entry: HistoryEntry = { date: r.machine.date, commit, calibration, cpu, secretWorkerGzip: worker(r, "secret", "minify")?.gzip };
  return [...before, entry].slice(-HISTORY_LENGTH);
}

/** The reference row: a PEM assertion with no library (bench/measure/cpu.ts measureCpuFloor). */
const FLOOR = "floor: bare PEM assertion, no library";
const FLOOR_TEXT =
  "*Floor* = the same PEM first token's unavoidable part, measured in the same run in fresh processes: the PEM text in hand, jose loaded as entra-edge loads it on that runtime (Node, Bun: the very jose chunk of dist/bundled/; Deno: `jose/jws/compact/sign`), then WebCrypto `importKey` (pkcs8), the certificate's SHA-1 digest, jose's RS256 `CompactSign` of the claims and the form body — no file read, no checks, no request. Its *import* column is jose's import, *before the request* the WebCrypto work (on Node, WebCrypto's internals load at the first call). *entra-edge's part* = the PEM row's library CPU minus the floor: the package's import, the file read, PEM / X.509 / key checks, the credential, the request and the answer.";

export const KIND: Record<CredentialKind, string> = { secret: "secret", pem: "PEM certificate", pfx: "PFX (OpenSSL 3)", "legacy-pfx": "legacy PFX (RC2/3DES)" };
const LIBS: LibraryName[] = ["entra-edge", "@azure/identity", "@azure/msal-node"];

// ---------------------------------------------------------------------------------------------
// Summaries made by the orchestrator

export function summarizeCpu(samples: CpuResult[]): CpuSummary {
  const out: Record<string, number | number[] | undefined> = { samples: samples.length, libraryCpuSamples: samples.map((s) => round(s.libraryCpuMs)) };
  for (const key of Object.keys(samples[0]!) as (keyof CpuResult)[]) {
    const values = samples.map((s) => s[key]).filter((v): v is number => typeof v === "number");
    if (values.length) out[key] = round(median(values));
  }
  return out as unknown as CpuSummary;
}

export function summarizeFloor(samples: CpuFloorResult[]): FloorSummary {
  const m = (k: keyof CpuFloorResult) => round(median(samples.map((s) => s[k])));
  return { joseCpuMs: m("joseCpuMs"), importKeyCpuMs: m("importKeyCpuMs"), signCpuMs: m("signCpuMs"), totalCpuMs: m("totalCpuMs"), samples: samples.length, totalCpuSamples: samples.map((s) => round(s.totalCpuMs)) };
}

export function summarizeParts(plain: CpuPartsResult[], profiled: CpuPartsResult): PartsSummary {
  const parts = plain[0]!.parts.map((p, i) => ({ name: p.name, cpuMs: round(median(plain.map((r) => r.parts[i]!.cpuMs))) }));
  const split: PartsSummary["split"] = {};
  for (const [prefix, shares] of [
    [BEFORE, profiled.beforeShares],
    [AFTER, profiled.afterShares],
  ] as const) {
    const part = parts.find((p) => p.name.startsWith(prefix));
    if (!part || !shares) continue;
    split[part.name] = Object.entries(shares)
      .map(([name, share]) => ({ name, share: round(share, 3), cpuMs: round(share * part.cpuMs) }))
      .sort((a, b) => b.share - a.share || a.name.localeCompare(b.name));
  }
  return { samples: plain.length, parts, split };
}

export function summarizeLayout(l: Layout, pfxPath?: string[]): LayoutSummary {
  const sum = (list: string[], k: "bytes" | "gzip") => list.reduce((s, f) => s + l.files[f]![k], 0);
  const packages = [...new Set(l.initial.flatMap((f) => l.files[f]!.packages))].sort();
  return {
    entry: l.entry,
    initial: { files: l.initial, bytes: sum(l.initial, "bytes"), gzip: sum(l.initial, "gzip"), packages },
    lazy: l.lazy.map((f) => ({ file: f, bytes: l.files[f]!.bytes, gzip: l.files[f]!.gzip, packages: l.files[f]!.packages })),
    ...(pfxPath ? { pfxPath } : {}),
  };
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// ---------------------------------------------------------------------------------------------
// Budgets

const verdict = (ok: boolean): Budget["verdict"] => (ok ? "PASS" : "FAIL");
const bytes = (n: number) => `${n.toLocaleString("en-US")} B`;
export const hostNode = (r: Results): NodeName | undefined => (Object.keys(r.imports).find((k) => k.startsWith("node")) as NodeName | undefined);
export const nodeVersion = (r: Results, n: string) => r.machine.runtimes[n] ?? n;
export const worker = (r: Results, app: string, mode: WranglerMode) => r.workers.find((w) => w.app === app && w.mode === mode);

export function evaluateBudgets(r: Results): Budget[] {
  const budgets: Budget[] = [];
  const push = (name: string, target: string, measured: string | undefined, ok: boolean) =>
    budgets.push({ name, target, measured: measured ?? "not measured in this run", verdict: measured === undefined ? "NOT MEASURED" : verdict(ok) });
  const host = hostNode(r);
  const run = host ? r.runs[host] : undefined;
  for (const kind of ["secret", "pem"] as const) {
    const ours = run?.cached.find((c) => c.library === "entra-edge" && c.kind === kind)?.result.nsPerCall;
    const peers = (["@azure/identity", "@azure/msal-node"] as const).map((p) => ({ p, ns: run?.cached.find((c) => c.library === p && c.kind === kind)?.result.nsPerCall }));
    const ok = ours !== undefined && peers.every((x) => x.ns !== undefined && x.ns / ours >= B.CACHED_RATIO);
    push(
      `cached getToken (${KIND[kind]}, ${host} ${host ? nodeVersion(r, host) : ""}) vs the peers`,
      `≥ ${B.CACHED_RATIO}× faster than each`,
      ours === undefined ? undefined : `${fmt(ours, 0)} ns; ${peers.map((x) => `${x.p} ${fmt(x.ns, 0)} ns (${fmt((x.ns ?? NaN) / ours, 0)}×)`).join(", ")}`,
      ok,
    );
  }
  for (const n of BUDGET_NODES) {
    const list = r.imports[n];
    const ours = list?.find((i) => i.name === "entra-edge")?.medianMs;
    const theirs = list?.find((i) => i.name === "@azure/identity")?.medianMs;
    push(
      `import of the installed package vs @azure/identity, Node ${nodeVersion(r, n)}`,
      `≥ ${B.IMPORT_RATIO}× faster`,
      ours === undefined || theirs === undefined ? undefined : `${fmt(theirs / ours, 0)}× (${fmt(ours, 1)} ms vs ${fmt(theirs, 1)} ms)`,
      ours !== undefined && theirs !== undefined && theirs / ours >= B.IMPORT_RATIO,
    );
  }
  {
    const w = worker(r, "secret", "minify");
    const plain = worker(r, "secret", "default");
    push(
      "secret-only Worker, built by wrangler `--minify` (gzip)",
      `≤ ${bytes(B.SECRET_WORKER_GZIP)}`,
      w && `${bytes(w.gzip)} (${kib(w.gzip)}); default build ${plain ? bytes(plain.gzip) : "–"}`,
      !!w && w.gzip <= B.SECRET_WORKER_GZIP,
    );
  }
  {
    const s = r.split.find((x) => x.app === "pem");
    const one = worker(r, "pem", "minify");
    push(
      "PEM Worker: what a PEM token loads in the split layout (esbuild, README's command; gzip)",
      `≤ ${bytes(B.PEM_WORKER_SPLIT_GZIP)}`,
      s && `${bytes(s.pemPath.gzip)} in ${s.pemPath.files} files; as one file (wrangler \`--minify\`, the PFX code inlined): ${one ? `${bytes(one.gzip)} (${kib(one.gzip)})` : "–"}`,
      !!s && s.pemPath.gzip <= B.PEM_WORKER_SPLIT_GZIP,
    );
  }
  {
    const notes: string[] = [];
    let ok = true;
    let measured = true;
    for (const [name, l] of Object.entries(r.layout)) {
      const initialHas = l.initial.packages.includes("asn1js");
      const outside = l.lazy.filter((f) => f.packages.includes("asn1js") && l.pfxPath && !l.pfxPath.includes(f.file));
      ok &&= !initialHas && outside.length === 0;
      notes.push(`dist/${name}.js: ${initialHas ? "asn1js at import" : "none at import"}${outside.length ? `, asn1js outside the PFX chunk (${outside.map((f) => f.file).join(", ")})` : ""}`);
    }
    const before = r.lazy.filter((s) => !s.step.includes("PFX")).some((s) => s.packages.includes("asn1js"));
    const after = r.lazy.find((s) => s.step.includes("PFX"))?.packages.includes("asn1js") ?? false;
    if (!r.lazy.length) measured = false;
    ok &&= !before && after;
    notes.push(`Node: ${before ? "asn1js loaded before a PFX" : "not loaded by import or a PEM token"}, ${after ? "loaded by the first PFX" : "not loaded by a PFX (?)"}`);
    const secret = worker(r, "secret", "default");
    const heavy = secret?.packages.filter((p) => ["asn1js", "@peculiar/utils", "jose", "@noble/hashes"].includes(p)) ?? [];
    const certFiles = secret?.entraFiles.filter((f) => f.includes("certificate/")) ?? [];
    if (!secret) measured = false;
    ok &&= heavy.length === 0 && certFiles.length === 0;
    notes.push(`secret Worker (wrangler): ${heavy.length || certFiles.length ? `has ${[...heavy, ...certFiles].join(", ")}` : "no asn1js, jose or certificate code"}`);
    const split = r.split.find((x) => x.app === "pem");
    const inInitial = split?.initial.packages.includes("asn1js") ?? false;
    ok &&= !inInitial;
    notes.push(`split PEM Worker: ${inInitial ? "asn1js in the initial chunks" : "asn1js only in lazy chunks"}`);
    push("no PKCS#12 code (asn1js) outside the PFX path", "shipped entries, Node at run time, Workers", measured ? notes.join("; ") : undefined, ok);
  }
  for (const n of BUDGET_NODES) {
    const c = r.cpu[n];
    const pfx = c?.pfx?.libraryCpuMs;
    const legacy = c?.["legacy-pfx"]?.libraryCpuMs;
    push(
      `first PFX token in a fresh process, CPU without the token request, Node ${nodeVersion(r, n)}`,
      `≤ ${B.FIRST_PFX_CPU_MS} ms`,
      pfx === undefined || legacy === undefined ? undefined : `${fmt(pfx, 1)} ms (OpenSSL 3 PFX), ${fmt(legacy, 1)} ms (legacy PFX); with the request ${fmt(c!.pfx!.totalCpuMs, 1)} / ${fmt(c!["legacy-pfx"]!.totalCpuMs, 1)} ms`,
      pfx !== undefined && legacy !== undefined && pfx <= B.FIRST_PFX_CPU_MS && legacy <= B.FIRST_PFX_CPU_MS,
    );
  }
  for (const n of BUDGET_NODES) {
    const c = r.cpu[n];
    const pfx = c?.pfx?.repeatParseCpuMs;
    const legacy = c?.["legacy-pfx"]?.repeatParseCpuMs;
    push(
      `repeat parse of a PFX (parseCertificate, median of 15 after the second), CPU, Node ${nodeVersion(r, n)}`,
      `≤ ${B.REPEAT_PARSE_CPU_MS} ms`,
      pfx === undefined || legacy === undefined ? undefined : `${fmt(pfx, 1)} ms (OpenSSL 3), ${fmt(legacy, 1)} ms (legacy); the second parse: ${fmt(c!.pfx!.secondParseCpuMs, 1)} / ${fmt(c!["legacy-pfx"]!.secondParseCpuMs, 1)} ms`,
      pfx !== undefined && legacy !== undefined && pfx <= B.REPEAT_PARSE_CPU_MS && legacy <= B.REPEAT_PARSE_CPU_MS,
    );
  }
  for (const n of BUDGET_NODES) {
    const c = r.cpu[n]?.pem;
    push(
      `first PEM token in a fresh process, CPU without the token request, Node ${nodeVersion(r, n)}`,
      `≤ ${B.FIRST_PEM_CPU_MS} ms`,
      c && `${fmt(c.libraryCpuMs, 1)} ms; with the request ${fmt(c.totalCpuMs, 1)} ms`,
      !!c && c.libraryCpuMs <= B.FIRST_PEM_CPU_MS,
    );
  }
  for (const count of [100, 1000]) {
    const all = (Object.entries(r.runs) as [RuntimeName, RuntimeResults][]).map(([rt, x]) => ({ rt, c: x.concurrency.find((y) => y.library === "entra-edge" && y.count === count) }));
    const seen = all.filter((x) => x.c);
    push(
      `${count.toLocaleString("en-US")} concurrent cold getToken calls`,
      "1 token request",
      seen.length ? seen.map((x) => `${x.rt}: ${x.c!.tokenRequests} request(s), ${x.c!.result.failures} failure(s)`).join("; ") : undefined,
      seen.length > 0 && seen.every((x) => x.c!.tokenRequests === 1 && x.c!.result.failures === 0),
    );
  }
  return budgets;
}

// ---------------------------------------------------------------------------------------------
// Markdown

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

const runtimeLabel = (r: Results, rt: string) => (rt.startsWith("node") ? `Node ${nodeVersion(r, rt)}` : `${rt === "deno" ? "Deno" : "Bun"} ${r.machine.runtimes[rt] ?? ""}`.trim());
const ratio = (theirs: number | undefined, ours: number | undefined) => (theirs && ours ? `${fmt(theirs / ours, 0)}×` : "–");
const list = (names: string[]) => (names.length ? names.join(", ") : "none");
const loads = (m: MachineInfo["load"]) => `${m.start.join(" / ")} at the start, ${m.end?.join(" / ") ?? "–"} at the end`;

export function machineLine(r: Results): string {
  const m = r.machine;
  const nodes = Object.keys(m.runtimes).filter((k) => k.startsWith("node")).map((k) => m.runtimes[k]);
  return (
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; load average (1 / 5 / 15 min) ${loads(m.load)}. ` +
    `Node ${nodes.join(", ")}; Deno ${m.runtimes.deno}; Bun ${m.runtimes.bun}; wrangler ${m.runtimes.wrangler}; esbuild ${m.runtimes.esbuild}. ` +
    `Installed: ${Object.entries(m.packages).map(([k, v]) => `${k} ${v}`).join(", ")}. Run ${m.date}.`
  );
}

const CALIBRATION_TEXT =
  "A fixed workload with no entra-edge code (bench/measure/calibrate.mjs), in fresh processes on every Node at the start and at the end of the run, median CPU ms of the processes: *code* = import and first call of 400 generated functions (~100 KB of source: parsing, lazy compilation, cold inline caches, as at a library's import), *jit* = 2,048 calls of a 64-round 32-bit mixing function (V8's tiers and its background compiler, as in the PKCS#12 key derivation), *webcrypto* = the first SHA-256 digest, HMAC import and sign (Node loads WebCrypto's internals at the first call). It does not change with entra-edge's code, so it tells a slow host from a slow change: the CPU budgets are absolute milliseconds, and on a shared VM the same code measures up to ±30 % apart from one hour to the next.";

/** One line on the host's speed in this run, for RESULTS.md and README (empty for results made before it was measured). */
export function hostSpeedLine(r: Results): string {
  const c = r.calibration;
  if (!c) return "";
  const nodes = (Object.keys(c.start) as NodeName[]).filter((n) => n.startsWith("node"));
  const totals = (at: Partial<Record<NodeName, Calibration>> | undefined) => nodes.map((n) => fmt(at?.[n]?.total, 1)).join(" / ");
  return `Host speed: the fixed calibration workload (no entra-edge code) took ${totals(c.start)} ms CPU at the start of the run and ${totals(c.end)} at the end on Node ${nodes.map((n) => nodeVersion(r, n)).join(" / ")} (lower is a faster host; earlier runs: bench/RESULTS.md, "Host speed").`;
}

function renderHostSpeed(r: Results): string[] {
  const out: string[] = [];
  const c = r.calibration;
  if (!c) return out;
  out.push("## Host speed", "", CALIBRATION_TEXT, "");
  const rows: (string | number)[][] = [];
  for (const n of Object.keys(c.start) as NodeName[]) {
    for (const [when, at] of [["start", c.start], ["end", c.end]] as const) {
      const x = at?.[n];
      if (x) rows.push([runtimeLabel(r, n), when, fmt(x.code, 1), fmt(x.jit, 1), fmt(x.webcrypto, 1), `**${fmt(x.total, 1)}**`, x.samples]);
    }
  }
  out.push(table(["runtime", "when", "code", "jit", "webcrypto", "total", "runs"], rows), "");
  const history = r.history ?? [];
  if (history.length) {
    const nodes = BUDGET_NODES.filter((n) => history.some((h) => h.calibration[n] || h.cpu[n]));
    const per = (f: (n: NodeName) => string) => nodes.map(f).join(" / ");
    out.push(`This run and the full runs before it (newest last; Node ${nodes.map((n) => n.slice(4)).join(" / ")}; CPU ms, library CPU without the token request; Worker: secret-only, wrangler \`--minify\`, gzip B):`, "");
    out.push(
      table(
        ["run", "commit", "calibration, start → end", "first PFX token", "first legacy PFX token", "repeat PFX parse", "first PEM token", "secret Worker"],
        history.map((h) => [
          h.date.slice(0, 16).replace("T", " "),
          `\`${h.commit}\``,
          per((n) => `${fmt(h.calibration[n]?.start, 1)} → ${fmt(h.calibration[n]?.end, 1)}`),
          per((n) => fmt(h.cpu[n]?.pfx, 1)),
          per((n) => fmt(h.cpu[n]?.legacyPfx, 1)),
          per((n) => fmt(h.cpu[n]?.repeatPfx, 1)),
          per((n) => fmt(h.cpu[n]?.pem, 1)),
          h.secretWorkerGzip === undefined ? "–" : fmt(h.secretWorkerGzip, 0),
        ]),
      ),
      "",
    );
  }
  return out;
}

export function renderMarkdown(r: Results): string {
  const out: string[] = [];
  const host = hostNode(r);
  out.push("# entra-edge benchmarks", "");
  out.push("Written by `npm run bench` (bench/run.ts) with bench/results.json and README's figures; do not edit by hand.", "");
  out.push(
    `What is measured: the package as users get it — \`npm run build\`, \`npm pack\` (${r.tarball.file}: ${kib(r.tarball.bytes)} packed, ${kib(r.tarball.unpackedBytes)} unpacked, ${r.tarball.files} files), installed in an empty folder together with the peers, imported by name in fresh processes; Workers built from it by wrangler. Everything runs against the Entra emulator served over HTTPS on 127.0.0.1 with a throw-away CA.`,
    "",
  );
  out.push(`Machine: ${machineLine(r)} Absolute numbers move with other work on the machine (the load average above) and with the host's speed (below); the budgets compare libraries measured in the same run.${hostSpeedLine(r) ? ` ${hostSpeedLine(r)}` : ""}`, "");

  out.push("## Budgets", "");
  out.push(table(["budget", "target", "measured", "verdict"], r.budgets.map((b) => [b.name, b.target, b.measured, `**${b.verdict}**`])), "");
  out.push(...renderHostSpeed(r));

  if (host) out.push(`## Summary (${runtimeLabel(r, host)})`, "", renderSummary(r), "");

  out.push("## Import time", "", "`await import(name)` in a fresh process, from the install folder (runtime start-up excluded): median and p25–p75 of the wall time, median CPU.", "");
  const irows: (string | number)[][] = [];
  for (const [rt, imports] of Object.entries(r.imports)) {
    const identity = imports!.find((i) => i.name === "@azure/identity")?.medianMs;
    for (const i of imports!) irows.push([runtimeLabel(r, rt), i.name, fmt(i.medianMs, 1), `${fmt(i.p25, 1)}–${fmt(i.p75, 1)}`, fmt(i.cpuMs, 1), i.samples, i.name === "entra-edge" ? ratio(identity, i.medianMs) : ""]);
  }
  out.push(table(["runtime", "library", "ms (median)", "p25–p75", "CPU ms", "runs", "vs @azure/identity"], irows), "");

  out.push("## First token in a fresh process: CPU", "");
  out.push(
    "`process.cpuUsage()` (every thread of the process) in a fresh process, median of the processes: *import* = `import(\"entra-edge\")`; then a new credential's first `getToken`: *before the request* (certificate, assertion, request, the runtime APIs it uses first), *request* = the CPU spent inside `fetch` (the runtime's HTTP client, TLS and the request: the same for every library, and not the Worker's CPU on Workers); *after the answer* (JSON, cache); *library* = everything but the request (what the budgets judge); *main thread* = the same on the main thread alone, where the runtime can tell (Node ≥ 22, Bun): the difference ran on other threads — V8's compiler threads, GC helpers, WebCrypto's thread pool. Then, in the same process: the second `parseCertificate` of the same file, and the median of 15 more (*repeat*).",
    "",
  );
  const crows: (string | number)[][] = [];
  for (const [rt, kinds] of Object.entries(r.cpu)) {
    for (const [kind, c] of Object.entries(kinds!) as [CredentialKind, CpuSummary][]) {
      crows.push([runtimeLabel(r, rt), KIND[kind], fmt(c.importCpuMs, 1), fmt(c.beforeRequestCpuMs, 1), fmt(c.fetchCpuMs, 1), fmt(c.afterAnswerCpuMs, 1), `**${fmt(c.libraryCpuMs, 1)}**`, fmt(c.libraryMainThreadCpuMs, 1), fmt(c.totalCpuMs, 1), fmt(c.secondParseCpuMs, 1), fmt(c.repeatParseCpuMs, 1), c.samples]);
      const floor = kind === "pem" ? r.cpuFloor?.[rt as RuntimeName] : undefined;
      if (floor) crows.push([runtimeLabel(r, rt), `${FLOOR} (entra-edge's part: ${fmt(c.libraryCpuMs - floor.totalCpuMs, 1)})`, fmt(floor.joseCpuMs, 1), fmt(floor.importKeyCpuMs + floor.signCpuMs, 1), "–", "–", `*${fmt(floor.totalCpuMs, 1)}*`, "–", "–", "–", "–", floor.samples]);
    }
  }
  out.push(table(["runtime", "credential", "import", "before the request", "request", "after the answer", "library", "main thread", "total", "2nd parse", "repeat parse", "runs"], crows), "");
  if (r.cpuFloor) out.push(FLOOR_TEXT, "");
  out.push("Library CPU of each process (ms), to show the spread:", "");
  out.push(table(["runtime", "credential", "samples"], Object.entries(r.cpu).flatMap(([rt, kinds]) => (Object.entries(kinds!) as [CredentialKind, CpuSummary][]).map(([kind, c]) => [runtimeLabel(r, rt), KIND[kind], c.libraryCpuSamples.map((x) => fmt(x, 1)).join(", ")]))), "");

  out.push("## First token in a fresh process: CPU per part (Node)", "");
  out.push(
    "The real path in parts, each timed alone with `process.cpuUsage()` in a fresh process: the modules (entra-edge, then the very lazy chunks the credential loads next, so it finds them loaded), then the first `getToken` split where it calls `fetch` — before (certificate: read, parse, MAC, decryption, key import, thumbprints; the jose assertion; the request), inside (the token request) and after (the answer, the cache). Median of the processes. The parts before the request and after the answer are split by V8's sampling profiler (100 µs) in one more process: each main-thread sample goes to the innermost function on its stack that names a category (`verifyMac` → MAC, `decryptWithAny`/`pbeDecrypt` → bag decryption, `readPkcs12`/`readBags` → PKCS#12 structure, `importSigningKey`, `thumbprints`, the jose chunk → signing, `redactor` → secret redaction, Node's loader of its built-ins, …), and the shares are applied to that part's median CPU (thread-pool work, e.g. WebCrypto's PBKDF2 and RSA signature, is spread in proportion).",
    "",
  );
  for (const kind of ["pfx", "legacy-pfx", "pem", "secret"] as const) {
    const nodes = Object.keys(r.cpuParts).filter((n) => r.cpuParts[n as NodeName]?.[kind]) as NodeName[];
    if (!nodes.length) continue;
    const first = r.cpuParts[nodes[0]!]![kind]!;
    const rows: (string | number)[][] = [];
    for (const [i, p] of first.parts.entries()) {
      rows.push([p.name, ...nodes.map((n) => fmt(r.cpuParts[n]![kind]!.parts[i]?.cpuMs, 1))]);
      const names = [...new Set(nodes.flatMap((n) => (r.cpuParts[n]![kind]!.split[p.name] ?? []).map((x) => x.name)))];
      for (const name of names) {
        rows.push([
          `  … ${name}`,
          ...nodes.map((n) => {
            const x = r.cpuParts[n]![kind]!.split[p.name]?.find((y) => y.name === name);
            return x ? `${fmt(x.cpuMs, 1)} (${fmt(x.share * 100, 0)}%)` : "–";
          }),
        ]);
      }
    }
    const sum = (n: NodeName) => r.cpuParts[n]![kind]!.parts.filter((p) => !p.name.startsWith("token request")).reduce((s, p) => s + p.cpuMs, 0);
    rows.push(["sum without the token request", ...nodes.map((n) => `**${fmt(sum(n), 1)}**`)]);
    if (kind === "pem" && r.cpuFloor) {
      const floor = (n: NodeName) => r.cpuFloor?.[n];
      rows.push([`${FLOOR}, same run`, ...nodes.map((n) => (floor(n) ? `*${fmt(floor(n)!.totalCpuMs, 1)}*` : "–"))]);
      rows.push(["  … jose (its chunk) / importKey (WebCrypto's first use) / SHA-1 + sign + body", ...nodes.map((n) => (floor(n) ? `${fmt(floor(n)!.joseCpuMs, 1)} / ${fmt(floor(n)!.importKeyCpuMs, 1)} / ${fmt(floor(n)!.signCpuMs, 1)}` : "–"))]);
    }
    out.push(`### ${KIND[kind]}`, "", table(["part (CPU ms)", ...nodes.map((n) => runtimeLabel(r, n))], rows), "");
  }

  out.push("## Workers built by wrangler", "");
  out.push(
    `\`wrangler deploy --dry-run --outdir\` (wrangler ${r.machine.runtimes.wrangler} on Node ${r.machine.runtimes.node24 ?? "24"}, ${r.wranglerOffline ? "offline in a network namespace" : "with the network reachable"}) of a Worker importing \`entra-edge\` from the install folder; *gzip* = the output's index.js at zlib level 6 (what wrangler's "Total Upload … gzip" reports); packages = what the default build's module markers name.`,
    "",
  );
  out.push(table(["Worker", "build", "bytes", "gzip", "wrangler says", "packages inside"], r.workers.map((w) => [KIND[w.app === "pfx" ? "pfx" : w.app], WRANGLER_MODES[w.mode].label, w.bytes.toLocaleString("en-US"), `${w.gzip.toLocaleString("en-US")} (${kib(w.gzip)})`, w.wranglerSays, list(w.packages)])), "");
  out.push("The split layout (README \"Keeping the PFX code out of a Worker\": esbuild `--splitting --minify`, workerd conditions, modules uploaded as built):", "");
  out.push(
    table(
      ["Worker", "one file gzip", "entry gzip", "initial gzip (files)", "PEM token loads (files)", "lazy gzip (files)", "packages in initial", "packages in lazy"],
      r.split.map((s) => [KIND[s.app === "pfx" ? "pfx" : s.app], kib(s.single.gzip), kib(s.entry.gzip), `${kib(s.initial.gzip)} (${s.initial.files})`, `${kib(s.pemPath.gzip)} (${s.pemPath.files})`, `${kib(s.lazy.gzip)} (${s.lazy.files})`, list(s.initial.packages), list(s.lazy.packages)]),
    ),
    "",
  );

  out.push("## What each runtime entry loads (the installed package)", "");
  out.push("From each entry file of the installed dist/: what its static imports load at `import`, and the lazy files behind dynamic imports, with the packages bundled into or imported from each.", "");
  const lrows: (string | number)[][] = [];
  for (const [name, l] of Object.entries(r.layout)) {
    lrows.push([`${name} (${l.entry})`, "at import", `${l.initial.files.length} files`, kib(l.initial.bytes), kib(l.initial.gzip), list(l.initial.packages)]);
    for (const f of l.lazy) lrows.push(["", "lazy", f.file.replace(/^dist\//, ""), kib(f.bytes), kib(f.gzip), list(f.packages)]);
  }
  out.push(table(["entry", "when", "files", "bytes", "gzip", "packages"], lrows), "");
  if (r.lazy.length) {
    out.push(`When the heavy parts load (${host ? runtimeLabel(r, host) : "Node"}, module load hook): packages loaded so far after each step.`, "");
    out.push(table(["step", "packages loaded", "entra-edge files loaded"], r.lazy.map((s) => [s.step, list(s.packages), s.files.length])), "");
  }

  out.push("## Cached getToken", "", "Median over 25 batches (each ≥ 20 ms) of awaited calls on a credential whose token is cached.", "");
  const rows: (string | number)[][] = [];
  for (const [rt, run] of Object.entries(r.runs) as [string, RuntimeResults][]) {
    for (const c of run.cached) {
      const identity = run.cached.find((x) => x.library === "@azure/identity" && x.kind === c.kind)?.result.nsPerCall;
      rows.push([runtimeLabel(r, rt), c.library, KIND[c.kind], fmt(c.result.nsPerCall, 0), `${fmt(c.result.p25, 0)}–${fmt(c.result.p75, 0)}`, c.library === "entra-edge" ? ratio(identity, c.result.nsPerCall) : "", c.requests.token ?? 0]);
    }
  }
  out.push(table(["runtime", "library", "credential", "ns/call (median)", "p25–p75", "vs identity", "token requests"], rows), "");

  out.push("## First token of a new credential in a warm process", "");
  out.push(
    "Median of the samples (after 5 warm-up samples; for entra-edge, plain and instrumented credentials alternate) of `new Credential(...)` + first `getToken` in a process whose modules are loaded and whose connection pool is alive; *cold* is the very first call of the process. Requests per token counts every HTTP request the emulator saw (token + discovery). entra-edge split: parse = `parseCertificate` on the same file, sign = one jose `CompactSign` RS256 assertion, HTTP = time inside `fetch` incl. the body, rest = the remainder.",
    "",
  );
  const frows: (string | number)[][] = [];
  for (const [rt, run] of Object.entries(r.runs) as [string, RuntimeResults][]) {
    for (const f of run.first) {
      if (!f.result) {
        frows.push([runtimeLabel(r, rt), f.library, KIND[f.kind], f.unsupported ?? "–", "", "", "", "", "", ""]);
        continue;
      }
      const total = Object.values(f.requests ?? {}).reduce((a, b) => a + b, 0);
      const s = f.result.split;
      frows.push([runtimeLabel(r, rt), f.library, KIND[f.kind], fmt(f.result.medianMs, 2), fmt(f.result.coldMs, 1), fmt(total / f.result.calls, 1), s?.parseMs !== undefined ? fmt(s.parseMs, 2) : s ? "–" : "", s?.signMs !== undefined ? fmt(s.signMs, 2) : s ? "–" : "", s ? fmt(s.httpMs, 2) : "", s ? fmt(s.restMs, 2) : ""]);
    }
  }
  out.push(table(["runtime", "library", "credential", "median ms", "cold ms", "requests/token", "parse ms", "sign ms", "HTTP ms", "rest ms"], frows), "");

  out.push("## Cold start (wall time)", "", "A fresh process per sample: from just before the library is imported until its first token (import, credential, certificate load, discovery, TLS connection, first request). Median.", "");
  const csrows: (string | number)[][] = [];
  for (const [rt, run] of Object.entries(r.runs) as [string, RuntimeResults][]) for (const c of run.coldStart) csrows.push([runtimeLabel(r, rt), c.library, KIND[c.kind], fmt(c.medianMs, 1), c.samples]);
  out.push(table(["runtime", "library", "credential", "ms (median)", "runs"], csrows), "");

  out.push("## Concurrent cold calls", "", "N simultaneous `getToken` calls on a fresh credential; the emulator delays every token answer by 200 ms.", "");
  const ccrows: (string | number)[][] = [];
  for (const [rt, run] of Object.entries(r.runs) as [string, RuntimeResults][]) {
    for (const c of run.concurrency) {
      const discovery = (c.requests["openid-configuration"] ?? 0) + (c.requests["instance-discovery"] ?? 0);
      ccrows.push([runtimeLabel(r, rt), c.library, c.count.toLocaleString("en-US"), c.tokenRequests.toLocaleString("en-US"), discovery.toLocaleString("en-US"), c.result.failures, fmt(c.result.wallMs, 0)]);
    }
  }
  out.push(table(["runtime", "library", "calls", "token requests", "discovery requests", "failures", "wall ms"], ccrows), "");

  const heap = host ? r.runs[host]?.heap : undefined;
  if (heap) {
    out.push(`## Heap per credential (${runtimeLabel(r, host!)})`, "", "Credentials, each with a cached token, kept alive: heapUsed growth after forced GCs (`--expose-gc`) per credential. External memory (e.g. CryptoKey handles) shown apart.", "");
    out.push(table(["library", "credential", "heap bytes/credential", "external bytes/credential"], heap.map((h) => [h.library, KIND[h.kind], fmt(h.result.bytesPerCredential, 0), fmt(h.result.externalPerCredential, 0)])), "");
  }

  out.push("## Secret-only app bundled for Node (esbuild, platform node, minified, one file)", "");
  out.push(table(["library", "min", "gzip", "packages"], r.nodeBundles.map((b) => [b.library, kib(b.single.min), `${kib(b.single.gzip)} (${b.single.gzip.toLocaleString("en-US")} B)`, b.single.packages.length > 6 ? `${b.single.packages.length} packages` : list(b.single.packages)])), "");

  out.push("## How each library was configured", "");
  for (const [name, text] of Object.entries(r.configuration)) out.push(`- **${name}**: ${text}`);
  out.push("");
  return out.join("\n");
}

/** The summary table (README and RESULTS.md): one row per measurement, one column per library, the machine's Node. */
export function renderSummary(r: Results): string {
  const host = hostNode(r)!;
  const run = r.runs[host]!;
  const cached = (lib: LibraryName, kind: CredentialKind) => fmt(run.cached.find((c) => c.library === lib && c.kind === kind)?.result.nsPerCall, 0);
  const first = (lib: LibraryName, kind: CredentialKind) => {
    const f = run.first.find((c) => c.library === lib && c.kind === kind);
    return f?.result ? fmt(f.result.medianMs, 1) : "not supported";
  };
  const conc = (lib: LibraryName) => [100, 1000].map((n) => run.concurrency.find((c) => c.library === lib && c.count === n)?.tokenRequests.toLocaleString("en-US") ?? "–").join(" / ");
  const imp = (lib: LibraryName) => fmt(r.imports[host]?.find((i) => i.name === lib)?.medianMs, 1);
  const nodeBundle = (lib: LibraryName) => {
    const b = r.nodeBundles.find((x) => x.library === lib);
    return b ? kib(b.single.gzip) : "–";
  };
  const heap = (lib: LibraryName) => {
    const h = run.heap?.find((x) => x.library === lib && x.kind === "secret");
    return h ? `${fmt(h.result.bytesPerCredential / 1024, 1)} KiB` : "–";
  };
  const cpu = r.cpu[host];
  const w = (app: string, mode: WranglerMode) => worker(r, app, mode);
  const rows: string[][] = [
    ["import in a fresh process (ms)", ...LIBS.map(imp)],
    ["cached `getToken`, secret / PEM (ns per call)", ...LIBS.map((l) => `${cached(l, "secret")} / ${cached(l, "pem")}`)],
    ["first token of a new credential in a warm process, secret / PEM (ms)", ...LIBS.map((l) => `${first(l, "secret")} / ${first(l, "pem")}`)],
    ["… PFX / legacy PFX (ms)", ...LIBS.map((l) => (l === "entra-edge" ? `${first(l, "pfx")} / ${first(l, "legacy-pfx")}` : "not supported"))],
    ["cold start: import + first token in a fresh process, secret / PEM (ms)", ...LIBS.map((l) => ["secret", "pem"].map((k) => fmt(run.coldStart.find((c) => c.library === l && c.kind === k)?.medianMs, 0)).join(" / "))],
    [
      "CPU of the first token in a fresh process without the request: secret / PEM / PFX / legacy PFX (ms)",
      cpu ? (["secret", "pem", "pfx", "legacy-pfx"] as const).map((k) => fmt(cpu[k]?.libraryCpuMs, 0)).join(" / ") : "–",
      "–",
      "–",
    ],
    ["token requests for 100 / 1,000 concurrent cold calls", ...LIBS.map(conc)],
    ["secret-only Worker, wrangler `--minify` / default (gzip)", `${kib(w("secret", "minify")?.gzip)} / ${kib(w("secret", "default")?.gzip)}`, "–", "–"],
    ["PEM Worker, wrangler `--minify` (gzip, one file)", kib(w("pem", "minify")?.gzip), "–", "–"],
    ["secret-only app bundled for Node (esbuild, gzip)", ...LIBS.map(nodeBundle)],
    ["heap per cached credential (secret)", ...LIBS.map(heap)],
  ];
  return table([runtimeLabel(r, host), ...LIBS], rows);
}
