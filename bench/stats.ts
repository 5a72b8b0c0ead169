/** Small statistics and formatting helpers shared by the harness (portable: no runtime APIs). */

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The spread as p25–p75, to show how noisy a median is. */
export function quartiles(values: number[]): [number, number] {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
  return [at(0.25), at(0.75)];
}

export function fmt(n: number | undefined, digits = 1): string {
  if (n === undefined || Number.isNaN(n)) return "–";
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return n.toFixed(digits);
}

export function kib(bytes: number | undefined): string {
  return bytes === undefined ? "–" : `${(bytes / 1024).toFixed(1)} KiB`;
}
