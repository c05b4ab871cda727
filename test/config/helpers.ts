// Shared helpers for config tests: configs are written line by line so positions are easy to read.
import { formatProblem, parseConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';

export const file = '/etc/overdue/config.yaml';

/** A YAML document from its lines: line N of the file is argument N. */
export function doc(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Every problem of `text` as `config.yaml:line:col path: message`. */
export function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  const result = parseConfig(text, 'config.yaml', env);
  return result.ok ? [] : result.problems.map(formatProblem);
}

/** The config of `text`, which must be valid. */
export function configOf(text: string, env: Record<string, string> = {}): Config {
  const result = parseConfig(text, file, env);
  if (!result.ok)
    throw new Error(`unexpected problems:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.config;
}

/** The one monitor of a config with only monitor `a`, given `a`'s lines (indented by 4). */
export function monitorOf(lines: string[], env: Record<string, string> = {}) {
  const config = configOf(doc('monitors:', '  a:', ...lines.map((l) => `    ${l}`)), env);
  const monitor = config.monitors.get('a');
  if (monitor === undefined) throw new Error('monitor a is missing');
  return monitor;
}
