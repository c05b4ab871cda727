// Structured logs: one logfmt line per event on stdout, journald-friendly. Under journald (which
// sets JOURNAL_STREAM) the timestamp is left to the journal.

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

const rank: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LoggerOptions {
  readonly level?: Level;
  readonly timestamps?: boolean;
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = rank[options.level ?? 'info'];
  const timestamps = options.timestamps ?? true;
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? Date.now;
  const emit = (level: Level, msg: string, fields: Fields = {}) => {
    if (rank[level] < min) return;
    let line = timestamps ? `ts=${new Date(now()).toISOString()} ` : '';
    line += `level=${level} msg=${quote(msg)}`;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) line += ` ${key}=${quote(String(value))}`;
    }
    write(line + '\n');
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

function quote(value: string): string {
  if (value !== '' && /^[^\s"=\\\x00-\x1f]+$/.test(value)) return value;
  return JSON.stringify(value);
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
