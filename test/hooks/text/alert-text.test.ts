import { describe, expect, it } from 'vitest';
import { alertMessage, alertTitle } from '../../../src/hooks/text/alert-text.js';
import { sampleAlert, samplePing, sampleRecovery } from '../../helpers/alert.js';

describe('alert texts', () => {
  it('say when the missed ping was due and when the last one came', () => {
    expect(alertTitle(sampleAlert())).toBe('Nightly backup is down');
    expect(alertMessage(sampleAlert())).toBe(
      'No ping by 2026-05-01 02:00:00 UTC. Last ping: 2026-04-30 02:00:05 UTC.',
    );
  });

  it('give a failure its exit status, run time and the end of its output', () => {
    const output = `${'x'.repeat(2_000)}\nthe end`;
    const message = alertMessage(sampleAlert({ reason: 'fail', ping: samplePing({ output }) }));
    const [first, runTime, blank, label, tail] = message.split('\n');
    expect(first).toBe('The job reported a failure with exit status 2 at 2026-05-01 02:10:00 UTC.');
    expect([runTime, blank, label]).toEqual(['Run time: 1m 1s.', '', 'Output:']);
    expect(tail?.startsWith('…')).toBe(true);
    expect(message.endsWith('the end')).toBe(true);
    expect(message.length).toBeLessThan(1_200);
  });

  it('keep the fraction of a run time under a minute', () => {
    const alert = sampleAlert({ reason: 'fail', ping: samplePing({ duration_ms: 1_500 }) });
    expect(alertMessage(alert).split('\n')[1]).toBe('Run time: 1.5s.');
  });

  it('keep the fraction of a short time down', () => {
    const recovery = sampleRecovery();
    const downSince = new Date(Date.parse(recovery.at) - 2_500).toISOString();
    expect(alertTitle({ ...recovery, down_since: downSince })).toBe(
      'Nightly backup is up again after 2.5s down',
    );
  });

  it('say a run did not finish in time', () => {
    const alert = sampleAlert({ event: 'start-overdue', previous_status: 'running' });
    expect(alertTitle(alert)).toBe('Nightly backup is down: the run is overdue');
    expect(alertMessage(alert)).toBe(
      'The run did not finish by 2026-05-01 02:00:00 UTC (max-runtime).',
    );
  });

  it.each([
    ['late', 'Nightly backup is late'],
    ['reminder', 'Nightly backup is still down'],
    ['fail', 'Nightly backup failed again'],
  ] as const)('title a %s alert', (event, title) => {
    expect(alertTitle(sampleAlert({ event }))).toBe(title);
  });

  it('say when a monitor recovered', () => {
    expect(alertTitle(sampleRecovery())).toBe('Nightly backup is up again');
    expect(alertMessage(sampleRecovery())).toBe(
      'Recovered at 2026-05-01 03:00:00 UTC.\nRun time: 1m 1s.',
    );
  });

  it('read alerts queued by a version without run times and values', () => {
    const ping = { at: '2026-05-01T02:10:00.000Z', kind: 'fail', exit_status: 1, output: null };
    const old = sampleAlert({ reason: 'fail', ping: ping as ReturnType<typeof samplePing> });
    expect(alertMessage(old)).toBe(
      'The job reported a failure with exit status 1 at 2026-05-01 02:10:00 UTC.',
    );
  });
});
