// `overdue init`: what a binary-only install needs, written by the executable itself.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toJsonSchema } from '../../src/config/schema.js';
import { runCli } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

const KEY_LINE = /^OVERDUE_PING_KEY=([A-Za-z0-9_-]{32})\n$/;

describe('overdue init', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('writes a config, its secrets and the JSON Schema its first line names, and prints the next steps', () => {
    const target = join(dir.path, 'etc', 'overdue');
    const r = runCli(['init', target]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`overdue check --config ${target}/config.yaml --env-file`);
    expect(r.stdout).toContain('overdue systemd-unit');
    const config = readFileSync(join(target, 'config.yaml'), 'utf8');
    expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=./config.schema.json');
    const schema = JSON.parse(readFileSync(join(target, 'config.schema.json'), 'utf8')) as object;
    expect(schema).toEqual(toJsonSchema());
    expect(statSync(join(target, 'secrets.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(target, 'secrets.env'), 'utf8')).toMatch(KEY_LINE);
  });

  it('generates a new ping key each time, never a shared one', () => {
    const keys = ['a', 'b'].map((name) => {
      expect(runCli(['init', join(dir.path, name)]).status).toBe(0);
      return KEY_LINE.exec(readFileSync(join(dir.path, name, 'secrets.env'), 'utf8'))?.[1];
    });
    expect(keys[0]).toBeDefined();
    expect(keys[0]).not.toBe(keys[1]);
    expect(readFileSync(join(dir.path, 'a', 'config.yaml'), 'utf8')).not.toContain(keys[0]);
  });

  it('writes a config that check accepts with its secrets.env', () => {
    const target = join(dir.path, 'checked');
    runCli(['init', target]);
    const args = [
      '--config',
      join(target, 'config.yaml'),
      '--env-file',
      join(target, 'secrets.env'),
    ];
    const r = runCli(['check', ...args]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('ok (1 monitors, 1 hooks)');
    expect(r.status).toBe(0);
  });

  it('refuses to overwrite an existing file, says how to go on, and writes nothing', () => {
    const target = join(dir.path, 'taken');
    runCli(['init', target]);
    writeFileSync(join(target, 'config.yaml'), 'mine\n');
    const before = readFileSync(join(target, 'secrets.env'), 'utf8');
    const r = runCli(['init', target]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${target}/config.yaml`);
    expect(r.stderr).toContain('overdue init OTHER-DIR');
    expect(readFileSync(join(target, 'config.yaml'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(target, 'secrets.env'), 'utf8')).toBe(before);
  });
});
