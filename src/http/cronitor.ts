// Cronitor's telemetry parameters on overdue's slug URL: `/ping/<ping-key>/<slug>?state=...`, what
// the `cronitor` CLI and SDKs send to `https://cronitor.link/ping/<api-key>/<monitor-key>` (the
// npm package's lib/monitor.js: state, message, series, metric=name:value repeated, host, stamp,
// env; its docs add status_code). So a job moves by changing the host, with the ping key set to the
// old API key and the monitor's slug to the old monitor key.
import type { PingKind } from '../core/types.js';

/** What a Cronitor ping asks for, before it becomes overdue's ping. */
export interface CronitorPing {
  readonly kind: PingKind;
  readonly exitStatus: number | null;
  /** `series`: pairs a run's start and end, like `rid`. */
  readonly runId: string | null;
  readonly message: string | null;
  readonly durationMs: number | null;
  /** `metric=count:N`. */
  readonly value: number | null;
}

const STATES: Readonly<Record<string, PingKind>> = {
  run: 'start',
  complete: 'success',
  ok: 'success',
  fail: 'fail',
};

/** `metric=duration:N` (seconds), `count:N`, `error_count:N`; null when one is not a number. */
function metricsOf(query: URLSearchParams): Map<string, number> | null {
  const metrics = new Map<string, number>();
  for (const metric of query.getAll('metric')) {
    const colon = metric.indexOf(':');
    const value = Number(metric.slice(colon + 1));
    if (colon === -1 || metric.slice(colon + 1).trim() === '' || !Number.isFinite(value))
      return null;
    metrics.set(metric.slice(0, colon), value);
  }
  return metrics;
}

/**
 * The ping a URL with `?state=` asks for, or what is wrong with it; null without `state` (then it
 * is an ordinary slug URL). error_count, host, stamp and env are accepted and not recorded.
 */
export function cronitorPing(query: URLSearchParams): CronitorPing | string | null {
  const state = query.get('state');
  if (state === null) return null;
  const kind = STATES[state];
  if (kind === undefined) return 'invalid state: ?state= takes run, complete, fail or ok';
  const code = query.get('status_code');
  if (code !== null && !/^-?\d{1,9}$/.test(code))
    return 'invalid status_code: ?status_code= takes an exit status such as 0 or 1';
  const metrics = metricsOf(query);
  if (metrics === null) return 'invalid metric: ?metric= takes name:number, such as duration:12.5';
  const series = query.get('series');
  if (series !== null && series.length > 100) return 'invalid series: at most 100 characters';
  const exitStatus = code === null ? null : Number(code);
  const duration = metrics.get('duration');
  return {
    // A completed run with a non-zero exit status failed, whatever its state says.
    kind: kind === 'success' && exitStatus !== null && exitStatus !== 0 ? 'fail' : kind,
    exitStatus,
    runId: series === null || series === '' ? null : series,
    message: query.get('message'),
    durationMs: duration === undefined || kind === 'start' ? null : Math.round(duration * 1000),
    value: metrics.get('count') ?? null,
  };
}
