// `overdue import healthchecks`: the JSON of Healthchecks' management API, from a file or fetched
// from a real HTTP server, becomes monitors that keep their UUIDs, so /ping/<uuid> keeps working.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { daemonFixture } from '../../helpers/daemon.js';
import { FIXTURES, importCli, withServer } from './helpers.js';

const FILE = join(FIXTURES, 'healthchecks-checks.json');
const BACKUP_UUID = '31365bce-8da9-4729-8ff3-aaa71d56b712';
const DB_UUID = '803f680d-e89b-492b-82ef-2be7b774a92d';

describe('overdue import healthchecks', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));

  it('maps timeout, grace, schedule, tz, tags and the UUID of each check', () => {
    const { stdout } = importCli(['healthchecks', '--from', FILE]);
    const config = parse(stdout) as { monitors: Record<string, Record<string, unknown>> };
    expect(config.monitors['filesystem-backup']).toEqual({
      name: 'Filesystem Backup',
      every: '1h',
      grace: '10m',
      tags: ['backup', 'fs'],
      token: BACKUP_UUID,
    });
    expect(config.monitors['database-backup']).toMatchObject({
      cron: '15 5 * * *',
      timezone: 'Europe/Riga',
      grace: '20m',
      token: DB_UUID,
      // Paused there: armed by its first ping here, not alerting on a job that may not run yet.
      'wait-for-first-ping': true,
    });
  });

  it('says as comments what did not map: integrations by kind, paused, manual_resume, POST only', () => {
    const { stdout } = importCli(['healthchecks', '--from', FILE]);
    expect(stdout).toContain("# TODO integration 'My Work Email' (email, 1bdea468");
    expect(stdout).toContain("# TODO integration 'My Phone' (sms, 51c6eb2b");
    expect(stdout).toContain('# paused in Healthchecks');
    expect(stdout).toContain('# manual_resume:');
    expect(stdout).toContain('# methods: POST only');
    expect(stdout).toContain('# Healthchecks description: Runs ~/db-backup.sh');
  });

  it('imports the fixture, runs overdue on the output and takes pings at /ping/<uuid>', async () => {
    const { stdout } = importCli(['healthchecks', '--from', FILE]);
    const daemon = await t.start(withServer(stdout));
    for (const uuid of [BACKUP_UUID, DB_UUID]) {
      const res = await fetch(`${daemon.url}/ping/${uuid}`);
      expect(res.status).toBe(200);
    }
    expect(daemon.monitors.bySlug('filesystem-backup')?.state.status).toBe('up');
    expect(daemon.monitors.bySlug('database-backup')?.state.status).toBe('up');
  });
});

describe('overdue import healthchecks --url', () => {
  let server: Server | undefined;
  afterEach(
    () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  );

  it('fetches /api/v3/checks/ and /api/v3/channels/ with X-Api-Key from a real server', async () => {
    const fixture = JSON.parse(readFileSync(FILE, 'utf8')) as {
      checks: unknown;
      channels: unknown;
    };
    const seen: string[] = [];
    server = createServer((req, res) => {
      seen.push(`${req.url} ${String(req.headers['x-api-key'])}`);
      if (req.headers['x-api-key'] !== 'hc-key') return void res.writeHead(401).end();
      const body =
        req.url === '/api/v3/checks/' ? { checks: fixture.checks } : { channels: fixture.channels };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The CLI runs as a child process: it must not block this process's event loop, which serves it.
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [
      'dist/main.js',
      'import',
      'healthchecks',
      '--url',
      url,
      '--api-key',
      'hc-key',
    ]);
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(seen).toEqual(['/api/v3/checks/ hc-key', '/api/v3/channels/ hc-key']);
    expect(stdout).toContain(`token: ${BACKUP_UUID}`);
    expect(stdout).toContain("'My Phone' (sms,");
  });
});
