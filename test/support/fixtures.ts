/** Certificate fixtures (made by openssl/keytool, see test/fixtures/make-certs.sh) as data. */
import { fixtureFiles } from "../generated/fixtures.ts";

export interface FixtureEntry {
  name: string;
  file: string;
  format: "pem" | "pfx";
  password: string | null;
  expect: string;
  description: string;
  leaf?: string;
  sha1?: string;
  sha256?: string;
  subject?: string;
  notBefore?: string;
  notAfter?: string;
  chainLength?: number;
  keyBits?: number;
}

function decode(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function fixtureBytes(file: string): Uint8Array {
  const b64 = fixtureFiles[file];
  if (b64 === undefined) throw new Error(`no fixture ${file}`);
  return decode(b64);
}

export function fixtureBase64(file: string): string {
  const b64 = fixtureFiles[file];
  if (b64 === undefined) throw new Error(`no fixture ${file}`);
  return b64;
}

export function fixtureText(file: string): string {
  return new TextDecoder().decode(fixtureBytes(file));
}

export const manifest: FixtureEntry[] = JSON.parse(fixtureText("manifest.json"));
export const goodFixtures = manifest.filter((e) => e.expect === "ok");
export const badFixtures = manifest.filter((e) => e.expect !== "ok");

export function fixture(name: string): FixtureEntry {
  const e = manifest.find((x) => x.name === name);
  if (!e) throw new Error(`no manifest entry ${name}`);
  return e;
}

/** The fixture's password as a source option (null in the manifest means "none given"). */
export function passwordOf(e: FixtureEntry): string | undefined {
  return e.password ?? undefined;
}

export function hexToBase64Url(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
