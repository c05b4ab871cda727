// The job recipes of the docs are files under scripts/recipes/, quoted by the docs (a test below
// checks each quote equals its file). Each runs here as a real shell script against overdue up (a
// real daemon), down (a refused connection) and hanging (a server that accepts and never answers):
// the job runs every time, its exit status is kept, and a success with overdue up prints nothing.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RECIPES = join(ROOT, 'scripts', 'recipes');
// Overdue down or hanging costs each recipe its pings' whole time budget (20 to 30 s).
const SLOW_TIMEOUT_MS = 90_000;

/** Where each recipe is quoted: the fenced block after `<!-- recipe: scripts/recipes/<file> -->`. */
const QUOTED_IN: Readonly<Record<string, string>> = {
  'curl-job.sh': 'docs/ping-api.md',
  'ping-job.sh': 'docs/reporting-jobs.md',
  'worker-loop.sh': 'docs/reporting-jobs.md',
};

function quote(doc: string, file: string): string | null {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const marker = `<!-- recipe: scripts/recipes/${file} -->`;
  const at = text.indexOf(marker);
  if (at < 0) return null;
  const m = /```\w*\n([\s\S]*?)```/.exec(text.slice(at + marker.length));
  return m?.[1] ?? null;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  const child = spawn('sh', argv, { cwd, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stdout, stderr };
}

/** A server that takes connections and never answers: overdue hanging. */
async function hangingServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A base URL where nothing listens: a port that was free a moment ago. */
async function refusingUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}`;
}

describe('the job recipes', () => {
  it.each(Object.entries(QUOTED_IN))('quotes scripts/recipes/%s in %s as it is', (file, doc) => {
    expect(quote(doc, file)).toBe(readFileSync(join(RECIPES, file), 'utf8'));
  });
});

describe('the job recipes against overdue up, down and hanging', () => {
  const dir = tempDir();
  let daemon: Daemon;
  let hanging: Awaited<ReturnType<typeof hangingServer>>;
  let refusing: string;
  const servers = () => ({ up: daemon.url, down: refusing, hanging: hanging.url });

  beforeAll(async () => {
    const monitors = {
      backup: { every: '1d' },
      etl: { every: '1d' },
      'queue-worker': { every: '1d' },
    };
    const yaml = configYaml({ monitors });
    daemon = await startDaemon(configFrom(dir.path, yaml));
    hanging = await hangingServer();
    refusing = await refusingUrl();
    // `overdue` on the PATH is the built executable; the job writes a mark, prints, and exits $EXIT.
    writeFileSync(
      join(dir.path, 'overdue'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'dist', 'main.js')}" "$@"\n`,
    );
    writeFileSync(
      join(dir.path, 'job.sh'),
      '#!/bin/sh\necho "$$" >>ran\necho "job done $EXIT"\nexit $EXIT\n',
    );
    // The worker's round: its first fails (exit 3), its second succeeds; output starts with @.
    writeFileSync(
      join(dir.path, 'drain-queue'),
      '#!/bin/sh\necho x >>rounds\nn=$(wc -l <rounds)\necho "@round $n"\n[ "$n" -ge 2 ] || exit 3\n',
    );
    // The worker's pause: ends the loop (its parent) at the second, instead of waiting.
    writeFileSync(
      join(dir.path, 'sleep'),
      '#!/bin/sh\necho x >>pauses\n[ "$(wc -l <pauses)" -lt 2 ] || kill -TERM "$PPID"\n',
    );
    for (const file of ['overdue', 'job.sh', 'drain-queue', 'sleep'])
      chmodSync(join(dir.path, file), 0o755);
  });
  afterAll(async () => {
    await daemon?.close();
    await hanging?.close();
    dir.remove();
  });

  const cases = (['up', 'down', 'hanging'] as const).flatMap((server) =>
    [0, 3].map((exit) => ({ server, exit })),
  );

  /** Runs `recipe` in a fresh folder of its own, against `server`, with the job exiting `exit`. */
  async function runRecipe(
    recipe: 'curl-job.sh' | 'ping-job.sh' | 'worker-loop.sh',
    server: keyof ReturnType<typeof servers>,
    exit: number,
  ): Promise<Run & { ran: boolean; rounds: number }> {
    const cwd = tempDir();
    try {
      writeFileSync(join(cwd.path, 'etl.sh'), readFileSync(join(dir.path, 'job.sh')));
      chmodSync(join(cwd.path, 'etl.sh'), 0o755);
      const url = servers()[server];
      const env = {
        PATH: `${dir.path}:${process.env.PATH ?? ''}`,
        EXIT: String(exit),
        OVERDUE_PING_URL: `${url}/ping/${KEY}/backup`,
        OVERDUE_URL: url,
        OVERDUE_PING_KEY: KEY,
      };
      const argv =
        recipe === 'curl-job.sh'
          ? [join(RECIPES, recipe), join(dir.path, 'job.sh')]
          : [join(RECIPES, recipe)];
      const result = await run(argv, cwd.path, env);
      const rounds = existsSync(join(cwd.path, 'rounds'))
        ? readFileSync(join(cwd.path, 'rounds'), 'utf8')
        : '';
      return { ...result, ran: existsSync(join(cwd.path, 'ran')), rounds: rounds.length / 2 };
    } finally {
      cwd.remove();
    }
  }

  /** The ping the run with `exit` sent to `slug` (runs go on concurrently). */
  const pingOf = (slug: string, exit: number) =>
    daemon.read.pings(slug, { limit: 50 })?.items.find((p) => p.output === `job done ${exit}\n`);

  describe.concurrent.each(cases)('with overdue $server and a job that exits $exit', (c) => {
    const timeout = c.server === 'up' ? 20_000 : SLOW_TIMEOUT_MS;

    it(
      'curl-job.sh runs the job, keeps its exit status, and is quiet on success',
      async () => {
        const r = await runRecipe('curl-job.sh', c.server, c.exit);
        expect(r.ran).toBe(true);
        expect(r.status).toBe(c.exit);
        // The job's output is shown only when it failed; the recipe prints nothing of its own,
        // except curl's one-line error when a ping could not be sent.
        expect(r.stdout).toBe(c.exit === 0 ? '' : `job done ${c.exit}\n`);
        if (c.server === 'up') expect(r.stderr).toBe('');
        else expect(r.stderr).toMatch(/^(curl: \(\d+\) [^\n]*\n)+$/);
        if (c.server === 'up') {
          expect(pingOf('backup', c.exit)?.kind).toBe(c.exit === 0 ? 'success' : 'fail');
        }
      },
      timeout,
    );

    it(
      'ping-job.sh runs the job, keeps its exit status, and is quiet on success',
      async () => {
        const r = await runRecipe('ping-job.sh', c.server, c.exit);
        expect(r.ran).toBe(true);
        expect(r.status).toBe(c.exit);
        expect(r.stdout).toBe('');
        if (c.server === 'up') expect(r.stderr).toBe('');
        else expect(r.stderr).toMatch(/^(overdue: [^\n]*\n)+$/);
        if (c.server === 'up') {
          expect(pingOf('etl', c.exit)?.kind).toBe(c.exit === 0 ? 'success' : 'fail');
        }
      },
      timeout,
    );
  });

  describe.concurrent.each(['up', 'down', 'hanging'] as const)('with overdue %s', (server) => {
    it(
      'worker-loop.sh goes on after a failed round and a failed ping, and is quiet on success',
      async () => {
        const r = await runRecipe('worker-loop.sh', server, 0);
        // Two rounds, the first failed; the loop ended only by the signal its pause sent.
        expect(r.rounds).toBe(2);
        expect(r.status).toBeNull();
        expect(r.stdout).toBe('');
        if (server === 'up') expect(r.stderr).toBe('');
        else expect(r.stderr).toMatch(/^(overdue: [^\n]*\n)+$/);
        if (server !== 'up') return;
        const pings = daemon.read.pings('queue-worker', { limit: 50 })?.items ?? [];
        expect(pings.map((p) => [p.kind, p.exitStatus, p.output]).reverse()).toEqual([
          ['fail', 3, '@round 1'],
          ['success', 0, '@round 2'],
        ]);
      },
      SLOW_TIMEOUT_MS,
    );
  });
});
