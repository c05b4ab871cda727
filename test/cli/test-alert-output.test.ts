// `overdue test-alert` shows what a command hook printed: the example `log` hook prints its line.
import { describe, expect, it } from 'vitest';
import { testAlert } from '../../src/cli/test-alert.js';
import { loadConfig } from '../../src/config/load-config.js';
import { configOf, doc } from '../config/helpers.js';

const now = Date.parse('2026-05-01T02:30:00.000Z');

describe('overdue test-alert with a command hook', () => {
  it('shows each line the command printed, then the outcome', async () => {
    const config = configOf(doc('hooks:', '  log:', `    command: 'echo one; echo two'`));
    const result = await testAlert(config, 'log', undefined, { now });
    expect(result.lines.slice(1)).toEqual(['stdout: one', 'stdout: two', 'delivered']);
  });

  it('says how much of the output it cut', async () => {
    const config = configOf(
      doc('hooks:', '  log:', `    command: "head -c 70000 /dev/zero | tr '\\\\0' x"`),
    );
    const result = await testAlert(config, 'log', undefined, { now });
    expect(result.lines.at(-2)).toBe(
      `(output cut: ${70_000 - 64 * 1024} more bytes; a delivery keeps 64 KiB)`,
    );
  });

  it("prints the example config's log hook line", async () => {
    const loaded = await loadConfig('config.example.yaml', {});
    if (!loaded.ok) throw new Error('config.example.yaml is invalid');
    const result = await testAlert(loaded.config, 'log', 'queue-worker', { now });
    expect(result.ok).toBe(true);
    expect(result.lines.some((l) => /^std(out|err): .*Queue worker heartbeat/.test(l))).toBe(true);
  });
});
