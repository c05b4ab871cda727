import { describe, expect, it } from 'vitest';
import { createLogger, turnWriter } from '../../src/platform/log.js';

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const log = createLogger({
    now: () => Date.parse('2026-05-01T10:00:00.000Z'),
    write: (l) => lines.push(l),
    ...options,
  });
  return { log, lines };
}

describe('logger', () => {
  it('writes one logfmt line per event, with a timestamp by default', () => {
    const { log, lines } = capture();
    log.warn('monitor down', { monitor: 'backup', alerts: 2, ok: false });
    expect(lines).toEqual([
      'ts=2026-05-01T10:00:00.000Z level=warn msg="monitor down" monitor=backup alerts=2 ok=false\n',
    ]);
  });

  it('leaves the timestamp to journald', () => {
    const { log, lines } = capture({ timestamps: false });
    log.info('listening', { url: 'http://127.0.0.1:8080' });
    expect(lines).toEqual(['level=info msg=listening url=http://127.0.0.1:8080\n']);
  });

  it('quotes values with spaces, quotes, equals signs and control characters so a line stays one line', () => {
    const { log, lines } = capture({ timestamps: false });
    log.error('x', { a: 'two words', b: 'k=v', c: 'line\nbreak', d: '', e: 'say "hi"' });
    expect(lines).toEqual([
      'level=error msg=x a="two words" b="k=v" c="line\\nbreak" d="" e="say \\"hi\\""\n',
    ]);
  });

  it('writes JSON lines when asked', () => {
    const { log, lines } = capture({ format: 'json' });
    log.info('monitor up', { monitor: 'backup', n: 1 });
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { ts: '2026-05-01T10:00:00.000Z', level: 'info', msg: 'monitor up', monitor: 'backup', n: 1 },
    ]);
  });

  it('drops events below the level', () => {
    const { log, lines } = capture({ level: 'warn' });
    log.info('hidden');
    log.debug('hidden');
    expect(lines).toEqual([]);
  });
});

describe('turnWriter', () => {
  it('writes the lines of one turn in one write, at the end of the turn', () => {
    const writes: string[] = [];
    const scheduled: (() => void)[] = [];
    const out = turnWriter(
      (text) => writes.push(text),
      (run) => scheduled.push(run),
    );
    out.write('a\n');
    out.write('b\n');
    expect(writes).toEqual([]);
    expect(scheduled).toHaveLength(1);
    scheduled.shift()?.();
    expect(writes).toEqual(['a\nb\n']);
    out.write('c\n');
    out.flush();
    expect(writes).toEqual(['a\nb\n', 'c\n']);
    out.flush();
    expect(writes).toHaveLength(2);
  });
});
