/**
 * Runs test/interop/interop.test.ts in this process, on Node, Bun or Deno:
 *
 *   NODE_EXTRA_CA_CERTS=<ca.pem> node --import tsx test/interop/run.ts
 *   NODE_EXTRA_CA_CERTS=<ca.pem> bun test/interop/run.ts
 *   DENO_CERT=<ca.pem> deno run --config deno.json --allow-net=127.0.0.1 --allow-read=. --allow-env test/interop/run.ts
 *
 * with INTEROP_EMULATOR_URL (an emulator served with `{ control: true }`), INTEROP_VAULT_URL and
 * INTEROP_ARM_URL (the HTTPS fakes), INTEROP_PROXY_URL (a CONNECT proxy to them) and the Key Vault
 * sign fake's INTEROP_SIGN_KEY_ID, INTEROP_SIGN_CERTIFICATE (PEM) and INTEROP_SIGN_TENANT set. test/tooling/interop.test.ts starts all of them, makes the
 * test CA, and runs this file on each runtime. The CA must be trusted when the runtime starts
 * (NODE_EXTRA_CA_CERTS is read once, at start-up), hence the separate process. Prints one line
 * per case, a `METRIC {json}` line per measured SDK call and `RESULT {"passed","failed"}`.
 */
import { connectEmulator } from "../../src/testing.ts";
import { reportUnhandledRejection, run, type Runtime, type RuntimeLib } from "../harness.ts";
import { metrics, targets } from "./interop.test.ts";

declare const Deno: { env: { get(name: string): string | undefined }; exit(code: number): never; cwd(): string } | undefined;
declare const Bun: unknown;
declare const process: { env: Record<string, string | undefined>; exit(code: number): never; on(e: string, f: (r: unknown) => void): void };

const runtime: Runtime = typeof Deno !== "undefined" ? "deno" : typeof Bun !== "undefined" ? "bun" : "node";
const env = (name: string): string | undefined => (typeof Deno !== "undefined" ? Deno.env.get(name) : process.env[name]);
const exit = (code: number): never => (typeof Deno !== "undefined" ? Deno.exit(code) : process.exit(code));

if (typeof Deno !== "undefined") {
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    reportUnhandledRejection(e.reason);
  });
} else {
  process.on("unhandledRejection", reportUnhandledRejection);
}

function required(name: string): string {
  const value = env(name);
  if (!value) {
    console.log(`test/interop/run.ts: ${name} is not set (run it through npm test, or see the header of this file)`);
    return exit(2);
  }
  return value;
}

const emulatorUrl = required("INTEROP_EMULATOR_URL");
targets.vaultUrl = required("INTEROP_VAULT_URL");
targets.armUrl = required("INTEROP_ARM_URL");
targets.proxyUrl = required("INTEROP_PROXY_URL");
targets.signKeyId = required("INTEROP_SIGN_KEY_ID");
targets.signCertificate = required("INTEROP_SIGN_CERTIFICATE");
targets.signTenant = required("INTEROP_SIGN_TENANT");

const lib = (runtime === "deno"
  ? await import("../../src/deno.ts")
  : runtime === "bun"
    ? await import("../../src/bun.ts")
    : await import("../../src/node.ts")) as RuntimeLib;

const result = await run(
  {
    runtime,
    lib,
    emulator: connectEmulator(emulatorUrl),
    emulatorUrl,
    closedUrl: "http://127.0.0.1:9",
    root: new URL("../..", import.meta.url).pathname.replace(/\/$/, ""),
  },
  { print: (line) => console.log(line) },
);
for (const m of metrics) console.log(`METRIC ${JSON.stringify({ runtime, ...m })}`);
console.log(`RESULT ${JSON.stringify({ passed: result.passed, failed: result.failed })}`);
exit(result.failed ? 1 : 0);
