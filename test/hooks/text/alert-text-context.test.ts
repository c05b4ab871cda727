// Alert texts say what people need to judge an alert: how long a recovered monitor was down, what
// was expected of a monitor that missed, since when a reminded monitor is down.
import { describe, expect, it } from 'vitest';
import type { AlertSchedule } from '../../../src/core/alert.js';
import { alertMessage, alertTitle } from '../../../src/hooks/text/alert-text.js';
import { sampleAlert, sampleRecovery } from '../../helpers/alert.js';

const every: AlertSchedule = {
  every_ms: 5 * 60_000,
  cron: null,
  timezone: null,
  grace_ms: 2 * 60_000,
  max_runtime_ms: 2 * 60_000,
};
const cron: AlertSchedule = {
  every_ms: null,
  cron: '0 2 * * *',
  timezone: 'Europe/Berlin',
  grace_ms: 30 * 60_000,
  max_runtime_ms: 2 * 3_600_000,
};

describe('alert texts with the monitor context', () => {
  it('say how long a recovered monitor was down', () => {
    // Down from 02:48 to 03:00.
    const alert = { ...sampleRecovery(), down_since: '2026-05-01T02:48:00.000Z' };
    expect(alertTitle(alert)).toBe('Nightly backup is up again after 12m down');
    expect(alertMessage(alert)).toBe(
      'Up again at 2026-05-01 03:00:00 UTC, after 12m down (since 2026-05-01 02:48:00 UTC).\nRun time: 1m 1s.',
    );
  });

  it('round a long outage to its two largest units', () => {
    const alert = { ...sampleRecovery(), down_since: '2026-04-29T00:59:30.000Z' };
    expect(alertTitle(alert)).toBe('Nightly backup is up again after 2d 2h down');
  });

  it('say what an every schedule expected of a missed ping', () => {
    expect(alertMessage(sampleAlert({ schedule: every }))).toBe(
      'No ping by 2026-05-01 02:00:00 UTC (expected every 5m, grace 2m). Last ping: 2026-04-30 02:00:05 UTC.',
    );
  });

  it('say what a cron schedule expected, with its time zone', () => {
    expect(alertMessage(sampleAlert({ schedule: cron }))).toBe(
      'No ping by 2026-05-01 02:00:00 UTC (expected at cron 0 2 * * * in Europe/Berlin, grace 30m). Last ping: 2026-04-30 02:00:05 UTC.',
    );
  });

  it('say the max-runtime a run passed', () => {
    const alert = sampleAlert({
      event: 'start-overdue',
      previous_status: 'running',
      schedule: cron,
    });
    expect(alertMessage(alert)).toBe(
      'The run did not finish by 2026-05-01 02:00:00 UTC (max-runtime 2h).',
    );
  });

  it('say what was expected of a late monitor', () => {
    const alert = sampleAlert({
      event: 'late',
      status: 'late',
      previous_status: 'up',
      schedule: every,
    });
    expect(alertMessage(alert)).toBe(
      'No ping yet: it was expected at 2026-05-01 02:00:00 UTC (expected every 5m, grace 2m), and the grace period is running.',
    );
  });

  it('say since when a reminded monitor is down, and its last ping', () => {
    const alert = sampleAlert({
      event: 'reminder',
      reason: 'reminder',
      previous_status: 'down',
      deadline: null,
      at: '2026-05-01T08:30:00.000Z',
      down_since: '2026-05-01T02:30:00.000Z',
      schedule: every,
    });
    expect(alertMessage(alert)).toBe(
      'Still down at 2026-05-01 08:30:00 UTC, for 6h (since 2026-05-01 02:30:00 UTC). Last ping: 2026-04-30 02:00:05 UTC.',
    );
  });

  it('read alerts queued before they carried the schedule and the start of the down', () => {
    expect(alertTitle(sampleRecovery())).toBe('Nightly backup is up again');
    expect(alertMessage(sampleRecovery())).toBe(
      'Recovered at 2026-05-01 03:00:00 UTC.\nRun time: 1m 1s.',
    );
    expect(alertMessage(sampleAlert())).toBe(
      'No ping by 2026-05-01 02:00:00 UTC. Last ping: 2026-04-30 02:00:05 UTC.',
    );
  });
});
