import type { Alert } from '../../src/core/alert.js';

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
