// `overdue export`: the auto-provisioned monitors, as YAML for the config. It reads the database
// (read-only, never creating one) and of the config only what it needs: the data-dir, the slugs
// of its monitors and the provisioning defaults. Secrets are not needed, so it runs without
// secrets.env.
import { stringify } from 'yaml';
import { readRoot } from '../config/exposure.js';
import { formatProblem, loadConfig, parseConfig } from '../config/load-config.js';
import { maxConfigBytes, readConfigFile } from '../config/read-file.js';
import type { Config } from '../config/types.js';
import { exportYaml } from '../engine/provisioning.js';
import { loadNativeBinding } from '../platform/native-addon.js';
import { readProvisioned } from '../store/read-only.js';
import { DATABASE_FILE } from '../store/store.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, type ParsedArgs } from './args.js';
import { configSource } from './commands.js';
import type { Env } from '../schema-kit/env.js';

export async function exportProvisioned(args: ParsedArgs): Promise<number> {
  if (args.positionals.length > 0)
    throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const { file, env } = configSource(args, process.env);
  const config = await exportConfig(file, env);
  if (config === null) return 2;
  const where = `the data-dir of ${file}`;
  const database = join(config.server.dataDir, DATABASE_FILE);
  if (!existsSync(database)) {
    process.stderr.write(
      `overdue: no database at ${database} (${where}): is it the config overdue serve runs with?\n`,
    );
    return 1;
  }
  let read;
  try {
    read = readProvisioned(config.server.dataDir, { nativeBinding: loadNativeBinding() });
  } catch (error) {
    process.stderr.write(`overdue: cannot read ${database} (${where}): ${String(error)}\n`);
    return 1;
  }
  process.stderr.write(`read ${read.file}\n`);
  process.stdout.write(exportYaml(config, read.rows));
  return 0;
}

const KEPT = {
  server: ['data-dir'],
  defaults: ['grace'],
  'auto-provision': ['every', 'grace'],
} as const;

/**
 * The config reduced to what export reads, validated by the config's own rules; null when it has
 * a problem (then the whole file's problems are printed, at their lines).
 */
async function exportConfig(file: string, env: Env): Promise<Config | null> {
  const maxBytes = maxConfigBytes(env);
  const read = typeof maxBytes === 'string' ? null : await readConfigFile(file, maxBytes);
  const parsed = read?.ok === true ? readRoot(read.text) : null;
  if (parsed !== null) {
    const reduced: Record<string, unknown> = {
      monitors: Object.fromEntries(parsed.monitors.map(([slug]) => [slug, { every: '1d' }])),
    };
    for (const [section, keys] of Object.entries(KEPT)) {
      const value = field(parsed.root, section);
      const kept = Object.fromEntries(keys.flatMap((k) => (k in value ? [[k, value[k]]] : [])));
      if (Object.keys(kept).length > 0) reduced[section] = kept;
    }
    const result = parseConfig(stringify(reduced), file, env);
    if (result.ok) return result.config;
  }
  const full = await loadConfig(file, env);
  if (full.ok) return full.config;
  for (const p of full.problems) process.stderr.write(formatProblem(p) + '\n');
  return null;
}

function field(root: unknown, key: string): Record<string, unknown> {
  const value =
    typeof root === 'object' && root !== null ? (root as Record<string, unknown>)[key] : undefined;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
