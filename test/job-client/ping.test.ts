// `overdue ping` in-process against a recording ping server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPing } from '../../src/job-client/ping.js';
import { tempDir } from '../helpers/temp.js';
import { closedPortUrl, PingServer, TestIO } from './helpers.js';

const KEY = 'key-0123456789abcdef';
const RID = '3f2b8a1c-7d4e-4f5a-9b6c-1e2d3c4b5a69';

describe('overdue ping', () => {
  let server: PingServer;
  let io: TestIO;
  const dir = tempDir();
  beforeEach(async () => {
    server = await new PingServer().start();
    io = new TestIO({ OVERDUE_URL: server.url, OVERDUE_PING_KEY: KEY });
  });
  afterEach(() => server.close());
  afterAll(() => dir.remove());

  const ping = (...args: string[]) => runPing(['backup', ...args], io);

  it('sends a success and prints nothing', async () => {
    expect(await ping()).toBe(0);
    expect(server.pings).toMatchObject([
      { method: 'POST', path: `/ping/${KEY}/backup`, rid: null },
    ]);
    expect(server.pings[0]?.body.length).toBe(0);
    expect(io.stdout.text + io.stderr.text).toBe('');
  });

  it.each([
    [['--start'], '/start'],
    [['--fail'], '/fail'],
    [['--log'], '/log'],
    [['--exit', '0'], '/0'],
    [['--exit', '255'], '/255'],
  ])('sends %j to the URL ending %s', async (args, suffix) => {
    expect(await ping(...args)).toBe(0);
    expect(server.pings[0]?.path).toBe(`/ping/${KEY}/backup${suffix}`);
  });

  it('pairs a start and its end with --rid', async () => {
    await ping('--start', '--rid', RID);
    await ping('--rid', RID);
    expect(server.pings.map((p) => p.rid)).toEqual([RID, RID]);
  });

  it('sends --data TEXT as the output', async () => {
    expect(await ping('--log', '--data', 'disk 91% full')).toBe(0);
    expect(server.pings[0]?.body.toString()).toBe('disk 91% full');
  });

  it('reads --data @FILE', async () => {
    const file = join(dir.path, 'out.log');
    writeFileSync(file, 'from a file\n');
    expect(await ping('--fail', '--data', `@${file}`)).toBe(0);
    expect(server.pings[0]?.body.toString()).toBe('from a file\n');
  });

  it('reads --data @- from stdin', async () => {
    io.stdinText = 'from stdin\n';
    expect(await ping('-d', '@-')).toBe(0);
    expect(server.pings[0]?.body.toString()).toBe('from stdin\n');
  });

  it('sends the last 1 MiB of a larger --data', async () => {
    const file = join(dir.path, 'big.log');
    writeFileSync(file, 'a'.repeat(100) + 'b'.repeat(1024 * 1024));
    expect(await ping('--data', `@${file}`)).toBe(0);
    expect(server.pings[0]?.body.toString()).toBe('b'.repeat(1024 * 1024));
  });

  it('pings a full URL without needing the environment', async () => {
    io = new TestIO({});
    expect(await runPing([`${server.url}/ping/tok123`, '--exit', '4'], io)).toBe(0);
    expect(server.pings[0]?.path).toBe('/ping/tok123/4');
  });

  it('exits 1 with the answer on stderr when the server refuses the ping, without retrying', async () => {
    server.answer = () => 404;
    expect(await ping()).toBe(1);
    expect(io.stderr.text).toBe(
      `overdue: the ping to ${server.url}/ping/…/backup failed: HTTP 404 not found\n`,
    );
    expect(io.stdout.text).toBe('');
    expect(io.sleeps).toEqual([]);
  });

  it('exits 1 after its retries when the server is unreachable', async () => {
    io = new TestIO({ OVERDUE_URL: await closedPortUrl(), OVERDUE_PING_KEY: KEY });
    expect(await ping()).toBe(1);
    expect(io.stderr.text).toMatch(
      /^overdue: the ping to .* failed: .*ECONNREFUSED.*\(5 tries\)\n$/,
    );
    expect(io.sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  it.each([
    [['--start', '--fail'], 'at most one of'],
    [['--exit', '256'], '--exit must be an exit status'],
    [['--exit', '-1'], 'argument is ambiguous'],
    [['--rid', 'nope'], '--rid must be a UUID'],
    [['--data', '@'], '--data @ needs a file name'],
    [['--data', '@/no/such/file'], 'cannot read --data @/no/such/file'],
    [['extra'], 'exactly one MONITOR'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 on the usage error of %j, sending nothing', async (args, message) => {
    expect(await ping(...args)).toBe(2);
    expect(io.stderr.text).toContain(message);
    expect(io.stderr.text).toContain("Try 'overdue ping --help'.");
    expect(io.stderr.text).not.toContain('Usage:');
    expect(server.pings).toHaveLength(0);
  });

  it('exits 2 when a slug is given without OVERDUE_URL', async () => {
    io = new TestIO({});
    expect(await runPing(['backup'], io)).toBe(2);
    expect(io.stderr.text).toMatch(/^overdue: OVERDUE_URL and OVERDUE_PING_KEY must be set/);
  });

  it('prints its help on stdout with --help', async () => {
    expect(await runPing(['--help'], io)).toBe(0);
    expect(io.stdout.text).toMatch(/^Usage: overdue ping MONITOR/);
  });
});
