import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../src/clock.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { Daemon } from '../../src/daemon.js';
import { silentLogger } from '../../src/log.js';

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
