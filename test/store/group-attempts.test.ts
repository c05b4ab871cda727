// Grouped delivery attempts (migration 10): one row per grouped attempt, and each alert's delivery
// row pointing at it; a database of schema 9 migrates with its deliveries kept, ungrouped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { AttemptOutcome, GroupAttempt } from '../../src/engine/ports.js';
import { migrations } from '../../src/store/migrations.js';
import { DATABASE_FILE, Store } from '../../src/store/store.js';
import { queueDownAlerts } from '../helpers/alert.js';
import { tempDir } from '../helpers/temp.js';

describe('grouped delivery attempts in the store', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store | undefined;

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    store?.close();
    dir.remove();
  });

  const attempt = { ok: false, permanent: false, statusCode: 503, error: 'HTTP 503', at: 5_000 };

  function outcomesOf(ids: readonly number[], group: GroupAttempt): AttemptOutcome[] {
    return ids.map((outboxId) => ({
      outboxId,
      attempt: group.attempt,
      state: 'pending',
      nextAttemptAt: 9_000,
      group,
    }));
  }

  const outboxIds = (s: Store) =>
    (s.db.prepare('SELECT id FROM outbox ORDER BY id').all() as { id: number }[]).map((r) => r.id);

  it('records a grouped attempt once, with each alert’s delivery row pointing at it', () => {
    const s = (store = new Store(dir.path));
    const monitors = queueDownAlerts(s, 'ops', 1_000, { count: 3 });
    const group: GroupAttempt = { hook: 'ops', attempt: { ...attempt, durationMs: 40 }, size: 3 };
    s.recordAttempts(outcomesOf(outboxIds(s), group));
    expect(s.db.prepare('SELECT * FROM delivery_groups').all()).toEqual([
      {
        id: 1,
        hook: 'ops',
        at: 5_000,
        duration_ms: 40,
        size: 3,
        ok: 0,
        permanent: 0,
        status_code: 503,
        error: 'HTTP 503',
      },
    ]);
    const rows = s.db.prepare('SELECT outbox_id, group_id, status_code FROM deliveries').all();
    expect(rows).toEqual(
      outboxIds(s).map((id) => ({ outbox_id: id, group_id: 1, status_code: 503 })),
    );
    expect(s.db.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'pending'").get()).toEqual({
      n: monitors.length,
    });
  });

  it('records two groups finished in one turn as two grouped attempts', () => {
    const s = (store = new Store(dir.path));
    queueDownAlerts(s, 'ops', 1_000, { count: 4 });
    const [a, b, c, d] = outboxIds(s) as [number, number, number, number];
    const one: GroupAttempt = { hook: 'ops', attempt: { ...attempt, durationMs: 1 }, size: 2 };
    const two: GroupAttempt = { hook: 'ops', attempt: { ...attempt, durationMs: 2 }, size: 2 };
    s.recordAttempts([...outcomesOf([a, b], one), ...outcomesOf([c, d], two)]);
    const rows = s.db.prepare('SELECT outbox_id AS o, group_id AS g FROM deliveries').all();
    expect(rows).toEqual([
      { o: a, g: 1 },
      { o: b, g: 1 },
      { o: c, g: 2 },
      { o: d, g: 2 },
    ]);
  });

  it('shows each delivery’s grouped attempt and its size where deliveries are read', () => {
    const s = (store = new Store(dir.path));
    queueDownAlerts(s, 'ops', 1_000, { count: 2 });
    const monitorId = (s.db.prepare('SELECT id FROM monitors').get() as { id: number }).id;
    const group: GroupAttempt = { hook: 'ops', attempt: { ...attempt, durationMs: 3 }, size: 2 };
    s.recordAttempts(outcomesOf(outboxIds(s), group));
    const page = s.history.deliveries(monitorId, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(page.map((d) => [d.groupId, d.groupSize])).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('migrates a database of schema 9, its deliveries kept and in no group', () => {
    const db = new Database(join(dir.path, DATABASE_FILE));
    for (const sql of migrations.slice(0, 9)) db.exec(sql);
    db.pragma('user_version = 9');
    db.exec(`INSERT INTO monitors (slug, status, first_seen_at, changed_at) VALUES ('a', 'down', 0, 0);
      INSERT INTO transitions (monitor_id, at, from_status, to_status, reason) VALUES (1, 0, 'up', 'down', 'timeout');
      INSERT INTO outbox (transition_id, hook, payload, state, attempts, next_attempt_at, created_at)
        VALUES (1, 'ops', '{}', 'delivered', 1, 0, 0);
      INSERT INTO deliveries (outbox_id, at, duration_ms, ok, permanent) VALUES (1, 0, 5, 1, 0);`);
    db.close();
    const s = (store = new Store(dir.path));
    expect(s.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const page = s.history.deliveries(1, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(page).toMatchObject([{ hook: 'ops', ok: true, groupId: null, groupSize: null }]);
  });
});
