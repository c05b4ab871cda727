// The first run, as the quick start has it: the example serves its status page on loopback, the
// start-up line says where the page is, and a login form nobody can use is not shown.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeConfigYaml } from '../helpers/config-yaml.js';
import { DaemonProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

describe('the first run', () => {
  const dir = tempDir();
  let daemon: DaemonProcess | undefined;
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
    daemon = undefined;
  });
  afterAll(() => dir.remove());

  it('the example shows its status page without a token and logs its URL', async () => {
    const example = readFileSync('config.example.yaml', 'utf8');
    const file = join(dir.path, 'config.example.yaml');
    // On a free port: 8080 may be taken on this machine.
    writeFileSync(file, example.replace('listen: 127.0.0.1:8080', 'listen: 127.0.0.1:0'));
    daemon = await new DaemonProcess(file).started();
    expect(daemon.output).toContain(`status-page=${daemon.url}/`);
    const page = await fetch(`${daemon.url}/`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('nightly-backup');
  });

  it('shows why nobody can log in, without a form, when no token is configured', async () => {
    const file = writeConfigYaml(dir.path, { monitors: { job: { every: '1h' } } }, 'private.yaml');
    daemon = await new DaemonProcess(file).started();
    const login = await (await fetch(`${daemon.url}/login`)).text();
    expect(login).toContain('No token is configured');
    expect(login).not.toContain('<input');
    expect(login).not.toContain('<button');
  });
});
