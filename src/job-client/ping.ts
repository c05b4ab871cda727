// `overdue ping MONITOR`: one ping from a script, with the retries and timeouts of `exec`.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ClientIO } from './client-io.js';
import { PING_HELP } from './help.js';
import { MAX_BODY_BYTES, PING_POLICY, sendPing } from './send-ping.js';
import { TailBuffer } from './tail-buffer.js';
import { pingUrl, resolveTarget } from './target.js';
import { parseStrict, reportUsage, UsageError, warn } from './usage.js';

const options = {
  help: { type: 'boolean', short: 'h' },
  start: { type: 'boolean' },
  fail: { type: 'boolean' },
  log: { type: 'boolean' },
  exit: { type: 'string' },
  data: { type: 'string', short: 'd' },
  rid: { type: 'string' },
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface PingArgs {
  readonly monitor: string;
  /** '', `start`, `fail`, `log` or an exit status: the last segment of the ping URL. */
  readonly suffix: string;
  readonly data: string | null;
  readonly runId: string | null;
}

/** Runs `overdue ping`: 0 stored, 1 every try failed or refused, 2 usage error. */
export async function runPing(args: readonly string[], io: ClientIO): Promise<number> {
  try {
    const parsed = parsePingArgs(args);
    if (parsed === 'help') {
      io.stdout.write(PING_HELP);
      return 0;
    }
    const target = resolveTarget(parsed.monitor, io.env);
    const body = parsed.data === null ? null : await readData(parsed.data, io);
    const result = await sendPing(
      io,
      pingUrl(target, parsed.suffix, parsed.runId),
      body,
      PING_POLICY,
    );
    if (result.ok) return 0;
    warn(io, `the ping to ${target.label} failed: ${result.error}`);
    return 1;
  } catch (error) {
    if (error instanceof UsageError) return reportUsage(io, error, 'ping');
    throw error;
  }
}

function parsePingArgs(args: readonly string[]): PingArgs | 'help' {
  const { values, positionals } = parseStrict(args, options);
  if (values.help === true) return 'help';
  if (positionals.length !== 1 || positionals[0] === undefined)
    throw new UsageError('ping takes exactly one MONITOR');
  const kinds = (['start', 'fail', 'log', 'exit'] as const).filter((k) => values[k] !== undefined);
  if (kinds.length > 1)
    throw new UsageError('give at most one of --start, --fail, --log and --exit');
  const rid = values.rid ?? null;
  if (rid !== null && !UUID.test(rid)) throw new UsageError(`--rid must be a UUID, not '${rid}'`);
  const suffix = values.exit !== undefined ? exitStatusOf(values.exit) : (kinds[0] ?? '');
  return { monitor: positionals[0], suffix, data: values.data ?? null, runId: rid };
}

function exitStatusOf(text: string): string {
  if (!/^\d{1,3}$/.test(text) || Number(text) > 255)
    throw new UsageError(`--exit must be an exit status from 0 to 255, not '${text}'`);
  return String(Number(text));
}

/** The body for --data: TEXT, @FILE or @- (stdin); only the last 1 MiB, which the server accepts. */
async function readData(data: string, io: ClientIO): Promise<Buffer> {
  if (!data.startsWith('@')) return Buffer.from(data).subarray(-MAX_BODY_BYTES);
  const file = data.slice(1);
  if (file === '') throw new UsageError('--data @ needs a file name, or - for stdin');
  const tail = new TailBuffer(MAX_BODY_BYTES);
  try {
    const source: Readable = file === '-' ? io.stdin() : createReadStream(file);
    for await (const chunk of source as AsyncIterable<Buffer | string>)
      tail.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot read --data ${data}: ${why}`);
  }
  return tail.tail();
}
