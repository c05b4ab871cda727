// The CLI as a user runs it: the compiled daemon as a real process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TEST_PING_KEY, writeConfigYaml } from '../helpers/config-yaml.js';
import { DaemonProcess, runCli } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';
import { VERSION } from '../../src/platform/version.js';

describe('overdue CLI', () => {
  const dir = tempDir();
  let daemon: DaemonProcess | undefined;
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
    daemon = undefined;
  });
  afterAll(() => dir.remove());

  const write = (name: string, text: string) => {
    const file = join(dir.path, name);
    writeFileSync(file, text);
    return file;
  };

  it('prints usage with --help and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('overdue serve');
    expect(runCli(['serve', '--help']).stdout).toContain('--config');
  });

  it('prints the version of package.json', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    expect(runCli(['version']).stdout.split('\n')[0]).toBe(`overdue ${VERSION}`);
  });

  it('exits 2 on an unknown command or option', () => {
    expect(runCli(['frobnicate']).status).toBe(2);
    expect(runCli(['serve', '--bogus']).status).toBe(2);
    expect(runCli(['check']).status).toBe(2);
  });

  it('checks the example config as valid', () => {
    const r = runCli(['check', 'config.example.yaml']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('lists every problem of a config with its line and column, and exits 2', () => {
    const file = write(
      'bad.yaml',
      `server:
  listen: 127.0.0.1:99999
monitors:
  backup:
    every: 5
    grace: 1x
    notify: [nobody]
  etl:
    cron: "61 * * * *"
    timezone: Mars/Olympus
    gracee: 5m
`,
    );
    const r = runCli(['check', file]);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n').slice(0, -1);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${file}:\\d+:\\d+ \\S+: .+`));
    for (const at of [':2:', ':5:', ':6:', ':7:', ':9:', ':10:', ':11:'])
      expect(r.stderr).toContain(`${file}${at}`);
  });

  it('refuses to serve an invalid config with exit 2', async () => {
    daemon = new DaemonProcess(write('bad-serve.yaml', 'monitors:\n  x:\n    every: nope\n'));
    expect(await daemon.exited()).toBe(2);
    expect(daemon.output).toContain('config problem');
  });

  it('serves pings and exits 0 on SIGTERM', async () => {
    const file = writeConfigYaml(
      dir.path,
      { server: { 'data-dir': './data-ok' }, monitors: { job: { every: '1h' } } },
      'ok.yaml',
    );
    daemon = await new DaemonProcess(file).started();
    const res = await fetch(`${daemon.url}/ping/${TEST_PING_KEY}/job`);
    expect(res.status).toBe(200);
    daemon.kill('SIGTERM');
    expect(await daemon.exited()).toBe(0);
    // Log lines are written once per event-loop turn: the last ones still come out at exit.
    expect(daemon.output).toMatch(/msg="shutting down" signal=SIGTERM/);
    expect(daemon.output).toMatch(/msg=stopped\n$/);
  });
});
