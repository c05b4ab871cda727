// Under journald (JOURNAL_STREAM set) every line starts with its syslog priority, so that
// `journalctl -p warning` shows the warnings and errors; elsewhere lines carry a timestamp.
import { chmodSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeConfigYaml } from '../helpers/config-yaml.js';
import { DaemonProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

describe('logs under journald', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const journald = { JOURNAL_STREAM: '8:12345' };

  it('prefixes info lines with <6> and leaves the timestamp to the journal', async () => {
    const file = writeConfigYaml(dir.path, { monitors: { job: { every: '1h' } } }, 'ok.yaml');
    const daemon = await new DaemonProcess(file, journald).started();
    daemon.kill('SIGTERM');
    expect(await daemon.exited()).toBe(0);
    const lines = daemon.output.trim().split('\n');
    expect(lines[0]).toMatch(/^<6>level=info msg=listening /);
    for (const line of lines) expect(line).toMatch(/^<[3467]>level=/);
  });

  it('prefixes warnings with <4> and errors with <3>', async () => {
    // A monitor token written literally in a file every user can read: a warning.
    const open = tempDir();
    chmodSync(open.path, 0o755);
    const warns = writeConfigYaml(open.path, {
      server: { 'ping-key': undefined },
      monitors: { job: { every: '1h', token: 'a-literal-token-1234' } },
    });
    chmodSync(warns, 0o644);
    const warned = await new DaemonProcess(warns, journald).started();
    warned.kill('SIGTERM');
    await warned.exited();
    open.remove();
    expect(warned.output).toMatch(/^<4>level=warn msg=".*readable by every user/m);

    const bad = writeConfigYaml(dir.path, { monitors: { job: { every: 'nope' } } }, 'bad.yaml');
    const failed = new DaemonProcess(bad, journald);
    expect(await failed.exited()).toBe(2);
    expect(failed.output).toMatch(/^<3>level=error msg="config problem" /m);
  });

  it('prefixes json lines too', async () => {
    const file = writeConfigYaml(dir.path, { monitors: { job: { every: '1h' } } }, 'json.yaml');
    const daemon = new DaemonProcess(file, journald, ['--log-format', 'json']);
    await daemon.waitFor(/"msg":"listening"/);
    daemon.kill('SIGTERM');
    await daemon.exited();
    expect(daemon.output).toMatch(/^<6>\{"level":"info","msg":"listening"/m);
  });

  it('writes no prefix and a timestamp without JOURNAL_STREAM', async () => {
    const file = writeConfigYaml(dir.path, { monitors: { job: { every: '1h' } } }, 'plain.yaml');
    const daemon = await new DaemonProcess(file, { JOURNAL_STREAM: undefined }).started();
    daemon.kill('SIGTERM');
    await daemon.exited();
    expect(daemon.output).toMatch(/^ts=\S+ level=info msg=listening /);
  });
});
