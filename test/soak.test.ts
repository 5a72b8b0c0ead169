/**
 * The short soak (5 s) of `npm run soak` (test/soak.ts), on every runtime: 100 callers make 2,000
 * getToken calls while the emulator issues 3-second tokens with `refresh_in: 1` and answers 10% of
 * the token requests with a transient 503. Every call must get a token that is valid when
 * returned; token requests answered 200 stay within one per refresh interval (+ 2); every other
 * request is an injected 503 that was survived. The heap (after a full GC) must not grow by more
 * than 8 MB (2 MB over the second half) where the runtime lets us force a GC (Bun; Node and Deno
 * with gc exposed, as npm test runs them).
 */
import { test } from "./harness.ts";
import { formatSoak, heapProbe, runSoak, soakProblems } from "./support/soak.ts";

const CALLS = 2000;

test(`soak: 5 s, 100 callers, ${CALLS} calls, 3 s tokens refreshed every second, 10% transient 503s → every call gets a valid token`, async (t) => {
  const heap = heapProbe();
  const report = await runSoak({
    emulator: t.emulator,
    emulatorUrl: t.emulatorUrl,
    Credential: t.lib.ClientSecretCredential,
    id: t.id,
    durationMs: 5000,
    callers: 100,
    calls: CALLS,
    ...(heap ? { heap } : {}),
  });
  console.log(`    soak [${t.runtime}]: ${formatSoak(report).replace(/\n/g, "\n      ")}`);
  const problems = soakProblems(report, CALLS, 8 * 1024 * 1024);
  if (problems.length) throw new Error(problems.join("\n"));
}, { timeoutMs: 30_000 });
