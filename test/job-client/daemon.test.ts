// The client against the real daemon: what `exec` and `ping` send is what the daemon stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExec } from '../../src/job-client/exec.js';
import { runPing } from '../../src/job-client/ping.js';
import type { Daemon } from '../../src/daemon.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { TestIO } from './helpers.js';

const KEY = 'test-ping-key-0123456789';

describe('overdue exec and ping against the daemon', () => {
  const dir = tempDir();
  let daemon: Daemon;
  let env: Record<string, string>;
  beforeAll(async () => {
    const yaml = `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
  body-limit: 100
monitors:
  backup:
    every: 1h
`;
    daemon = await startDaemon(configFrom(dir.path, yaml));
    env = { OVERDUE_URL: daemon.url, OVERDUE_PING_KEY: KEY };
  });
  afterAll(async () => {
    await daemon.close();
    dir.remove();
  });

  const pings = () =>
    daemon.store.db
      .prepare(
        `SELECT kind, exit_status, run_id, body, duration_ms FROM pings
         WHERE monitor_id = (SELECT id FROM monitors WHERE slug = 'backup') ORDER BY id`,
      )
      .all() as { kind: string; exit_status: number | null; run_id: string; body: Buffer | null }[];

  it('stores the start and the failure of one run, paired, with the tail the daemon allows', async () => {
    const io = new TestIO(env);
    const script = 'i=0; while [ $i -lt 100 ]; do echo "line $i"; i=$((i+1)); done; exit 3';
    expect(await runExec(['backup', '--', 'sh', '-c', script], io)).toBe(3);
    const [start, end] = pings().slice(-2);
    expect(start).toMatchObject({ kind: 'start', exit_status: null });
    expect(end).toMatchObject({ kind: 'fail', exit_status: 3, run_id: start?.run_id });
    expect(end?.body?.toString()).toBe(io.stdout.text.slice(-100));
    expect(io.stderr.text).toBe('');
  });

  it("records the run time exec measured: at least the job's own, at most the pings' span", async () => {
    // exec measures the run on this clock; the rest of TestIO stays fake.
    const io = Object.assign(new TestIO(env), { now: () => performance.now() });
    // Sleeps resolve at once on TestIO's clock: held, so the wait for the start ping is not cut.
    io.holdSleeps = new Promise(() => undefined);
    // The job prints the wall clock, which the daemon also stamps pings with, in ns.
    const script = 'date +%s%N; sleep 0.2; date +%s%N';
    expect(await runExec(['backup', '--', 'sh', '-c', script], io)).toBe(0);
    const [startedAt = 0, endedAt = 0] = io.stdout.text
      .trim()
      .split('\n')
      .map((line) => Number(BigInt(line) / 1000n) / 1000);
    const [start, end] = daemon.store.db
      .prepare(`SELECT at, duration_ms FROM pings ORDER BY id DESC LIMIT 2`)
      .all()
      .reverse() as { at: number; duration_ms: number | null }[];
    expect(start?.at).toBeLessThanOrEqual(startedAt);
    expect(endedAt).toBeLessThanOrEqual((end?.at ?? 0) + 1);
    // The job ran inside exec's measure, which ran inside the two pings' span (1 ms of rounding).
    const recorded = end?.duration_ms ?? 0;
    expect(recorded).toBeGreaterThanOrEqual(endedAt - startedAt - 1);
    expect(recorded).toBeLessThanOrEqual((end?.at ?? 0) - (start?.at ?? 0) + 1);
  });

  it('stores a ping with its data, and exits 1 for a monitor the daemon does not know', async () => {
    expect(await runPing(['backup', '--log', '--data', 'hello'], new TestIO(env))).toBe(0);
    expect(pings().at(-1)).toMatchObject({ kind: 'log' });
    expect(pings().at(-1)?.body?.toString()).toBe('hello');
    const io = new TestIO(env);
    expect(await runPing(['nope'], io)).toBe(1);
    expect(io.stderr.text).toContain('HTTP 404 not found');
  });
});
