/**
 * First token in a fresh credential: each sample builds a new credential and awaits its first
 * getToken (so: certificate load and key import, assertion signing, discovery where the library
 * does it, the HTTPS request). The process is warm (modules loaded, connection pool alive) after
 * the warm-up samples; the very first call of the process is reported as `coldMs`.
 *
 * For entra-edge the time is split where it can be measured: parse = parseCertificate on the same
 * source (file read, PEM/PFX parse, key import, thumbprints: what the credential does once),
 * sign = one jose CompactSign over the same claims with the imported key, HTTP = time inside fetch
 * (request, answer and body), measured by passing a timing `fetch`; the rest is the library's own
 * bookkeeping.
 */
import type { ChildTask } from "../config.ts";
import type { Factory } from "../libraries.ts";
import { median } from "../stats.ts";
import { now, tick } from "../runtime.ts";

export interface FirstTokenResult {
  medianMs: number;
  coldMs: number;
  /** How many getToken calls the child made in total (requests per token = server count / this). */
  calls: number;
  split?: { parseMs?: number; signMs?: number; httpMs: number; restMs: number; totalMs: number };
}

const WARMUP = 5;

export async function measureFirstToken(factory: Factory, task: ChildTask, ours?: Record<string, any>): Promise<FirstTokenResult> {
  const iterations = task.iterations ?? 15;
  // entra-edge only: a second credential per iteration with a timing fetch (the split). Plain
  // and instrumented samples alternate, so both see the same warm-up and the same load.
  let http = 0;
  const timingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const t0 = now();
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    http += now() - t0;
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }) as typeof fetch;
  const samples: number[] = [];
  const httpSamples: number[] = [];
  const totals: number[] = [];
  let cold = NaN;
  let calls = 0;
  for (let i = 0; i < WARMUP + iterations; i++) {
    const credential = factory(task.kind, task.target);
    let t0 = now();
    await credential.getToken();
    const ms = now() - t0;
    calls++;
    if (i === 0) cold = ms;
    if (i >= WARMUP) samples.push(ms);
    await tick();
    if (!ours) continue;
    const instrumented = factory(task.kind, task.target, { fetch: timingFetch });
    http = 0;
    t0 = now();
    await instrumented.getToken();
    const total = now() - t0;
    calls++;
    if (i >= WARMUP) {
      totals.push(total);
      httpSamples.push(http);
    }
    await tick();
  }
  const result: FirstTokenResult = { medianMs: median(samples), coldMs: cold, calls };
  if (!ours) return result;
  const httpMs = median(httpSamples);
  const totalMs = median(totals);
  if (task.kind === "secret") {
    result.split = { httpMs, restMs: totalMs - httpMs, totalMs };
    return result;
  }

  const t = task.target;
  const source =
    task.kind === "pem"
      ? { certificatePath: t.pemPath }
      : { certificatePath: task.kind === "pfx" ? t.pfxPath : t.legacyPfxPath, certificatePassword: t.pfxPassword };
  const parseSamples: number[] = [];
  let parsed: { privateKey: CryptoKey; x5t: string } | undefined;
  for (let i = 0; i < WARMUP + iterations; i++) {
    const t0 = now();
    parsed = await ours.parseCertificate(source);
    if (i >= WARMUP) parseSamples.push(now() - t0);
  }
  const { CompactSign } = await import("jose/jws/compact/sign");
  const signSamples: number[] = [];
  const audience = `${t.url}/${t.tenantId}/oauth2/v2.0/token`;
  for (let i = 0; i < WARMUP + iterations; i++) {
    const t0 = now();
    const seconds = Math.floor(Date.now() / 1000);
    const claims = { jti: crypto.randomUUID(), aud: audience, iss: t.clientId, sub: t.clientId, nbf: seconds, iat: seconds, exp: seconds + 600 };
    await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: "RS256", typ: "JWT", x5t: parsed!.x5t })
      .sign(parsed!.privateKey);
    if (i >= WARMUP) signSamples.push(now() - t0);
  }
  const parseMs = median(parseSamples);
  const signMs = median(signSamples);
  result.split = { parseMs, signMs, httpMs, restMs: Math.max(0, totalMs - parseMs - signMs - httpMs), totalMs };
  return result;
}
