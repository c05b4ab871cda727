// Every command finds its config the same way (--config, $OVERDUE_CONFIG, --env-file), and
// check's verdict is serve's.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeConfigYaml } from '../helpers/config-yaml.js';
import { DaemonProcess, runCli } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

describe('the config of every command', () => {
  const dir = tempDir();
  chmodSync(dir.path, 0o755);
  afterAll(() => dir.remove());
  // A config whose ping key comes from the environment, as the documented install keeps it.
  const withSecret = writeConfigYaml(dir.path, {
    server: { 'ping-key': '${OVERDUE_PING_KEY}', 'data-dir': './data-secret' },
    hooks: { log: { command: 'true' } },
    monitors: { job: { every: '1h' } },
  });
  const envFile = join(dir.path, 'secrets.env');
  writeFileSync(envFile, '# the secrets\nOVERDUE_PING_KEY="a-key-from-the-env-file-123"\n');
  const unset = { OVERDUE_PING_KEY: undefined, OVERDUE_CONFIG: undefined };

  it('check takes --config as well as a FILE argument', () => {
    const r = runCli(['check', '--config', 'config.example.yaml']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('check reads $OVERDUE_CONFIG when no file is given', () => {
    const r = runCli(['check'], undefined, { OVERDUE_CONFIG: 'config.example.yaml' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('config.example.yaml: ok');
    expect(r.status).toBe(0);
  });

  it.each([['check'], ['test-alert', 'log']])(
    '%s reads the secrets of --env-file in systemd EnvironmentFile syntax',
    (...command) => {
      const without = runCli([...command, '--config', withSecret], dir.path, unset);
      expect(without.stderr).toContain('OVERDUE_PING_KEY');
      const r = runCli(
        [...command, '--config', withSecret, '--env-file', envFile],
        dir.path,
        unset,
      );
      expect(r.stderr).not.toContain('OVERDUE_PING_KEY');
      expect(r.status).toBe(0);
    },
  );

  it('serve reads the secrets of --env-file', async () => {
    const daemon = new DaemonProcess(withSecret, unset, ['--env-file', envFile]);
    try {
      await daemon.started();
      const res = await fetch(`${daemon.url}/ping/a-key-from-the-env-file-123/job`);
      expect(res.status).toBe(200);
    } finally {
      daemon.kill();
      await daemon.exited();
    }
  });

  it('check refuses, as serve does, a config every user can read with a literal secret', async () => {
    const file = writeConfigYaml(dir.path, { monitors: { job: { every: '1h' } } }, 'exposed.yaml');
    chmodSync(file, 0o644);
    const r = runCli(['check', '--config', file]);
    expect(r.stderr).toContain('server.ping-key');
    expect(r.stderr).toContain('readable by every user');
    expect(r.status).toBe(2);
    const daemon = new DaemonProcess(file);
    expect(await daemon.exited()).toBe(2);
    expect(daemon.output).toContain('readable by every user');
  });
});
