// Import time of one module in a fresh process: `node|bun|deno run import-probe.mjs <specifier>`.
// Prints {"ms": …}: from just before import() until it resolved (runtime start-up not included).
const spec = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2];
const t0 = performance.now();
await import(spec);
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms }));
