// A command hook's attempt ends at its timeout whatever the command's descendants do: a process
// that left the group with setsid and keeps the hook's stdout and stderr open must not hold the
// delivery (and its slot) until it exits. Real processes; the stray one is killed by its pid.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alive, killQuietly } from '../helpers/process.js';
import type { DeliveryResult } from '../../src/core/hook.js';
import { createCommandHook } from '../../src/hooks/command.js';
import { DRAIN_MS, KILL_AFTER_MS } from '../../src/hooks/command-run.js';
import { sampleAlert } from '../helpers/alert.js';
import { tempDir } from '../helpers/temp.js';

const TIMEOUT_MS = 300;
// The attempt's own bound is the timeout, the SIGKILL grace and the drain; the rest is room for a
// busy machine. Without the fix the attempt waits for the stray process (1000 s).
const BOUND_MS = TIMEOUT_MS + KILL_AFTER_MS + DRAIN_MS + 5_000;

describe('a command hook whose descendant escapes its process group', () => {
  let dir: ReturnType<typeof tempDir>;
  let pidFile: string;

  beforeEach(() => {
    dir = tempDir();
    pidFile = join(dir.path, 'stray.pid');
  });
  afterEach(() => {
    const pid = strayPid();
    if (pid !== null) killQuietly(pid);
    dir.remove();
  });

  function strayPid(): number | null {
    return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : null;
  }

  // A process in a session of its own (out of the hook's group), holding stdout and stderr.
  const stray = () => `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 1000' &`;

  function deliver(script: string): Promise<DeliveryResult | 'still running'> {
    const argv = ['sh', '-c', script];
    const hook = createCommandHook({
      kind: 'command',
      name: 'ops',
      argv,
      env: { PATH: process.env.PATH ?? '' },
      timeoutMs: TIMEOUT_MS,
      publicUrl: null,
    });
    let guard: NodeJS.Timeout | undefined;
    const late = new Promise<'still running'>(
      (resolve) => (guard = setTimeout(() => resolve('still running'), BOUND_MS)),
    );
    return Promise.race([hook.deliver(sampleAlert()), late]).finally(() => clearTimeout(guard));
  }

  it('ends the attempt at its timeout while the stray process still holds the pipes', async () => {
    const result = await deliver(`${stray()} sleep 1000`);
    expect(result).toMatchObject({ ok: false, permanent: false });
    const error = (result as DeliveryResult).error ?? '';
    expect(error).toMatch(/^timed out after 300 ms; killed process group \d+ \(SIGTERM\)/);
    expect(error).toContain('stopped reading its output');
    // The attempt did not wait for the stray process: it is still there.
    const pid = strayPid();
    expect(pid).not.toBeNull();
    expect(alive(pid as number)).toBe(true);
  });

  it('delivers a command that exits 0 and leaves a stray process holding its output', async () => {
    const result = await deliver(`${stray()} echo sent`);
    expect(result).toMatchObject({ ok: true });
    expect((result as DeliveryResult).output?.lines).toContainEqual({
      stream: 'stdout',
      text: 'sent',
    });
    expect(alive(strayPid() as number)).toBe(true);
  });

  it('kills a command that ignores SIGTERM after the grace, and says so', async () => {
    const result = await deliver(`trap '' TERM; ${stray()} while :; do sleep 0.05; done`);
    const error = (result as DeliveryResult).error ?? '';
    expect(error).toMatch(
      /^timed out after 300 ms; killed process group \d+ \(SIGTERM, then SIGKILL/,
    );
  });
});
