// A reload applied in steps (engine/monitor-sync.ts): between two steps the event loop runs, so
// deadlines fire and pings find their monitor while a large config is being applied.
import { describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { MONITORS_PER_STEP, StepsStopped } from '../../src/engine/monitor-sync.js';
import { configFrom, daemonFixture, turn } from '../helpers/daemon.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const MONITORS = 2 * MONITORS_PER_STEP + 1;
const TOKEN = 'token-of-the-renamed-monitor-0123';

/** `first`, then MONITORS jobs (every `every`, grace 30s), then `last`; TOKEN is first's or last's. */
function yaml(first: string | null, last: string | null, every = '1m'): string {
  const lines = ['server:', '  listen: 127.0.0.1:0', 'monitors:'];
  const monitor = (slug: string, token: boolean) =>
    lines.push(
      `  ${slug}:`,
      `    every: ${every}`,
      '    grace: 30s',
      ...(token ? [`    token: ${TOKEN}`] : []),
    );
  if (first !== null) monitor(first, true);
  for (let i = 0; i < MONITORS; i++) monitor(`job-${i}`, false);
  if (last !== null) monitor(last, true);
  return lines.join('\n') + '\n';
}

/** Runs `reload`; calls `each` on every turn of the event loop until it is done. */
async function eachTurnOf(reload: Promise<void>, each: () => void): Promise<number> {
  let done = false;
  const finished = reload.finally(() => (done = true));
  let turns = 0;
  while (!done) {
    each();
    await turn();
    turns++;
  }
  await finished;
  return turns;
}

describe('a reload in steps', () => {
  const t = daemonFixture(T0);
  const down = (d: Daemon) => [...d.monitors.all()].filter((m) => m.state.status === 'down').length;

  it('yields to the event loop at least once per step of monitors', async () => {
    const daemon = await t.start(yaml(null, null));
    const next = configFrom(t.dir.path, yaml(null, null, '2m'));
    const turns = await eachTurnOf(daemon.reload(next), () => undefined);
    expect(turns).toBeGreaterThanOrEqual(Math.ceil(MONITORS / MONITORS_PER_STEP));
    expect(daemon.monitors.bySlug(`job-${MONITORS - 1}`)?.config.schedule).toEqual({
      kind: 'every',
      periodMs: 120_000,
    });
  });

  it('fires the deadlines that fall due while it is under way, by the config each monitor runs', async () => {
    const daemon = await t.start(yaml(null, null));
    const reloading = daemon.reload(configFrom(t.dir.path, yaml(null, null, '2m')));
    // The first step ran: its monitors expect a ping within 2m 30s, the others still within 1m 30s.
    t.clock.advance(90_000);
    let downWhileReloading = 0;
    await eachTurnOf(reloading, () => (downWhileReloading = down(daemon)));
    expect(downWhileReloading).toBe(MONITORS - MONITORS_PER_STEP);
    t.clock.advance(60_000);
    expect(down(daemon)).toBe(MONITORS);
  });

  it("keeps a renamed monitor's token finding it at every step", async () => {
    const daemon = await t.start(yaml('old-name', null));
    const next = configFrom(t.dir.path, yaml(null, 'new-name'));
    const found = new Set<string | undefined>();
    await eachTurnOf(daemon.reload(next), () =>
      found.add(daemon.monitors.byToken(TOKEN)?.config.slug),
    );
    expect(found.has(undefined)).toBe(false);
    expect(daemon.monitors.byToken(TOKEN)?.config.slug).toBe('new-name');
    expect(daemon.monitors.bySlug('old-name')).toBeUndefined();
  });

  it('stops at its next step when the daemon closes', async () => {
    const daemon = await t.start(yaml(null, null));
    const reloading = daemon.reload(configFrom(t.dir.path, yaml(null, null, '2m')));
    await daemon.close();
    t.daemon = undefined;
    await expect(reloading).rejects.toBeInstanceOf(StepsStopped);
  });
});
