// What a command hook printed comes back with its delivery, line by line and bounded, for the log
// and for `overdue test-alert`.
import { describe, expect, it } from 'vitest';
import { OUTPUT_LIMIT_BYTES } from '../../src/hooks/command-output.js';
import { hookOf, sampleAlert } from '../helpers/alert.js';

const deliver = (script: string) =>
  hookOf([`command: ${JSON.stringify(script)}`]).deliver(sampleAlert());

describe('a command hook output', () => {
  it('comes back line by line, each with its stream', async () => {
    const result = await deliver(
      'echo "$OVERDUE_MONITOR is $OVERDUE_STATUS"; echo second; echo oops >&2',
    );
    expect(result.ok).toBe(true);
    const lines = result.output?.lines ?? [];
    // The two pipes are read separately: only the order within a stream is certain.
    expect(lines.filter((l) => l.stream === 'stdout')).toEqual([
      { stream: 'stdout', text: 'nightly-backup is down' },
      { stream: 'stdout', text: 'second' },
    ]);
    expect(lines.filter((l) => l.stream === 'stderr')).toEqual([
      { stream: 'stderr', text: 'oops' },
    ]);
    expect(result.output?.cutBytes).toBe(0);
  });

  it('comes back with a failed delivery too', async () => {
    const result = await deliver('echo "tried smtp.example.com"; exit 3');
    expect(result).toMatchObject({ ok: false, error: 'exited with status 3' });
    expect(result.output?.lines).toEqual([{ stream: 'stdout', text: 'tried smtp.example.com' }]);
  });

  it('keeps at most 64 KiB of a delivery, and counts the bytes it cut', async () => {
    // 2 000 lines of 99 characters and a line break: 200 000 bytes.
    const result = await deliver(
      `i=0; line=$(printf '%099d' 0); while [ $i -lt 2000 ]; do echo "$line"; i=$((i+1)); done`,
    );
    const output = result.output;
    const keptBytes = (output?.lines ?? []).reduce((n, l) => n + Buffer.byteLength(l.text) + 1, 0);
    expect(OUTPUT_LIMIT_BYTES).toBe(64 * 1024);
    expect(keptBytes).toBeLessThanOrEqual(OUTPUT_LIMIT_BYTES);
    expect(keptBytes).toBeGreaterThan(OUTPUT_LIMIT_BYTES - 100);
    expect(keptBytes + (output?.cutBytes ?? 0)).toBe(200_000);
  });

  it('cuts a line that never ends at the limit, without holding more of it in memory', async () => {
    const result = await deliver(`head -c 300000 /dev/zero | tr '\\0' x`);
    const [first, ...rest] = result.output?.lines ?? [];
    expect(first?.text.length).toBe(OUTPUT_LIMIT_BYTES);
    expect(rest).toEqual([]);
    expect(result.output?.cutBytes).toBe(300_000 - OUTPUT_LIMIT_BYTES);
  });
});
