// The wrapped job as a child process: its output passed through and captured, signals passed
// on, an optional timeout, and its end turned into one exit status the way a shell reports it.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { formatDuration } from '../core/duration.js';
import type { ClientIO, ForwardedSignal } from './client-io.js';
import type { TailBuffer } from './tail-buffer.js';
import { warn } from './usage.js';

// The exit statuses GNU timeout and POSIX shells use, so scripts that check them keep working.
export const EXIT_TIMEOUT = 124;
export const EXIT_CANNOT_EXECUTE = 126;
export const EXIT_NOT_FOUND = 127;

/** Between the SIGTERM of a timeout and the SIGKILL, for the job to clean up. */
export const KILL_GRACE_MS = 5_000;
// A background process the job left behind may hold its stdout open for hours; after the job
// itself exits, its output is awaited only this long (real time: it is not a policy to test).
const DRAIN_MS = 1_000;

export interface JobSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly timeoutMs: number | null;
}

type End = Error | { readonly code: number | null; readonly signal: NodeJS.Signals | null };

export class Job {
  /** The job's exit status (0-255), once it has ended and its output has been read. */
  readonly ended: Promise<number>;
  readonly #io: ClientIO;
  readonly #output: TailBuffer;
  readonly #child: ChildProcess | null = null;
  readonly #timer = new AbortController();
  #exited = false;
  #timedOut = false;
  #killedHard = false;

  /** `cancelled`: a signal that came before the job could start; then it is not started at all. */
  constructor(
    spec: JobSpec,
    io: ClientIO,
    output: TailBuffer,
    cancelled: ForwardedSignal | null = null,
  ) {
    this.#io = io;
    this.#output = output;
    if (cancelled !== null) {
      this.ended = Promise.resolve(this.#notStarted(cancelled));
      return;
    }
    try {
      // Outside a terminal the job leads a process group of its own, so a timeout or a
      // forwarded signal reaches what it started too (`sh -c 'a; b'`), as with GNU timeout.
      this.#child = spawn(spec.command, [...spec.args], {
        stdio: ['inherit', 'pipe', 'pipe'],
        detached: !io.interactive,
      });
    } catch (error) {
      // Arguments spawn refuses outright (a NUL byte) are reported like a command that cannot run.
      this.ended = Promise.resolve(this.#cannotRun(spec, asError(error)));
      return;
    }
    if (spec.timeoutMs !== null) this.#armTimeout(spec.timeoutMs);
    this.ended = this.#watch(spec, this.#child);
  }

  /** Passes a signal the wrapper received on to the job. */
  forward(signal: ForwardedSignal): void {
    // In a terminal the job shares our process group, so the keyboard's SIGINT reached it already.
    if (this.#io.interactive && signal === 'SIGINT') return;
    this.#kill(signal);
  }

  async #watch(spec: JobSpec, child: ChildProcess): Promise<number> {
    const undo = [
      this.#pass(child.stdout, this.#io.stdout),
      this.#pass(child.stderr, this.#io.stderr),
    ];
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const end = await new Promise<End>((resolve) => {
      child.once('error', resolve);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.#exited = true;
    this.#timer.abort();
    if (end instanceof Error) return this.#cannotRun(spec, end);
    await this.#drain(child, closed);
    for (const detach of undo) detach();
    return this.#statusOf(spec, end.code, end.signal);
  }

  /** Copies `from` to `to` (with backpressure, so a slow reader slows the job, not our memory). */
  #pass(from: Readable | null, to: Writable): () => void {
    if (from === null) return () => undefined;
    from.on('data', (chunk: Buffer) => this.#output.push(chunk));
    // If our own stdout goes away (EPIPE), pipe() unpipes it; the job keeps running and the
    // capture goes on. Without a listener of our own, the error would crash the wrapper.
    const ignore = () => undefined;
    to.on('error', ignore);
    from.pipe(to, { end: false });
    return () => {
      from.unpipe(to);
      to.off('error', ignore);
    };
  }

  async #drain(child: ChildProcess, closed: Promise<void>): Promise<void> {
    const timer = new AbortController();
    const timedOut = delay(DRAIN_MS, true, { signal: timer.signal }).catch(() => false);
    const late = await Promise.race([closed.then(() => false), timedOut]);
    timer.abort();
    if (!late) return;
    child.stdout?.destroy();
    child.stderr?.destroy();
    warn(
      this.#io,
      'the job exited but something it started still holds its output open; not waiting for it',
    );
  }

  #armTimeout(timeoutMs: number): void {
    const { signal } = this.#timer;
    const expire = async () => {
      await this.#io.sleep(timeoutMs, signal);
      if (signal.aborted) return;
      this.#timedOut = true;
      this.#kill('SIGTERM');
      await this.#io.sleep(KILL_GRACE_MS, signal);
      if (signal.aborted) return;
      this.#killedHard = true;
      this.#kill('SIGKILL');
    };
    void expire();
  }

  #kill(signal: NodeJS.Signals): void {
    const pid = this.#child?.pid;
    // Once the job has exited its pid may be reused: never signal it again.
    if (pid === undefined || this.#exited) return;
    try {
      if (this.#io.interactive) process.kill(pid, signal);
      else process.kill(-pid, signal);
    } catch {
      // Already gone (ESRCH): its exit is on its way.
    }
  }

  #statusOf(spec: JobSpec, code: number | null, signal: NodeJS.Signals | null): number {
    if (this.#timedOut) {
      const after = formatDuration(spec.timeoutMs ?? 0);
      const hard = this.#killedHard ? `, then SIGKILL ${formatDuration(KILL_GRACE_MS)} later` : '';
      this.#note(`timed out after ${after}: sent SIGTERM${hard}`);
      return EXIT_TIMEOUT;
    }
    if (signal !== null) {
      const status = statusOfSignal(signal);
      this.#note(`the job was killed by ${signal} (exit status ${status})`);
      return status;
    }
    return code ?? 0;
  }

  #notStarted(signal: ForwardedSignal): number {
    const status = statusOfSignal(signal);
    this.#note(`received ${signal} before the job started: not running it (exit status ${status})`);
    return status;
  }

  #cannotRun(spec: JobSpec, error: Error): number {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'command not found' : 'permission denied';
    const known = code === 'ENOENT' || code === 'EACCES';
    this.#note(
      `cannot run '${spec.command}': ${known ? `${why} (${error.message})` : error.message}`,
    );
    return code === 'ENOENT' ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
  }

  /** A line at the end of the captured output (what the failure ping shows) and on stderr. */
  #note(text: string): void {
    const last = this.#output.tail(1);
    const lead = last.length === 1 && last[0] !== 0x0a ? '\n' : '';
    this.#output.push(Buffer.from(`${lead}overdue: ${text}\n`));
    warn(this.#io, text);
  }
}

/** As shells report a process killed by a signal: 128 + the signal's number. */
function statusOfSignal(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
