// The one-shot commands that read the config: check, test-alert and export.
import { formatProblem, loadConfig } from '../config/load-config.js';
import type { AlertEvent } from '../core/types.js';
import type { Env } from '../schema-kit/env.js';
import { oneOf, UsageError, type ParsedArgs } from './args.js';
import { withEnvFile } from './env-file.js';
import { testAlert } from './test-alert.js';

export interface ConfigSource {
  readonly file: string;
  readonly env: Env;
}

/** The config file (--config, else `positional`, else $OVERDUE_CONFIG) and the environment. */
export function configSource(args: ParsedArgs, env: Env, positional?: string): ConfigSource {
  const flag = args.string('config');
  if (flag !== undefined && positional !== undefined)
    throw new UsageError(`give the config once: '${positional}' or --config ${flag}`);
  const file = flag ?? positional ?? env.OVERDUE_CONFIG ?? 'config.yaml';
  return { file, env: withEnvFile(env, args.string('env-file')) };
}

export async function check(args: ParsedArgs): Promise<number> {
  if (args.positionals.length > 1) throw new UsageError('check takes at most one FILE');
  const source = configSource(args, process.env, args.positionals[0]);
  const result = await loadConfig(source.file, source.env);
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(formatProblem(p) + '\n');
    process.stderr.write(`${result.problems.length} problem(s) found\n`);
    return 2;
  }
  const { refusal, warnings } = result.exposure;
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  // The verdict of serve: a reload that check lets through must not be refused by the daemon.
  if (refusal !== null) {
    process.stderr.write(`${refusal}\noverdue serve refuses this file; 1 problem found\n`);
    return 2;
  }
  // Public placeholders on a loopback-only server: allowed, and said on stdout, where the
  // example's own check (and CI) expects no warnings.
  for (const p of result.warnings) process.stdout.write(`note: ${formatProblem(p)}\n`);
  const { monitors, hooks } = result.config;
  process.stdout.write(
    `${result.config.file}: ok (${monitors.size} monitors, ${hooks.size} hooks)\n`,
  );
  return 0;
}

const EVENTS: readonly AlertEvent[] = ['down', 'up', 'start-overdue', 'fail', 'late', 'reminder'];

export async function sendTestAlert(args: ParsedArgs): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('test-alert takes exactly one HOOK');
  const event = oneOf('--event', args.string('event'), EVENTS, 'down');
  const source = configSource(args, process.env);
  const result = await loadConfig(source.file, source.env);
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(formatProblem(p) + '\n');
    return 2;
  }
  const hook = args.positionals[0] ?? '';
  const outcome = await testAlert(result.config, hook, args.string('monitor'), { event });
  // An unknown hook or monitor is a mistake in the command line: nothing was sent.
  if (outcome.unknown) throw new UsageError(outcome.lines.join('; '));
  for (const line of outcome.lines) process.stdout.write(line + '\n');
  return outcome.ok ? 0 : 1;
}
