// loadConfig on a worker thread, as a reload uses it: the same result as loadConfig, received a
// batch of monitors per turn of the event loop; a load that is abandoned rejects with its reason.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { loadConfigOffThread, MONITORS_PER_MESSAGE } from '../../src/config/load-off-thread.js';
import { tempDir } from '../helpers/temp.js';
import { doc } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.remove());

const MONITORS = MONITORS_PER_MESSAGE + 500;

/** Every kind of value a config holds: hooks with templates, cron in a zone, tokens, tags. */
function largeConfig(): string {
  const lines = [
    'server:',
    '  listen: 127.0.0.1:0',
    '  ping-key: ${KEY}',
    'defaults:',
    '  grace: 2m',
    'hooks:',
    '  ops:',
    '    webhook:',
    '      url: http://127.0.0.1:9/alert',
    `      body: '{"text": "{{monitor.name}} is {{status}}"}'`,
    '  page:',
    '    command: ["/bin/true", "--team", "infra"]',
    'monitors:',
  ];
  for (let i = 0; i < MONITORS; i++) {
    lines.push(`  job-${i}:`, `    name: Job ${i}`, `    token: token-of-job-${i}-0123456789`);
    if (i % 3 === 0) lines.push("    cron: '*/15 * * * *'", '    timezone: Europe/Berlin');
    else lines.push('    every: 5m');
    lines.push(`    notify: [${i % 2 === 0 ? 'ops' : 'ops, page'}]`, `    tags: [t${i % 7}]`);
  }
  return doc(...lines);
}

/** Turns of the event loop until `promise` settles. */
async function turnsUntil(promise: Promise<unknown>): Promise<number> {
  let settled = false;
  const done = promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  let turns = 0;
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    turns++;
  }
  await done;
  return turns;
}

describe('loadConfigOffThread', () => {
  const env = { KEY: 'off-thread-ping-key-0123' };

  it('gives what loadConfig gives, to the last field of every monitor and hook', async () => {
    const file = join(dir.path, 'config.yaml');
    writeFileSync(file, largeConfig());
    const here = await loadConfig(file, env);
    const there = await loadConfigOffThread(file, env);
    expect(here.ok ? [] : here.problems.slice(0, 3)).toEqual([]);
    expect(there).toStrictEqual(here);
    if (there.ok && here.ok)
      expect([...there.config.monitors.keys()]).toEqual([...here.config.monitors.keys()]);
  });

  it('takes in the monitors a batch per turn of the event loop', async () => {
    const file = join(dir.path, 'config.yaml');
    writeFileSync(file, largeConfig());
    const turns = await turnsUntil(loadConfigOffThread(file, env));
    // One turn at least for each batch asked for: nothing else waits for a whole config.
    expect(turns).toBeGreaterThanOrEqual(Math.ceil(MONITORS / MONITORS_PER_MESSAGE));
  });

  it('gives the problems of an invalid file as loadConfig does', async () => {
    const file = join(dir.path, 'config.yaml');
    writeFileSync(file, doc('monitors:', '  a:', '    every: soon', '    typo: 1'));
    const there = await loadConfigOffThread(file, {});
    expect(there).toStrictEqual(await loadConfig(file, {}));
    expect(there.ok).toBe(false);
  });

  it('gives a file that cannot be read as a problem', async () => {
    const there = await loadConfigOffThread(join(dir.path, 'missing.yaml'), {});
    expect(there.ok ? [] : there.problems.map((p) => p.message)).toEqual([
      'cannot read config file: no such file (create it, or pass --config)',
    ]);
  });

  it('reports a config nested 4 000 levels deep as a problem on the worker too', async () => {
    const file = join(dir.path, 'config.yaml');
    const levels = Array.from({ length: 4_000 }, (_, i) => `${' '.repeat(4 + i)}k${i}:`);
    writeFileSync(file, doc('monitors:', '  a:', ...levels));
    const there = await loadConfigOffThread(file, {});
    expect(there.ok ? [] : there.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^nested more than \d+ levels deep/),
    ]);
  });

  it('rejects with the reason of an abort, before the config is in', async () => {
    const file = join(dir.path, 'config.yaml');
    writeFileSync(file, largeConfig());
    const abort = new AbortController();
    const loading = loadConfigOffThread(file, env, {}, abort.signal);
    abort.abort(new Error('a newer request'));
    await expect(loading).rejects.toThrow('a newer request');
    await expect(loadConfigOffThread(file, env, {}, abort.signal)).rejects.toThrow(
      'a newer request',
    );
  });
});
