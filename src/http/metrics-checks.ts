// The /metrics families of the checks beyond the schedule: successes counted as failures
// (min-runtime, early), downs suppressed by a parent (depends-on), monitors in maintenance,
// overdue's own health and its outgoing heartbeat. Data only; metrics.ts renders them like its own families.
import type { MetricsSnapshot } from '../engine/read-model.js';

export interface FamilyData {
  readonly name: string;
  readonly type: 'counter' | 'gauge';
  readonly help: string;
  readonly samples: readonly (readonly [Record<string, string>, number])[];
}

const RULES = ['too-short', 'too-early'];

export function checkFamilies(s: MetricsSnapshot): FamilyData[] {
  const rules = s.counters.brokenRules;
  return [
    {
      name: 'overdue_rule_failures_total',
      type: 'counter',
      help: 'Successes counted as failures since the process started, by the rule they broke: too-short (min-runtime), too-early (early).',
      samples: RULES.map((reason) => [{ reason }, rules.get(reason) ?? 0]),
    },
    {
      name: 'overdue_suppressed_alerts_total',
      type: 'counter',
      help: "Down alerts not sent since the process started because a parent (depends-on) was down; the child's down is recorded.",
      samples: [[{}, s.counters.suppressed]],
    },
    {
      name: 'overdue_monitors_in_maintenance',
      type: 'gauge',
      help: 'Monitors inside a maintenance window now: their transitions are recorded, their alerts held until it ends.',
      samples: [[{}, s.monitors.filter((m) => m.inMaintenance === true).length]],
    },
    ...healthFamilies(s),
  ];
}

function healthFamilies(s: MetricsSnapshot): FamilyData[] {
  const beats = [...s.counters.heartbeats].map(([key, n]): [Record<string, string>, number] => {
    const [kind = '', result = ''] = key.split(' ');
    return [{ kind, result }, n];
  });
  return [
    {
      name: 'overdue_health_check',
      type: 'gauge',
      help: "1 while each of overdue's own health checks passes (database, scheduler, dispatcher), else 0; as /healthz.",
      samples: (s.health?.checks ?? []).map((c) => [{ check: c.name }, c.ok ? 1 : 0]),
    },
    {
      name: 'overdue_heartbeats_total',
      type: 'counter',
      help: 'Outgoing heartbeats (server.heartbeat) sent since the process started, by kind (success, fail) and result (ok, failed).',
      samples: beats,
    },
  ];
}
