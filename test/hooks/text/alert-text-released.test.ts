import { describe, expect, it } from 'vitest';
import { alertMessage, alertTitle } from '../../../src/hooks/text/alert-text.js';
import { sampleAlert } from '../../helpers/alert.js';

const schedule = {
  every_ms: 3_600_000,
  cron: null,
  timezone: null,
  grace_ms: 120_000,
  max_runtime_ms: 120_000,
};

describe('alert text of a down released by its parent', () => {
  it('names the parent and the grace', () => {
    const alert = sampleAlert({
      reason: 'released',
      previous_status: 'down',
      at: '2026-05-01T03:02:00.000Z',
      down_since: '2026-05-01T02:00:00.000Z',
      parent: 'router',
      schedule,
    });
    expect(alertTitle(alert)).toBe('Nightly backup is down');
    expect(alertMessage(alert)).toBe(
      'Still down at 2026-05-01 03:02:00 UTC, for 1h 2m (since 2026-05-01 02:00:00 UTC), a grace 2m after router recovered; its down was held back while router was down.',
    );
  });
});
