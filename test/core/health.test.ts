// The three checks of overdue's own health, at the ms before, at and after each bound.
import { describe, expect, it } from 'vitest';
import { heartbeatAction, judgeHealth, type HealthInputs } from '../../src/core/health.js';

const NOW = Date.parse('2026-05-01T10:00:00.000Z');
const bounds = { maxLatenessMs: 5_000, maxAlertAgeMs: 60_000 };
const healthy: HealthInputs = {
  databaseProblem: null,
  schedulerLatenessMs: 0,
  oldestDueAlertAt: null,
};
const judge = (inputs: Partial<HealthInputs>) =>
  judgeHealth({ ...healthy, ...inputs }, bounds, NOW);
const check = (inputs: Partial<HealthInputs>, name: string) =>
  judge(inputs).checks.find((c) => c.name === name)?.ok;

describe('judgeHealth', () => {
  it('passes all three checks on a healthy daemon', () => {
    expect(judge({})).toMatchObject({ ok: true, reason: null });
    expect(judge({}).checks.map((c) => c.name)).toEqual(['database', 'scheduler', 'dispatcher']);
  });

  it('fails the database check with the write error', () => {
    const report = judge({ databaseProblem: 'attempt to write a readonly database' });
    expect(report.ok).toBe(false);
    expect(report.reason).toBe('database not writable: attempt to write a readonly database');
  });

  it.each([
    ['the ms before the bound', 4_999, true],
    ['the bound', 5_000, true],
    ['the ms after the bound', 5_001, false],
  ])('judges a scheduler late by %s', (_name, latenessMs, ok) => {
    expect(check({ schedulerLatenessMs: latenessMs }, 'scheduler')).toBe(ok);
  });

  it.each([
    ['the ms before the bound', 59_999, true],
    ['the bound', 60_000, true],
    ['the ms after the bound', 60_001, false],
  ])('judges a due alert waiting for %s', (_name, ageMs, ok) => {
    expect(check({ oldestDueAlertAt: NOW - ageMs }, 'dispatcher')).toBe(ok);
  });

  it('gives every failed check in the reason', () => {
    const report = judge({ schedulerLatenessMs: 7_000, oldestDueAlertAt: NOW - 120_000 });
    expect(report.reason).toBe(
      'scheduler late: fired 7s after its deadline (bound 5s); dispatcher stuck: an alert due 2m ago is not delivered (bound 1m)',
    );
  });
});

describe('heartbeatAction', () => {
  const ok = judge({});
  const sick = judge({ databaseProblem: 'disk full' });

  it.each([
    ['healthy', ok, false, 'success', false],
    ['healthy after a fail', ok, true, 'success', false],
    ['turning unhealthy', sick, false, 'fail', true],
    ['still unhealthy after its fail', sick, true, 'none', true],
  ] as const)('when %s', (_name, report, failSent, action, after) => {
    expect(heartbeatAction(report, failSent)).toEqual({ action, failSent: after });
  });
});
