/**
 * The Deno adapter: files through Deno.readFile, environment through Deno.env. A missing
 * `--allow-read` / `--allow-env` becomes a CredentialUnavailableError that names the flag; what a
 * credential reads unasked (AZURE_AUTHORITY_HOST, through `variable`) only with a granted permission.
 */
import type { RuntimeAdapter } from "../../lib/runtime.ts";
import { CredentialUnavailableError } from "../../lib/errors.ts";
import { readAtMost } from "../../lib/stream.ts";
import type { DenoNamespace } from "./globals.d.ts";

declare const Deno: DenoNamespace;

/** Deno 2 throws NotCapable when a permission flag is missing (PermissionDenied is the OS saying no). */
function missingPermission(e: unknown): boolean {
  return e instanceof Error && e.name === "NotCapable";
}

export const denoRuntime: RuntimeAdapter = {
  name: "Deno",
  async readFile(path, limit, what) {
    try {
      return await readAtMost((await Deno.open(path)).readable, limit);
    } catch (e) {
      if (missingPermission(e)) {
        throw new CredentialUnavailableError(`Deno may not read the ${what ?? "certificate file"} "${path}": run with --allow-read=${path}${what ? "" : " (or pass the certificate contents instead of a path)"}.`);
      }
      throw e;
    }
  },
  env() {
    // Variables are read one by one on access, so granular --allow-env=AZURE_TENANT_ID,... works.
    return new Proxy({} as Record<string, string | undefined>, {
      get(_target, name) {
        if (typeof name !== "string") return undefined;
        try {
          return Deno.env.get(name);
        } catch (e) {
          if (missingPermission(e)) {
            throw new CredentialUnavailableError(`Deno may not read the environment variable ${name}: run with --allow-env (or --allow-env=${name},...), or pass { env } to the credential.`);
          }
          throw e;
        }
      },
    });
  },
  variable(name) {
    // Only a granted permission is used: Deno.env.get would prompt (on a terminal) or throw
    // (--no-prompt, no terminal) without one, and querySync itself never prompts.
    try {
      return Deno.permissions.querySync({ name: "env", variable: name }).state === "granted" ? Deno.env.get(name) : undefined;
    } catch {
      return undefined;
    }
  },
  envDenied: (names) => `Deno may not read ${names.join(", ")}: run with --allow-env=${names.join(",")} (or --allow-env), or pass { env } to the credential.`,
};
