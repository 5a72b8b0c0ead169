/**
 * The emulator's clock: real time plus an offset the test moves. Everything time-dependent in the
 * emulator reads it — certificate and secret validity, assertion `exp`/`nbf`, issued tokens'
 * `iat`/`nbf`/`exp`, error timestamps, the request log — so expiry paths are testable without
 * waiting.
 *
 * @module
 */

/**
 * A time as `Date`, epoch milliseconds or an ISO 8601 string (what JSON carries over the control API).
 *
 * @example
 * ```ts
 * import type { EmulatorTime } from "entra-edge/testing";
 *
 * const times: EmulatorTime[] = [new Date(), Date.now() + 3_600_000, "2030-01-01T00:00:00Z"];
 * ```
 */
export type EmulatorTime = Date | number | string;

/**
 * Reads a time given as a `Date`, epoch milliseconds or an ISO 8601 string; a `TypeError` names
 * `what` for anything else.
 */
export function toMillis(value: EmulatorTime, what: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`emulator: ${what} must be a Date, epoch milliseconds or an ISO 8601 string`);
  return ms;
}

/**
 * The clock tests move (`emulator.clock`). It keeps running: `set()` and `advance()` shift it from
 * real time, `reset()` goes back to real time.
 *
 * @example
 * ```ts
 * emulator.clock.advance(2 * 3600_000);            // two hours later
 * emulator.clock.set("2030-01-01T00:00:00Z");      // a secret's end date has passed
 * emulator.clock.now();                            // epoch milliseconds, as the emulator sees them
 * emulator.clock.reset();                          // real time again
 * ```
 */
export class EmulatorClock {
  #offset = 0;

  /**
   * The emulator's current time in epoch milliseconds.
   *
   * @example
   * ```ts
   * const seconds = Math.floor(emulator.clock.now() / 1000);
   * ```
   */
  now(): number {
    return Date.now() + this.#offset;
  }

  /**
   * Makes the emulator's time `time` (it keeps running from there).
   *
   * @example
   * ```ts
   * emulator.clock.set(new Date("2031-06-01T12:00:00Z"));
   * ```
   */
  set(time: EmulatorTime): void {
    this.#offset = toMillis(time, "clock.set(time)") - Date.now();
  }

  /**
   * Moves the emulator's time by `ms` (negative goes back).
   *
   * @example
   * ```ts
   * emulator.clock.advance(3_600_000); // an hour later
   * ```
   */
  advance(ms: number): void {
    if (typeof ms !== "number" || !Number.isFinite(ms)) throw new TypeError("emulator: clock.advance(ms) needs a finite number of milliseconds");
    this.#offset += ms;
  }

  /**
   * Back to real time.
   *
   * @example
   * ```ts
   * emulator.clock.reset();
   * ```
   */
  reset(): void {
    this.#offset = 0;
  }
}

/** Entra's timestamp format: `2026-11-27 06:00:00Z`. */
export function entraTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
}

/** The .NET round-trip format Entra uses in descriptions: `2024-10-02T22:05:03.6755165Z`. */
export function dotnetTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/** The key-validity format of AADSTS700027's "Found key": `01/28/2018 16:00:00`. */
export function keyDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
