// Structured logs: one logfmt line per event on stdout, journald-friendly. Under journald (which
// sets JOURNAL_STREAM) the timestamp is left to the journal, and each line starts with its
// syslog priority (<3> error, <4> warning, <6> info, <7> debug), which journald reads and strips:
// `journalctl -p warning` then shows the warnings and errors.

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Format = 'logfmt' | 'json';
export const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];
export const FORMATS: readonly Format[] = ['logfmt', 'json'];
export type Fields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

const rank: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };
/** sd-daemon.h's SD_ERR, SD_WARNING, SD_INFO and SD_DEBUG. */
const priority: Record<Level, string> = { debug: '<7>', info: '<6>', warn: '<4>', error: '<3>' };

export interface LoggerOptions {
  readonly level?: Level;
  readonly format?: Format;
  /** Default: true, unless under journald. */
  readonly timestamps?: boolean;
  /** Writing to journald: lines get a priority prefix and, by default, no timestamp. */
  readonly journald?: boolean;
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = rank[options.level ?? 'info'];
  const journald = options.journald ?? false;
  const timestamps = options.timestamps ?? !journald;
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? Date.now;
  const format = options.format === 'json' ? jsonLine : logfmtLine;
  const emit = (level: Level, msg: string, fields: Fields = {}) => {
    if (rank[level] < min) return;
    const line = format(timestamps ? new Date(now()).toISOString() : null, level, msg, fields);
    write(journald ? `${priority[level]}${line}\n` : `${line}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

function logfmtLine(ts: string | null, level: Level, msg: string, fields: Fields): string {
  let line = ts === null ? '' : `ts=${ts} `;
  line += `level=${level} msg=${quote(msg)}`;
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) line += ` ${key}=${quote(String(value))}`;
  }
  return line;
}

function jsonLine(ts: string | null, level: Level, msg: string, fields: Fields): string {
  return JSON.stringify({ ...(ts === null ? {} : { ts }), level, msg, ...fields });
}

// A bare value may not hold spaces, quotes, '=', backslashes or control characters (char codes
// below 0x20 and DEL); anything else is quoted the JSON way.
function needsQuotes(value: string): boolean {
  if (value === '') return true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x22 || c === 0x3d || c === 0x5c || c === 0x7f) return true;
  }
  return false;
}

function quote(value: string): string {
  return needsQuotes(value) ? JSON.stringify(value) : value;
}

/**
 * Lines logged in one event-loop turn go out in one write: an alert storm logs thousands of lines a
 * second, and a write to a pipe (journald's) is a blocking system call each. `flush` writes what
 * is pending at once; call it on exit. A SIGKILL loses at most the lines of the turn it hit.
 */
export function turnWriter(
  out: (text: string) => void,
  later: (run: () => void) => void = setImmediate,
): { write: (line: string) => void; flush: () => void } {
  let pending = '';
  const flush = () => {
    const text = pending;
    pending = '';
    if (text !== '') out(text);
  };
  return {
    write: (line) => {
      if (pending === '') later(flush);
      pending += line;
    },
    flush,
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
