// Durations as people read them on the status page and in alerts: `250 ms`, `1.5s`, `1m 30s`,
// `2d 2h`. Pure: shared by the page and the alert texts so both say a run took the same time.

const UNITS: readonly (readonly [unit: string, ms: number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/**
 * `ms` in its two largest units (`1h 30m`, `1d 2h`); under a minute in seconds with a tenth kept
 * (`1.5s`: a run of 1.5 s must not read as 1 s or 2 s); under a second in ms. A negative `ms` reads
 * as its size.
 */
export function readableDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs === 0) return '0s';
  if (abs < 1_000) return `${Math.round(abs)} ms`;
  // Tenths of a second; 59.96 s rounds to 60.0 and so reads as `1m`.
  const tenths = Math.round(abs / 100);
  if (tenths < 600) return `${tenths / 10}s`;
  const rest = Math.round(abs / 1_000) * 1_000;
  for (const [i, [unit, size]] of UNITS.entries()) {
    if (rest < size) continue;
    const first = Math.floor(rest / size);
    const next = UNITS[i + 1];
    const second = next === undefined ? 0 : Math.floor((rest - first * size) / next[1]);
    return next !== undefined && second > 0
      ? `${first}${unit} ${second}${next[0]}`
      : `${first}${unit}`;
  }
  return `${Math.round(abs / 1_000)}s`;
}
