import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';

export const MAIN = 'dist/main.js';

/** Runs the CLI to its end; `env` is added to the test's environment (undefined unsets). */
export function runCli(args: string[], cwd?: string, env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [`${process.cwd()}/${MAIN}`, ...args], {
    encoding: 'utf8',
    cwd: cwd ?? process.cwd(),
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A daemon running as a real process; `url` is read from its `listening` log line. */
export class DaemonProcess {
  readonly child: ChildProcessWithoutNullStreams;
  output = '';
  url = '';

  constructor(
    configFile: string,
    env: Record<string, string | undefined> = {},
    args: readonly string[] = [],
  ) {
    this.child = spawn(
      process.execPath,
      [`${process.cwd()}/${MAIN}`, 'serve', '--config', configFile, ...args],
      {
        env: { ...process.env, ...env },
      },
    );
    this.child.stdout.on('data', (c: Buffer) => (this.output += c.toString()));
    this.child.stderr.on('data', (c: Buffer) => (this.output += c.toString()));
  }

  async started(): Promise<this> {
    while (this.url === '') {
      const m = /msg=listening url=(\S+)/.exec(this.output);
      if (m?.[1]) this.url = m[1];
      else if (this.ended) throw new Error(`daemon exited:\n${this.output}`);
      else await Promise.race([once(this.child.stdout, 'data'), once(this.child, 'exit')]);
    }
    return this;
  }

  get ended(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Resolves once the output after `from` (an offset in `output`) matches `pattern`. */
  async waitFor(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
    for (;;) {
      const m = pattern.exec(this.output.slice(from));
      if (m) return m;
      if (this.ended) throw new Error(`daemon exited before ${pattern}:\n${this.output}`);
      await Promise.race([once(this.child.stdout, 'data'), once(this.child, 'exit')]);
    }
  }

  /** Resolves with the exit code (or signal) once the process has ended. */
  async exited(): Promise<number | string> {
    if (this.ended) return this.child.exitCode ?? this.child.signalCode ?? '';
    const [code, signal] = (await once(this.child, 'exit')) as [number | null, string | null];
    return code ?? signal ?? '';
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.ended) this.child.kill(signal);
  }
}

/** True while process `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills `pid` if it still runs (a stray a test left behind). */
export function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}
