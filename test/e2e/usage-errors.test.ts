// A usage error is one line and a hint, with exit status 2, from every command; a port in use
// is one line that names the address and the fix.
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/command-table.js';
import { writeConfigYaml } from '../helpers/config-yaml.js';
import { DaemonProcess, runCli } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

describe('usage errors', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it.each(COMMANDS.map((c) => c.name).filter((name) => name !== 'help'))(
    '%s answers an unknown option with one line and a --help hint, exit 2',
    (name) => {
      const r = runCli([name, '--no-such-option']);
      expect(r.stderr).toBe(
        `overdue: Unknown option '--no-such-option'\nTry 'overdue ${name} --help'.\n`,
      );
      expect(r.stdout).toBe('');
      expect(r.status).toBe(2);
    },
  );

  it('an unknown command is one line and a hint, exit 2', () => {
    const r = runCli(['frobnicate']);
    expect(r.stderr).toBe("overdue: unknown command 'frobnicate'\nTry 'overdue --help'.\n");
    expect(r.status).toBe(2);
  });

  it('test-alert with an unknown hook is a usage error, exit 2', () => {
    const file = writeConfigYaml(dir.path, { hooks: { log: { command: 'true' } } }, 'hooks.yaml');
    const r = runCli(['test-alert', 'nope', '--config', file]);
    expect(r.stderr).toBe(
      "overdue: unknown hook 'nope' (defined: log)\nTry 'overdue test-alert --help'.\n",
    );
    expect(r.status).toBe(2);
  });

  it('serve on an address in use says which one and how to change it, in one line, exit 1', async () => {
    const taken: Server = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as { port: number }).port;
    try {
      const file = writeConfigYaml(
        dir.path,
        { server: { listen: `127.0.0.1:${port}` }, monitors: { job: { every: '1h' } } },
        'taken.yaml',
      );
      const daemon = new DaemonProcess(file);
      expect(await daemon.exited()).toBe(1);
      expect(daemon.output).toContain(
        `level=error msg="cannot listen on 127.0.0.1:${port}: another process listens there"`,
      );
      expect(daemon.output).toContain(`server.listen of ${file}`);
      expect(daemon.output).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
  });
});
