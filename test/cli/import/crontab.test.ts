// `overdue import crontab`: each job of a crontab(5) file becomes a cron monitor, lines it cannot
// read are named with their line numbers, and the printed crontab runs each job by `overdue exec`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { daemonFixture } from '../../helpers/daemon.js';
import { MAIN } from '../../helpers/process.js';
import { FIXTURES, importCli, PING_KEY, withServer } from './helpers.js';

const FILE = join(FIXTURES, 'crontab.txt');

describe('overdue import crontab', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));

  it("keeps each job's schedule in the file's CRON_TZ and names the program in the slug", () => {
    const { stdout } = importCli(['crontab', '--from', FILE, '--timezone', 'UTC']);
    const config = parse(stdout) as { monitors: Record<string, Record<string, unknown>> };
    expect(Object.keys(config.monitors)).toEqual(['backup-sh', 'sync-queue', 'rotate-logs']);
    expect(config.monitors['backup-sh']).toMatchObject({
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
    });
    expect(config.monitors['sync-queue']).toMatchObject({ cron: '*/15 * * * mon-fri' });
    expect(config.monitors['rotate-logs']).toMatchObject({ cron: '@daily' });
  });

  it('reports the lines it cannot read with their line numbers, and keeps them as they were', () => {
    const { stdout, stderr } = importCli(['crontab', '--from', FILE, '--timezone', 'UTC']);
    expect(stderr).toContain(`${FILE}:10: @reboot runs once at boot`);
    expect(stderr).toContain(`${FILE}:11: the command has a '%'`);
    expect(stderr).toContain(`${FILE}:12: invalid cron expression '61 * * * *'`);
    expect(stdout).toContain('#   @reboot /usr/local/bin/start-tunnel');
  });

  it('reads the user column of /etc/cron.d files and keeps it in the wrapped line', () => {
    const out = join(t.dir.path, 'crontab.out');
    const { stdout } = importCli(
      ['crontab', '--from', join(FIXTURES, 'cron.d-app'), '--user-column', '--timezone', 'UTC'],
      ['--crontab-out', out],
    );
    expect(stdout).toContain('run-parts:');
    expect(readFileSync(out, 'utf8')).toContain(
      "17 * * * * root overdue exec run-parts -- sh -c 'cd / && run-parts --report /etc/cron.hourly'",
    );
  });

  it('runs the output, and a wrapped job line reports to its monitor through overdue exec', async () => {
    const out = join(t.dir.path, 'crontab.out');
    const { stdout } = importCli(
      ['crontab', '--from', FILE, '--timezone', 'UTC'],
      ['--crontab-out', out],
    );
    const daemon = await t.start(withServer(stdout));
    const line = readFileSync(out, 'utf8')
      .split('\n')
      .find((l) => l.includes('overdue exec rotate-logs'));
    // The command part of the wrapped line, as cron would run it, with `overdue` the built CLI.
    const command = (line ?? '').replace(/^@daily overdue /, `${process.execPath} ${MAIN} `);
    expect(command).toContain("exec rotate-logs -- sh -c '/usr/local/bin/rotate-logs'");
    const child = spawn('sh', ['-c', command.replace('/usr/local/bin/rotate-logs', 'true')], {
      env: { ...process.env, OVERDUE_URL: daemon.url, OVERDUE_PING_KEY: PING_KEY },
    });
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(daemon.monitors.bySlug('rotate-logs')?.state.status).toBe('up');
  });
});
