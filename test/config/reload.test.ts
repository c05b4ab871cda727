// The reload path `serve` uses: whatever goes wrong, the running config stays; reloads run one at a
// time. The fuzzed corpus is in test/reliability/fuzz-reload.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Reloader } from '../../src/config/reload.js';
import type { Config } from '../../src/config/types.js';
import { silentLogger } from '../../src/platform/log.js';
import { tempDir } from '../helpers/temp.js';
import { configOf, doc } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.remove());

const running = configOf(doc('monitors:', '  old:', '    every: 1h'));

function reloader(apply: (config: Config) => void) {
  const file = join(dir.path, 'config.yaml');
  writeFileSync(file, doc('monitors:', '  new:', '    every: 1h'));
  const rejected: number[] = [];
  const r = new Reloader({
    file,
    log: silentLogger,
    env: {},
    current: running,
    apply,
    rejected: () => rejected.push(1),
  });
  return { r, rejected };
}

const slugs = (c: Config) => [...c.monitors.keys()];

describe('Reloader', () => {
  it('applies the running config again when applying the new one throws part-way', async () => {
    const applied: string[][] = [];
    const { r, rejected } = reloader((config) => {
      applied.push(slugs(config));
      if (config !== running) throw new Error('half applied');
    });
    await r.request('test');
    expect(applied).toEqual([['new'], ['old']]);
    expect(r.current).toBe(running);
    expect(rejected).toHaveLength(1);
  });

  it('applies a valid config and makes it the running one', async () => {
    const { r, rejected } = reloader(() => undefined);
    await r.request('test');
    expect(slugs(r.current)).toEqual(['new']);
    expect(rejected).toEqual([]);
  });

  it('joins requests made while a reload waits to start', async () => {
    let loads = 0;
    const { r } = reloader(() => loads++);
    const first = r.request('one');
    expect(r.request('two')).toBe(first);
    await first;
    expect(loads).toBe(1);
  });

  it('reloads once more, after it, for the requests made while a reload runs', async () => {
    let loads = 0;
    const during: Promise<void>[] = [];
    const { r } = reloader(() => {
      loads++;
      if (loads === 1) during.push(r.request('two'), r.request('three'));
    });
    await r.request('one');
    expect(during[1]).toBe(during[0]);
    await Promise.all(during);
    expect(loads).toBe(2);
  });

  it('refuses the example ping key while the daemon listens on every interface, whatever the file says', async () => {
    const file = join(dir.path, 'config.yaml');
    const key = '${OVERDUE_PING_KEY:-example-ping-key-change-me}';
    writeFileSync(file, doc('server:', '  listen: 127.0.0.1:8080', `  ping-key: ${key}`));
    const rejected: number[] = [];
    const r = new Reloader({
      file,
      log: silentLogger,
      env: {},
      current: configOf(doc('server:', '  listen: 0.0.0.0:8080')),
      apply: () => undefined,
      rejected: () => rejected.push(1),
    });
    await r.request('test');
    expect(rejected).toHaveLength(1);
  });

  it('reloads nothing once closed', async () => {
    let loads = 0;
    const { r } = reloader(() => loads++);
    await r.close();
    await r.request('late');
    expect(loads).toBe(0);
  });
});
