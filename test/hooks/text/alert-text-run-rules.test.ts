import { describe, expect, it } from 'vitest';
import { alertMessage, alertTitle } from '../../../src/hooks/text/alert-text.js';
import { sampleAlert, samplePing } from '../../helpers/alert.js';

const schedule = {
  every_ms: 3_600_000,
  cron: null,
  timezone: null,
  grace_ms: 300_000,
  max_runtime_ms: 3_600_000,
  min_runtime_ms: 30_000,
  early_ms: 600_000,
};

describe('alert texts of runs too short or too early', () => {
  it('say a run was shorter than its min-runtime', () => {
    const ping = samplePing({ kind: 'success', exit_status: 0, duration_ms: 2_000, output: null });
    const alert = sampleAlert({ reason: 'too-short', ping, schedule });
    expect(alertTitle(alert)).toBe('Nightly backup is down: the run was too short');
    expect(alertMessage(alert).split('\n')[0]).toBe(
      'The run reported success at 2026-05-01 02:10:00 UTC after 2s, shorter than its min-runtime of 30s: it counts as a failure.',
    );
  });

  it('say a success came before its window', () => {
    const ping = samplePing({ kind: 'success', exit_status: 0, duration_ms: null, output: null });
    const alert = sampleAlert({ reason: 'too-early', ping, schedule });
    expect(alertTitle(alert)).toBe('Nightly backup is down: the success came too early');
    expect(alertMessage(alert)).toBe(
      'The success at 2026-05-01 02:10:00 UTC came more than 10m before the expected time (2026-05-01 02:00:00 UTC): a job running twice or on a wrong timer counts as a failure.',
    );
  });
});
