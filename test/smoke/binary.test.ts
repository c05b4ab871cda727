// Smoke test of the single executable build/overdue (made by `npm run build:binary`).
//
// The binary runs from an empty directory with a clean environment, so the test proves that
// it needs nothing beside itself: no node on PATH, no node_modules, an empty addon cache.
// Skipped when the binary is missing, unless OVERDUE_REQUIRE_BINARY=1 (then it fails).
import { spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';

const BINARY = fileURLToPath(new URL('../../build/overdue', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));
const PING_KEY = 'smoke-test-ping-key-123';
const VALID_CONFIG = `server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${PING_KEY}
monitors:
  job:
    every: 1h
`;
const INVALID_CONFIG = VALID_CONFIG.replace('every: 1h', 'every: not-a-duration');

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Where one binary run lives: its own working dir, HOME and cache dir. */
interface Sandbox {
  work: string;
  home: string;
  cache: string;
  env: NodeJS.ProcessEnv;
}

const binaryPresent = existsSync(BINARY);
const binaryRequired = process.env['OVERDUE_REQUIRE_BINARY'] === '1';

describe.runIf(binaryRequired && !binaryPresent)('overdue binary (required)', () => {
  it('exists', () => {
    throw new Error(
      `${BINARY} is missing and OVERDUE_REQUIRE_BINARY=1: run \`npm run build:binary\` first`,
    );
  });
});

describe.runIf(binaryPresent)('overdue binary', () => {
  let root = '';
  let binary = '';
  const children = new Set<ChildProcess>();

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'overdue-smoke-'));
    // A directory holding only the binary: nothing beside it can be what makes it work.
    mkdirSync(join(root, 'bin'));
    binary = join(root, 'bin', 'overdue');
    copyFileSync(BINARY, binary);
  });

  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
    children.clear();
  });

  afterAll(() => {
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  /** A fresh work dir, HOME and empty cache dir, and a clean environment pointing at them. */
  function sandbox(name: string): Sandbox {
    const work = join(root, name);
    const home = join(work, 'home');
    const cache = join(work, 'cache');
    mkdirSync(home, { recursive: true });
    mkdirSync(cache);
    writeFileSync(join(work, 'valid.yaml'), VALID_CONFIG);
    writeFileSync(join(work, 'invalid.yaml'), INVALID_CONFIG);
    return {
      work,
      home,
      cache,
      env: { HOME: home, CACHE_DIRECTORY: cache, PATH: '/usr/bin:/bin' },
    };
  }

  function start(box: Sandbox, args: string[]): ChildProcess {
    const child = spawn(binary, args, {
      cwd: box.work,
      env: box.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    child.on('exit', () => children.delete(child));
    return child;
  }

  /** Runs the binary to completion and collects its output. */
  function run(box: Sandbox, args: string[]): Promise<Result> {
    const child = start(box, args);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  interface Served {
    child: ChildProcess;
    url: string;
    exited: Promise<number | null>;
    /** Resolves with the first stdout line after the call that matches `re`. */
    nextLine: (re: RegExp) => Promise<string>;
  }

  /** Starts `serve` and resolves with the URL from its `msg=listening` line. */
  function serve(box: Sandbox): Promise<Served> {
    const child = start(box, ['serve', '--config', join(box.work, 'valid.yaml')]);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      void exited.then((code) =>
        reject(new Error(`serve exited with ${code} before listening:\n${stderr}`)),
      );
      const lines = createInterface({ input: child.stdout! });
      const nextLine = (re: RegExp) =>
        new Promise<string>((found) => {
          const onLine = (line: string) => {
            if (!re.test(line)) return;
            lines.off('line', onLine);
            found(line);
          };
          lines.on('line', onLine);
        });
      lines.on('line', (line) => {
        const url = /\bmsg=listening\b.*\burl=(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
        if (url !== undefined) resolve({ child, url, exited, nextLine });
      });
    });
  }

  async function expectPingAnswered(url: string): Promise<void> {
    const response = await fetch(`${url}/ping/${PING_KEY}/job`);
    expect(response.status).toBe(200);
    expect((await response.text()).trim()).toBe('OK');
  }

  async function stop(server: {
    child: ChildProcess;
    exited: Promise<number | null>;
  }): Promise<void> {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }

  function addonFiles(dir: string): string[] {
    return existsSync(dir)
      ? readdirSync(dir).filter((name) => name.startsWith('better_sqlite3-'))
      : [];
  }

  it('prints usage for --help and the package version for version', async () => {
    const box = sandbox('help');
    const help = await run(box, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage/i);
    const version = await run(box, ['version']);
    expect(version.code).toBe(0);
    const { version: expected } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as {
      version: string;
    };
    expect(version.stdout).toContain(expected);
  });

  it('checks a valid and an invalid config', async () => {
    const box = sandbox('check');
    const valid = await run(box, ['check', join(box.work, 'valid.yaml')]);
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    const invalid = await run(box, ['check', join(box.work, 'invalid.yaml')]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/invalid\.yaml:\d+:\d+ \S*every\S*: \S/);
  });

  it('sends a webhook alert over HTTP (undici, bundled) with test-alert', async () => {
    const receiver = await new Receiver().start();
    try {
      const box = sandbox('webhook');
      const config = `${VALID_CONFIG}hooks:\n  ops:\n    webhook: ${receiver.url}/alert\n`;
      writeFileSync(join(box.work, 'hook.yaml'), config);
      const result = await run(box, ['test-alert', 'ops', '--config', join(box.work, 'hook.yaml')]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(receiver.received.map((r) => [r.method, r.url])).toEqual([['POST', '/alert']]);
      expect(receiver.received[0]?.headers['user-agent']).toMatch(/^overdue\//);
    } finally {
      await receiver.close();
    }
  });

  it('serves a ping, writes the addon to CACHE_DIRECTORY and exits 0 on SIGTERM', async () => {
    const box = sandbox('serve');
    const server = await serve(box);
    await expectPingAnswered(server.url);
    await stop(server);
    expect(addonFiles(box.cache)).toHaveLength(1);
  });

  it('reloads its config on SIGHUP, parsed by the config worker the executable carries', async () => {
    const box = sandbox('reload');
    const server = await serve(box);
    writeFileSync(join(box.work, 'valid.yaml'), `${VALID_CONFIG}  added:\n    every: 1h\n`);
    const reloaded = server.nextLine(/msg="config reloaded"/);
    server.child.kill('SIGHUP');
    expect(await reloaded).toMatch(/\bmonitors=2\b/);
    const response = await fetch(`${server.url}/ping/${PING_KEY}/added`);
    expect(response.status).toBe(200);
    await stop(server);
  });

  it('survives two simultaneous first starts sharing an empty cache dir', async () => {
    const first = sandbox('race-1');
    const second = sandbox('race-2');
    second.env['CACHE_DIRECTORY'] = first.cache;
    const servers = await Promise.all([serve(first), serve(second)]);
    await Promise.all(servers.map((server) => expectPingAnswered(server.url)));
    await Promise.all(servers.map((server) => stop(server)));
    // Exactly one complete addon, and no temp file left behind by either writer.
    expect(readdirSync(first.cache)).toEqual(addonFiles(first.cache));
    expect(addonFiles(first.cache)).toHaveLength(1);
  });

  it('falls back to ~/.cache/overdue when CACHE_DIRECTORY cannot be created', async () => {
    const box = sandbox('fallback');
    // A path below a regular file fails with ENOTDIR even for root, unlike a chmod-ed dir.
    writeFileSync(join(box.work, 'a-file'), '');
    box.env['CACHE_DIRECTORY'] = join(box.work, 'a-file', 'cache');
    const server = await serve(box);
    await expectPingAnswered(server.url);
    await stop(server);
    expect(addonFiles(join(box.home, '.cache', 'overdue'))).toHaveLength(1);
  });

  it('fails with a message naming CACHE_DIRECTORY when no cache dir is usable', async () => {
    const box = sandbox('no-cache');
    writeFileSync(join(box.work, 'a-file'), '');
    const unusable = join(box.work, 'a-file');
    Object.assign(box.env, {
      CACHE_DIRECTORY: join(unusable, 'cache'),
      HOME: join(unusable, 'home'),
      TMPDIR: join(unusable, 'tmp'),
    });
    const result = await run(box, ['serve', '--config', join(box.work, 'valid.yaml')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('CACHE_DIRECTORY');
    expect(result.stderr).toContain(join(unusable, 'tmp'));
  });
});
