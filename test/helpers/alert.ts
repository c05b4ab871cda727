import { createHook, type HookConfig } from '../../src/hooks/registry.js';
import type { Hook } from '../../src/core/hook.js';
import { formatProblem, parseConfig } from '../../src/config/load-config.js';
import type { Alert, AlertPing } from '../../src/core/alert.js';
import { initialState } from '../../src/core/state.js';
import type { Store } from '../../src/store/store.js';

export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    event: 'down',
    monitor: { slug: 'nightly-backup', name: 'Nightly backup' },
    status: 'down',
    previous_status: 'late',
    reason: 'timeout',
    at: '2026-05-01T02:30:00.000Z',
    deadline: '2026-05-01T02:00:00.000Z',
    transition_id: 7,
    ping: null,
    last_ping_at: '2026-04-30T02:00:05.000Z',
    ...overrides,
  };
}

export function samplePing(overrides: Partial<AlertPing> = {}): AlertPing {
  return {
    at: '2026-05-01T02:10:00.000Z',
    kind: 'fail',
    exit_status: 2,
    output: 'pg_dump: error: connection refused',
    duration_ms: 61_000,
    value: null,
    ...overrides,
  };
}

/** A recovery of the sample monitor, by a success ping. */
export function sampleRecovery(): Alert {
  return sampleAlert({
    event: 'up',
    status: 'up',
    previous_status: 'down',
    reason: 'ping',
    at: '2026-05-01T03:00:00.000Z',
    deadline: null,
    ping: samplePing({
      at: '2026-05-01T03:00:00.000Z',
      kind: 'success',
      exit_status: 0,
      output: null,
    }),
    last_ping_at: '2026-05-01T03:00:00.000Z',
  });
}

/**
 * The config of hook `h`, given the lines under `h:` as they would be written in a config file
 * (indented by 4), with server.public-url set when `publicUrl` is given.
 */
export function hookConfigOf(
  lines: readonly string[],
  options: { readonly env?: Record<string, string>; readonly publicUrl?: string } = {},
): HookConfig {
  const server =
    options.publicUrl === undefined ? [] : ['server:', `  public-url: ${options.publicUrl}`];
  const text = [...server, 'hooks:', '  h:', ...lines.map((l) => `    ${l}`), ''].join('\n');
  const result = parseConfig(text, 'config.yaml', options.env ?? {});
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  const hook = result.config.hooks.get('h');
  if (hook === undefined) throw new Error('hook h is missing');
  return hook;
}

/** Hook `h` built from its config lines, ready to deliver. */
export function hookOf(
  lines: readonly string[],
  options: { readonly env?: Record<string, string>; readonly publicUrl?: string } = {},
): Hook {
  return createHook(hookConfigOf(lines, options));
}

/**
 * Queues `count` down alerts for `hook`, as the daemon does: a down transition of monitor `slug`
 * (added to the store) for each, and its outbox row. Returns the transition ids.
 */
export function queueDownAlerts(
  store: Store,
  hook: string,
  at: number,
  { count = 1, slug = 'nightly-backup' }: { count?: number; slug?: string } = {},
): number[] {
  const id = store.addMonitor(slug, initialState(at));
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = store.insertTransition(id, {
      slug,
      at,
      from: 'late',
      to: 'down',
      reason: 'timeout',
      deadlineAt: at,
      alert: 'down',
    });
    store.enqueueAlert(t, hook, JSON.stringify(sampleAlert({ transition_id: t })), at);
    ids.push(t);
  }
  return ids;
}
