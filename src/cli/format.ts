/** Text formatting for the CLI's output: aligned fields, relative times. */

/** `label:` padded to `width`, then the value: one line. */
export function field(label: string, value: string, width = 16): string {
  return `  ${(label + ":").padEnd(width)}${value}\n`;
}

/**
 * A duration relative to now, for humans: `in 59 min`, `in 2 h 5 min`, `in 94 years`,
 * `3 days ago`.
 *
 * @example
 * ```ts
 * relative(Date.now() + 3_540_000); // "in 59 min"
 * ```
 */
function relative(timestamp: number, now = Date.now()): string {
  const ms = timestamp - now;
  const text = span(Math.abs(ms));
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

function span(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const days = Math.floor(h / 24);
  if (days < 730) return `${days} days`;
  return `${Math.floor(days / 365.25)} years`;
}

/** An ISO date with its relative time: `2026-11-27T07:12:00.000Z (in 59 min)`. */
export function when(date: Date | number, now = Date.now()): string {
  const d = typeof date === "number" ? new Date(date) : date;
  return `${d.toISOString()} (${relative(d.getTime(), now)})`;
}
