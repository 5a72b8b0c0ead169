/** The few runtime services a child process needs, on Node, Deno and Bun alike. */

declare const Deno: { args: string[]; exit(code?: number): never } | undefined;
declare const process: { argv: string[]; exit(code?: number): never; memoryUsage(): { heapUsed: number } } | undefined;

export function args(): string[] {
  return typeof Deno !== "undefined" ? Deno.args : process!.argv.slice(2);
}

export function exit(code: number): never {
  return typeof Deno !== "undefined" ? Deno.exit(code) : process!.exit(code);
}

export const now = (): number => performance.now();

/** Yields to the event loop (lets sockets settle between samples). */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
