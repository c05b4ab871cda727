// A grouped hook (`group:`) killed mid-delivery: 200 monitors go down together and reach a webhook
// grouped by 50; the receiver holds the grouped requests unanswered (answering a random few), and
// the daemon is killed with SIGKILL while one is in flight (seeded PRNG, the seed printed). After a
// restart every alert is delivered at least once, and the delivery rows are exact: each alert has
// one successful delivery, each pointing at a grouped attempt of its true size.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigYaml } from '../helpers/config-yaml.js';
import { DaemonProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';
import { between, seededRandom, trialSeed, writeFigures } from '../helpers/trials.js';

const MONITORS = 200;
const MAX = 50;
const TRIALS = 4;

/** A receiver that holds requests unanswered while `holding`; only answered bodies count. */
class HoldingReceiver {
  holding = true;
  readonly answered: string[] = [];
  readonly held: { body: string; res: ServerResponse }[] = [];
  readonly #server: Server;
  #arrived: (() => void)[] = [];
  url = '';

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (this.holding) this.held.push({ body, res });
        else this.#answer(body, res);
        for (const resolve of this.#arrived.splice(0)) resolve();
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** Resolves when the next request has arrived. */
  arrival(): Promise<void> {
    return new Promise((resolve) => this.#arrived.push(resolve));
  }

  /** Answers the first `count` held requests with 200. */
  release(count: number): void {
    for (const { body, res } of this.held.splice(0, count)) this.#answer(body, res);
  }

  /** Forgets the held requests: their client is gone. */
  drop(): number {
    return this.held.splice(0).length;
  }

  #answer(body: string, res: ServerResponse): void {
    this.answered.push(body);
    res.writeHead(200).end();
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

interface Trial {
  readonly trial: number;
  readonly answeredBeforeKill: number;
  readonly inFlightAtKill: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly groups: number;
}

describe('a grouped delivery killed in flight', () => {
  const seed = trialSeed();
  const random = seededRandom(seed);
  const dir = tempDir();
  const trials: Trial[] = [];
  let receiver: HoldingReceiver;
  let daemon: DaemonProcess | undefined;
  beforeAll(async () => (receiver = await new HoldingReceiver().start()));
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
  });
  afterAll(async () => {
    await receiver.close();
    const figures = { seed, monitors: MONITORS, max: MAX, trials };
    console.log(
      `grouped crash (seed ${seed}): ${trials.length} SIGKILL trials of ${MONITORS} alerts grouped by ${MAX}; lost: ${trials.reduce((n, t) => n + t.lost, 0)}; duplicates per trial ${trials.map((t) => t.duplicates).join(', ')}`,
    );
    writeFigures('grouped-crash', figures);
    dir.remove();
  });

  const deliveredIds = () =>
    receiver.answered.flatMap((body) =>
      (JSON.parse(body) as { transition_id: number }[]).map((a) => a.transition_id),
    );

  it.each(Array.from({ length: TRIALS }, (_, i) => i + 1))(
    'delivers every alert at least once, its delivery rows exact, across a SIGKILL (trial %i)',
    async (trial) => {
      receiver.answered.length = 0;
      receiver.holding = true;
      const dataDir = join(dir.path, `data-${trial}`);
      const monitors = Array.from(
        { length: MONITORS },
        (_, i) => [`job-${i}`, { every: '1s', grace: '0s' }] as const,
      );
      const file = writeConfigYaml(
        dir.path,
        {
          server: { 'data-dir': dataDir },
          hooks: { web: { webhook: `${receiver.url}/alert`, group: { wait: '1s', max: MAX } } },
          defaults: { notify: ['web'] },
          monitors: Object.fromEntries(monitors),
        },
        `config-${trial}.yaml`,
      );
      // All 200 go down one second after the start; their groups are sent one second later.
      daemon = await new DaemonProcess(file).started();
      while (receiver.held.length < MONITORS / MAX) await receiver.arrival();
      const answeredBeforeKill = between(random, 0, MONITORS / MAX - 1);
      receiver.release(answeredBeforeKill);
      daemon.kill('SIGKILL');
      await daemon.exited();
      const inFlightAtKill = receiver.drop();

      receiver.holding = false;
      daemon = await new DaemonProcess(file).started();
      const transitions = downTransitions(dataDir);
      expect(transitions).toHaveLength(MONITORS);
      while (new Set(deliveredIds()).size < MONITORS) await receiver.arrival();
      // A clean stop records what was delivered before the database is read.
      daemon.kill('SIGTERM');
      expect(await daemon.exited()).toBe(0);

      const ids = deliveredIds();
      const lost = transitions.filter((id) => !ids.includes(id)).length;
      const rows = deliveryRows(dataDir);
      trials.push({
        trial,
        answeredBeforeKill,
        inFlightAtKill,
        lost,
        duplicates: ids.length - new Set(ids).size,
        groups: rows.groups,
      });
      expect(lost).toBe(0);
      expect(rows.notDelivered).toBe(0);
      expect(rows.okPerAlert).toEqual([1]);
      expect(rows.attemptsMismatch).toBe(0);
      expect(rows.ungroupedOk).toBe(0);
      expect(rows.wrongSize).toBe(0);
    },
  );
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

/** What the delivery rows say, each figure zero (or [1]) when they are exact. */
function deliveryRows(dataDir: string) {
  const db = new Database(join(dataDir, 'overdue.db'), { readonly: true });
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  try {
    return {
      notDelivered: n(`SELECT count(*) AS n FROM outbox WHERE state <> 'delivered'`),
      // Successful deliveries per alert: one each, whatever was sent twice.
      okPerAlert: (
        db
          .prepare(
            `SELECT DISTINCT (SELECT count(*) FROM deliveries d WHERE d.outbox_id = o.id AND d.ok = 1) AS n
             FROM outbox o`,
          )
          .all() as { n: number }[]
      ).map((r) => r.n),
      // Every recorded attempt of an alert has its row, and none more.
      attemptsMismatch: n(
        `SELECT count(*) AS n FROM outbox o
         WHERE o.attempts <> (SELECT count(*) FROM deliveries d WHERE d.outbox_id = o.id)`,
      ),
      ungroupedOk: n(`SELECT count(*) AS n FROM deliveries WHERE ok = 1 AND group_id IS NULL`),
      // Each grouped attempt carried as many alerts as point at it, at most max.
      wrongSize: n(
        `SELECT count(*) AS n FROM delivery_groups g
         WHERE g.size <> (SELECT count(*) FROM deliveries d WHERE d.group_id = g.id) OR g.size > ${MAX}`,
      ),
      groups: n('SELECT count(*) AS n FROM delivery_groups'),
    };
  } finally {
    db.close();
  }
}
