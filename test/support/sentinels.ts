/**
 * The secret scanner. Secrets the tests use (client secrets, certificate passwords, private key
 * material) are registered as sentinels; every error caught by `rejects`/`throws` and every logger
 * event collected with `collectLogs` is scanned — message, stack, `cause` chain and properties —
 * for a sentinel or for anything shaped like a JWT (assertions and access tokens). A find fails the
 * running test. Active for the whole suite on every runtime.
 */
import { AssertionError, setErrorInspector } from "../assert.ts";
import { afterEach } from "../harness.ts";
import { fixtureText, manifest } from "./fixtures.ts";

const sentinels = new Set<string>();
const leaks: string[] = [];
/** Two base64url segments starting with `{"` and a third: a compact JWS (assertion or token). */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/;

export function registerSentinel(value: string): void {
  if (value.length >= 8) sentinels.add(value);
}

/** Every string reachable from a value: message, stack, cause chain, own properties (enumerable or not). */
export function everyText(value: unknown, seen = new Set<unknown>()): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value !== "object" && typeof value !== "function") return String(value);
  if (seen.has(value)) return "";
  seen.add(value);
  const parts: string[] = [];
  if (value instanceof Error) parts.push(String(value.message), String(value.stack ?? ""));
  for (const key of Reflect.ownKeys(value)) {
    let v: unknown;
    try {
      v = (value as Record<PropertyKey, unknown>)[key];
    } catch {
      continue;
    }
    parts.push(String(key), everyText(v, seen));
  }
  return parts.join("\n");
}

/** Returns a description of the first leak in `text`, if any. */
export function findLeak(text: string): string | undefined {
  for (const s of sentinels) {
    if (text.includes(s) || text.includes(encodeURIComponent(s))) return `a registered secret (${s.slice(0, 4)}…)`;
  }
  if (JWT.test(text)) return "a JWT (client assertion or access token)";
  return undefined;
}

export function scan(value: unknown, where: string): void {
  const leak = findLeak(everyText(value));
  if (leak) leaks.push(`${where} contains ${leak}`);
}

setErrorInspector((error) => {
  const leak = findLeak(everyText(error));
  if (leak) throw new AssertionError(`an error contains ${leak}: ${error instanceof Error ? error.name : typeof error}`);
});

afterEach(() => {
  if (leaks.length) {
    const found = leaks.splice(0);
    throw new AssertionError(`secret leak: ${found.join("; ")}`);
  }
});

// Fixture secrets: the password every encrypted fixture uses, and private key material.
registerSentinel("Fixture-P@ss1");
for (const e of manifest) {
  if (!e.file.endsWith(".pem")) continue;
  const text = fixtureText(e.file);
  for (const m of text.matchAll(/-----BEGIN ([A-Z ]*PRIVATE KEY)-----([\s\S]*?)-----END/g)) {
    const body = m[2]!.replace(/^[A-Za-z-]+:.*$/gm, "").replace(/\s+/g, "");
    registerSentinel(body.slice(40, 104));
    registerSentinel(body.slice(-80, -16));
  }
}
