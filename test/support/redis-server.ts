/**
 * A redis-server of its own on a free 127.0.0.1 port, without persistence (Node and Bun): for the
 * runner's Redis token store (test/run.ts) and for a test that kills its server mid-run
 * (Platform.ownRedis, test/support/platform.ts). The caller waits for it as it needs.
 *
 * @example
 * ```ts
 * const { port, child } = await spawnRedisServer();
 * child.kill();
 * ```
 */
export async function spawnRedisServer(): Promise<{ port: number; child: import("node:child_process").ChildProcess }> {
  const { spawn } = await import("node:child_process");
  const { createServer } = await import("node:net");
  const free = createServer();
  await new Promise<void>((r) => free.listen(0, "127.0.0.1", r));
  const port = (free.address() as { port: number }).port;
  await new Promise((r) => free.close(r));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  return { port, child };
}
