// Import time of one module in a fresh process: `node|bun|deno run import-probe.mjs <specifier>`,
// copied into the bench's install folder so a bare specifier resolves the installed package.
// Prints {"ms": …, "cpuMs": …}: from just before import() until it resolved (runtime start-up not included).
import process from "node:process";
const spec = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2];
const c0 = process.cpuUsage();
const t0 = performance.now();
await import(spec);
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000 }));
