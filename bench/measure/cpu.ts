/**
 * CPU of the first token in a fresh process, on the installed package: `process.cpuUsage()`, so
 * every thread of the process counts (main thread, JIT compiler threads, GC helpers, the thread
 * pool that runs WebCrypto jobs).
 *
 * `cpu` — the real path, what an app does: `import("entra-edge")`, a credential, its first
 * `getToken` through a timing `fetch` (the CPU spent inside that fetch is the token request: the
 * runtime's HTTP client, TLS and the request itself), then `parseCertificate` again: the second
 * parse in the process and the median of `count` more (the repeat parse).
 *
 * `cpu-parts` — the same path in parts, each timed alone, in a fresh process: import entra-edge;
 * import the jose chunk; import the PKCS#12 chunk (asn1js, the PKCS#12 reader, the legacy ciphers) — the very
 * files the credential would load next, so it finds them loaded; then the first `getToken`, split
 * where it calls fetch: before (certificate, assertion, request), inside (the token request),
 * after (answer, cache). With `profile` (Node), the part before the request runs under V8's
 * sampling profiler, and its main-thread samples are split by the function they are in (see
 * {@link CATEGORIES}): MAC, bag decryption, PKCS#12 structure, key import, signing, …
 */
import type { ChildTask, CredentialKind, Target } from "../config.ts";
import { entraEdge } from "../libraries.ts";
import { median } from "../stats.ts";
import { cpuNow, mainThreadCpuNow, now } from "../runtime.ts";

export interface CpuResult {
  /** `import("entra-edge")`. */
  importCpuMs: number;
  /** From after the import until the token: credential, certificate, signature, token request. */
  tokenCpuMs: number;
  /** CPU inside `fetch` (and reading the answer's body). */
  fetchCpuMs: number;
  /** Import + token. */
  totalCpuMs: number;
  /** Import + token − the token request: what the library itself costs. */
  libraryCpuMs: number;
  /** Of the token: before the first fetch (certificate, assertion, request) and after the answer (JSON, cache). */
  beforeRequestCpuMs: number;
  afterAnswerCpuMs: number;
  /** The same on the main thread alone (where the runtime can tell): the rest ran on other threads (JIT compilers, GC, WebCrypto's pool). */
  libraryMainThreadCpuMs?: number;
  importMs: number;
  tokenMs: number;
  /** pem / pfx: the second parseCertificate in the process, and the median of the next `count`. */
  secondParseCpuMs?: number;
  repeatParseCpuMs?: number;
  repeatParseMs?: number;
}

/**
 * The floor of a PEM first token, measured like {@link CpuResult} in a fresh process: the bare
 * assertion with no library — the PEM text in hand (read before the clock), jose loaded the way
 * entra-edge loads it on that runtime (Node, Bun: the very jose chunk of the installed
 * dist/bundled/; Deno: `jose/jws/compact/sign` from the install folder, as dist/deno.js imports it),
 * then WebCrypto: `importKey` of the PKCS#8 key, the certificate's SHA-1 digest (`x5t`), jose's
 * RS256 `CompactSign` of the claims, and the form body. What entra-edge adds to a PEM token is its figure minus
 * this one (the file read, PEM / X.509 / key checks, the credential, the request and the answer).
 */
export interface CpuFloorResult {
  /** `import()` of jose. */
  joseCpuMs: number;
  /** The first WebCrypto call: `importKey("pkcs8")` (on Node, WebCrypto's internals load here). */
  importKeyCpuMs: number;
  /** SHA-1 digest, CompactSign (RS256 sign) and the form body. */
  signCpuMs: number;
  /** All of it: the floor of the PEM first token's *library* CPU. */
  totalCpuMs: number;
}

export interface CpuPartsResult {
  /** Part name → CPU ms, in the order measured. */
  parts: { name: string; cpuMs: number }[];
  /** With `profile`: the main-thread samples of getToken before the request and after the answer, by category (fractions of the sampled, non-idle time). */
  beforeShares?: Record<string, number>;
  beforeSampledMs?: number;
  afterShares?: Record<string, number>;
  afterSampledMs?: number;
}

/**
 * A fetch that adds up the CPU spent inside it (request, answer and body) and notes the process
 * and main-thread CPU when it was first called and last returned.
 */
function timingFetch(): { fetch: typeof fetch; cpuMs: () => number; firstCall: () => number; lastReturn: () => number; mainAtFirstCall: () => number | undefined; mainAtLastReturn: () => number | undefined } {
  let cpu = 0;
  let first = 0;
  let last = 0;
  let mainFirst: number | undefined;
  let mainLast: number | undefined;
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    if (!first) mainFirst = mainThreadCpuNow();
    const c0 = cpuNow();
    first ||= c0;
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    last = cpuNow();
    mainLast = mainThreadCpuNow();
    cpu += last - c0;
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }) as typeof fetch;
  return { fetch: f, cpuMs: () => cpu, firstCall: () => first, lastReturn: () => last, mainAtFirstCall: () => mainFirst, mainAtLastReturn: () => mainLast };
}

export function certificateSource(kind: CredentialKind, t: Target): { certificatePath: string; certificatePassword?: string } {
  if (kind === "pem") return { certificatePath: t.pemPath };
  return { certificatePath: kind === "pfx" ? t.pfxPath : t.legacyPfxPath, certificatePassword: t.pfxPassword };
}

export async function measureCpu(task: ChildTask): Promise<CpuResult> {
  const m0 = mainThreadCpuNow();
  const c0 = cpuNow();
  const w0 = now();
  const { factory, module } = await entraEdge(task.entry);
  const c1 = cpuNow();
  const w1 = now();
  const timing = timingFetch();
  const credential = factory(task.kind, task.target, { fetch: timing.fetch });
  await credential.getToken();
  const c2 = cpuNow();
  const w2 = now();
  const m2 = mainThreadCpuNow();
  const result: CpuResult = {
    importCpuMs: c1 - c0,
    tokenCpuMs: c2 - c1,
    fetchCpuMs: timing.cpuMs(),
    totalCpuMs: c2 - c0,
    libraryCpuMs: c2 - c0 - timing.cpuMs(),
    beforeRequestCpuMs: timing.firstCall() - c1,
    afterAnswerCpuMs: c2 - timing.lastReturn(),
    importMs: w1 - w0,
    tokenMs: w2 - w1,
  };
  // The main thread outside fetch: from before the import to the first request, and from the last answer to the token.
  const mf = timing.mainAtFirstCall();
  const ml = timing.mainAtLastReturn();
  if (m0 !== undefined && m2 !== undefined && mf !== undefined && ml !== undefined) result.libraryMainThreadCpuMs = mf - m0 + (m2 - ml);
  if (task.kind === "secret") return result;
  const source = certificateSource(task.kind, task.target);
  let c = cpuNow();
  await module.parseCertificate(source);
  result.secondParseCpuMs = cpuNow() - c;
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < (task.count ?? 15); i++) {
    c = cpuNow();
    const w = now();
    await module.parseCertificate(source);
    cpu.push(cpuNow() - c);
    wall.push(now() - w);
  }
  result.repeatParseCpuMs = median(cpu);
  result.repeatParseMs = median(wall);
  return result;
}

export async function measureCpuParts(task: ChildTask): Promise<CpuPartsResult> {
  const parts: CpuPartsResult["parts"] = [];
  let c = 0;
  const part = (name: string, until = cpuNow()) => {
    parts.push({ name, cpuMs: until - c });
    c = until;
  };
  const profiler = task.profile ? await startProfiler(task.chunks?.jose) : undefined;
  c = cpuNow();
  const { factory } = await entraEdge(task.entry);
  part("load entra-edge");
  if (task.kind !== "secret") {
    await import(task.chunks!.jose);
    part("load jose (its chunk)");
    if (task.kind !== "pem") {
      await import(task.chunks!.pkcs12);
      part("load the PFX path (asn1js, PKCS#12 reader, legacy ciphers: its chunk)");
    }
  }
  const out: CpuPartsResult = { parts };
  // The first getToken, split where it calls fetch: the work before (certificate, assertion,
  // request), the request itself, the work after (answer, cache). The profile covers the first.
  let started = 0;
  let ended = 0;
  let inside = 0;
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    if (!started) {
      if (profiler) {
        const { shares, sampledMs } = await profiler.stop();
        out.beforeShares = shares;
        out.beforeSampledMs = sampledMs;
      }
      started = cpuNow();
    }
    const c0 = cpuNow();
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    const wrapped = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    if (profiler) await profiler.start();
    const c1 = cpuNow();
    inside += c1 - c0;
    ended = c1;
    return wrapped;
  }) as typeof fetch;
  const credential = factory(task.kind, task.target, { fetch: f });
  if (profiler) await profiler.start();
  c = cpuNow();
  await credential.getToken();
  const done = cpuNow();
  if (profiler) {
    const { shares, sampledMs } = await profiler.stop();
    out.afterShares = shares;
    out.afterSampledMs = sampledMs;
    profiler.close();
  }
  part(task.kind === "secret" ? "getToken before the request (request, first use of runtime APIs)" : "getToken before the request: certificate, assertion, request", started);
  parts.push({ name: "token request (inside fetch: HTTP client, TLS, request)", cpuMs: inside });
  parts.push({ name: "getToken after the answer (JSON, cache)", cpuMs: done - ended });
  return out;
}

/**
 * Where the first getToken's main-thread time goes before it calls fetch and after the answer: each sample is put in
 * the category of the innermost function on its stack that names one — the functions of
 * src/certificate/ (kept by the unminified bundle), jose's chunk, Node's loader of its own
 * built-in modules. Thread-pool work (WebCrypto PBKDF2, digests, signatures) is not on the main
 * thread: it is spread over the categories in proportion when the shares are applied to the CPU.
 */
/** The redactor's closure is named `replace`, like String.prototype.replace: told apart by its script. */
export const REDACTION = "secret redaction (token/redact.ts)";
export const CATEGORIES: [RegExp, string][] = [
  [/^(compileForInternalLoader|requireBuiltin)$/, "Node built-ins loaded on first use"],
  [/^(verifyMac|verifyPbmac1)\d*$/, "MAC (PKCS#12 key derivation + HMAC)"],
  [/^(decryptWithAny|pbeDecrypt|decryptPkcs8|pbes2Decrypt|des3CbcDecrypt|rc2CbcDecrypt|legacyDecrypt)\d*$/, "bag decryption"],
  [/^importSigningKey\d*$/, "key import (WebCrypto)"],
  [/^(thumbprints|assertionThumbprints|digestOf)\d*$/, "thumbprints (WebCrypto digests)"],
  [/^(screen|oversized)\d*$/, "length screen before asn1js (oversized OIDs and strings)"],
  [/^(readPkcs12|readBags|safeContents|parsed|parseBer|pfxOf|encryptedDataOf|macDataOf)\d*$/, "PKCS#12 structure (asn1js, pkcs12.ts's walk)"],
  [/^(redactor|char|literal)\d*$/, REDACTION],
  [/^(parseAnswer|readLimited)\d*$/, "reading the answer (parseAnswer, readLimited)"],
  [/^(parseX509|rsaOfPkcs8|rsaOfPkcs1|readRsaPublic|orderChain|fromPem|parsePem|pkcs1ToPkcs8|loadUnchecked|looksLikePem|loadCertificate|sourceInput|checkedBytes|checkedText|pairsOf|choose|keyIds|attributesOf)\d*$/, "PEM, X.509 and key checks"],
  [/^(readPath|readFileWith)\d*$/, "file read"],
];
export const SIGNING = "signing (jose, WebCrypto sign)";
/** Node's ES module loader at work: the lazy chunks loaded on the way (legacy ciphers). */
export const MODULES = "loading lazy chunks (Node's module loader)";
export const GC = "garbage collection";
export const OTHER = "request, credential, promise glue";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function classify(profile: Profile, joseUrl?: string): { shares: Record<string, number>; sampledMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string | null>();
  const categoryOf = (id: number): string | null => {
    if (memo.has(id)) return memo.get(id)!;
    const name = byId.get(id)!.callFrame.functionName;
    let category: string | null;
    if (name === "(idle)") category = null;
    else if (name === "(garbage collector)") category = GC;
    else {
      const url = byId.get(id)!.callFrame.url;
      const hit =
        joseUrl && url === joseUrl
          ? SIGNING
          : name === "replace" && url.includes("/entra-edge/")
            ? REDACTION
            : url.startsWith("node:internal/modules/")
              ? MODULES
              : CATEGORIES.find(([re]) => re.test(name))?.[1];
      const up = parent.get(id);
      category = hit ?? (up === undefined ? OTHER : categoryOf(up) ?? OTHER);
    }
    memo.set(id, category);
    return category;
  };
  const time = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const category = categoryOf(profile.samples[i]!);
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    if (category === null) continue;
    time.set(category, (time.get(category) ?? 0) + us);
    total += us;
  }
  const shares: Record<string, number> = {};
  for (const [k, v] of time) shares[k] = total ? v / total : 0;
  return { shares, sampledMs: total / 1000 };
}

async function startProfiler(joseUrl?: string): Promise<{ start(): Promise<void>; stop(): Promise<ReturnType<typeof classify>>; close(): void }> {
  const inspector = await import("node:inspector");
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (err: Error | null, r?: unknown) => (err ? reject(err) : resolve(r as T))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 100 });
  return {
    start: () => post("Profiler.start"),
    close: () => session.disconnect(),
    async stop() {
      const { profile } = await post<{ profile: Profile }>("Profiler.stop");
      return classify(profile, joseUrl);
    },
  };
}

/** Base64 body of the first PEM block with this label. */
function pemBlock(text: string, label: string): Uint8Array<ArrayBuffer> {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(text);
  if (!m) throw new Error(`bench floor: no ${label} block in the PEM file`);
  return Uint8Array.from(atob(m[1]!.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

declare const Deno: unknown;

export async function measureCpuFloor(task: ChildTask): Promise<CpuFloorResult> {
  const { readFile } = await import("node:fs/promises");
  const pem = await readFile(task.target.pemPath, "utf8");
  const t = task.target;
  const joseUrl = typeof Deno !== "undefined" ? "jose/jws/compact/sign" : task.chunks!.jose;
  const c0 = cpuNow();
  const { CompactSign } = (await import(joseUrl)) as typeof import("jose");
  const c1 = cpuNow();
  const key = await crypto.subtle.importKey("pkcs8", pemBlock(pem, "PRIVATE KEY"), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  const c2 = cpuNow();
  const sha1 = new Uint8Array(await crypto.subtle.digest("SHA-1", pemBlock(pem, "CERTIFICATE")));
  const x5t = btoa(String.fromCharCode(...sha1)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const audience = `${t.url}/${t.tenantId}/oauth2/v2.0/token`;
  const now = Math.floor(Date.now() / 1000);
  const claims = { jti: crypto.randomUUID(), aud: audience, iss: t.clientId, sub: t.clientId, nbf: now, iat: now, exp: now + 600 };
  const assertion = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: "RS256", typ: "JWT", x5t }).sign(key);
  const body = new URLSearchParams({
    client_id: t.clientId,
    scope: t.scope,
    grant_type: "client_credentials",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  }).toString();
  const c3 = cpuNow();
  if (!body.includes(assertion.slice(-8))) throw new Error("bench floor: the body does not carry the assertion");
  return { joseCpuMs: c1 - c0, importKeyCpuMs: c2 - c1, signCpuMs: c3 - c2, totalCpuMs: c3 - c0 };
}
