// `overdue test-alert <hook> [--monitor <slug>]`: sends a sample alert through a hook as
// configured, so that a token, a chat id or an SMTP login can be checked before the night it
// matters. Nothing is stored: the daemon need not run (its database, when there is one, is only
// read, for the monitor's real last ping).
import type { Config } from '../config/types.js';
import type { AlertEvent } from '../core/types.js';
import { failed, type DeliveryResult, type HookOutput } from '../core/hook.js';
import { createHook } from '../hooks/registry.js';
import { SAMPLE_MONITOR, sampleAlert, storedMonitor } from './sample-alert.js';

export interface TestAlertOptions {
  /** Default: down. */
  readonly event?: AlertEvent;
  /** Default: the clock. */
  readonly now?: number;
}

export interface TestAlertResult {
  readonly ok: boolean;
  /** The hook or monitor named is not in the config: nothing was sent. */
  readonly unknown: boolean;
  /** What to print: what was sent where, and the outcome. */
  readonly lines: string[];
}

export async function testAlert(
  config: Config,
  hookName: string,
  slug?: string,
  options: TestAlertOptions = {},
): Promise<TestAlertResult> {
  const hookConfig = config.hooks.get(hookName);
  if (hookConfig === undefined) return unknown('hook', hookName, config.hooks.keys());
  const monitor = slug === undefined ? SAMPLE_MONITOR : config.monitors.get(slug);
  if (monitor === undefined) return unknown('monitor', slug ?? '', config.monitors.keys());
  const event = options.event ?? 'down';
  const stored = slug === undefined ? null : storedMonitor(config.server.dataDir, monitor.slug);
  const alert = sampleAlert(monitor, event, options.now ?? Date.now(), stored);
  const hook = createHook(hookConfig);
  const lines = [
    `sending a test ${event} alert for monitor '${monitor.slug}' to hook '${hookName}': ${hook.target}`,
  ];
  const result = await hook.deliver(alert).catch((error: unknown) => failed(String(error), false));
  lines.push(...outputLines(result.output), outcome(result));
  return { ok: result.ok, unknown: false, lines };
}

function unknown(noun: string, name: string, defined: Iterable<string>): TestAlertResult {
  const names = [...defined];
  const list = names.length === 0 ? `no ${noun}s are defined` : `defined: ${names.join(', ')}`;
  return { ok: false, unknown: true, lines: [`unknown ${noun} '${name}' (${list})`] };
}

/** What a command printed, as the daemon would log it. */
function outputLines(output: HookOutput | undefined): string[] {
  if (output === undefined) return [];
  const lines = output.lines.map(({ stream, text }) => `${stream}: ${text}`);
  if (output.cutBytes > 0) {
    const limit = `${Math.round(output.limitBytes / 1024)} KiB`;
    lines.push(`(output cut: ${output.cutBytes} more bytes; a delivery keeps ${limit})`);
  }
  return lines;
}

function outcome(r: DeliveryResult): string {
  const status = r.statusCode === null ? '' : ` (status ${r.statusCode})`;
  if (r.ok) return `delivered${status}`;
  const retry = r.permanent ? 'a real alert would not be retried' : 'a real alert would be retried';
  const wait =
    r.retryAfterMs === undefined
      ? ''
      : `; the receiver asks to wait ${Math.ceil(r.retryAfterMs / 1_000)} s`;
  return `failed${status}: ${r.error ?? 'unknown error'} (${retry}${wait})`;
}
