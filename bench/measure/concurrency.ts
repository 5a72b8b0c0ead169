/**
 * N concurrent getToken calls on a fresh credential (empty cache) while the emulator delays each
 * token answer by 200 ms. The orchestrator counts the token requests the emulator received.
 */
import type { ChildTask } from "../config.ts";
import type { Factory } from "../libraries.ts";
import { now } from "../runtime.ts";

export interface ConcurrencyResult {
  calls: number;
  wallMs: number;
  failures: number;
  distinctTokens: number;
}

export async function measureConcurrency(factory: Factory, task: ChildTask): Promise<ConcurrencyResult> {
  const calls = task.count ?? 100;
  const credential = factory(task.kind, task.target);
  const t0 = now();
  const settled = await Promise.allSettled(Array.from({ length: calls }, () => credential.getToken()));
  const wallMs = now() - t0;
  const tokens = new Set<string>();
  let failures = 0;
  for (const s of settled) {
    if (s.status === "rejected") failures++;
    else {
      const v = s.value as { token?: string; accessToken?: string } | null;
      const token = v?.token ?? v?.accessToken;
      if (token) tokens.add(token);
    }
  }
  return { calls, wallMs, failures, distinctTokens: tokens.size };
}
