import { describe, expect, it } from 'vitest';
import { alertMessage, alertTitle } from '../../../src/hooks/text/alert-text.js';
import { sampleAlert } from '../../helpers/alert.js';

describe('alert text of a down held back by a maintenance window', () => {
  it('says it is still down now that the window ended', () => {
    const alert = sampleAlert({
      reason: 'maintenance',
      previous_status: 'down',
      at: '2026-05-01T05:00:00.000Z',
      down_since: '2026-05-01T03:30:00.000Z',
    });
    expect(alertTitle(alert)).toBe('Nightly backup is down');
    expect(alertMessage(alert)).toBe(
      'Still down at 2026-05-01 05:00:00 UTC, for 1h 30m (since 2026-05-01 03:30:00 UTC), when its maintenance window ended; its down was held back during the window.',
    );
  });
});
