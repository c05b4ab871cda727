// `overdue exec` as a real process receiving real signals, run from the compiled dist/job-client.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PingServer } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('fixtures/exec-cli.mjs', import.meta.url));
const KEY = 'key-0123456789abcdef';

class Wrapper {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';

  constructor(url: string, script: string) {
    this.child = spawn(process.execPath, [FIXTURE, 'backup', '--', 'sh', '-c', script], {
      env: { ...process.env, OVERDUE_URL: url, OVERDUE_PING_KEY: KEY },
    });
    this.child.stdout.on('data', (c: Buffer) => (this.stdout += c.toString()));
    this.child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString()));
  }

  async printed(text: string): Promise<void> {
    while (!this.stdout.includes(text)) {
      if (this.child.exitCode !== null) throw new Error(`exited early: ${this.stderr}`);
      await Promise.race([once(this.child.stdout, 'data'), once(this.child, 'exit')]);
    }
  }

  async exited(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null)
      await once(this.child, 'exit');
    return this.child.exitCode;
  }
}

describe('overdue exec as a process', () => {
  let server: PingServer;
  let wrapper: Wrapper | undefined;
  beforeEach(async () => {
    server = await new PingServer().start();
  });
  afterEach(async () => {
    if (wrapper && wrapper.child.exitCode === null) wrapper.child.kill('SIGKILL');
    await wrapper?.exited();
    wrapper = undefined;
    await server.close();
  });

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'passes %s on to the job and exits with the status the job chose',
    async (signal) => {
      // A non-interactive shell starts background jobs with SIGINT ignored, and a signal to the
      // group can reach the sleep before it has dropped the shell's trap: the trap kills the
      // sleep itself, so that nothing holds the output open after the shell exits.
      const trap = `trap 'echo got it; kill -KILL $! 2>/dev/null; exit 7' ${signal.slice(3)}`;
      wrapper = new Wrapper(server.url, `${trap}; echo ready; sleep 30 & wait`);
      await wrapper.printed('ready');
      await server.waitFor(1);
      wrapper.child.kill(signal);
      expect(await wrapper.exited()).toBe(7);
      expect(wrapper.stdout).toBe('ready\ngot it\n');
      expect(wrapper.stderr).toBe('');
      expect(server.pings.map((p) => p.path)).toEqual([
        `/ping/${KEY}/backup/start`,
        `/ping/${KEY}/backup/7`,
      ]);
    },
  );

  it('signals the job process group, so what the job started ends with it', async () => {
    // Without a trap the shell dies of the SIGTERM; the sleep holding the output pipe must die
    // with it, or the wrapper would wait for the pipe and warn that it is still held open.
    wrapper = new Wrapper(server.url, 'echo ready; sleep 30; echo never');
    await wrapper.printed('ready');
    wrapper.child.kill('SIGTERM');
    expect(await wrapper.exited()).toBe(143);
    expect(wrapper.stderr).toBe('overdue: the job was killed by SIGTERM (exit status 143)\n');
    expect(server.pings[1]?.path).toBe(`/ping/${KEY}/backup/143`);
    expect(server.pings[1]?.body.toString()).toBe(
      'ready\noverdue: the job was killed by SIGTERM (exit status 143)\n',
    );
  });

  it('does not wait for a background process that keeps the output open after the job exits', async () => {
    wrapper = new Wrapper(server.url, 'sleep 30 & echo $!');
    expect(await wrapper.exited()).toBe(0);
    process.kill(Number(wrapper.stdout.trim()), 'SIGKILL');
    expect(wrapper.stderr).toContain('still holds its output open');
    expect(server.pings[1]?.path).toBe(`/ping/${KEY}/backup/0`);
  });
});
