import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/platform/log.js';
import { describeStoreError, IndexFaults, StoreFaults } from '../../src/store/errors.js';

const sqliteError = (code: string) => Object.assign(new Error(code), { code });

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (msg: string, fields?: object) =>
    lines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error') };
}

describe('describeStoreError', () => {
  it.each([
    ['SQLITE_FULL', 'disk full'],
    ['SQLITE_BUSY', 'database locked by another process'],
    ['SQLITE_BUSY_SNAPSHOT', 'database locked by another process'],
    ['SQLITE_READONLY', 'database is read-only'],
    ['SQLITE_IOERR_WRITE', 'disk I/O error'],
    ['SQLITE_CANTOPEN', 'cannot open the database files'],
    ['SQLITE_CORRUPT', 'the database file is corrupt'],
    ['SQLITE_MISUSE', 'database error'],
  ])('names %s as "%s"', (code, cause) => {
    expect(describeStoreError(sqliteError(code)).cause).toBe(cause);
  });
});

describe('StoreFaults', () => {
  it('logs a fault once however many writes fail, and its end with how long it lasted', () => {
    const log = recordingLog();
    let now = 1_000;
    const faults = new StoreFaults(log, () => now);
    faults.succeeded();
    for (let i = 0; i < 50; i++) faults.failed('cannot store pings', sqliteError('SQLITE_FULL'));
    expect(faults.active).toBe(true);
    now += 2_500;
    faults.succeeded();
    faults.succeeded();
    expect(faults.active).toBe(false);
    expect(log.lines).toHaveLength(2);
    expect(log.lines[0]).toMatch(/^error cannot store pings .*"cause":"disk full"/);
    expect(log.lines[1]).toMatch(/"cause":"disk full","failed_writes":50,"fault_ms":2500/);
  });

  it('logs again when the cause of a fault changes', () => {
    const log = recordingLog();
    const faults = new StoreFaults(log, () => 0);
    faults.failed('cannot store pings', sqliteError('SQLITE_FULL'));
    faults.failed('cannot store pings', sqliteError('SQLITE_BUSY'));
    expect(log.lines.map((l) => /"cause":"([^"]+)"/.exec(l)?.[1])).toEqual([
      'disk full',
      'database locked by another process',
    ]);
  });
});

describe('IndexFaults', () => {
  it('logs a failing pass of the ping index once per cause, and when it works again', () => {
    const log = recordingLog();
    const faults = new IndexFaults(log);
    faults.note(null);
    for (let i = 0; i < 5; i++) faults.note(sqliteError('SQLITE_BUSY'));
    faults.note(sqliteError('SQLITE_FULL'));
    faults.note(null);
    faults.note(null);
    expect(log.lines).toHaveLength(3);
    expect(log.lines[0]).toMatch(/^warn cannot index pings by monitor.*"cause":"database locked/);
    expect(log.lines[1]).toMatch(/^warn cannot index pings by monitor.*"cause":"disk full"/);
    expect(log.lines[2]).toMatch(/^info pings are indexed by monitor again .*"cause":"disk full"/);
  });
});
