import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/core/state.js';
import { storeFixture } from '../helpers/store.js';

describe('store history and settings', () => {
  const s = storeFixture();

  const transition = (monitorId: number, at: number) =>
    s.store.insertTransition(monitorId, {
      slug: 'x',
      at,
      from: 'late',
      to: 'down',
      reason: 'timeout',
      deadlineAt: at - 1,
      alert: 'down',
    });
  const attempt = (at: number, ok: boolean) => ({
    at,
    durationMs: 5,
    ok,
    permanent: false,
    statusCode: ok ? 200 : 500,
    error: ok ? null : 'HTTP 500',
  });

  it('keeps a snooze and a resume time across a reopen', () => {
    const state = { ...initialState(1), snoozedUntil: 9_000, resumedAt: 4_000 };
    s.store.addMonitor('backup', state);
    expect(s.reopen().loadMonitors().get('backup')?.state).toMatchObject({
      snoozedUntil: 9_000,
      resumedAt: 4_000,
    });
  });

  it('makes a setting once and then always returns the stored one', () => {
    expect(s.store.setting('badge-secret', () => 'first')).toBe('first');
    expect(s.store.setting('badge-secret', () => 'second')).toBe('first');
  });

  it('pages only the deliveries of the monitor asked for, newest first', () => {
    const a = s.store.addMonitor('a', initialState(1));
    const b = s.store.addMonitor('b', initialState(1));
    for (const [monitor, at] of [
      [a, 10],
      [b, 20],
      [a, 30],
    ] as const) {
      s.store.enqueueAlert(transition(monitor, at), 'web', '{}', at);
    }
    const outbox = s.store.pendingAlerts('web', [], 10);
    s.store.recordAttempts(
      outbox.map((item) => ({
        outboxId: item.id,
        attempt: attempt(item.createdAt + 1, item.createdAt !== 10),
        state: 'delivered',
        nextAttemptAt: 0,
      })),
    );
    const page = s.store.history.deliveries(a, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(page.map((d) => [d.at, d.ok])).toEqual([
      [31, true],
      [11, false],
    ]);
    const older = s.store.history.deliveries(a, { before: page[0]?.id ?? 0, limit: 10 });
    expect(older.map((d) => d.at)).toEqual([11]);
  });
});
