// The config file is read only when it is a regular file, and only up to a size limit: a path
// pointing at /dev/zero was read until memory ran out, and a FIFO froze the daemon until something
// wrote to it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { DEFAULT_MAX_CONFIG_BYTES } from '../../src/config/read-file.js';
import { tempDir } from '../helpers/temp.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.remove());

async function messages(file: string, env: Record<string, string> = {}): Promise<string[]> {
  const result = await loadConfig(file, env);
  return result.ok ? [] : result.problems.map((p) => p.message);
}

/** A file of `bytes` bytes that is a valid config: one monitor and a comment to pad it. */
function configOfSize(bytes: number): string {
  const head = 'monitors:\n  a:\n    every: 1h\n#';
  const file = join(dir.path, 'config.yaml');
  writeFileSync(file, head + 'x'.repeat(bytes - head.length - 1) + '\n');
  return file;
}

describe('reading the config file', () => {
  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const fifo = join(dir.path, 'config.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(await messages(fifo)).toEqual([
      'cannot read config file: it is a FIFO (named pipe), not a regular file: point --config at the file itself',
    ]);
  });

  it('refuses a device such as /dev/zero without reading it', async () => {
    expect(await messages('/dev/zero')).toEqual([
      'cannot read config file: it is a character device, not a regular file: point --config at the file itself',
    ]);
  });

  it('refuses a file over the size limit, saying how to raise it', async () => {
    const file = configOfSize(2_000);
    expect(await messages(file, { OVERDUE_MAX_CONFIG_BYTES: '1999' })).toEqual([
      'cannot read config file: it has 2000 bytes, more than the limit of 1999 (raise OVERDUE_MAX_CONFIG_BYTES if the file is meant to be this large)',
    ]);
  });

  it('reads a file of exactly the size limit', async () => {
    const file = configOfSize(2_000);
    const result = await loadConfig(file, { OVERDUE_MAX_CONFIG_BYTES: '2000' });
    expect(result.ok && result.config.monitors.size).toBe(1);
  });

  it('has a default limit far above the largest real config', () => {
    // 100 000 monitors, the largest config the benchmarks load, take 9 MB.
    expect(DEFAULT_MAX_CONFIG_BYTES).toBe(64 * 1024 * 1024);
  });

  it('refuses a size limit that is not a number of bytes', async () => {
    const file = configOfSize(100);
    expect(await messages(file, { OVERDUE_MAX_CONFIG_BYTES: '64MB' })).toEqual([
      "OVERDUE_MAX_CONFIG_BYTES must be a whole number of bytes, like 67108864 (64 MiB), not '64MB'",
    ]);
  });
});
