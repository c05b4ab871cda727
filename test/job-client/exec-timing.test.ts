// When `overdue exec` starts the job. The server times a run from the start ping's arrival to the
// end ping's arrival, so the job must not start before the start ping has arrived; and a slow or
// silent server must not hold the job back for more than START_WAIT_MS.
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExec, START_WAIT_MS } from '../../src/job-client/exec.js';
import { PingServer, TestIO } from './helpers.js';

const KEY = 'key-0123456789abcdef';
const ARRIVAL_DELAY_MS = 300;
// The job prints the wall clock (ns; the daemon stamps pings with Date.now()) as it starts and ends.
const TIMED_JOB = 'date +%s%N; sleep 0.2; date +%s%N';

/** The job's own start and end, in wall-clock ms, from what it printed. */
function jobTimes(stdout: string): { startedAt: number; endedAt: number } {
  const [startedAt, endedAt] = stdout
    .trim()
    .split('\n')
    .map((line) => Number(BigInt(line) / 1000n) / 1000);
  if (startedAt === undefined || endedAt === undefined) throw new Error(`no times in ${stdout}`);
  return { startedAt, endedAt };
}

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('overdue exec start', () => {
  let server: PingServer;
  let io: TestIO;
  beforeEach(async () => {
    server = await new PingServer().start();
    io = new TestIO({ OVERDUE_URL: server.url, OVERDUE_PING_KEY: KEY });
  });
  afterEach(() => server.close());

  it('records a run time covering the job when the start ping arrives late', async () => {
    server.startArrives = () => delay(ARRIVAL_DELAY_MS);
    // The wait for the start ping is bounded by a sleep; here the bound never runs out.
    io.holdSleeps = new Promise(() => undefined);
    expect(await runExec(['backup', '--', 'sh', '-c', TIMED_JOB], io)).toBe(0);
    const [start, end] = server.pings;
    const job = jobTimes(io.stdout.text);
    // Date.now() rounds down: a stamp is at most 1 ms before the instant it stands for.
    expect(start?.receivedAt).toBeLessThanOrEqual(job.startedAt);
    expect(job.endedAt).toBeLessThanOrEqual((end?.receivedAt ?? 0) + 1);
    // Nor is the late arrival added: the recorded run is the job's, plus the client's reaction.
    const recordedMs = (end?.receivedAt ?? 0) - (start?.receivedAt ?? 0);
    expect(recordedMs - (job.endedAt - job.startedAt)).toBeLessThan(ARRIVAL_DELAY_MS);
  });

  it('starts the job after START_WAIT_MS when the server does not answer the start ping', async () => {
    const answer = gate();
    server.startArrives = () => answer.promise;
    const time = gate();
    io.holdSleeps = time.promise;
    const run = runExec(['backup', '--', 'sh', '-c', 'echo job ran; exit 3'], io);
    await io.sleeping(START_WAIT_MS);
    time.open();
    await io.stdoutShows('job ran');
    // The fake clock moved by the bound alone, and the start ping is still unanswered.
    expect(io.elapsedMs).toBe(START_WAIT_MS);
    expect(server.pings).toHaveLength(0);
    answer.open();
    expect(await run).toBe(3);
    expect(server.pings.at(-1)?.path).toBe(`/ping/${KEY}/backup/3`);
    expect(io.stderr.text).toBe('');
  });

  it('does not run the job when a signal arrives before it started, and reports 128+N', async () => {
    const answer = gate();
    server.startArrives = () => answer.promise;
    io.holdSleeps = new Promise(() => undefined);
    const run = runExec(['backup', '--', 'sh', '-c', 'echo job ran'], io);
    await io.sleeping(START_WAIT_MS);
    io.signal('SIGTERM');
    answer.open();
    expect(await run).toBe(143);
    expect(io.stdout.text).toBe('');
    const note =
      'overdue: received SIGTERM before the job started: not running it (exit status 143)';
    expect(io.stderr.text).toBe(`${note}\n`);
    expect(server.pings.map((p) => [p.path, p.body.toString()])).toEqual([
      [`/ping/${KEY}/backup/start`, ''],
      [`/ping/${KEY}/backup/143`, `${note}\n`],
    ]);
  });
});
