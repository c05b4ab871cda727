// The alerting rule in docs/prometheus/ checked and unit-tested by promtool, Prometheus' own tool:
// it fires for a monitor that is down, and not for one that is snoozed or paused.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = resolve(import.meta.dirname, '..', '..', 'docs', 'prometheus');
const PROMTOOL = '/usr/bin/promtool';
// CI installs promtool: there a missing one is a failure, not a skip.
const havePromtool = existsSync(PROMTOOL) || process.env.CI !== undefined;

function promtool(...args: string[]): string {
  const r = spawnSync(PROMTOOL, args, { cwd: DIR, encoding: 'utf8' });
  if (r.error) throw r.error;
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return r.stdout;
}

describe.skipIf(!havePromtool)('the Prometheus rule in docs/prometheus', () => {
  it('passes promtool check rules', () => {
    expect(promtool('check', 'rules', join(DIR, 'overdue-rules.yml'))).toContain('SUCCESS');
  });

  it('fires for a down monitor, not for a snoozed or paused one (promtool test rules)', () => {
    expect(promtool('test', 'rules', 'overdue-rules.test.yml')).toContain('SUCCESS');
  });
});
