// The .deb's life on a machine, with dpkg as root: install, a daemon on the installed files,
// upgrade, remove, purge. dpkg installs into a temporary root (--root with
// --force-script-chrootless: the maintainer scripts run here with DPKG_ROOT set), so the machine's
// own /etc and /usr are never touched and the database is a temporary one. Skipped without root,
// dpkg or build/overdue, unless OVERDUE_REQUIRE_DEB=1 (then it fails).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/platform/version.js';
import { whenMissing } from '../helpers/prerequisites.js';
import { tempDir } from '../helpers/temp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BINARY = join(ROOT, 'build', 'overdue');
const isRoot = process.getuid?.() === 0;
const haveDpkg = spawnSync('dpkg-deb', ['--version'], { stdio: 'ignore' }).status === 0;
const missing = [
  ...(isRoot ? [] : ['root (dpkg installs as root)']),
  ...(haveDpkg ? [] : ['dpkg-deb']),
  ...(existsSync(BINARY) ? [] : [`${BINARY} (npm run build:binary)`]),
];
whenMissing('the .deb', missing, 'OVERDUE_REQUIRE_DEB');

function dpkg(root: string, ...args: string[]): string {
  const r = spawnSync(
    'dpkg',
    [`--root=${root}`, '--force-script-chrootless', '--force-depends', '--log=/dev/null', ...args],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`dpkg ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** An empty dpkg database under `root`. */
function newRoot(root: string): string {
  mkdirSync(join(root, 'var', 'lib', 'dpkg', 'info'), { recursive: true });
  mkdirSync(join(root, 'var', 'lib', 'dpkg', 'updates'));
  writeFileSync(join(root, 'var', 'lib', 'dpkg', 'status'), '');
  return root;
}

describe.runIf(missing.length === 0)('the .deb installed with dpkg', () => {
  const dir = tempDir('overdue-deb-');
  const root = join(dir.path, 'root');
  const debs = { old: '', next: '' };
  const NEXT = `${VERSION}+next`;
  const file = (path: string) => join(root, path);
  const secrets = () => readFileSync(file('etc/overdue/secrets.env'), 'utf8');
  const pingKey = () => /^OVERDUE_PING_KEY=([0-9a-f]{48})$/m.exec(secrets())?.[1];
  let child: ChildProcess | undefined;

  beforeAll(() => {
    // Two versions from the same executable, uncompressed (the test is about dpkg, not xz).
    for (const [which, version] of [
      ['old', VERSION],
      ['next', NEXT],
    ] as const) {
      const out = join(dir.path, which);
      const r = spawnSync(
        process.execPath,
        ['scripts/release/deb.mjs', '--version', version, '--out', out, '--compression', 'none'],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, OVERDUE_DEB_STAGE: dir.path } },
      );
      if (r.status !== 0) throw new Error(`deb.mjs failed: ${r.stderr}${r.stdout}`);
      debs[which] = join(out, `overdue_${version}_amd64.deb`);
    }
    newRoot(root);
  }, 120_000);

  afterAll(async () => {
    if (child?.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    dir.remove();
  });

  it('installs the executable, the units, man page, completions, the conffile config and a ping key only root reads', () => {
    dpkg(root, '-i', debs.old);
    expect(dpkg(root, '-s', 'overdue')).toMatch(/^Status: install ok installed$/m);
    expect(statSync(file('usr/bin/overdue')).mode & 0o777).toBe(0o755);
    const unit = readFileSync(file('usr/lib/systemd/system/overdue.service'), 'utf8');
    expect(unit).toContain('ExecStart=/usr/bin/overdue serve --config /etc/overdue/config.yaml');
    expect(unit).not.toContain('/usr/local/bin');
    for (const path of [
      'usr/lib/systemd/system/overdue.socket',
      'usr/share/man/man1/overdue.1.gz',
      'usr/share/bash-completion/completions/overdue',
      'usr/share/zsh/vendor-completions/_overdue',
      'usr/share/fish/vendor_completions.d/overdue.fish',
    ])
      expect(existsSync(file(path)), path).toBe(true);
    expect(dpkg(root, '-s', 'overdue')).toMatch(/^Conffiles:\n \/etc\/overdue\/config\.yaml /m);
    expect(readFileSync(file('etc/overdue/config.yaml'), 'utf8')).toContain(
      'ping-key: ${OVERDUE_PING_KEY}',
    );
    expect(statSync(file('etc/overdue/secrets.env')).mode & 0o777).toBe(0o600);
    expect(pingKey()).toBeDefined();
    expect(
      JSON.parse(readFileSync(file('usr/share/overdue/config.schema.json'), 'utf8')),
    ).toHaveProperty('properties');
  });

  it('generates a different ping key on another machine', () => {
    const other = newRoot(join(dir.path, 'other-root'));
    dpkg(other, '-i', debs.old);
    const otherKey = /^OVERDUE_PING_KEY=(\S+)$/m.exec(
      readFileSync(join(other, 'etc/overdue/secrets.env'), 'utf8'),
    )?.[1];
    expect(otherKey).toBeDefined();
    expect(otherKey).not.toBe(pingKey());
    dpkg(other, '--purge', 'overdue');
  });

  it('runs the installed executable on the edited config and stores a ping', async () => {
    const config = file('etc/overdue/config.yaml');
    const edited = readFileSync(config, 'utf8')
      .replace('listen: 127.0.0.1:8080', 'listen: 127.0.0.1:0')
      .replace('monitors: {}', 'monitors:\n  nightly-backup:\n    every: 1d');
    writeFileSync(config, edited);
    const url = await serve();
    expect((await fetch(`${url}/ping/${pingKey()}/nightly-backup`)).status).toBe(200);
    await stop();
    expect(pingsStored()).toBe(1);
  });

  it('upgrades to a newer version keeping the edited config, the ping key and the database', () => {
    const config = readFileSync(file('etc/overdue/config.yaml'), 'utf8');
    const key = pingKey();
    dpkg(root, '-i', debs.next);
    expect(dpkg(root, '-s', 'overdue')).toMatch(
      new RegExp(`^Version: ${NEXT.replace('+', '\\+')}$`, 'm'),
    );
    expect(readFileSync(file('etc/overdue/config.yaml'), 'utf8')).toBe(config);
    expect(pingKey()).toBe(key);
    expect(pingsStored()).toBe(1);
  });

  it('removes the executable but keeps the config, the key and the database', () => {
    dpkg(root, '--remove', 'overdue');
    expect(existsSync(file('usr/bin/overdue'))).toBe(false);
    expect(existsSync(file('etc/overdue/config.yaml'))).toBe(true);
    expect(pingKey()).toBeDefined();
    expect(pingsStored()).toBe(1);
  });

  it('purges the config, the key and the database', () => {
    dpkg(root, '--purge', 'overdue');
    expect(existsSync(file('etc/overdue'))).toBe(false);
    expect(existsSync(file('var/lib/overdue'))).toBe(false);
    expect(dpkg(root, '-l')).not.toMatch(/overdue/);
  });

  /** `serve` as systemd would start it: the key from secrets.env, STATE_DIRECTORY in the root. */
  async function serve(): Promise<string> {
    mkdirSync(file('var/lib/overdue'), { recursive: true });
    mkdirSync(file('var/cache/overdue'), { recursive: true });
    child = spawn(file('usr/bin/overdue'), ['serve', '--config', file('etc/overdue/config.yaml')], {
      env: {
        PATH: '/usr/bin:/bin',
        OVERDUE_PING_KEY: pingKey(),
        STATE_DIRECTORY: file('var/lib/overdue'),
        CACHE_DIRECTORY: file('var/cache/overdue'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    for await (const line of createInterface({ input: child.stdout! })) {
      const url = /\bmsg=listening\b.*\burl=(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (url !== undefined) return url;
    }
    throw new Error(`serve exited with ${child.exitCode} before listening`);
  }

  async function stop(): Promise<void> {
    child?.kill('SIGTERM');
    const [code] = (await once(child as ChildProcess, 'exit')) as [number | null];
    expect(code).toBe(0);
  }

  function pingsStored(): unknown {
    const db = new Database(file('var/lib/overdue/overdue.db'), { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM pings').pluck().get();
    } finally {
      db.close();
    }
  }
});
