// The alert `overdue test-alert` sends: shaped like a real one of the event asked for, for a
// monitor of the config (its name, schedule, and its last ping and down from the database when
// there is one) or a sample monitor, and marked as a test throughout.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MonitorConfig } from '../config/types.js';
import { alertSchedule, type Alert, type AlertPing } from '../core/alert.js';
import type { AlertEvent, MonitorState, Reason, Status } from '../core/types.js';
import { loadNativeBinding } from '../platform/native-addon.js';
import { DATABASE_FILE, Store } from '../store/store.js';

/** What the database knows of the monitor: the real last ping, and since when it is down. */
export type StoredMonitor = Pick<MonitorState, 'status' | 'changedAt' | 'lastPingAt'>;

export type SampleMonitor = Pick<
  MonitorConfig,
  'slug' | 'name' | 'schedule' | 'graceMs' | 'maxRuntimeMs'
>;

export const SAMPLE_MONITOR: SampleMonitor = {
  slug: 'overdue-test',
  name: 'overdue test alert',
  schedule: { kind: 'every', periodMs: 3_600_000 },
  graceMs: 5 * 60_000,
  maxRuntimeMs: 5 * 60_000,
};

const TEST_MARK = '[test]';
// How long a sample down lasted, when the database has no real one to show.
const SAMPLE_DOWN_MS = 12 * 60_000;

/** The statuses and reason of a transition that alerts `event`. */
const shapes: Readonly<Record<AlertEvent, readonly [Status, Status, Reason]>> = {
  down: ['late', 'down', 'timeout'],
  'start-overdue': ['running', 'down', 'timeout'],
  fail: ['down', 'down', 'fail'],
  reminder: ['down', 'down', 'reminder'],
  late: ['up', 'late', 'timeout'],
  up: ['down', 'up', 'ping'],
};

/**
 * The monitor's state in the database of `dataDir`, or null when there is none. Never creates a
 * database; one that cannot be read (permissions, a newer schema) leaves the sample values.
 */
export function storedMonitor(dataDir: string, slug: string): StoredMonitor | null {
  if (!existsSync(join(dataDir, DATABASE_FILE))) return null;
  try {
    const store = new Store(dataDir, { nativeBinding: loadNativeBinding() });
    try {
      return store.loadMonitors().get(slug)?.state ?? null;
    } finally {
      store.close();
    }
  } catch {
    return null;
  }
}

export function sampleAlert(
  monitor: SampleMonitor,
  event: AlertEvent,
  now: number,
  stored: StoredMonitor | null = null,
): Alert {
  const [from, to, reason] = shapes[event];
  const at = new Date(now).toISOString();
  const ping: AlertPing | null =
    reason === 'timeout' || reason === 'reminder'
      ? null
      : {
          at,
          kind: reason === 'fail' ? 'fail' : 'success',
          exit_status: reason === 'fail' ? 1 : 0,
          output: 'This is a test alert sent by overdue test-alert.',
          duration_ms: null,
          value: null,
        };
  const lastPingAt = stored === null ? null : stored.lastPingAt;
  return {
    event,
    // The name carries the mark, so that every title, subject and template that names the
    // monitor says it is a test, not only the texts overdue writes.
    monitor: { slug: monitor.slug, name: `${TEST_MARK} ${monitor.name}` },
    status: to,
    previous_status: from,
    reason,
    at,
    deadline: reason === 'timeout' ? new Date(now - monitor.graceMs).toISOString() : null,
    transition_id: 0,
    ping,
    last_ping_at: ping?.at ?? (lastPingAt === null ? null : new Date(lastPingAt).toISOString()),
    down_since: downSince(from, to, now, stored),
    schedule: alertSchedule(monitor.schedule, monitor.graceMs, monitor.maxRuntimeMs),
    test: true,
  };
}

/** A new down begins now; one already under way began when the database says, or a while ago. */
function downSince(
  from: Status,
  to: Status,
  now: number,
  stored: StoredMonitor | null,
): string | null {
  if (from !== 'down' && to !== 'down') return null;
  if (from !== 'down') return new Date(now).toISOString();
  const since = stored?.status === 'down' ? stored.changedAt : now - SAMPLE_DOWN_MS;
  return new Date(since).toISOString();
}
