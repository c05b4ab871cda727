// The README's quick start keeps working on loopback, and the same file with a forgotten secret is
// refused once the server is reachable from other hosts (issue 14: the example's ping key became
// the production key). Real processes, the shipped config.example.yaml.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DaemonProcess, runCli } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

const EXAMPLE = readFileSync('config.example.yaml', 'utf8');

/** `line:col` of the value written after `key: ` on the example's first line that has it. */
function valueAt(key: string): string {
  const lines = EXAMPLE.split('\n');
  const line = lines.findIndex((l) => l.trimStart().startsWith(`${key}: `));
  return `${line + 1}:${(lines[line] ?? '').indexOf(`${key}: `) + key.length + 3}`;
}

describe('the example config with its public placeholders', () => {
  const dir = tempDir();
  let daemon: DaemonProcess | undefined;
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
    daemon = undefined;
  });
  afterAll(() => dir.remove());

  /** config.example.yaml listening on `listen`, its data in the temp dir. */
  const example = (name: string, listen: string) => {
    const file = join(dir.path, name);
    writeFileSync(file, EXAMPLE.replace('listen: 127.0.0.1:8080', `listen: ${listen}`));
    return file;
  };
  const env = () => ({ STATE_DIRECTORY: join(dir.path, 'state') });

  it('serves the quick start on loopback and takes a ping with the example key', async () => {
    daemon = await new DaemonProcess(example('loopback.yaml', '127.0.0.1:0'), env()).started();
    const res = await fetch(`${daemon.url}/ping/example-ping-key-change-me/queue-worker`);
    expect(res.status).toBe(200);
    expect(daemon.output).toMatch(/level=warn .*server\.ping-key: 'example-ping-key-change-me'/);
  });

  it('refuses to serve it on every interface, naming each value and the fix', async () => {
    daemon = new DaemonProcess(example('exposed.yaml', '0.0.0.0:0'), env());
    expect(await daemon.exited()).toBe(2);
    expect(daemon.output).toContain(
      `exposed.yaml:${valueAt('ping-key')} server.ping-key: 'example-ping-key-change-me' is a public placeholder from config.example.yaml (OVERDUE_PING_KEY is unset or empty): set OVERDUE_PING_KEY to a value of your own`,
    );
    expect(daemon.output).toContain(`exposed.yaml:${valueAt('topic')} hooks.phone.ntfy.topic: `);
  });

  it('is reported by check as a problem when the server is reachable from other hosts', () => {
    const file = example('check.yaml', '0.0.0.0:8080');
    const r = runCli(['check', file]);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^${file}:${valueAt('ping-key')} server\\.ping-key: 'example-ping-key-change-me' is a public placeholder`,
      ),
    );
    expect(lines.at(-1)).toBe('3 problem(s) found');
  });
});
