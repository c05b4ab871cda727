// Running one delivery of a command hook: a process in its own group, the alert on stdin, its
// output kept as lines (see command-output.ts) and the end of its stderr in the error of a failed
// delivery. The attempt ends when the command exits, or at the timeout, whatever its descendants
// do: a process that left the group (setsid, a daemonising script) may keep stdout and stderr open
// for ever, so the end is the command's exit plus a bounded drain of the pipes, never their close.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { delivered, failed, type DeliveryResult, type HookOutput } from '../core/hook.js';
import { OutputLines } from './command-output.js';

/** After SIGTERM, how long a timed-out command's group has to exit before SIGKILL. */
export const KILL_AFTER_MS = 2_000;
/**
 * After the command exits, how long its output may still arrive. What it wrote before exiting is
 * in the pipes already and is read in a few ms; a longer wait only serves a descendant that holds
 * the pipes open, and an alert must not wait for that.
 */
export const DRAIN_MS = 500;
// How much of the command's stderr is kept in the error of a failed delivery.
const STDERR_TAIL_BYTES = 1_000;

export function runCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  stdin: string,
  timeoutMs: number,
): Promise<DeliveryResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.resolve(failed('empty command', true));
  return new Promise((resolve) => {
    // detached: the command gets its own process group, so a timeout kills `sh -c` and its children.
    const child = spawn(file, args, { env, stdio: 'pipe', detached: true });
    new CommandRun(child, file, timeoutMs, resolve).start(stdin);
  });
}

/** One running command: its timers, the signals its group got, and the one place it ends. */
class CommandRun {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #file: string;
  readonly #timeoutMs: number;
  readonly #resolve: (result: DeliveryResult) => void;
  readonly #output = new OutputLines();
  readonly #timers: NodeJS.Timeout[] = [];
  #stderr = '';
  /** The signals sent to the group at the timeout, in order. */
  readonly #signals: NodeJS.Signals[] = [];
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  #done = false;

  constructor(
    child: ChildProcessWithoutNullStreams,
    file: string,
    timeoutMs: number,
    resolve: (result: DeliveryResult) => void,
  ) {
    this.#child = child;
    this.#file = file;
    this.#timeoutMs = timeoutMs;
    this.#resolve = resolve;
  }

  start(stdin: string): void {
    const child = this.#child;
    const timeout = setTimeout(() => this.#timedOut(), this.#timeoutMs);
    this.#timers.push(timeout);
    child.stdout.on('data', (chunk: Buffer) => this.#output.add('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.#output.add('stderr', chunk);
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    // A command that does not read stdin closes the pipe early: that is not its failure.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT' || error.code === 'EACCES';
      this.#finish(failed(`cannot run ${this.#file}: ${error.message}`, missing));
    });
    child.on('exit', (code, signal) => {
      this.#exit = { code, signal };
      // Exited in time: its drain is no reason to kill anything.
      clearTimeout(timeout);
      // Output still in the pipes arrives before 'close'; a descendant holding them delays it.
      this.#timers.push(setTimeout(() => this.#finish(this.#result(false)), DRAIN_MS));
    });
    child.on('close', () => this.#finish(this.#result(true)));
  }

  /** SIGTERM to the group; SIGKILL to whatever of it is left after the grace. */
  #timedOut(): void {
    this.#kill('SIGTERM');
    // Not cleared when the attempt ends: a descendant in the group that ignores SIGTERM is killed.
    setTimeout(() => {
      this.#kill('SIGKILL');
      // A command that does not exit even then (stuck in the kernel) still ends the attempt.
      if (!this.#done)
        this.#timers.push(setTimeout(() => this.#finish(this.#result(false)), DRAIN_MS));
    }, KILL_AFTER_MS).unref();
  }

  #kill(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
      if (!this.#done) this.#signals.push(signal);
    } catch {
      // The whole group is gone already.
    }
  }

  /** `drained`: both pipes closed, so the output is complete. */
  #result(drained: boolean): DeliveryResult {
    const exit = this.#exit;
    const result =
      this.#signals.length > 0
        ? failed(this.#timeoutText(drained), false)
        : exit === null
          ? failed('the command ended without an exit status', false)
          : exit.code === 0
            ? delivered
            : failed(exitText(exit.code, exit.signal, this.#stderr), false);
    return withOutput(result, this.#output.finish());
  }

  /** What the timeout did: the log and the deliveries table say what was killed. */
  #timeoutText(drained: boolean): string {
    const pid = this.#child.pid ?? 0;
    const how = this.#signals.includes('SIGKILL')
      ? `SIGTERM, then SIGKILL after ${KILL_AFTER_MS} ms`
      : 'SIGTERM';
    let text = `timed out after ${this.#timeoutMs} ms; killed process group ${pid} (${how})`;
    if (this.#exit === null) text += '; the command did not exit even then';
    else if (!drained) text += '; stopped reading its output, still held open by a descendant';
    return text;
  }

  #finish(result: DeliveryResult): void {
    if (this.#done) return;
    this.#done = true;
    for (const timer of this.#timers) clearTimeout(timer);
    // Nothing more is read: a descendant holding the pipes gets EPIPE, not our attention.
    this.#child.stdout.destroy();
    this.#child.stderr.destroy();
    this.#child.stdin.destroy();
    this.#resolve(result);
  }
}

function withOutput(result: DeliveryResult, output: HookOutput): DeliveryResult {
  return output.lines.length === 0 && output.cutBytes === 0 ? result : { ...result, output };
}

function exitText(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const how = signal !== null ? `killed by ${signal}` : `exited with status ${code}`;
  const tail = stderr.trim();
  return tail === '' ? how : `${how}: ${tail}`;
}
