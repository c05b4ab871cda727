// The one-shot commands: check, test-alert and export.
import { testAlert } from './test-alert.js';
import { formatProblem, loadConfig } from '../config/load-config.js';
import type { AlertEvent } from '../core/types.js';
import { loadNativeBinding } from '../platform/native-addon.js';
import { exportYaml } from '../engine/provisioning.js';
import { Store } from '../store/store.js';
import { help, helpOption, oneOf, parse, UsageError } from './args.js';

export async function check(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, helpOption);
  if (values.help === true) return help('check');
  if (positionals.length !== 1) throw new UsageError('check takes exactly one FILE');
  const result = await loadConfig(positionals[0] ?? '');
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(formatProblem(p) + '\n');
    process.stderr.write(`${result.problems.length} problem(s) found\n`);
    return 2;
  }
  const { refusal, warnings } = result.exposure;
  for (const warning of refusal === null ? warnings : [refusal, ...warnings])
    process.stderr.write(`warning: ${warning}\n`);
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

export async function sendTestAlert(args: readonly string[]): Promise<number> {
  const options = {
    ...helpOption,
    config: { type: 'string', short: 'c' },
    monitor: { type: 'string', short: 'm' },
    event: { type: 'string', short: 'e' },
  } as const;
  const { values, positionals } = parse(args, options);
  if (values.help === true) return help('test-alert');
  if (positionals.length !== 1) throw new UsageError('test-alert takes exactly one HOOK');
  const event = oneOf('--event', values.event, EVENTS, 'down');
  const result = await loadConfig(values.config ?? process.env.OVERDUE_CONFIG ?? 'config.yaml');
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(formatProblem(p) + '\n');
    return 2;
  }
  const outcome = await testAlert(result.config, positionals[0] ?? '', values.monitor, { event });
  for (const line of outcome.lines) process.stdout.write(line + '\n');
  return outcome.ok ? 0 : 1;
}

export async function exportProvisioned(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...helpOption,
    config: { type: 'string', short: 'c' },
  } as const);
  if (values.help === true) return help('export');
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const result = await loadConfig(values.config ?? process.env.OVERDUE_CONFIG ?? 'config.yaml');
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(formatProblem(p) + '\n');
    return 2;
  }
  const store = new Store(result.config.server.dataDir, { nativeBinding: loadNativeBinding() });
  try {
    process.stdout.write(exportYaml(result.config, store.provisioned()));
  } finally {
    store.close();
  }
  return 0;
}
