// `overdue check` and `overdue serve` on config files that are not what they should be: a FIFO,
// a device, a file nested thousands of levels deep. Each is a config problem and exit 2; none may
// hang or kill the process. Run as real processes, with a timeout, so a hang fails the test.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAIN } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

const TIMEOUT_MS = 15_000;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    env: { ...process.env, OVERDUE_LOG_FORMAT: 'logfmt' },
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('config files that are not regular files, or are hostile', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('check refuses a FIFO instead of waiting for a writer', () => {
    const fifo = join(dir.path, 'fifo.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = run(['check', fifo]);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${fifo}:1:1 cannot read config file: it is a FIFO (named pipe)`);
  });

  it('serve refuses a FIFO instead of waiting for a writer', () => {
    const fifo = join(dir.path, 'serve-fifo.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = run(['serve', '--config', fifo, '--no-watch']);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('cannot read config file: it is a FIFO (named pipe)');
  });

  it('check refuses /dev/zero instead of reading it without end', () => {
    const r = run(['check', '/dev/zero']);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('/dev/zero:1:1 cannot read config file: it is a character device');
  });

  it('check reports a file nested 4 000 levels deep as a problem instead of crashing', () => {
    const lines = ['monitors:', '  a:'];
    for (let i = 0; i < 4_000; i++) lines.push(`${' '.repeat(4 + i)}k${i}:`);
    const file = join(dir.path, 'deep.yaml');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = run(['check', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${file}:\\d+:\\d+ nested more than \\d+ levels deep: `));
    expect(r.stderr).not.toContain('RangeError');
  });
});
