// One attempt of a grouped hook (`group:`): the alerts of several outbox rows delivered as one
// (deliverGroup), one result for all of them, and each row's own outcome from it (its backoff,
// its give-up by its age). And what the dispatcher counts and logs of the attempts of a turn: a
// grouped attempt is one log line, not one per alert.
import type { Counters, DeliveryVerdict } from '../core/counters.js';
import type { Alert } from '../core/alert.js';
import { failed, type DeliveryResult, type Hook } from '../core/hook.js';
import type { GroupAttempt, OutboxItem } from '../engine/ports.js';
import type { Logger } from '../platform/log.js';
import { finish, logAttempt, logOutput, parse, resultOf, runAttempt } from './attempt.js';
import type { AttemptOptions, Finished } from './attempt.js';

/** How many monitors a group's log line names; the rest are counted. */
const LOGGED_MONITORS = 20;

/**
 * Delivers the rows' alerts as one. A row whose payload is not an alert is left out of the group
 * and gets a failed attempt of its own, as it would ungrouped.
 */
export async function runGroupAttempt(
  items: readonly OutboxItem[],
  hook: Hook,
  o: AttemptOptions,
): Promise<Finished[]> {
  const alerts: { item: OutboxItem; alert: Alert }[] = [];
  const unread: Promise<Finished>[] = [];
  for (const item of items) {
    const alert = parse(item.payload);
    if (alert instanceof Error) unread.push(runAttempt(item, hook, o));
    else alerts.push({ item, alert });
  }
  if (alerts.length === 0) return Promise.all(unread);
  // Started in this turn, as an ungrouped delivery is: the alerts waited their window already.
  const startedAt = o.now();
  const result = await deliverGroup(
    alerts.map((a) => a.alert),
    hook,
  );
  const attempt = { ...result, at: startedAt, durationMs: o.now() - startedAt };
  const size = alerts.length;
  const group: GroupAttempt = { hook: alerts[0]?.item.hook ?? hook.name, attempt, size };
  const finished = await Promise.all(unread);
  for (const { item, alert } of alerts)
    finished.push(finish(item, alert.monitor?.slug ?? null, attempt, o, group));
  return finished;
}

async function deliverGroup(alerts: readonly Alert[], hook: Hook): Promise<DeliveryResult> {
  try {
    if (hook.deliverGroup === undefined) return failed('the hook cannot deliver a group', false);
    return await hook.deliverGroup(alerts);
  } catch (error) {
    return failed(String(error), false);
  }
}

/** Counts every alert (and each group once), and logs each attempt: a group in one line. */
export function reportAttempts(
  finished: readonly Finished[],
  log: Logger,
  counters: Counters | undefined,
): void {
  const groups = new Map<GroupAttempt, Finished[]>();
  for (const f of finished) {
    counters?.delivery(f.item.hook, resultOf(f));
    const group = f.outcome.group;
    if (group === undefined) logAttempt(log, f);
    else {
      const rows = groups.get(group);
      if (rows === undefined) groups.set(group, [f]);
      else rows.push(f);
    }
  }
  for (const [group, rows] of groups) {
    const verdict = verdictOf(group, rows);
    counters?.group(group.hook, verdict);
    logGroup(log, group, rows, verdict);
  }
}

/** A group is retried while any of its alerts is; given up when none is. */
function verdictOf(group: GroupAttempt, rows: readonly Finished[]): DeliveryVerdict {
  if (group.attempt.ok) return 'ok';
  return rows.some((f) => f.outcome.state === 'pending') ? 'retry' : 'failed';
}

function logGroup(
  log: Logger,
  group: GroupAttempt,
  rows: readonly Finished[],
  verdict: DeliveryVerdict,
): void {
  const first = rows[0];
  if (first !== undefined) logOutput(log, { ...first, monitor: null });
  const { durationMs, error, permanent } = group.attempt;
  const slugs = rows.map((f) => f.monitor ?? '?');
  const more = slugs.length - LOGGED_MONITORS;
  const monitors =
    slugs.slice(0, LOGGED_MONITORS).join(',') + (more > 0 ? ` and ${more} more` : '');
  const fields = { hook: group.hook, alerts: group.size, monitors, duration_ms: durationMs };
  if (verdict === 'ok') log.info('alert group delivered', fields);
  else if (verdict === 'retry') {
    const retryAt = rows.reduce((min, f) => Math.min(min, f.outcome.nextAttemptAt), Infinity);
    const gaveUp = rows.filter((f) => f.outcome.state === 'failed').length;
    const retry = { error, retry_in_ms: retryAt - group.attempt.at - durationMs };
    log.warn('alert group delivery failed; will retry', { ...fields, ...retry, gave_up: gaveUp });
  } else log.error('alert group delivery gave up', { ...fields, error, permanent });
}
