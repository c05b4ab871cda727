// systemd accepts scripts/overdue.service. `systemd-analyze verify` also checks that ExecStart's
// program exists, so a copy points it at this machine's node; skipped where systemd is absent.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;

describe.runIf(hasSystemd)('scripts/overdue.service', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const unit = readFileSync('scripts/overdue.service', 'utf8');

  it('passes systemd-analyze verify', () => {
    const copy = join(dir.path, 'overdue.service');
    writeFileSync(copy, unit.replaceAll('/usr/local/bin/overdue', process.execPath));
    const r = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs as a dynamic user with the hardening the README promises, and reloads with SIGHUP', () => {
    for (const line of [
      'DynamicUser=yes',
      'StateDirectory=overdue',
      'ConfigurationDirectory=overdue',
      'ProtectSystem=strict',
      'NoNewPrivileges=yes',
      'PrivateTmp=yes',
      'CapabilityBoundingSet=',
      'SystemCallFilter=@system-service',
      'ExecReload=/bin/kill -HUP $MAINPID',
      'Restart=on-failure',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    // V8's JIT needs writable and executable memory.
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
  });
});
