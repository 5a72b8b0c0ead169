/**
 * The file glue of the CLI on runtimes with Node's `fs` (Node, and Bun, which implements it):
 * writing the CA file of `entra-edge emulator --tls` into a private temporary folder, and removing
 * it at exit.
 *
 * @module
 */
import type { CliIO } from "../../cli/io.ts";

interface NodeFs {
  writeFile(path: string, text: string, options: { mode: number }): Promise<void>;
  rm(path: string, options: { recursive: boolean; force: boolean }): Promise<void>;
  mkdtemp(prefix: string): Promise<string>;
}

/**
 * `writeFile`, `removeFile` and `tempDir` of the CLI's IO, with `node:fs/promises` and `node:os`.
 *
 * @example
 * ```ts
 * await runCli({ ...io, ...nodeFiles });
 * ```
 */
export const nodeFiles: Required<Pick<CliIO, "writeFile" | "removeFile" | "tempDir">> = {
  async writeFile(path, text) {
    // @ts-ignore -- Node's types are not loaded in the core's type check; the shapes used are above
    const fs = (await import("node:fs/promises")) as unknown as NodeFs;
    await fs.writeFile(path, text, { mode: 0o644 });
  },
  async removeFile(path) {
    // @ts-ignore -- as above
    const fs = (await import("node:fs/promises")) as unknown as NodeFs;
    await fs.rm(path, { recursive: true, force: true });
  },
  async tempDir() {
    // @ts-ignore -- as above
    const fs = (await import("node:fs/promises")) as unknown as NodeFs;
    // @ts-ignore -- as above
    const os = (await import("node:os")) as unknown as { tmpdir(): string };
    return fs.mkdtemp(`${os.tmpdir()}/entra-edge-emulator-`);
  },
};
