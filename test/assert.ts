/**
 * Minimal assertions for the portable suite. `node:assert` is not available inside workerd without
 * `nodejs_compat`, so the suite carries its own.
 */

export class AssertionError extends Error {
  override name = "AssertionError" as const;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 200 ? value.slice(0, 200) + "…" : value);
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 300 ? text.slice(0, 300) + "…" : text;
  } catch {
    return String(value);
  }
}

let inspectError: ((error: unknown) => void) | undefined;

/** Installs a check applied to every error that `rejects` / `throws` catch (the secret scanner). */
export function setErrorInspector(fn: (error: unknown) => void): void {
  inspectError = fn;
}

export function ok(value: unknown, message = "expected a truthy value"): asserts value {
  if (!value) throw new AssertionError(`${message} (got ${show(value)})`);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? message + ": " : ""}expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function notEqual<T>(actual: T, expected: T, message?: string): void {
  if (Object.is(actual, expected)) {
    throw new AssertionError(`${message ? message + ": " : ""}expected a value other than ${show(expected)}`);
  }
}

function deepEq(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!deepEq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!deepEq(actual, expected)) {
    throw new AssertionError(`${message ? message + ": " : ""}expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function match(text: string, pattern: RegExp, message?: string): void {
  if (!pattern.test(text)) throw new AssertionError(`${message ? message + ": " : ""}${show(text)} does not match ${pattern}`);
}

export function notIncludes(haystack: string, needle: string, message?: string): void {
  if (needle && haystack.includes(needle)) {
    throw new AssertionError(`${message ? message + ": " : ""}text contains a forbidden value`);
  }
}

export function atLeast(actual: number, min: number, message?: string): void {
  if (!(actual >= min)) throw new AssertionError(`${message ? message + ": " : ""}expected ≥ ${min}, got ${actual}`);
}

export function atMost(actual: number, max: number, message?: string): void {
  if (!(actual <= max)) throw new AssertionError(`${message ? message + ": " : ""}expected ≤ ${max}, got ${actual}`);
}

export interface ErrorExpectation {
  name?: string;
  code?: string;
  message?: RegExp;
  /** Any other own properties to compare with deepEqual. */
  props?: Record<string, unknown>;
}

/** Asserts that `fn` (or the promise) rejects, checks the error, and returns it. */
export async function rejects(
  fnOrPromise: (() => unknown) | Promise<unknown>,
  expected: ErrorExpectation = {},
  message?: string,
): Promise<Error & Record<string, unknown>> {
  let error: unknown;
  let threw = false;
  try {
    await (typeof fnOrPromise === "function" ? fnOrPromise() : fnOrPromise);
  } catch (e) {
    threw = true;
    error = e;
  }
  if (!threw) throw new AssertionError(`${message ? message + ": " : ""}expected a rejection, but it resolved`);
  checkError(error, expected, message);
  return error as Error & Record<string, unknown>;
}

/** Asserts that `fn` throws synchronously and returns the error. */
export function throws(fn: () => unknown, expected: ErrorExpectation = {}, message?: string): Error & Record<string, unknown> {
  let error: unknown;
  let threw = false;
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    threw = true;
    error = e;
  }
  if (!threw) {
    if (result instanceof Promise) result.catch(() => {});
    throw new AssertionError(`${message ? message + ": " : ""}expected a synchronous throw`);
  }
  checkError(error, expected, message);
  return error as Error & Record<string, unknown>;
}

function checkError(error: unknown, expected: ErrorExpectation, message?: string): void {
  const prefix = message ? message + ": " : "";
  inspectError?.(error);
  if (!(error instanceof Error)) throw new AssertionError(`${prefix}expected an Error, got ${show(error)}`);
  if (expected.name !== undefined && error.name !== expected.name) {
    throw new AssertionError(`${prefix}expected ${expected.name}, got ${error.name}: ${error.message}`);
  }
  const rec = error as Error & Record<string, unknown>;
  if (expected.code !== undefined && rec.code !== expected.code) {
    throw new AssertionError(`${prefix}expected code ${expected.code}, got ${show(rec.code)} (${error.name}: ${error.message})`);
  }
  if (expected.message && !expected.message.test(error.message)) {
    throw new AssertionError(`${prefix}message ${show(error.message)} does not match ${expected.message}`);
  }
  for (const [k, v] of Object.entries(expected.props ?? {})) {
    if (!deepEq(rec[k], v)) throw new AssertionError(`${prefix}error.${k}: expected ${show(v)}, got ${show(rec[k])}`);
  }
}
