// Durations as people write them in the config: `90s`, `5m`, `1h30m`, `7d`, `500ms`.

const unitMs = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof unitMs;

// Largest first: the order parseDuration requires and formatDuration writes.
const unitOrder: readonly Unit[] = ['w', 'd', 'h', 'm', 's', 'ms'];

// `ms` must be tried before `m`, or `500ms` would read as 500 minutes followed by garbage.
const part = /(\d+)(ms|w|d|h|m|s)/y;

/**
 * Milliseconds of a duration such as `1h30m`, or null when it is not one. Units must appear
 * largest first and at most once (`30m1h` and `1m1m` are more likely typos than intent). A bare
 * `0` is accepted, as Go's time.ParseDuration does, because zero needs no unit.
 */
export function parseDuration(s: string): number | null {
  if (s === '0') return 0;
  if (s === '') return null;
  part.lastIndex = 0;
  let total = 0;
  let nextUnit = 0;
  while (part.lastIndex < s.length) {
    const m = part.exec(s);
    if (m === null) return null;
    const unit = m[2] as Unit;
    const rank = unitOrder.indexOf(unit);
    if (rank < nextUnit) return null;
    nextUnit = rank + 1;
    total += Number(m[1]) * unitMs[unit];
  }
  return Number.isSafeInteger(total) ? total : null;
}

/**
 * The duration string for `ms`, largest unit first: 90000 -> `1m30s`, 0 -> `0s`. Weeks are used
 * only for whole weeks, since `365d` reads better than `52w1d`.
 */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`;
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  if (rest % unitMs.w === 0) return `${rest / unitMs.w}w`;
  let out = '';
  for (const unit of unitOrder.slice(1)) {
    const n = Math.floor(rest / unitMs[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * unitMs[unit];
    }
  }
  return out;
}
