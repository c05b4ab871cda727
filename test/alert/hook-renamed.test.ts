// A reload that renames or removes a hook while alerts for it are pending: they go to the hooks the
// monitor now notifies, once each, or stay held (visibly) until a hook takes them; never given up.
// Real daemon, real SQLite file, real webhook receivers; time moves by a fake clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Daemon } from '../../src/daemon.js';
import { createLogger } from '../../src/platform/log.js';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, turn } from '../helpers/daemon.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/temp.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const SLUGS = ['m0', 'm1', 'm2', 'm3', 'm4'];

describe('pending alerts of a hook that a reload renames or removes', () => {
  let dir: ReturnType<typeof tempDir>;
  let clock: FakeClock;
  let failing: Receiver;
  let good: Receiver;
  let daemon: Daemon | undefined;
  let lines: Record<string, unknown>[];

  beforeEach(async () => {
    dir = tempDir();
    clock = new FakeClock(T0);
    failing = await new Receiver().start();
    failing.mode = 500;
    good = await new Receiver().start();
    lines = [];
  });
  afterEach(async () => {
    await daemon?.close();
    daemon = undefined;
    await Promise.all([failing.close(), good.close()]);
    dir.remove();
  });

  const hook = (r: Receiver) => ({ webhook: `${r.url}/alert` });
  const config = (hooks: Record<string, Receiver>, notify: Record<string, string[]>) =>
    configFrom(
      dir.path,
      configYaml({
        hooks: Object.fromEntries(Object.entries(hooks).map(([name, r]) => [name, hook(r)])),
        monitors: Object.fromEntries(
          Object.entries(notify).map(([slug, n]) => [slug, { every: '1h', notify: n }]),
        ),
      }),
    );
  const each = (notify: string[]) => Object.fromEntries(SLUGS.map((s) => [s, notify]));

  async function start(hooks: Record<string, Receiver>, notify: Record<string, string[]>) {
    const log = createLogger({
      format: 'json',
      timestamps: false,
      write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const d = await Daemon.start({ config: config(hooks, notify), clock, log, drainMs: 2_000 });
    daemon = d;
    for (const slug of Object.keys(notify))
      expect((await fetch(`${d.url}/ping/${KEY}/${slug}/fail`)).status).toBe(200);
    await d.dispatcher.idle();
    return d;
  }

  /** A minute of fake time, a second at a time, each step's deliveries finished. */
  async function aMinute(d: Daemon): Promise<void> {
    for (let i = 0; i < 60; i++) {
      clock.advance(1_000);
      await turn();
      await d.dispatcher.idle();
    }
  }

  const monitorsAlerted = (r: Receiver) =>
    r.received.map((x) => (JSON.parse(x.body) as { monitor: { slug: string } }).monitor.slug);
  const states = (d: Daemon, hook: string) =>
    (
      d.store.db.prepare('SELECT state FROM outbox WHERE hook = ? ORDER BY id').all(hook) as {
        state: string;
      }[]
    ).map((r) => r.state);

  it('delivers them through the hook the monitor now notifies', async () => {
    const d = await start({ old: failing }, each(['old']));
    expect(states(d, 'old')).toEqual(Array(5).fill('pending'));

    await d.reload(config({ new: good }, each(['new'])));
    await aMinute(d);

    expect(monitorsAlerted(good).sort()).toEqual(SLUGS);
    expect(states(d, 'old')).toEqual(Array(5).fill('moved'));
    expect(states(d, 'new')).toEqual(Array(5).fill('delivered'));
    // Recorded where the monitor's deliveries are read.
    const rows = d.read.deliveries('m0', {})?.items ?? [];
    expect(rows.find((r) => r.hook === 'old' && /moved to new/.test(r.error ?? ''))).toBeDefined();
    const moved = lines.find((l) => typeof l.msg === 'string' && l.msg.includes('moved'));
    expect(moved).toMatchObject({ hook: 'old', to: 'new', alerts: 5 });
  });

  it('sends one alert when two renamed hooks of a monitor become one', async () => {
    const d = await start({ a: failing, b: failing }, { m0: ['a', 'b'] });
    await d.reload(config({ c: good }, { m0: ['c'] }));
    await aMinute(d);
    expect(monitorsAlerted(good)).toEqual(['m0']);
  });

  it('leaves out the hooks that have the alert already', async () => {
    const d = await start({ a: good, b: failing }, { m0: ['a', 'b'] });
    expect(monitorsAlerted(good)).toEqual(['m0']);
    await d.reload(config({ a: good }, { m0: ['a'] }));
    await aMinute(d);
    expect(monitorsAlerted(good)).toEqual(['m0']);
    expect(states(d, 'b')).toEqual(['moved']);
  });

  it('holds them, visibly, while the monitor notifies no hook, and sends them once it does', async () => {
    const d = await start({ old: failing }, { m0: ['old'] });
    await d.reload(config({ new: good }, { m0: [] }));
    await aMinute(d);
    await d.reload(config({ new: good }, { m0: [] }));
    await aMinute(d);

    expect(good.received).toHaveLength(0);
    expect(states(d, 'old')).toEqual(['held']);
    // One note, however many reloads find it still held.
    const held = (d.read.deliveries('m0', {})?.items ?? []).filter((r) =>
      /^held/.test(r.error ?? ''),
    );
    expect(held).toHaveLength(1);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', hook: 'old', monitors: 'm0', alerts: 1 }),
    );

    await d.reload(config({ new: good }, { m0: ['new'] }));
    await aMinute(d);
    expect(monitorsAlerted(good)).toEqual(['m0']);
    expect(states(d, 'old')).toEqual(['moved']);
  });

  it('gives held alerts back to their hook when it returns under its name', async () => {
    const d = await start({ old: failing }, { m0: ['old'] });
    await d.reload(config({}, { m0: [] }));
    await aMinute(d);
    expect(states(d, 'old')).toEqual(['held']);

    await d.reload(config({ old: good }, { m0: ['old'] }));
    await aMinute(d);
    expect(monitorsAlerted(good)).toEqual(['m0']);
    expect(states(d, 'old')).toEqual(['delivered']);
  });
});
