// Secrets in a config file others can read, and command hooks fed hostile ping data: the daemon
// runs as a real process (dist/main.js) where the file's mode matters.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TEST_PING_KEY, writeConfigYaml, type ConfigSections } from '../helpers/config-yaml.js';
import { DaemonProcess, runCli } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

describe('a config file every user can read', () => {
  const dir = tempDir();
  // mkdtemp makes a private (0700) directory, which keeps any file in it private: open it up.
  chmodSync(dir.path, 0o755);
  let daemon: DaemonProcess | undefined;
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
    daemon = undefined;
  });
  afterAll(() => dir.remove());

  /** Writes `name` with no secret but those `sections` give (no test ping key), mode `mode`. */
  const write = (name: string, sections: ConfigSections, mode = 0o644) => {
    const server = { 'ping-key': undefined, 'data-dir': `./data-${name}`, ...sections.server };
    const file = writeConfigYaml(dir.path, { ...sections, server }, name);
    chmodSync(file, mode);
    return file;
  };
  const apiToken = { server: { 'api-token': 'literal-api-token-0123456789' } };
  const job = { job: { every: '1h' } };

  it.each<[string, ConfigSections]>([
    ['server.api-token', apiToken],
    ['server.ping-key', { server: { 'ping-key': 'literal-ping-key-0123456789' } }],
    [
      'hooks.ops.webhook.headers.Authorization',
      {
        hooks: {
          ops: {
            webhook: {
              url: 'https://hooks.example.com/x',
              headers: { Authorization: 'Bearer abc' },
            },
          },
        },
      },
    ],
    [
      'hooks.tg.telegram.bot-token',
      { hooks: { tg: { telegram: { 'bot-token': '1:abc', 'chat-id': 1 } } } },
    ],
  ])('is refused with exit 2 and the fix when it holds %s literally', async (path, sections) => {
    daemon = new DaemonProcess(write(`refused-${path}.yaml`, sections));
    expect(await daemon.exited()).toBe(2);
    expect(daemon.output).toContain(path);
    expect(daemon.output).toContain('chmod 640');
    expect(daemon.output).toContain('${VAR}');
  });

  it('is served when the same secrets come from the environment', async () => {
    const sections = { server: { 'api-token': '${API_TOKEN}', 'ping-key': '${PING_KEY}' } };
    const env = { API_TOKEN: 'env-api-token-0123456789', PING_KEY: 'env-ping-key-0123456789' };
    daemon = await new DaemonProcess(write('from-env.yaml', sections), env).started();
    expect(daemon.output).not.toContain('level=warn');
  });

  it('is served when the file is private (mode 640)', async () => {
    const file = write('private.yaml', apiToken, 0o640);
    daemon = await new DaemonProcess(file).started();
  });

  it('is served when its directory keeps other users out (a 0644 file in a 0750 directory)', async () => {
    mkdirSync(join(dir.path, 'closed'), { mode: 0o750 });
    chmodSync(join(dir.path, 'closed'), 0o750);
    const file = write('closed/config.yaml', apiToken);
    daemon = await new DaemonProcess(file).started();
  });

  it('is served with a warning when only monitor tokens are written literally', async () => {
    const file = write('tokens.yaml', {
      monitors: { job: { every: '1h', token: 'literal-token-0123456789' } },
    });
    daemon = await new DaemonProcess(file).started();
    expect(daemon.output).toMatch(/level=warn .*monitors\.job\.token/);
  });

  it('starts as documented for systemd: the example config, 0644, secrets in the environment', async () => {
    const file = join(dir.path, 'example.yaml');
    copyFileSync('config.example.yaml', file);
    chmodSync(file, 0o644);
    const env = {
      OVERDUE_PING_KEY: 'systemd-ping-key-0123456789',
      STATE_DIRECTORY: join(dir.path, 'state'),
    };
    daemon = await new DaemonProcess(file, env).started();
  });

  it('is not applied by a reload, which keeps the previous config', async () => {
    const file = write('reload.yaml', { monitors: job });
    daemon = await new DaemonProcess(file).started();
    const mark = daemon.output.length;
    write('reload.yaml', { server: { 'ping-key': 'literal-ping-key-0123456789' }, monitors: job });
    daemon.child.kill('SIGHUP');
    await daemon.waitFor(/config not reloaded/, mark);
    expect(daemon.output.slice(mark)).toContain('server.ping-key');
  });

  it('makes `overdue check` refuse it, as serve does (so ExecReload=overdue check stops it)', () => {
    const r = runCli(['check', write('check.yaml', apiToken)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/server\.api-token.*chmod 640/);
  });
});

describe('a command hook', () => {
  const dir = tempDir();
  let daemon: DaemonProcess | undefined;
  afterAll(async () => {
    daemon?.kill();
    await daemon?.exited();
    dir.remove();
  });

  it('never gets ping data or the monitor name in its argv or shell string', async () => {
    const out = (name: string) => join(dir.path, name);
    // The hook records its own command line as the kernel has it, its stdin and its environment.
    // ($$ is written $$$$ in the config, where $$ escapes a $.)
    const script = `cat /proc/$$/cmdline > ${out('cmdline')}; cat > ${out('stdin.json')}; env > ${out('env')}`;
    const name = `$(touch ${out('pwned-name')}); \`touch ${out('pwned-tick')}\`; ' " | & ; < >`;
    const file = writeConfigYaml(dir.path, {
      hooks: { probe: { command: ['sh', '-c', script.replaceAll('$', '$$$$'), 'probe', 'fixed'] } },
      monitors: { job: { name, every: '1h', notify: ['probe'] } },
    });
    daemon = await new DaemonProcess(file).started();
    const body = `$(touch ${out('pwned-body')}) \`touch ${out('pwned-body2')}\` ; rm -rf /; echo MARK-7f3a`;
    const res = await fetch(`${daemon.url}/ping/${TEST_PING_KEY}/job/fail`, {
      method: 'POST',
      body,
    });
    expect(res.status).toBe(200);
    await daemon.waitFor(/msg="alert delivered"/);
    const argv = readFileSync(out('cmdline'), 'utf8')
      .split('\0')
      .filter((a) => a !== '');
    expect(argv).toEqual(['sh', '-c', script, 'probe', 'fixed']);
    const alert = JSON.parse(readFileSync(out('stdin.json'), 'utf8')) as {
      monitor: { name: string };
      ping: { output: string };
    };
    expect(alert.monitor.name).toBe(name);
    expect(alert.ping.output).toBe(body);
    expect(readFileSync(out('env'), 'utf8')).toContain(`OVERDUE_MONITOR_NAME=${name}\n`);
    for (const f of ['pwned-name', 'pwned-tick', 'pwned-body', 'pwned-body2'])
      expect(existsSync(out(f))).toBe(false);
  });
});
