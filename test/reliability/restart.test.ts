// The daemon is stopped while deadlines pass, then started again. Monitors whose pings it could
// not receive get one grace period from the start before they alert; those that stay silent then
// alert, exactly at its end; those that ping in time do not; a transition alerted before the stop
// is not alerted again. Sixty monitors, a fake clock, a real SQLite file and a real receiver.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, startDaemon, turn } from '../helpers/daemon.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/temp.js';
import { writeFigures } from '../helpers/trials.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const PER_GROUP = 20;
const GRACE_MS = 60_000;
// early-*: down (and alerted) before the stop. silent-* and returning-*: expected during the outage;
// returning-* ping within the start-up grace, silent-* never.
const GROUPS = ['early', 'silent', 'returning'] as const;

describe('restart', () => {
  let dir: ReturnType<typeof tempDir>;
  let receiver: Receiver;
  let clock: FakeClock;
  let daemon: Daemon | undefined;
  const figures: Record<string, number> = {};

  beforeEach(async () => {
    dir = tempDir();
    receiver = await new Receiver().start();
    clock = new FakeClock(T0);
  });
  afterEach(async () => {
    await daemon?.close();
    daemon = undefined;
    await receiver.close();
    dir.remove();
  });
  afterAll(() => {
    console.log(`restart: ${JSON.stringify(figures)}`);
    writeFigures('restart', figures);
  });

  const schedule = (group: string) =>
    group === 'early' ? { every: '1m', grace: '30s' } : { every: '10m', grace: '1m' };
  const monitors = GROUPS.flatMap((g) =>
    Array.from({ length: PER_GROUP }, (_, i) => [`${g}-${i}`, schedule(g)] as const),
  );
  const config = () =>
    configFrom(
      dir.path,
      configYaml({
        hooks: { web: { webhook: `${receiver.url}/alert` } },
        defaults: { notify: ['web'] },
        monitors: Object.fromEntries(monitors),
      }),
    );
  const alerts = () =>
    receiver.received.map((r) => {
      const a = JSON.parse(r.body) as { event: string; monitor: { slug: string }; at: string };
      return { event: a.event, group: a.monitor.slug.split('-')[0] ?? '', at: Date.parse(a.at) };
    });
  const count = (group: string) => alerts().filter((a) => a.group === group).length;

  async function pingGroup(d: Daemon, group: string): Promise<void> {
    for (let i = 0; i < PER_GROUP; i++)
      expect((await fetch(`${d.url}/ping/${KEY}/${group}-${i}`)).status).toBe(200);
  }

  async function advanceTo(d: Daemon, at: number): Promise<void> {
    clock.advanceTo(at);
    await turn();
    await d.dispatcher.idle();
  }

  it('alerts only after the start-up grace, only the monitors that stay silent, and nothing twice', async () => {
    let d = (daemon = await startDaemon(config(), clock));
    for (const g of GROUPS) await pingGroup(d, g);
    await advanceTo(d, T0 + 90_000);
    expect(count('early')).toBe(PER_GROUP);
    await d.close();

    // Stopped from T0+2m to T0+30m: silent-* and returning-* were due at T0+10m, down at T0+11m.
    clock.jump(28 * 60_000);
    const startedAt = clock.now();
    d = daemon = await startDaemon(config(), clock);
    await advanceTo(d, startedAt + GRACE_MS / 2);
    await pingGroup(d, 'returning');
    await advanceTo(d, startedAt + GRACE_MS - 1);
    const beforeGraceEnds = alerts().length - PER_GROUP;
    expect(beforeGraceEnds).toBe(0);
    await advanceTo(d, startedAt + GRACE_MS);
    expect(count('silent')).toBe(PER_GROUP);
    expect(
      alerts()
        .filter((a) => a.group === 'silent')
        .every((a) => a.at === startedAt + GRACE_MS),
    ).toBe(true);
    await advanceTo(d, startedAt + 5 * GRACE_MS);
    expect(count('returning')).toBe(0);
    expect(count('early')).toBe(PER_GROUP);
    Object.assign(figures, {
      monitors: GROUPS.length * PER_GROUP,
      alertsBeforeStartupGraceEnds: beforeGraceEnds,
      silentAlerted: count('silent'),
      returningAlerted: count('returning'),
      earlyAlerts: count('early'),
      duplicates: alerts().length - new Set(receiver.received.map((r) => r.body)).size,
    });
    expect(figures.duplicates).toBe(0);
  });
});
