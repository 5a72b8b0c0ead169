/**
 * Property-based fuzzing of the certificate parsers (fast-check). Every loader entry — DER
 * `decode`, `parseX509`, `rsaOfPkcs8`, `pkcs1ToPkcs8`, `decryptPkcs8`, `readPkcs12`, `parsePem` and
 * `parseCertificate` with bytes, PEM text and base64 — gets random bytes and mutations of every
 * fixture (bit flips, truncation, insertion/deletion, hostile DER lengths, deep nesting, iteration
 * counts far above the cap, swapped OIDs, mangled PEM text), PFX mutations mostly with the MAC
 * recomputed so they reach the contents. The property: each input loads or is refused with a
 * `CertificateError` — never another exception, nor one that only loadCertificate's last-resort
 * wrapper turned into a CertificateError — and no call takes longer than 2 s, or on a slower or
 * loaded machine the time of 20 reference workloads measured right after it (test/support/work-clock.ts:
 * bounded work, not wall speed). Iteration counts at the cap are timed by a test of their own.
 *
 * Two generators go after whole classes rather than mutations of one input: PEM text built by a
 * grammar (RFC 1421 header sections with and without their blank line, long runs of `X:` lines,
 * text on the BEGIN line, CR / LF / CRLF mixes, white space, BOM, noise, interleaved blocks — the
 * class of the header-regex ReDoS; a well-formed rendering must give the seed's outcome), and the
 * byte-input parsers fed views into larger buffers (offset views, Buffer-like views whose slice()
 * does not copy, real pooled Node Buffers where the runtime has them), which must give the same
 * outcome as an exact copy — the class of the pooled-Buffer PFX bug.
 *
 * Runs per property: FUZZ_RUNS, else 2,000 on Node and 300 elsewhere (test/run.ts sets 300 for the
 * pinned Node 22/24 builds: the deep run is on this machine's Node); seed: FUZZ_SEED, else
 * random. Both are printed with each property's result, so a failure can be replayed with
 * `FUZZ_SEED=<seed> TEST_FILTER=fuzz npm test -- --runtime <runtime>`. `npm run fuzz` runs many
 * more on Node. Inputs that once broke a parser are replayed from test/fixtures/fuzz-regressions.ts.
 */
import fc from "fast-check";
import { decode } from "../src/certificate/der.ts";
import { parsePem } from "../src/certificate/pem.ts";
import { decryptPkcs8 } from "../src/certificate/encrypted-key.ts";
import { pkcs1ToPkcs8, rsaOfPkcs8 } from "../src/certificate/pkcs8.ts";
import { MAX_ITERATIONS } from "../src/lib/limits.ts";
import { readPkcs12 } from "../src/certificate/pkcs12.ts";
import { parseX509 } from "../src/certificate/x509.ts";
import { CertificateError } from "../src/certificate/error.ts";
import { equal, ok } from "./assert.ts";
import { regressions, type RegressionTarget } from "./fixtures/fuzz-regressions.ts";
import { test, type TestContext } from "./harness.ts";
import { fixtureBytes, fixtureText, manifest } from "./support/fixtures.ts";
import { describeLimit, overLimit, type WorkLimit } from "./support/work-clock.ts";
import {
  int,
  pemPlanArb,
  renderPem,
  viewFor,
  viewPlanArb,
  mutateDer,
  mutatePem,
  mutatePfx,
  mutationsArb,
  parseTree,
  pemBlock,
  pemBlocks,
  randomBytesArb,
  randomTextArb,
  remac,
  serialize,
  textMutationArb,
  toBase64,
  toHex,
  type Node,
} from "./support/fuzz.ts";

/**
 * The bound every single parser call must stay under: 2 s, or (when the machine is slower or
 * loaded) 20 times a reference workload (one key derivation at the iteration cap) timed right
 * after the call. The slowest legitimate inputs take 4–11 of them (100 shrouded keys: KdfBudget's
 * 4 derivations at the cap); unbounded work at the regressions' sizes took 122–179
 * (test/support/work-clock.ts).
 */
const LIMIT: WorkLimit = { fastMs: 2_000, units: 20 };
/** What "refused at once" allows: 0.5 s, or 3 reference workloads (a derivation at 2^31-1 iterations would take ~3,600). */
const AT_ONCE: WorkLimit = { fastMs: 500, units: 3 };

// ── the corpus: every fixture file, and the DER inside the PEM ones ───────────────────────────

interface Seed<T> {
  name: string;
  data: T;
  password?: string;
}

const files = [...new Set(manifest.map((e) => e.file))];
const passwordFor = (file: string) => {
  const entry = manifest.find((e) => e.file === file && e.expect === "ok") ?? manifest.find((e) => e.file === file);
  return entry?.password ?? undefined;
};
const pfxSeeds: Seed<Uint8Array>[] = files
  .filter((f) => manifest.some((e) => e.file === f && e.format === "pfx") && fixtureBytes(f).length > 0)
  .map((f) => ({ name: f, data: fixtureBytes(f), password: passwordFor(f) }));
const pemFiles = [...files.filter((f) => manifest.some((e) => e.file === f && e.format === "pem")), ...manifest.flatMap((e) => (e.leaf ? [e.leaf] : []))];
const pemSeeds: Seed<string>[] = [...new Set(pemFiles)].filter((f) => fixtureBytes(f).length > 0).map((f) => ({ name: f, data: fixtureText(f), password: passwordFor(f) }));

const derSeeds = { cert: [] as Seed<Uint8Array>[], pkcs8: [] as Seed<Uint8Array>[], pkcs1: [] as Seed<Uint8Array>[], encrypted: [] as Seed<Uint8Array>[] };
const seen = new Set<string>();
for (const s of pemSeeds) {
  for (const { label, der } of pemBlocks(s.data)) {
    const key = label + toHex(der).slice(0, 400) + der.length;
    if (seen.has(key)) continue;
    seen.add(key);
    const seed = { name: `${s.name}:${label}`, data: der, password: s.password };
    if (label === "CERTIFICATE") derSeeds.cert.push(seed);
    else if (label === "PRIVATE KEY") {
      derSeeds.pkcs8.push(seed);
      // the PKCS#1 key inside the PKCS#8 wrapper
      const inner = parseTree(der)?.children?.[2];
      if (inner?.children?.[0]) derSeeds.pkcs1.push({ name: `${seed.name}:PKCS#1`, data: serialize(inner.children[0]) });
    } else if (label === "RSA PRIVATE KEY") derSeeds.pkcs1.push(seed);
    else if (label === "ENCRYPTED PRIVATE KEY") derSeeds.encrypted.push(seed);
  }
}
const allDer = [...pfxSeeds, ...derSeeds.cert, ...derSeeds.pkcs8, ...derSeeds.pkcs1, ...derSeeds.encrypted];

// ── inputs ─────────────────────────────────────────────────────────────────────────────────────

/** What a property feeds its parser: data, a password, and a short description for messages. */
interface Input<T> {
  data: T;
  password?: string;
  what: string;
}

type PasswordChoice = "fixture" | "none" | "empty" | "wrong";
const passwordArb = fc.oneof({ weight: 6, arbitrary: fc.constant<PasswordChoice>("fixture") }, fc.constantFrom<PasswordChoice>("none", "empty", "wrong"));
const choosePassword = (seed: Seed<unknown>, c: PasswordChoice) => (c === "fixture" ? seed.password : c === "none" ? undefined : c === "empty" ? "" : "wrong");

const describeMutations = (ms: readonly { op: string; a: number; b: number }[]) => ms.map((m) => `${m.op}(${m.a},${m.b})`).join("+");

function randomInput(): fc.Arbitrary<Input<Uint8Array>> {
  return fc.tuple(randomBytesArb, passwordArb).map(([data, p]) => ({ data, password: p === "fixture" ? undefined : p === "wrong" ? "wrong" : undefined, what: `random ${data.length} bytes` }));
}

function derInput(seeds: Seed<Uint8Array>[]): fc.Arbitrary<Input<Uint8Array>> {
  return fc.tuple(fc.nat(seeds.length - 1), mutationsArb, passwordArb).map(([i, ms, p]) => {
    const seed = seeds[i]!;
    return { data: mutateDer(seed.data, ms), password: choosePassword(seed, p), what: `${seed.name} ${describeMutations(ms)}` };
  });
}

/** PFX mutations: mostly inside the AuthenticatedSafe with the MAC recomputed, sometimes raw. */
function pfxInput(): fc.Arbitrary<Input<Uint8Array>> {
  return fc.tuple(fc.nat(pfxSeeds.length - 1), mutationsArb, passwordArb, fc.boolean()).map(([i, ms, p, raw]) => {
    const seed = pfxSeeds[i]!;
    const data = raw ? mutateDer(seed.data, ms) : mutatePfx(seed.data, ms, seed.password);
    return { data, password: choosePassword(seed, p), what: `${seed.name} ${raw ? "" : "re-MACed "}${describeMutations(ms)}` };
  });
}

function pemInput(): fc.Arbitrary<Input<string>> {
  return fc.tuple(fc.nat(pemSeeds.length - 1), fc.array(textMutationArb, { minLength: 1, maxLength: 3 }), passwordArb).map(([i, ms, p]) => {
    const seed = pemSeeds[i]!;
    let text = seed.data;
    for (const m of ms) text = mutatePem(text, m);
    return { data: text, password: choosePassword(seed, p), what: `${seed.name} ${ms.map((m) => `${m.op}(${m.a},${m.b})`).join("+")}` };
  });
}

const randomTextInput = (): fc.Arbitrary<Input<string>> => randomTextArb.map((data) => ({ data, what: `random text of ${data.length} chars` }));

/** Base64 of mutated PFX or random bytes, sometimes damaged or re-wrapped. */
function base64Input(): fc.Arbitrary<Input<string>> {
  const damage = fc.constantFrom("none", "none", "lines", "url", "strip-padding", "bad-char", "spaces", "cut");
  return fc.tuple(fc.oneof({ weight: 4, arbitrary: pfxInput() }, randomInput()), damage, fc.nat()).map(([input, d, n]) => {
    let b64 = toBase64(input.data);
    const at = b64.length ? n % b64.length : 0;
    if (d === "lines") b64 = b64.replace(/(.{64})/g, "$1\r\n");
    else if (d === "url") b64 = b64.replace(/\+/g, "-").replace(/\//g, "_");
    else if (d === "strip-padding") b64 = b64.replace(/=+$/, "");
    else if (d === "bad-char") b64 = b64.slice(0, at) + "*" + b64.slice(at);
    else if (d === "spaces") b64 = ` \n${b64}\t `;
    else if (d === "cut") b64 = b64.slice(0, at);
    return { data: b64, password: input.password, what: `base64 (${d}) of ${input.what}` };
  });
}

// ── the property ───────────────────────────────────────────────────────────────────────────────

interface Stats {
  outcomes: Map<string, number>;
  slowest: { ms: number; what: string };
  /** Time spent in the parser calls (the rest is generating inputs). */
  ms: number;
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}\n${(e.stack ?? "").split("\n").slice(1, 6).join("\n")}`;
  return `${typeof e}: ${String(e)}`;
}

/**
 * Runs one parser call: it must succeed or throw a CertificateError, within LIMIT. Returns the
 * outcome and the call's own time (without the reference workloads a slow call is weighed by).
 */
async function check(what: string, call: () => unknown, stats?: Stats): Promise<{ outcome: string; ms: number }> {
  const started = performance.now();
  let outcome = "loaded";
  try {
    // A differential property returns the outcome it compared ("loaded …" or a code).
    const result = await call();
    if (typeof result === "string") outcome = result.split(" ")[0]!;
  } catch (e) {
    if (!(e instanceof CertificateError)) throw new Error(`not a CertificateError (${what}): ${describeError(e)}`);
    // loadCertificate's last resort wraps anything else a parser threw: that is a finding too.
    if (e.message.endsWith("it could not be parsed.")) throw new Error(`a parser threw ${describeError(e.cause)} (${what})`);
    outcome = e.code;
  }
  const ms = performance.now() - started;
  const over = await overLimit(ms, LIMIT);
  if (over) throw new Error(`${over}: ${what}`);
  if (stats) {
    stats.outcomes.set(outcome, (stats.outcomes.get(outcome) ?? 0) + 1);
    stats.ms += ms;
    if (ms > stats.slowest.ms) stats.slowest = { ms, what };
  }
  return { outcome, ms };
}

function settings(t: TestContext): { runs: number; seed: number } {
  const runs = t.fuzz?.runs ?? (t.runtime === "node" ? 2_000 : 300);
  const seed = t.fuzz?.seed ?? Math.floor(Math.random() * 0x7fffffff);
  return { runs, seed };
}

/** Registers one fuzz property over a parser. */
function fuzz<I extends Input<unknown>>(name: string, input: fc.Arbitrary<I>, call: (input: I, t: TestContext) => unknown): void {
  test(
    `fuzz: ${name} loads or throws CertificateError within ${describeLimit(LIMIT)} (seed and runs printed)`,
    async (t) => {
      const { runs, seed } = settings(t);
      const stats: Stats = { outcomes: new Map(), slowest: { ms: 0, what: "" }, ms: 0 };
      let failing: I | undefined;
      let failure: unknown;
      const started = performance.now();
      try {
        await fc.assert(
          fc.asyncProperty(input, async (i) => {
            try {
              await check(i.what, () => call(i, t), stats);
            } catch (e) {
              failing = i;
              failure = e;
              throw e;
            }
          }),
          { numRuns: runs, seed, endOnFailure: true },
        );
      } catch (e) {
        if (failing) {
          const data = failing.data;
          const hex = typeof data === "string" ? JSON.stringify(data.slice(0, 20_000)) : toHex(data as Uint8Array).slice(0, 40_000);
          console.log(`  [${t.runtime}] fuzz: ${name}: seed ${seed}, ${runs} runs — FAILED on ${failing.what} (password ${JSON.stringify(failing.password)}), input: ${hex}`);
          throw new Error(`seed ${seed}: ${failing.what.slice(0, 300)}: ${failure instanceof Error ? failure.message : String(failure)}`, { cause: e });
        }
        throw e;
      }
      const total = [...stats.outcomes.values()].reduce((a, b) => a + b, 0);
      equal(total, runs, "every run was checked");
      const outcomes = [...stats.outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ");
      console.log(
        `  [${t.runtime}] fuzz: ${name}: seed ${seed}, ${runs} runs in ${((performance.now() - started) / 1000).toFixed(1)} s (${(stats.ms / 1000).toFixed(1)} s parsing) — ${outcomes}; slowest ${Math.round(stats.slowest.ms)} ms (${stats.slowest.what.slice(0, 120)})`,
      );
    },
    { timeoutMs: 3_600_000 },
  );
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

fuzz("der decode", fc.oneof(randomInput(), derInput(allDer)), (i) => decode(i.data));
fuzz("x509 parseX509", fc.oneof(randomInput(), { weight: 4, arbitrary: derInput(derSeeds.cert) }), (i) => parseX509(i.data));
fuzz("pkcs8 rsaOfPkcs8", fc.oneof(randomInput(), { weight: 4, arbitrary: derInput(derSeeds.pkcs8) }), (i) => rsaOfPkcs8(i.data));
fuzz("pkcs8 pkcs1ToPkcs8", fc.oneof(randomInput(), { weight: 4, arbitrary: derInput(derSeeds.pkcs1) }), (i) => {
  const pkcs8 = pkcs1ToPkcs8(i.data);
  rsaOfPkcs8(pkcs8); // what it produced is a PKCS#8 RSA key again
});
fuzz("pkcs8 decryptPkcs8", fc.oneof(randomInput(), { weight: 4, arbitrary: derInput(derSeeds.encrypted) }), (i) => decryptPkcs8(i.data, i.password));
fuzz("pkcs12 readPkcs12", fc.oneof(randomInput(), { weight: 5, arbitrary: pfxInput() }), (i) => readPkcs12(i.data, i.password));
fuzz("pem parsePem", fc.oneof(randomTextInput(), { weight: 4, arbitrary: pemInput() }), (i) => parsePem(i.data));
fuzz(
  "parseCertificate(bytes)",
  fc.oneof(randomInput(), { weight: 3, arbitrary: pfxInput() }, { weight: 2, arbitrary: pemInput().map((i) => ({ ...i, data: bytesOf(i.data) })) }),
  (i, t) => {
    // The three byte forms: bare bytes, { certificate: bytes }, { certificate: ArrayBuffer }.
    if (i.data.length % 3 === 0) return t.lib.parseCertificate(i.data, i.password);
    const certificate = i.data.length % 3 === 1 ? i.data : i.data.slice().buffer;
    return t.lib.parseCertificate({ certificate, certificatePassword: i.password });
  },
);
fuzz("parseCertificate(PEM text)", fc.oneof(randomTextInput(), { weight: 5, arbitrary: pemInput() }), (i, t) =>
  // A bare string is PEM text only when it has a BEGIN line (otherwise it is a path).
  i.data.includes("-----BEGIN ") && i.data.length % 2 ? t.lib.parseCertificate(i.data, i.password) : t.lib.parseCertificate({ certificate: i.data, certificatePassword: i.password }),
);
fuzz("parseCertificate(base64)", base64Input(), (i, t) => t.lib.parseCertificate({ certificate: i.data, certificatePassword: i.password }));

// ── PEM by grammar ─────────────────────────────────────────────────────────────────────────────

const grammarSeeds = pemSeeds.map((s) => ({ ...s, blocks: pemBlocks(s.data) })).filter((s) => s.blocks.length > 0);
const canonical = (blocks: { label: string; der: Uint8Array }[]) => blocks.map((b) => pemBlock(b.label, b.der)).join("");

interface GrammarInput extends Input<string> {
  blocks: { label: string; der: Uint8Array }[];
  wellFormed: boolean;
}

function grammarInput(): fc.Arbitrary<GrammarInput> {
  return fc
    .nat(grammarSeeds.length - 1)
    .chain((i) => fc.tuple(fc.constant(i), pemPlanArb(grammarSeeds[i]!.blocks.length), passwordArb))
    .map(([i, plan, p]) => {
      const seed = grammarSeeds[i]!;
      const { text, wellFormed } = renderPem(seed.blocks, plan);
      const headers = plan.blocks.map((b) => b.headers.length).join("/");
      return {
        data: text,
        blocks: seed.blocks,
        wellFormed,
        password: choosePassword(seed, p),
        what: `${seed.name} by grammar (${plan.lineEnds}, headers ${headers}, tails ${plan.blocks.map((b) => JSON.stringify(b.beginTail) + (b.breakAfterBegin ? "↵" : "")).join("/")}${plan.interleave ? ", interleaved" : ""}${wellFormed ? ", well-formed" : ""})`,
      };
    });
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, k) => x === b[k]);

fuzz("pem parsePem on PEM built by a grammar (a well-formed rendering gives the seed's blocks)", grammarInput(), (i) => {
  const blocks = parsePem(i.data);
  if (i.wellFormed) {
    equal(blocks.map((b) => b.label).join(","), i.blocks.map((b) => b.label).join(","), `${i.what}: labels`);
    blocks.forEach((b, k) => ok(sameBytes(b.der, i.blocks[k]!.der), `${i.what}: block ${k} decodes to the seed's DER`));
  }
});

/** Outcome of a call: "loaded <summary>" or the CertificateError code; anything else is thrown. */
async function outcomeOf(call: () => unknown, summary: (v: unknown) => string = () => ""): Promise<string> {
  try {
    return `loaded ${summary(await call())}`;
  } catch (e) {
    if (e instanceof CertificateError) return e.code;
    throw e;
  }
}

fuzz("parseCertificate(PEM built by a grammar) — a well-formed rendering gives the canonical text's outcome", grammarInput(), async (i, t) => {
  const thumb = (c: unknown) => (c as { sha1Thumbprint: string }).sha1Thumbprint;
  const got = await outcomeOf(() => t.lib.parseCertificate({ certificate: i.data, certificatePassword: i.password }), thumb);
  if (i.wellFormed) {
    const want = await outcomeOf(() => t.lib.parseCertificate({ certificate: canonical(i.blocks), certificatePassword: i.password }), thumb);
    equal(got, want, i.what);
  }
  return got;
});

// ── bytes as views into larger buffers (pooled Node Buffers) ──────────────────────────────────

type ByteTarget = "decode" | "parseX509" | "rsaOfPkcs8" | "pkcs1ToPkcs8" | "decryptPkcs8" | "readPkcs12" | "parseCertificate";

const hexOf = (b: Uint8Array) => toHex(b).slice(0, 64) + `/${b.length}`;
const BYTE_TARGETS: Record<ByteTarget, { seeds: Seed<Uint8Array>[]; run(data: Uint8Array, password: string | undefined, t: TestContext): Promise<unknown> | unknown; summary(v: unknown): string }> = {
  decode: { seeds: allDer, run: (d) => decode(d), summary: (v) => hexOf((v as { raw: Uint8Array }).raw) },
  parseX509: { seeds: derSeeds.cert, run: (d) => parseX509(d), summary: (v) => `${(v as { subject: string }).subject} ${hexOf((v as { der: Uint8Array }).der)}` },
  rsaOfPkcs8: { seeds: derSeeds.pkcs8, run: (d) => rsaOfPkcs8(d), summary: (v) => hexOf((v as { modulus: Uint8Array }).modulus) },
  pkcs1ToPkcs8: { seeds: derSeeds.pkcs1, run: (d) => pkcs1ToPkcs8(d), summary: (v) => hexOf(v as Uint8Array) },
  decryptPkcs8: { seeds: derSeeds.encrypted, run: (d, p) => decryptPkcs8(d, p), summary: (v) => hexOf(v as Uint8Array) },
  readPkcs12: {
    seeds: pfxSeeds,
    run: (d, p) => readPkcs12(d, p),
    summary: (v) => {
      // (items are { der } since keys and certificates carry their bag attributes; plain bytes before)
      const der = (x: Uint8Array | { der: Uint8Array }) => (x instanceof Uint8Array ? x : x.der);
      const r = v as { keys: (Uint8Array | { der: Uint8Array })[]; certs: (Uint8Array | { der: Uint8Array })[] };
      return `${r.keys.map((k) => hexOf(der(k))).join(",")} | ${r.certs.map((c) => hexOf(der(c))).join(",")}`;
    },
  },
  parseCertificate: {
    seeds: [...pfxSeeds, ...pemSeeds.map((s) => ({ ...s, data: bytesOf(s.data) }))],
    run: (d, p, t) => t.lib.parseCertificate({ certificate: d, certificatePassword: p }),
    summary: (v) => `${(v as { sha1Thumbprint: string }).sha1Thumbprint} ${(v as { chain: unknown[] }).chain.length}`,
  },
};

function viewInput(): fc.Arbitrary<Input<Uint8Array> & { target: ByteTarget; view: Uint8Array }> {
  const targets = Object.keys(BYTE_TARGETS) as ByteTarget[];
  return fc
    .constantFrom(...targets)
    .chain((target) => {
      const seeds = BYTE_TARGETS[target].seeds;
      const data = fc.oneof({ weight: 3, arbitrary: fc.tuple(fc.nat(seeds.length - 1), passwordArb).map(([i, p]) => ({ seed: seeds[i]!, data: seeds[i]!.data, p, what: "as is" })) }, fc.tuple(fc.nat(seeds.length - 1), mutationsArb, passwordArb).map(([i, ms, p]) => ({ seed: seeds[i]!, data: mutateDer(seeds[i]!.data, ms), p, what: describeMutations(ms) })));
      return fc.tuple(fc.constant(target), data, viewPlanArb);
    })
    .map(([target, d, plan]) => ({
      target,
      data: d.data,
      view: viewFor(d.data, plan),
      password: choosePassword(d.seed, d.p),
      what: `${target}(${d.seed.name} ${d.what}) as a ${plan.kind} view (${plan.before} before, ${plan.after} after, ${plan.fill})`,
    }));
}

fuzz("byte parsers given views into larger buffers (pooled Buffers) — the same outcome as an exact copy", viewInput(), async (i, t) => {
  const { run, summary } = BYTE_TARGETS[i.target];
  const exact = await outcomeOf(() => run(new Uint8Array(i.data), i.password, t), summary);
  const viewed = await outcomeOf(() => run(i.view, i.password, t), summary);
  equal(viewed, exact, `${i.what}: a view must parse like the bytes it shows`);
  return viewed;
});

// ── iteration counts at and above the cap, in the real fixtures ────────────────────────────────

/** Every INTEGER that follows an OCTET STRING (PBKDF2 / PBE salt + count, MacData salt + count). */
function iterationSites(root: Node): { node: Node; inMac: boolean }[] {
  const out: { node: Node; inMac: boolean }[] = [];
  const walk = (n: Node, inMac: boolean) => {
    n.children?.forEach((c, i) => {
      if (c.ident[0] === 0x02 && i > 0 && n.children![i - 1]!.ident[0] === 0x04) out.push({ node: c, inMac });
      walk(c, inMac);
    });
  };
  root.children?.forEach((c, i) => walk(c, i === 2));
  return out;
}

interface CapCase {
  what: string;
  call: () => unknown;
}

/**
 * A fixture with the iteration count at one site set to `value`: bag counts with the MAC
 * recomputed (so the bag is really derived), or with the MAC removed (so no password given means
 * both empty-password encodings are tried, the most work a file can ask for per item).
 */
function capCases(value: number, files: readonly string[], options: { noMac: boolean; pem: number }, t: TestContext): CapCase[] {
  const cases: CapCase[] = [];
  for (const seed of pfxSeeds.filter((s) => files.includes(s.name) && parseTree(s.data))) {
    const count = iterationSites(parseTree(seed.data)!).length;
    for (let k = 0; k < count; k++) {
      const tree = parseTree(seed.data)!;
      const site = iterationSites(tree)[k]!;
      if (site.inMac && options.noMac) continue;
      site.node.content = int(value);
      let kind = site.inMac ? "MAC" : "bag";
      if (!site.inMac && options.noMac) {
        tree.children!.splice(2, 1);
        kind = "bag, no MAC";
      } else if (!site.inMac) remac(tree, seed.password);
      const bytes = serialize(tree);
      cases.push({ what: `${seed.name} ${kind} #${k} at ${value}`, call: () => readPkcs12(bytes, seed.password) });
      if (site.inMac || options.noMac) cases.push({ what: `${seed.name} ${kind} #${k} at ${value}, no password`, call: () => t.lib.parseCertificate(bytes) });
    }
  }
  for (const seed of derSeeds.encrypted.slice(0, options.pem)) {
    const tree = parseTree(seed.data)!;
    for (const site of iterationSites(tree)) site.node.content = int(value);
    const bytes = serialize(tree);
    cases.push({ what: `${seed.name} PBKDF2 at ${value}`, call: () => decryptPkcs8(bytes, seed.password) });
  }
  return cases;
}

/**
 * Fixtures timed at the cap: on Node the OpenSSL 3 (SHA-256 MAC, PBES2), legacy (SHA-1 MAC, RC2 +
 * 3DES), Windows (3DES) and keytool (10,000) shapes, elsewhere the first two (each case takes
 * 0.1–0.6 s, so CI stays short).
 */
const CAP_FILES = ["pfx-openssl3-default.pfx", "pfx-legacy.pfx", "pfx-3des-sha1.pfx", "pfx-keytool.p12"];

test(
  `fuzz: iteration counts at the cap (${MAX_ITERATIONS}) are computed within ${describeLimit(LIMIT)}; 2^31-1 and 10^9 are refused without being computed`,
  async (t) => {
    const timings: string[] = [];
    let slowest = { ms: 0, what: "" };
    const refused = new Map<string, number>();
    for (const value of [MAX_ITERATIONS, 2 ** 31 - 1, 1_000_000_000]) {
      const cases =
        value === MAX_ITERATIONS
          ? t.runtime === "node"
            ? [...capCases(value, CAP_FILES, { noMac: false, pem: 3 }, t), ...capCases(value, CAP_FILES.slice(1, 2), { noMac: true, pem: 0 }, t)]
            : [...capCases(value, CAP_FILES.slice(0, 2), { noMac: false, pem: 1 }, t), ...capCases(value, CAP_FILES.slice(1, 2), { noMac: true, pem: 0 }, t)]
          : capCases(value, pfxSeeds.map((s) => s.name), { noMac: false, pem: 4 }, t);
      ok(cases.length >= 12, `iteration sites found (${cases.length})`);
      for (const c of cases) {
        const { outcome, ms } = await check(c.what, c.call);
        if (value > MAX_ITERATIONS) {
          // Refused by the cap, or by the MAC the patch invalidated — never computed.
          ok(["ERR_CERT_UNSUPPORTED_ALGORITHM", "ERR_CERT_BAD_PASSWORD", "ERR_CERT_PASSWORD_REQUIRED"].includes(outcome), `${c.what}: ${outcome}`);
          const over = await overLimit(ms, AT_ONCE);
          ok(!over, `${c.what} is refused at once (${over})`);
          refused.set(outcome, (refused.get(outcome) ?? 0) + 1);
          if (outcome === "ERR_CERT_UNSUPPORTED_ALGORITHM") {
            // …and the refusal says what to do (review 6, L1: the MAC's and PBKDF2's did not)
            const message = await Promise.resolve().then(c.call).then(() => "", (e: Error) => e.message);
            ok(/ Re-export it with fewer \(OpenSSL's default is 2048\): openssl pkcs12 -export -iter 2048 |Re-encrypt it with PBES2/.test(message), `${c.what}: the refusal says what to do: ${message}`);
          }
        } else {
          timings.push(`${c.what.replace(` at ${value}`, "")}: ${Math.round(ms)} ms`);
          if (ms > slowest.ms) slowest = { ms, what: c.what };
        }
      }
    }
    console.log(
      `  [${t.runtime}] fuzz: at the cap (${MAX_ITERATIONS} iterations) the slowest input took ${Math.round(slowest.ms)} ms (${slowest.what}); ` +
        `over the cap: ${[...refused].map(([k, v]) => `${k} ${v}`).join(", ")}\n    ${timings.join("\n    ")}`,
    );
  },
  { timeoutMs: 300_000 },
);

// ── replayed regressions ───────────────────────────────────────────────────────────────────────

const callers: Record<RegressionTarget, (data: Uint8Array | string, password: string | undefined, t: TestContext) => unknown> = {
  decode: (d) => decode(d as Uint8Array),
  parseX509: (d) => parseX509(d as Uint8Array),
  rsaOfPkcs8: (d) => rsaOfPkcs8(d as Uint8Array),
  pkcs1ToPkcs8: (d) => pkcs1ToPkcs8(d as Uint8Array),
  decryptPkcs8: (d, p) => decryptPkcs8(d as Uint8Array, p),
  readPkcs12: (d, p) => readPkcs12(d as Uint8Array, p),
  parsePem: (d) => parsePem(d as string),
  parseCertificate: (d, p, t) => t.lib.parseCertificate(typeof d === "string" ? { certificate: d, certificatePassword: p } : d, p),
};

test(`fuzz: regression inputs (${regressions.length}) get their expected outcome within ${describeLimit(LIMIT)}`, async (t) => {
  const lines: string[] = [];
  for (const r of regressions) {
    const data = await r.input();
    for (const target of r.targets) {
      const { outcome, ms } = await check(`${r.name} → ${target}`, () => callers[target](data, r.password, t));
      lines.push(`${r.name} → ${target}: ${outcome} in ${Math.round(ms)} ms`);
      if (r.expect[target]) equal(outcome, r.expect[target], `${r.name} → ${target}`);
    }
  }
  console.log(`  [${t.runtime}] fuzz: regressions:\n    ${lines.join("\n    ")}`);
}, { timeoutMs: 120_000 });
