import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../src/core/clock.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { Daemon } from '../../src/daemon.js';
import { silentLogger } from '../../src/platform/log.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { FakeClock } from './fake-clock.js';
import { tempDir } from './temp.js';

/** Parses a YAML config written into `dir`, failing the test on any problem. */
export function configFrom(dir: string, yaml: string, env: Record<string, string> = {}): Config {
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  const result = parseConfig(yaml, file, env);
  if (!result.ok)
    throw new Error(
      `bad test config:\n${result.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`).join('\n')}`,
    );
  return result.config;
}

export function startDaemon(config: Config, clock?: Clock): Promise<Daemon> {
  return Daemon.start({ config, log: silentLogger, drainMs: 2_000, ...(clock ? { clock } : {}) });
}

/** Lets pending I/O callbacks and immediates run (a group commit, a delivery's first step). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface DaemonFixture {
  /** The test's temp dir: the config and the data dir go there. */
  readonly dir: { path: string; remove: () => void };
  readonly clock: FakeClock;
  /** The daemon the test started last; closed after the test. */
  daemon: Daemon | undefined;
  /** Starts a daemon on `yaml` (written into dir) and the fake clock. */
  start(yaml: string): Promise<Daemon>;
}

/**
 * Around each test of the calling suite: a fresh temp dir and a fake clock at `t0`; after it, the
 * daemon the test started is closed and the dir removed.
 */
export function daemonFixture(t0: number): DaemonFixture {
  let dir: ReturnType<typeof tempDir> | undefined;
  const f = {
    get dir() {
      if (dir === undefined) throw new Error('daemonFixture: the dir exists only during a test');
      return dir;
    },
    clock: new FakeClock(t0),
    daemon: undefined as Daemon | undefined,
    async start(yaml: string) {
      f.daemon = await startDaemon(configFrom(f.dir.path, yaml), f.clock);
      return f.daemon;
    },
  };
  beforeEach(() => {
    dir = tempDir();
    f.clock = new FakeClock(t0);
  });
  afterEach(async () => {
    await f.daemon?.close();
    f.daemon = undefined;
    dir?.remove();
    dir = undefined;
  });
  return f;
}

/**
 * One daemon for the whole calling suite, on the real clock: started before its first test on
 * `yaml` (in a temp dir), closed and removed after its last. `get()` is the running daemon.
 */
export function suiteDaemon(yaml: string): { get(): Daemon } {
  let dir: ReturnType<typeof tempDir> | undefined;
  let daemon: Daemon | undefined;
  beforeAll(async () => {
    dir = tempDir();
    daemon = await startDaemon(configFrom(dir.path, yaml));
  });
  afterAll(async () => {
    await daemon?.close();
    dir?.remove();
  });
  return {
    get() {
      if (daemon === undefined)
        throw new Error('suiteDaemon: the daemon runs only during the suite');
      return daemon;
    },
  };
}
