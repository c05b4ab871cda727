// `overdue exec MONITOR -- COMMAND`: runs a job and reports its start, its exit status and the
// tail of its output. The job comes first: a ping never fails it or changes its exit status,
// delays its start by at most START_WAIT_MS, and its end by at most the final ping's retries.
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { parseDuration } from '../core/duration.js';
import type { ClientIO, ForwardedSignal } from './client-io.js';
import { EXEC_HELP } from './help.js';
import { Job, type JobSpec } from './job.js';
import {
  DEFAULT_BODY_LIMIT,
  MAX_BODY_BYTES,
  PING_POLICY,
  sendPing,
  type PingResult,
} from './send-ping.js';
import { TailBuffer } from './tail-buffer.js';
import { pingUrl, resolveTarget, type Target } from './target.js';
import { parseStrict, reportUsage, UsageError, warn } from './usage.js';

/**
 * How long the job waits for the first answer to its start ping. The server times a run from the
 * start ping's arrival, so a job started before it arrives is recorded short by the difference
 * (a cold client, a TLS handshake); a server slower than this, or silent, costs the job no more.
 * A refused connection or any other quick failure lets the job start at once.
 */
export const START_WAIT_MS = 1_000;

const options = {
  help: { type: 'boolean', short: 'h' },
  timeout: { type: 'string' },
} as const;

/** Runs `overdue exec`; resolves with the exit status for the CLI (see EXEC_HELP). */
export async function runExec(args: readonly string[], io: ClientIO): Promise<number> {
  let spec: (JobSpec & { readonly monitor: string }) | 'help';
  let target: Target;
  try {
    spec = parseExecArgs(args);
    if (spec === 'help') {
      io.stdout.write(EXEC_HELP);
      return 0;
    }
    target = resolveTarget(spec.monitor, io.env);
  } catch (error) {
    if (error instanceof UsageError) return reportUsage(io, error, 'exec');
    throw error;
  }
  return await runAndReport(spec, target, io);
}

function parseExecArgs(args: readonly string[]): (JobSpec & { readonly monitor: string }) | 'help' {
  const { values, tokens } = parseStrict(args, options);
  if (values.help === true) return 'help';
  // Everything after `--` is the command's, so its own options (even -h) are never read as ours.
  const end = tokens.find((t) => t.kind === 'option-terminator')?.index;
  if (end === undefined) throw new UsageError('put the command after --: exec MONITOR -- COMMAND');
  const monitors = tokens.flatMap((t) =>
    t.kind === 'positional' && t.index < end ? [t.value] : [],
  );
  const [command = '', ...rest] = args.slice(end + 1);
  if (monitors.length !== 1 || monitors[0] === undefined)
    throw new UsageError('exec takes exactly one MONITOR before --');
  if (command === '') throw new UsageError('no command after --');
  return { monitor: monitors[0], command, args: rest, timeoutMs: timeoutOf(values.timeout) };
}

function timeoutOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  const ms = parseDuration(text);
  if (ms === null || ms === 0)
    throw new UsageError(
      `--timeout must be a positive duration such as 90s, 5m or 1h30m, not '${text}'`,
    );
  return ms;
}

async function runAndReport(spec: JobSpec, target: Target, io: ClientIO): Promise<number> {
  const runId = randomUUID();
  const stopEnd = new AbortController();
  const stopWait = new AbortController();
  let early: ForwardedSignal | null = null;
  let job: Job | null = null;
  let jobEnded = false;
  // Signals go to the job while it runs; one before it started cancels it (Ctrl-C while the
  // server is slow to answer); one after its end (an impatient second Ctrl-C) cuts the end
  // ping's retries short instead.
  const unsubscribe = io.onSignal((signal) => {
    if (jobEnded) return stopEnd.abort();
    if (job !== null) return job.forward(signal);
    early ??= signal;
    stopWait.abort();
  });
  try {
    // The output is kept up to the most the server could accept until it tells its limit.
    const output = new TailBuffer(MAX_BODY_BYTES);
    const start = sendStart(io, target, runId, output);
    await start.answered(stopWait.signal);
    const startedAt = io.now();
    job = new Job(spec, io, output, early);
    const exitStatus = await job.ended;
    const runMs = io.now() - startedAt;
    jobEnded = true;
    const body = output.tail(bodyLimitOf(await start.settle()));
    const url = pingUrl(target, String(exitStatus), runId);
    // The run time measured here, from the job's spawn to its exit: the server records it
    // instead of its own start-to-end measure, which holds both pings' trips.
    url.searchParams.set('duration', `${runMs.toFixed(1)}ms`);
    const end = await sendPing(io, url, body, PING_POLICY, { stop: stopEnd.signal });
    if (!end.ok) warn(io, `the exit status ping to ${target.label} failed: ${end.error}`);
    return exitStatus;
  } finally {
    unsubscribe();
    await Promise.all([flush(io.stdout), flush(io.stderr)]);
  }
}

/**
 * The start ping. The job waits for its first answer (see START_WAIT_MS), not for its retries:
 * those go on while the job runs. Its answer tells the body limit, so the output buffer can
 * shrink to it.
 */
function sendStart(io: ClientIO, target: Target, runId: string, output: TailBuffer) {
  const stop = new AbortController();
  const tried = new AbortController();
  const url = pingUrl(target, 'start', runId);
  const controls = { stop: stop.signal, firstTried: () => tried.abort() };
  const result = sendPing(io, url, null, PING_POLICY, controls);
  void result.then((start) => {
    if (start.ok && start.bodyLimit !== null) output.setCapacity(bodyLimitOf(start));
  });
  return {
    /** Once the first try has its outcome, START_WAIT_MS have passed, or `cancel` aborts. */
    answered: (cancel: AbortSignal): Promise<void> =>
      io.sleep(START_WAIT_MS, AbortSignal.any([tried.signal, cancel])),
    /**
     * Once the job has ended. The end must reach the server after the start, or the server
     * would see a run begin after it ended: wait for the start ping, but stop its retries.
     */
    settle: async (): Promise<PingResult> => {
      stop.abort();
      const start = await result;
      if (!start.ok) warn(io, `the start ping to ${target.label} failed: ${start.error}`);
      return start;
    },
  };
}

function bodyLimitOf(start: PingResult): number {
  const limit = start.ok ? (start.bodyLimit ?? DEFAULT_BODY_LIMIT) : DEFAULT_BODY_LIMIT;
  return Math.min(limit, MAX_BODY_BYTES);
}

/** Resolves once what was written to `stream` is handed to the OS, before the CLI exits. */
function flush(stream: Writable): Promise<void> {
  if (!stream.writable) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}
