// A 200 means the ping is on disk. Sixteen clients ping as fast as they can; the daemon is killed
// with SIGKILL at a random moment (from a seeded PRNG, the seed printed), restarted on the same
// data, and every acknowledged ping is looked for in the database.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TEST_PING_KEY as KEY, writeJobsConfig } from '../helpers/config-yaml.js';
import { DaemonProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';
import { between, seededRandom, trialSeed, writeFigures } from '../helpers/trials.js';

const TRIALS = 10;
const CLIENTS = 16;

interface Trial {
  readonly trial: number;
  readonly killAfterMs: number;
  readonly acknowledged: number;
  readonly stored: number;
  readonly missing: number;
}

describe('crash durability', () => {
  const seed = trialSeed();
  const random = seededRandom(seed);
  const dir = tempDir();
  const trials: Trial[] = [];
  let daemon: DaemonProcess | undefined;
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
  });
  afterAll(() => {
    const figures = {
      seed,
      trials: trials.length,
      acknowledged: trials.map((t) => t.acknowledged),
      missing: trials.reduce((n, t) => n + t.missing, 0),
      details: trials,
    };
    console.log(
      `crash durability (seed ${seed}): ${figures.trials} SIGKILL trials, acknowledged pings per trial ${figures.acknowledged.join(', ')}; missing after restart: ${figures.missing}`,
    );
    writeFigures('crash-durability', figures);
    dir.remove();
  });

  /** Sixteen clients ping with unique bodies until the daemon dies; `acknowledged` fills up. */
  function load(url: string): { acknowledged: string[]; ended: Promise<unknown> } {
    const acknowledged: string[] = [];
    const client = async (c: number) => {
      for (let i = 0; ; i++) {
        const body = `client-${c}-ping-${i}`;
        try {
          const res = await fetch(`${url}/ping/${KEY}/job-${c}`, { method: 'POST', body });
          await res.text();
          if (res.status === 200) acknowledged.push(body);
        } catch {
          return; // the daemon is gone
        }
      }
    };
    return {
      acknowledged,
      ended: Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c))),
    };
  }

  function storedBodies(dataDir: string): Set<string> {
    const db = new Database(join(dataDir, 'overdue.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT body FROM pings WHERE body IS NOT NULL').all() as {
        body: Buffer;
      }[];
      return new Set(rows.map((r) => r.body.toString()));
    } finally {
      db.close();
    }
  }

  it.each(Array.from({ length: TRIALS }, (_, i) => i + 1))(
    'keeps every acknowledged ping when killed with SIGKILL at a random moment under load (trial %i)',
    async (trial) => {
      const killAfterMs = between(random, 100, 1_500);
      const dataDir = join(dir.path, `data-${trial}`);
      const file = writeJobsConfig(dir.path, dataDir, CLIENTS, `config-${trial}.yaml`);
      daemon = await new DaemonProcess(file).started();
      const pinging = load(daemon.url);
      await sleep(killAfterMs);
      daemon.kill('SIGKILL');
      expect(await daemon.exited()).toBe('SIGKILL');
      await pinging.ended;
      const acknowledged = [...pinging.acknowledged];

      // The restarted daemon opens the same data (recovering its WAL) and takes pings again.
      daemon = await new DaemonProcess(file).started();
      expect((await fetch(`${daemon.url}/ping/${KEY}/job-0`, { method: 'POST' })).status).toBe(200);
      daemon.kill('SIGTERM');
      expect(await daemon.exited()).toBe(0);

      const stored = storedBodies(dataDir);
      const missing = acknowledged.filter((b) => !stored.has(b));
      trials.push({
        trial,
        killAfterMs,
        acknowledged: acknowledged.length,
        stored: stored.size,
        missing: missing.length,
      });
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(missing).toEqual([]);
    },
  );
});
