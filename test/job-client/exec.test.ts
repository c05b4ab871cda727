// `overdue exec` in-process against a recording ping server, with real child processes.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExec } from '../../src/job-client/exec.js';
import { tempDir } from '../helpers/temp.js';
import { closedPortUrl, PingServer, TestIO } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const KEY = 'key-0123456789abcdef';

describe('overdue exec', () => {
  let server: PingServer;
  let io: TestIO;
  const dir = tempDir();
  beforeEach(async () => {
    server = await new PingServer().start();
    io = new TestIO({ OVERDUE_URL: server.url, OVERDUE_PING_KEY: KEY });
  });
  afterEach(() => server.close());
  afterAll(() => dir.remove());

  const exec = (...args: string[]) => runExec(['backup', ...args], io);
  const sh = (script: string, ...options: string[]) => exec(...options, '--', 'sh', '-c', script);

  it('sends start, then /0 with the output, both with the same fresh rid', async () => {
    expect(await sh('echo hello; echo oops >&2')).toBe(0);
    const [start, end] = server.pings;
    expect(server.pings).toHaveLength(2);
    expect(start).toMatchObject({ method: 'POST', path: `/ping/${KEY}/backup/start` });
    expect(start?.rid).toMatch(UUID);
    expect(end).toMatchObject({ path: `/ping/${KEY}/backup/0`, rid: start?.rid });
    expect(end?.body.toString()).toMatch(/^(hello\noops\n|oops\nhello\n)$/);
    expect(end?.userAgent).toMatch(/^overdue\//);
    expect(io.stderr.text).toBe('oops\n');
  });

  it('uses a fresh rid for every run', async () => {
    await sh('true');
    await sh('true');
    const rids = new Set(server.pings.map((p) => p.rid));
    expect(rids.size).toBe(2);
  });

  it('passes the job stdout to stdout and its stderr to stderr', async () => {
    await sh('printf out1; printf err1 >&2; printf out2');
    expect(io.stdout.text).toBe('out1out2');
    expect(io.stderr.text).toBe('err1');
  });

  it('reports a non-zero exit status as /N and exits with it', async () => {
    expect(await sh('echo failing; exit 3')).toBe(3);
    expect(server.pings.map((p) => p.path)).toEqual([
      `/ping/${KEY}/backup/start`,
      `/ping/${KEY}/backup/3`,
    ]);
    expect(server.pings[1]?.body.toString()).toBe('failing\n');
  });

  it('sends only the tail of a long output, exactly the server body limit in bytes', async () => {
    server.bodyLimit = 1000;
    const script = 'i=0; while [ $i -lt 5000 ]; do echo "line $i"; i=$((i+1)); done';
    expect(await sh(script)).toBe(0);
    const all = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join('');
    expect(io.stdout.text).toBe(all);
    const body = server.pings[1]?.body;
    expect(body?.length).toBe(1000);
    expect(body?.toString()).toBe(all.slice(-1000));
  });

  it('keeps the last 10000 bytes when the server did not tell its body limit', async () => {
    server.answer = (p) => (p.path.endsWith('/start') ? 503 : 200);
    expect(await sh('head -c 30000 /dev/zero | tr "\\0" x; echo end')).toBe(0);
    const body = server.pings[0]?.body.toString() ?? '';
    expect(body.length).toBe(10_000);
    expect(body).toBe(`${'x'.repeat(10_000 - 4)}end\n`);
  });

  it('reports a job killed by a signal as 128+N and notes the signal in the output', async () => {
    expect(await sh('echo before; kill -9 $$')).toBe(137);
    expect(server.pings[1]?.path).toBe(`/ping/${KEY}/backup/137`);
    expect(server.pings[1]?.body.toString()).toBe(
      'before\noverdue: the job was killed by SIGKILL (exit status 137)\n',
    );
    expect(io.stderr.text).toContain('overdue: the job was killed by SIGKILL');
  });

  it('passes a SIGTERM of the wrapper on to the job and exits with its status', async () => {
    const run = sh('trap "echo got TERM; exit 7" TERM; echo ready; sleep 30 & wait');
    await io.stdoutShows('ready');
    io.signal('SIGTERM');
    expect(await run).toBe(7);
    expect(io.stdout.text).toBe('ready\ngot TERM\n');
    expect(server.pings[1]?.path).toBe(`/ping/${KEY}/backup/7`);
  });

  it('kills a job that outlives --timeout, reports a failure that says so and exits 124', async () => {
    const run = sh('echo started; sleep 30; echo never', '--timeout', '90s');
    expect(await run).toBe(124);
    expect(server.pings[1]?.path).toBe(`/ping/${KEY}/backup/124`);
    expect(server.pings[1]?.body.toString()).toContain('overdue: timed out after 1m30s');
    expect(io.stdout.text).not.toContain('never');
    expect(io.sleeps).toContain(90_000);
  });

  it('escalates to SIGKILL when the job ignores the SIGTERM of a timeout', async () => {
    let release = () => undefined as void;
    io.holdSleeps = new Promise((r) => (release = r));
    const run = sh('trap "" TERM; echo ready; sleep 30', '--timeout', '5m');
    await io.stdoutShows('ready');
    release();
    expect(await run).toBe(124);
    expect(server.pings[1]?.body.toString()).toContain('sent SIGTERM, then SIGKILL 5s later');
    expect(io.sleeps).toEqual(expect.arrayContaining([300_000, 5_000]));
  });

  it('still runs the job and keeps its exit status when overdue is unreachable', async () => {
    io = new TestIO({ OVERDUE_URL: await closedPortUrl(), OVERDUE_PING_KEY: KEY });
    // Sleeps hang until the job has printed: were the job waiting for the start ping's
    // retries, it would never print, and this test would time out.
    io.holdSleeps = io.stdoutShows('job ran');
    expect(await sh('echo job ran; exit 5')).toBe(5);
    expect(io.stdout.text).toBe('job ran\n');
    expect(io.stderr.text).toMatch(
      /^overdue: the start ping to http:\/\/127\.0\.0\.1:\d+\/ping\/…\/backup failed: .*ECONNREFUSED/m,
    );
    expect(io.stderr.text).toMatch(/^overdue: the exit status ping to .* failed: .*\(5 tries\)$/m);
    expect(io.stderr.text).not.toContain(KEY);
    // The start ping's retries end with the job; the end ping's budget is 10 s.
    expect(io.elapsedMs).toBeLessThanOrEqual(2 * 10_000);
    expect(io.sleeps.slice(-4)).toEqual([500, 1000, 2000, 4000]);
  });

  it('reports a command that is not found as 127 with the error, and exits 127', async () => {
    expect(await exec('--', 'no-such-command-overdue')).toBe(127);
    expect(server.pings[1]?.path).toBe(`/ping/${KEY}/backup/127`);
    expect(server.pings[1]?.body.toString()).toMatch(
      /^overdue: cannot run 'no-such-command-overdue': command not found \(spawn .* ENOENT\)\n$/,
    );
    expect(io.stderr.text).toContain('command not found');
  });

  it('reports a command that cannot be executed as 126', async () => {
    const file = join(dir.path, 'not-executable.sh');
    writeFileSync(file, 'echo hi\n');
    chmodSync(file, 0o644);
    expect(await exec('--', file)).toBe(126);
    expect(server.pings[1]?.path).toBe(`/ping/${KEY}/backup/126`);
    expect(server.pings[1]?.body.toString()).toContain('permission denied');
  });

  it('does not treat the options of the command as its own', async () => {
    expect(await exec('--', 'sh', '-c', 'echo "$@"', 'sh', '--help', '-h')).toBe(0);
    expect(io.stdout.text).toBe('--help -h\n');
  });

  it('pings a full ping URL as given, with its query kept', async () => {
    io = new TestIO({});
    expect(await runExec([`${server.url}/ping/tok123?x=1`, '--', 'true'], io)).toBe(0);
    expect(server.pings.map((p) => p.path)).toEqual(['/ping/tok123/start', '/ping/tok123/0']);
  });

  it('exits 2 without running anything when a slug cannot be resolved', async () => {
    io = new TestIO({ OVERDUE_URL: server.url });
    expect(await runExec(['backup', '--', 'sh', '-c', 'echo ran'], io)).toBe(2);
    expect(io.stderr.text).toMatch(/^overdue: OVERDUE_PING_KEY must be set/);
    expect(io.stdout.text).toBe('');
    expect(server.pings).toHaveLength(0);
  });

  it.each([
    [['backup', 'true'], 'put the command after --'],
    [['backup', '--'], 'no command after --'],
    [['a', 'b', '--', 'true'], 'exactly one MONITOR'],
    [['backup', '--timeout', '5x', '--', 'true'], '--timeout must be a positive duration'],
    [['backup', '--bogus', '--', 'true'], "Unknown option '--bogus'"],
  ])('exits 2 on the usage error of %j', async (args, message) => {
    expect(await runExec(args, io)).toBe(2);
    expect(io.stderr.text).toContain(message);
    expect(io.stderr.text).toContain("Try 'overdue exec --help'.");
    expect(io.stderr.text).not.toContain('Usage:');
  });

  it('prints its help on stdout with --help', async () => {
    expect(await runExec(['--help'], io)).toBe(0);
    expect(io.stdout.text).toMatch(/^Usage: overdue exec MONITOR/);
  });

  it('stops listening for signals once it is done', async () => {
    await sh('true');
    expect(io.listeningForSignals).toBe(false);
  });
});

describe('overdue exec after the job ended', () => {
  it('cuts the retries of the final ping short on a signal', async () => {
    const io = new TestIO({ OVERDUE_URL: await closedPortUrl(), OVERDUE_PING_KEY: KEY });
    io.holdSleeps = new Promise(() => undefined);
    const run = runExec(['backup', '--', 'true'], io);
    await io.stderrShows('the start ping');
    io.signal('SIGINT');
    expect(await run).toBe(0);
    expect(io.stderr.text).toMatch(/the exit status ping to .* failed: [^(]*$/m);
  });
});
