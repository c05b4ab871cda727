// 500 monitors go down together; the daemon is killed with SIGKILL after a random number of the
// alerts have been delivered (seeded PRNG, the seed printed) and restarted on the same data. Every
// transition must be delivered at least once. Duplicates are expected (at-least-once delivery: an
// alert in flight at the kill is sent again) and counted.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigYaml } from '../helpers/config-yaml.js';
import { DaemonProcess } from '../helpers/process.js';
import { Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/temp.js';
import { between, seededRandom, trialSeed, writeFigures } from '../helpers/trials.js';

const MONITORS = 500;
const TRIALS = 10;

interface Trial {
  readonly trial: number;
  readonly killAfterDeliveries: number;
  readonly deliveredBeforeKill: number;
  readonly transitions: number;
  readonly deliveries: number;
  readonly lost: number;
  readonly duplicates: number;
}

describe('alert storm', () => {
  const seed = trialSeed();
  const random = seededRandom(seed);
  const dir = tempDir();
  const trials: Trial[] = [];
  let receiver: Receiver;
  let daemon: DaemonProcess | undefined;
  beforeAll(async () => (receiver = await new Receiver().start()));
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
  });
  afterAll(async () => {
    await receiver.close();
    const figures = {
      seed,
      monitors: MONITORS,
      trials: trials.length,
      lost: trials.reduce((n, t) => n + t.lost, 0),
      duplicates: trials.map((t) => t.duplicates),
      details: trials,
    };
    console.log(
      `alert storm (seed ${seed}): ${figures.trials} SIGKILL trials of ${MONITORS} simultaneous down alerts; lost: ${figures.lost}; duplicates per trial ${figures.duplicates.join(', ')}; killed after ${trials.map((t) => t.deliveredBeforeKill).join(', ')} deliveries`,
    );
    writeFigures('alert-storm', figures);
    dir.remove();
  });

  function downTransitions(dataDir: string): number[] {
    const db = new Database(join(dataDir, 'overdue.db'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT id FROM transitions WHERE alert = 'down'`).all();
      return (rows as { id: number }[]).map((r) => r.id);
    } finally {
      db.close();
    }
  }

  const deliveredIds = () =>
    receiver.received.map((r) => (JSON.parse(r.body) as { transition_id: number }).transition_id);

  it.each(Array.from({ length: TRIALS }, (_, i) => i + 1))(
    'delivers every one of 500 simultaneous down alerts at least once across a SIGKILL (trial %i)',
    async (trial) => {
      receiver.received.length = 0;
      const killAfterDeliveries = between(random, 1, MONITORS - 50);
      const dataDir = join(dir.path, `data-${trial}`);
      const monitors = Array.from(
        { length: MONITORS },
        (_, i) => [`job-${i}`, { every: '1s', grace: '0s' }] as const,
      );
      const file = writeConfigYaml(
        dir.path,
        {
          server: { 'data-dir': dataDir },
          hooks: { web: { webhook: `${receiver.url}/alert` } },
          defaults: { notify: ['web'] },
          monitors: Object.fromEntries(monitors),
        },
        `config-${trial}.yaml`,
      );
      // New monitors are armed at start-up: all 500 go down together one second later.
      daemon = await new DaemonProcess(file).started();
      await receiver.waitFor(killAfterDeliveries);
      daemon.kill('SIGKILL');
      await daemon.exited();
      const deliveredBeforeKill = receiver.received.length;

      daemon = await new DaemonProcess(file).started();
      const transitions = downTransitions(dataDir);
      expect(transitions).toHaveLength(MONITORS);
      while (new Set(deliveredIds()).size < MONITORS) {
        await receiver.waitFor(receiver.received.length + 1);
      }
      const ids = deliveredIds();
      const lost = transitions.filter((id) => !ids.includes(id)).length;
      trials.push({
        trial,
        killAfterDeliveries,
        deliveredBeforeKill,
        transitions: transitions.length,
        deliveries: ids.length,
        lost,
        duplicates: ids.length - new Set(ids).size,
      });
      expect(lost).toBe(0);
    },
  );
});
