// What a command hook's process sees in its environment: the alert, a few variables of the
// daemon's own environment, what the hook's `env:` passes, and nothing else (no secrets).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertEnv } from '../../src/hooks/command.js';
import { hookOf, sampleAlert } from '../helpers/alert.js';
import { tempDir } from '../helpers/temp.js';

// Every variable a command hook gets for an alert, by name: the docs' table lists each of them.
const ALERT_VARIABLES = Object.keys(
  alertEnv(sampleAlert(), { name: 'h', timeoutMs: 1, publicUrl: null }),
);

describe('a command hook environment', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.OVERDUE_API_TOKEN = 'api-token-secret';
    process.env.OVERDUE_PING_KEY = 'ping-key-secret';
    process.env.SMTP_PASSWORD = 'smtp-secret';
    process.env.PAGER_TOKEN = 'pager-secret';
    process.env.LANG = 'C.UTF-8';
    process.env.TZ = 'Europe/Berlin';
  });
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  /** The environment a real child process got, as it wrote it down. */
  function envOf(file: string): Record<string, string> {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  }

  /** A hook that runs node, which writes its environment as JSON into `file`. */
  function dumpEnvLines(file: string): string[] {
    const script = `require('fs').writeFileSync(${JSON.stringify(file)}, JSON.stringify(process.env))`;
    return [
      'command:',
      `  run: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(script)}]`,
    ];
  }

  it('holds only the alert variables, PATH, HOME, LANG and TZ: none of the daemon secrets', async () => {
    const out = join(dir.path, 'minimal.json');
    const result = await hookOf(dumpEnvLines(out)).deliver(sampleAlert());
    expect(result.ok).toBe(true);
    const env = envOf(out);
    const inherited = ['PATH', 'HOME', 'LANG', 'TZ'].filter((n) => process.env[n] !== undefined);
    expect(Object.keys(env).sort()).toEqual([...ALERT_VARIABLES, ...inherited].sort());
    expect(env).toMatchObject({ PATH: process.env.PATH, LANG: 'C.UTF-8', TZ: 'Europe/Berlin' });
    expect(JSON.stringify(env)).not.toMatch(/secret/);
  });

  it("adds what the hook's env passes, with ${VAR} taken from the daemon's environment", async () => {
    const out = join(dir.path, 'explicit.json');
    const lines = [
      ...dumpEnvLines(out),
      '  env:',
      '    PAGER_TOKEN: ${PAGER_TOKEN}',
      '    TEAM: infra',
    ];
    await hookOf(lines, { env: { PAGER_TOKEN: 'pager-secret' } }).deliver(sampleAlert());
    expect(envOf(out)).toMatchObject({ PAGER_TOKEN: 'pager-secret', TEAM: 'infra' });
    expect(envOf(out)).not.toHaveProperty('SMTP_PASSWORD');
  });

  it("names the monitor's page OVERDUE_MONITOR_URL, so OVERDUE_URL stays the server's for overdue ping", async () => {
    const out = join(dir.path, 'urls.json');
    const lines = [...dumpEnvLines(out), '  env:', '    OVERDUE_URL: https://hb.example.com'];
    const hook = hookOf(lines, { publicUrl: 'https://hb.example.com' });
    await hook.deliver(sampleAlert());
    expect(envOf(out)).toMatchObject({
      OVERDUE_URL: 'https://hb.example.com',
      OVERDUE_MONITOR_URL: 'https://hb.example.com/monitors/nightly-backup',
    });
  });

  it('runs the short forms (a list, a shell string) with the same minimal environment', async () => {
    const out = join(dir.path, 'short.txt');
    await hookOf([
      `command: 'printf "%s|%s" "$OVERDUE_MONITOR" "$SMTP_PASSWORD" > ${out}'`,
    ]).deliver(sampleAlert());
    expect(readFileSync(out, 'utf8')).toBe('nightly-backup|');
  });

  it('documents every variable in the table of docs/hooks.md', () => {
    const docs = readFileSync('docs/hooks.md', 'utf8');
    const missing = [...ALERT_VARIABLES, 'PATH', 'HOME', 'LANG', 'TZ'].filter(
      (name) => !docs.includes(`\`${name}\``),
    );
    expect(missing).toEqual([]);
  });
});
