// The reload path `serve` uses: whatever goes wrong, the running config stays; reloads run one at a
// time. The fuzzed corpus is in test/reliability/fuzz-reload.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { Reloader, type ConfigLoad } from '../../src/config/reload.js';
import type { Config } from '../../src/config/types.js';
import { silentLogger } from '../../src/platform/log.js';
import { tempDir } from '../helpers/temp.js';
import { configOf, doc } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.remove());

const running = configOf(doc('monitors:', '  old:', '    every: 1h'));

function reloader(apply: (config: Config) => void | Promise<void>) {
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
    const { r } = reloader(() => void loads++);
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
    const { r } = reloader(() => void loads++);
    await r.close();
    await r.request('late');
    expect(loads).toBe(0);
  });

  it('abandons a load under way when a newer request comes, and applies only the newest file', async () => {
    const file = join(dir.path, 'config.yaml');
    const loads = heldLoads();
    const applied: string[][] = [];
    const r = new Reloader({
      file,
      log: silentLogger,
      env: {},
      current: running,
      apply: (config) => void applied.push(slugs(config)),
      rejected: () => undefined,
      load: loads.load,
    });
    writeFileSync(file, doc('monitors:', '  first:', '    every: 1h'));
    const first = r.request('one');
    await loads.started(1);
    writeFileSync(file, doc('monitors:', '  second:', '    every: 1h'));
    const second = r.request('two');
    expect(loads.signals[0]?.aborted).toBe(true);
    await loads.started(2);
    loads.release();
    await Promise.all([first, second]);
    expect(applied).toEqual([['second']]);
    expect(slugs(r.current)).toEqual(['second']);
  });

  it('abandons a load under way when closed, and applies nothing', async () => {
    const loads = heldLoads();
    const applied: Config[] = [];
    const r = new Reloader({
      file: join(dir.path, 'config.yaml'),
      log: silentLogger,
      env: {},
      current: running,
      apply: (config) => void applied.push(config),
      rejected: () => undefined,
      load: loads.load,
    });
    const reloading = r.request('one');
    await loads.started(1);
    await r.close();
    await reloading;
    expect(loads.signals[0]?.aborted).toBe(true);
    expect(applied).toEqual([]);
  });

  it('waits for a config being applied in steps before it loads the file again', async () => {
    const events: string[] = [];
    let finish = () => undefined as void;
    const { r } = reloader((config) => {
      events.push(`apply ${slugs(config).join()}`);
      if (events.length > 1) return;
      void r.request('during');
      return new Promise<void>((resolve) => (finish = resolve)).then(() => {
        events.push('applied');
      });
    });
    const first = r.request('one');
    while (events.length === 0) await new Promise((resolve) => setImmediate(resolve));
    finish();
    await first;
    await r.request('after');
    expect(events.slice(0, 3)).toEqual(['apply new', 'applied', 'apply new']);
  });
});

/** A load that waits for release() once it has started; `signals` are the loads' signals. */
function heldLoads() {
  const signals: AbortSignal[] = [];
  const waiting: (() => void)[] = [];
  let released = false;
  const load: ConfigLoad = (file, env, options, signal) => {
    signals.push(signal);
    return new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      const go = () => void loadConfig(file, env, options).then(resolve, reject);
      if (released) go();
      else waiting.push(go);
    });
  };
  return {
    load,
    signals,
    async started(n: number) {
      while (signals.length < n) await new Promise((resolve) => setImmediate(resolve));
    },
    release() {
      released = true;
      for (const go of waiting.splice(0)) go();
    },
  };
}
