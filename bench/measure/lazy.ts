/**
 * When do the heavy dependencies load? (Node, with measure/load-log.mjs.) Steps: import
 * entra-edge; first token with a PEM certificate; first parse of a legacy PFX (timed: this cold
 * parse includes loading pkijs and the legacy ciphers); then warm legacy PFX parses. After each
 * step, the packages loaded so far are read from the load log.
 */
import { readFileSync } from "node:fs";
import type { ChildTask } from "../config.ts";
import { median } from "../stats.ts";
import { now } from "../runtime.ts";

export interface LazyResult {
  steps: { step: string; loaded: string[] }[];
  legacyParseColdMs: number;
  legacyParseWarmMs: number;
  pfxParseColdMs: number;
}

const WATCHED = ["pkijs", "asn1js", "jose", "@noble/hashes", "@peculiar/utils", "bytestreamjs", "pvtsutils", "pvutils"];

function loaded(): string[] {
  const text = readFileSync(process.env.BENCH_LOAD_LOG!, "utf8");
  return WATCHED.filter((p) => text.includes(`/node_modules/${p}/`));
}

function chunksLoaded(): string[] {
  const text = readFileSync(process.env.BENCH_LOAD_LOG!, "utf8");
  return [...new Set(text.split("\n").filter((l) => l.includes("entra-edge-bench/dist/")).map((l) => l.slice(l.lastIndexOf("/") + 1)))];
}

export async function measureLazy(task: ChildTask): Promise<LazyResult & { chunks: Record<string, string[]> }> {
  const steps: LazyResult["steps"] = [];
  const chunks: Record<string, string[]> = {};
  const record = (step: string) => {
    steps.push({ step, loaded: loaded() });
    chunks[step] = chunksLoaded();
  };
  const t = task.target;
  const mod = await import(task.entry);
  record("import entra-edge");
  const pem = new mod.ClientCertificateCredential(t.tenantId, t.clientId, { certificatePath: t.pemPath }, { authorityHost: t.url });
  await pem.getToken(t.scope);
  record("first token with a PEM certificate");
  let t0 = now();
  await mod.parseCertificate({ certificatePath: t.legacyPfxPath, certificatePassword: t.pfxPassword });
  const legacyParseColdMs = now() - t0;
  record("first legacy PFX parsed");
  t0 = now();
  await mod.parseCertificate({ certificatePath: t.pfxPath, certificatePassword: t.pfxPassword });
  const pfxParseColdMs = now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < 15; i++) {
    t0 = now();
    await mod.parseCertificate({ certificatePath: t.legacyPfxPath, certificatePassword: t.pfxPassword });
    warm.push(now() - t0);
  }
  return { steps, chunks, legacyParseColdMs, legacyParseWarmMs: median(warm), pfxParseColdMs };
}
