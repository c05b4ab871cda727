// A grouped command hook (`group:`): one run for several alerts, the JSON array of the alerts on
// stdin, OVERDUE_ALERT_COUNT, and no per-alert variable (they would name one alert of many).
import { describe, expect, it } from 'vitest';
import { hookOf, sampleAlert, sampleRecovery } from '../helpers/alert.js';
import { tempDir } from '../helpers/temp.js';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

describe('a grouped command hook', () => {
  const alerts = [sampleAlert(), sampleRecovery()];

  it('runs once with the JSON array on stdin of what each alert alone would get', async () => {
    const dir = tempDir();
    try {
      const out = join(dir.path, 'stdin.json');
      const command = `command: ["sh", "-c", "cat >> ${out}"]`;
      const single = hookOf([command]);
      for (const a of alerts) await single.deliver(a);
      const each = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown);
      rmSync(out);
      const grouped = hookOf([command, 'group: { wait: 1s }']);
      expect((await grouped.deliverGroup?.(alerts))?.ok).toBe(true);
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([each]);
    } finally {
      dir.remove();
    }
  });

  it('sets OVERDUE_ALERT_COUNT and OVERDUE_HOOK, and leaves the per-alert variables out', async () => {
    const dir = tempDir();
    try {
      const out = join(dir.path, 'env');
      const hook = hookOf([
        'command:',
        `  run: "env | grep ^OVERDUE_ | sort > ${out}"`,
        'group: { wait: 1s }',
      ]);
      expect((await hook.deliverGroup?.(alerts))?.ok).toBe(true);
      expect(readFileSync(out, 'utf8')).toBe('OVERDUE_ALERT_COUNT=2\nOVERDUE_HOOK=h\n');
    } finally {
      dir.remove();
    }
  });
});
