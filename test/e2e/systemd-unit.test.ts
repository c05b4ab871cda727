// systemd accepts scripts/overdue.service and scripts/overdue.socket, and `overdue systemd-unit`
// prints them. `systemd-analyze verify` also checks that ExecStart's program exists, so a copy
// points it at this machine's node; skipped where systemd is absent.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;
const unit = readFileSync('scripts/overdue.service', 'utf8');
const socket = readFileSync('scripts/overdue.socket', 'utf8');

describe('overdue systemd-unit', () => {
  it('prints scripts/overdue.service, and with --socket scripts/overdue.socket', () => {
    expect(runCli(['systemd-unit']).stdout).toBe(unit);
    expect(runCli(['systemd-unit', '--socket']).stdout).toBe(socket);
  });
});

describe.runIf(hasSystemd)('scripts/overdue.service and scripts/overdue.socket', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('pass systemd-analyze verify', () => {
    const service = join(dir.path, 'overdue.service');
    writeFileSync(service, unit.replaceAll('/usr/local/bin/overdue', process.execPath));
    writeFileSync(join(dir.path, 'overdue.socket'), socket);
    const r = spawnSync('systemd-analyze', ['verify', service, join(dir.path, 'overdue.socket')], {
      encoding: 'utf8',
    });
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
      'ExecReload=/usr/local/bin/overdue check --config /etc/overdue/config.yaml',
      'ExecReload=/bin/kill -HUP $MAINPID',
      'Restart=on-failure',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    // V8's JIT needs writable and executable memory.
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
  });

  it('does not restart after a config error (exit status 2), which a restart cannot fix', () => {
    expect(unit.split('\n')).toContain('RestartPreventExitStatus=2');
  });

  it('listens where the starter config of overdue init does', () => {
    expect(socket.split('\n')).toContain('ListenStream=127.0.0.1:8080');
    const dirOf = join(dir.path, 'init');
    runCli(['init', dirOf]);
    expect(readFileSync(join(dirOf, 'config.yaml'), 'utf8')).toContain('listen: 127.0.0.1:8080');
  });
});
