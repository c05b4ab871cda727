// The README's systemd install, followed line by line with nothing but the single executable
// (build/overdue), under a temporary root instead of /: the commands run as written, with /etc
// and /usr/local/bin moved under the root, sudo running its command, and systemctl and
// journalctl recording their arguments. Then the installed unit is verified by systemd and its
// ExecStart and ExecReload run as systemd would run them (EnvironmentFile, StateDirectory).
// Skipped when the binary is missing, unless OVERDUE_REQUIRE_BINARY=1 (binary.test.ts then fails).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/cli/env-file.js';

const BINARY = fileURLToPath(new URL('../../build/overdue', import.meta.url));
const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;

/** The shell block of the README's "Install with systemd" section. */
function readmeSteps(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Install with systemd'));
  const block = /```sh\n([^]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md has no sh block under Install with systemd');
  return block;
}

/** The values of `key=` lines of a unit file. */
function unitValues(unit: string, key: string): string[] {
  return unit
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

describe.runIf(existsSync(BINARY))("the README's systemd install, from the binary alone", () => {
  const root = mkdtempSync(join(tmpdir(), 'overdue-readme-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const moved = (text: string) =>
    text
      .replaceAll('/etc/', `${root}/etc/`)
      .replaceAll('/usr/local/bin/', `${root}/usr/local/bin/`);

  it('installs, checks, and runs the service that answers pings', async () => {
    // The server: the downloaded binary alone in a directory, and an empty /etc.
    const work = join(root, 'work');
    const fake = join(root, 'fake-bin');
    for (const dir of [work, fake, join(root, 'usr/local/bin'), join(root, 'etc/systemd/system')])
      mkdirSync(dir, { recursive: true });
    copyFileSync(BINARY, join(work, 'overdue'));
    const calls = join(root, 'calls');
    writeFileSync(join(fake, 'sudo'), '#!/bin/sh\nexec "$@"\n');
    for (const tool of ['systemctl', 'journalctl'])
      writeFileSync(join(fake, tool), `#!/bin/sh\necho "${tool} $*" >> ${calls}\n`);
    for (const tool of ['sudo', 'systemctl', 'journalctl']) chmodSync(join(fake, tool), 0o755);
    const env = {
      PATH: `${root}/usr/local/bin:${fake}:/usr/bin:/bin`,
      HOME: join(root, 'home'),
      CACHE_DIRECTORY: join(root, 'var/cache/overdue'),
    };

    const steps = spawnSync('sh', ['-e', '-c', moved(readmeSteps())], {
      cwd: work,
      env,
      encoding: 'utf8',
    });
    expect(steps.stderr).toBe('');
    expect(steps.status).toBe(0);
    expect(steps.stdout).toContain('config.yaml: ok (1 monitors, 1 hooks)');
    expect(readFileSync(calls, 'utf8')).toBe(
      'systemctl daemon-reload\nsystemctl enable --now overdue\njournalctl -u overdue -f\n',
    );

    const unit = readFileSync(join(root, 'etc/systemd/system/overdue.service'), 'utf8');
    if (hasSystemd) {
      const copy = join(root, 'overdue.service');
      writeFileSync(copy, moved(unit));
      const verify = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
      expect(verify.stderr.trim()).toBe('');
    }

    // The operator's edit: port 8080 may be taken on this machine.
    const config = join(root, 'etc/overdue/config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(':8080', ':0'));
    // As systemd runs the unit: EnvironmentFile= read, STATE_DIRECTORY set, output to journald.
    const envFile = moved(unitValues(unit, 'EnvironmentFile')[0] ?? '').replace(/^-/, '');
    const secrets = parseEnvFile(readFileSync(envFile, 'utf8'), envFile);
    const serviceEnv = {
      ...env,
      ...secrets,
      STATE_DIRECTORY: join(root, 'var/lib/overdue'),
      JOURNAL_STREAM: '8:1',
    };
    mkdirSync(serviceEnv.STATE_DIRECTORY, { recursive: true });
    const [program, ...args] = moved(unitValues(unit, 'ExecStart')[0] ?? '').split(' ');
    const service = spawn(program ?? '', args, { env: serviceEnv });
    try {
      let output = '';
      service.stdout.on('data', (c: Buffer) => (output += c.toString()));
      service.stderr.on('data', (c: Buffer) => (output += c.toString()));
      while (!/msg=listening url=/.test(output)) await once(service.stdout, 'data');
      const url = /msg=listening url=(\S+)/.exec(output)?.[1];
      const ping = await fetch(`${url}/ping/${secrets.OVERDUE_PING_KEY}/example`);
      expect(ping.status).toBe(200);
      expect(existsSync(join(serviceEnv.STATE_DIRECTORY, 'overdue.db'))).toBe(true);

      // systemctl reload: the unit's ExecReload lines, in order.
      for (const line of unitValues(unit, 'ExecReload')) {
        const [reload, ...reloadArgs] = moved(line)
          .replace('$MAINPID', String(service.pid))
          .split(' ');
        const r = spawnSync(reload ?? '', reloadArgs, { env: serviceEnv, encoding: 'utf8' });
        expect(r.status).toBe(0);
      }
      while (!/msg="config reloaded"/.test(output)) await once(service.stdout, 'data');
      service.kill('SIGTERM');
      const [code] = (await once(service, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      service.kill('SIGKILL');
    }
  });
});
