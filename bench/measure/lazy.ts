/**
 * When do the heavy parts load? (Node, with measure/load-log.mjs, on the installed package.)
 * Steps: import entra-edge; the first token with a PEM certificate; the first PFX parsed. After
 * each step the child reports every module URL loaded so far (from the load log); the
 * orchestrator maps them to the packages inside each file (bench/layout.ts).
 */
import { readFileSync } from "node:fs";
import type { ChildTask } from "../config.ts";

export interface LazySteps {
  steps: { step: string; urls: string[] }[];
}

function loaded(): string[] {
  const text = readFileSync(process.env.BENCH_LOAD_LOG!, "utf8");
  return [...new Set(text.split("\n").filter((l) => l.startsWith("file:")))];
}

export async function measureLazy(task: ChildTask): Promise<LazySteps> {
  const steps: LazySteps["steps"] = [];
  const t = task.target;
  const mod = await import(task.entry);
  steps.push({ step: "import entra-edge", urls: loaded() });
  const pem = new mod.ClientCertificateCredential(t.tenantId, t.clientId, { certificatePath: t.pemPath }, { authorityHost: t.url });
  await pem.getToken(t.scope);
  steps.push({ step: "first token with a PEM certificate", urls: loaded() });
  await mod.parseCertificate({ certificatePath: t.legacyPfxPath, certificatePassword: t.pfxPassword });
  steps.push({ step: "first PFX parsed", urls: loaded() });
  return { steps };
}
