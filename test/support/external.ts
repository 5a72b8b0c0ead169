/** The files of other projects in test/fixtures/external, with their manifest, as data (every runtime). */
import { externalFiles } from "../generated/external.ts";
import { fromBase64 } from "./fuzz.ts";

export interface ExternalEntry {
  file: string;
  source: string;
  password: string | null;
  kind: "pem" | "pfx";
  expected: { sha1?: string | string[]; keyBits?: number | number[]; error?: string[]; orError?: string[] };
}

export function externalBytes(file: string): Uint8Array {
  const b64 = externalFiles[file];
  if (b64 === undefined) throw new Error(`no external file ${file}`);
  return fromBase64(b64);
}

export const externalManifest: ExternalEntry[] = JSON.parse(new TextDecoder().decode(externalBytes("manifest.json")));

export async function sha1Hex(der: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-1", der as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
}

