// A `command` hook: runs a program with the alert in environment variables and as JSON on stdin.
// Values are never interpolated into argv or a shell string, so a ping body cannot inject commands.
import { spawn } from 'node:child_process';
import type { Alert } from '../core/alert.js';
import { alertJson, monitorUrl } from './text/alert-view.js';
import { delivered, failed, type DeliveryResult, type Hook } from '../core/hook.js';
import { byShape, list } from '../schema-kit/collections.js';
import { convert } from '../schema-kit/schema.js';
import { string } from '../schema-kit/scalars.js';
import type { HookBody, HookCommon, HookKind } from './hook-kind.js';

export interface CommandHookConfig extends HookCommon {
  readonly kind: 'command';
  /** argv: a shell string is given as ['sh', '-c', string]. */
  readonly argv: readonly string[];
}

export const command: HookKind<CommandHookConfig> = {
  description:
    'Command to run: a list of arguments (run without a shell), or a string run with sh -c. ' +
    'The alert arrives as OVERDUE_* environment variables and as JSON on stdin.',
  defaultTimeoutMs: 30_000,
  schema: byShape<HookBody<CommandHookConfig>>(
    {
      list: convert(list(string({ allowEmpty: true }), { minItems: 1 }), (argv) => ({
        kind: 'command',
        argv,
      })),
      scalar: convert(string(), (script) => ({ kind: 'command', argv: ['sh', '-c', script] })),
    },
    'a list of arguments or a shell command string',
  ),
  create: createCommandHook,
};

// After SIGTERM, how long a timed-out command has to exit before SIGKILL.
const KILL_AFTER_MS = 2_000;
// How much of the command's stderr is kept in the delivery record.
const STDERR_TAIL_BYTES = 1_000;

export function alertEnv(alert: Alert, hook: HookCommon): Record<string, string> {
  return {
    OVERDUE_HOOK: hook.name,
    OVERDUE_EVENT: alert.event,
    OVERDUE_MONITOR: alert.monitor.slug,
    OVERDUE_MONITOR_NAME: alert.monitor.name,
    OVERDUE_STATUS: alert.status,
    OVERDUE_PREVIOUS_STATUS: alert.previous_status,
    OVERDUE_REASON: alert.reason,
    OVERDUE_AT: alert.at,
    OVERDUE_DEADLINE: alert.deadline ?? '',
    OVERDUE_LAST_PING_AT: alert.last_ping_at ?? '',
    OVERDUE_EXIT_STATUS: alert.ping?.exit_status?.toString() ?? '',
    OVERDUE_TRANSITION_ID: String(alert.transition_id),
    OVERDUE_URL: monitorUrl(alert, hook) ?? '',
  };
}

export function createCommandHook(config: CommandHookConfig): Hook {
  // Only the program: its arguments may hold secrets.
  const target = `runs ${config.argv[0] === 'sh' ? 'a shell command' : (config.argv[0] ?? '')}`;
  // Each delivery is a process: a storm runs a few at a time, not as many as a webhook's requests.
  return { name: config.name, target, concurrency: 4, deliver: (alert) => run(config, alert) };
}

function run(config: CommandHookConfig, alert: Alert): Promise<DeliveryResult> {
  const [file, ...args] = config.argv;
  if (file === undefined) return Promise.resolve(failed('empty command', true));
  return new Promise((resolve) => {
    // detached: the command gets its own process group, so a timeout kills `sh -c` and its children.
    const child = spawn(file, args, {
      env: { ...process.env, ...alertEnv(alert, config) },
      stdio: ['pipe', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const term = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
    }, config.timeoutMs);
    const kill = setTimeout(() => killGroup('SIGKILL'), config.timeoutMs + KILL_AFTER_MS);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    // A command that does not read stdin closes the pipe early: that is not its failure.
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(alertJson(alert, config)) + '\n');
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(term);
      clearTimeout(kill);
      const missing = error.code === 'ENOENT' || error.code === 'EACCES';
      resolve(failed(`cannot run ${file}: ${error.message}`, missing));
    });
    child.on('close', (code, signal) => {
      clearTimeout(term);
      clearTimeout(kill);
      if (timedOut) resolve(failed(`timed out after ${config.timeoutMs} ms`, false));
      else if (code === 0) resolve(delivered);
      else resolve(failed(exitText(code, signal, stderr), false));
    });
  });
}

function exitText(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const how = signal !== null ? `killed by ${signal}` : `exited with status ${code}`;
  const tail = stderr.trim();
  return tail === '' ? how : `${how}: ${tail}`;
}
