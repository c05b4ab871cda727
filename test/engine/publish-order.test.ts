// After a commit that queued alerts, the dispatcher is woken before anything else is published:
// waking it hands the alert's request to the transport, and a log line written first would queue
// its write (a blocking one, to journald's pipe) ahead of the request's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Counters } from '../../src/core/counters.js';
import { Monitors } from '../../src/engine/monitors.js';
import type { Logger } from '../../src/platform/log.js';
import { Store } from '../../src/store/store.js';
import { configYaml } from '../helpers/config-yaml.js';
import { configFrom } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
// `every: 1m`, `grace: 0s`: the monitor is down one minute after it first appears.
const DOWN_AT = T0 + 60_000;

describe('publishing a deadline that queued alerts', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    store.close();
    dir.remove();
  });

  it('wakes the dispatcher before it logs the transition', () => {
    const config = configFrom(
      dir.path,
      configYaml({
        hooks: { ops: { webhook: 'http://127.0.0.1:9/alert' } },
        monitors: { backup: { every: '1m', grace: '0s', notify: ['ops'] } },
      }),
    );
    store = new Store(config.server.dataDir);
    const events: string[] = [];
    const note = (level: string) => (msg: string) => events.push(`${level} ${msg}`);
    const log: Logger = {
      debug: note('debug'),
      info: note('info'),
      warn: note('warn'),
      error: note('error'),
    };
    const monitors = new Monitors({
      store,
      provisioned: () => [],
      arm: () => {},
      alertsQueued: () => events.push('dispatcher woken'),
      alertUnrecorded: () => Promise.resolve([]),
      counters: new Counters(),
      log,
    });
    monitors.sync(config, T0);
    events.length = 0;

    monitors.onDue(['backup'], DOWN_AT);
    expect(events).toEqual(['dispatcher woken', 'info monitor late', 'warn monitor down']);
  });
});
