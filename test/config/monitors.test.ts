import { describe, expect, it } from 'vitest';
import { configOf, doc, monitorOf, problemsOf } from './helpers.js';

const hooks = ['hooks:', '  ops:', '    command: [ops]', '  pager:', '    command: [pager]'];

describe('a monitor', () => {
  it('gets built-in defaults for everything but its schedule', () => {
    expect(monitorOf(['every: 5m'])).toEqual({
      slug: 'a',
      name: 'a',
      schedule: { kind: 'every', periodMs: 300_000 },
      graceMs: 300_000,
      maxRuntimeMs: 300_000,
      minRuntimeMs: null,
      earlyMs: null,
      waitForFirstPing: false,
      policy: { events: new Set(['down', 'up']), alertAfter: 1, repeatMs: null },
      provisioned: false,
      notify: [],
      token: null,
      tags: [],
      tokens: [],
      dependsOn: [],
    });
  });

  it('shares one policy, schedule and list among monitors that have the same (memory at scale)', () => {
    const config = configOf(
      doc(
        ...hooks,
        'monitors:',
        ...['a', 'b', 'c'].flatMap((slug) => [`  ${slug}:`, '    every: 5m', '    notify: [ops]']),
        '  d:',
        '    every: 10m',
        '    notify: [pager]',
        '    events: [down]',
      ),
    );
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((slug) => config.monitors.get(slug));
    for (const m of [b, c]) {
      expect(m?.policy).toBe(a?.policy);
      expect(m?.schedule).toBe(a?.schedule);
      expect(m?.notify).toBe(a?.notify);
      expect(m?.tokens).toBe(a?.tokens);
    }
    expect(d?.policy).not.toBe(a?.policy);
    expect(d?.schedule).toEqual({ kind: 'every', periodMs: 600_000 });
    expect(d?.notify).toEqual(['pager']);
  });

  it('takes every setting it is given', () => {
    const config = configOf(
      doc(
        ...hooks,
        'monitors:',
        '  nightly-backup:',
        '    name: Nightly Postgres backup',
        '    cron: "0 2 * * *"',
        '    timezone: Europe/Berlin',
        '    grace: 30m',
        '    max-runtime: 2h',
        '    min-runtime: 30s',
        '    early: 15m',
        '    notify: [ops, pager]',
        '    token: abcdefghijklmnopqrstuvwx',
        '    wait-for-first-ping: true',
        '    tags: [backup, db]',
      ),
    );
    expect(config.monitors.get('nightly-backup')).toEqual({
      slug: 'nightly-backup',
      name: 'Nightly Postgres backup',
      schedule: { kind: 'cron', expr: '0 2 * * *', timezone: 'Europe/Berlin' },
      graceMs: 1_800_000,
      maxRuntimeMs: 7_200_000,
      minRuntimeMs: 30_000,
      earlyMs: 900_000,
      waitForFirstPing: true,
      policy: { events: new Set(['down', 'up']), alertAfter: 1, repeatMs: null },
      provisioned: false,
      notify: ['ops', 'pager'],
      token: 'abcdefghijklmnopqrstuvwx',
      tags: ['backup', 'db'],
      tokens: ['abcdefghijklmnopqrstuvwx'],
      dependsOn: [],
    });
  });

  it('has a cron schedule in UTC unless a time zone is given', () => {
    expect(monitorOf(['cron: "@daily"']).schedule).toEqual({
      kind: 'cron',
      expr: '@daily',
      timezone: 'UTC',
    });
  });

  it.each([
    ['0 2 * * *'],
    ['*/5 * * * *'],
    ['0 30 2 * * *'],
    ['0 9 * * MON-FRI'],
    ['@hourly'],
    ['@weekly'],
  ])('accepts the cron expression %j', (expr) => {
    expect(monitorOf([`cron: "${expr}"`]).schedule).toMatchObject({ kind: 'cron', expr });
  });

  it('has a maximum run time equal to its own grace by default', () => {
    expect(monitorOf(['every: 1h', 'grace: 10m']).maxRuntimeMs).toBe(600_000);
  });

  it('takes a name written as a number as written', () => {
    expect(monitorOf(['every: 1d', 'name: 2024']).name).toBe('2024');
  });

  it('keeps the order of the file', () => {
    const config = configOf(
      doc(
        'monitors:',
        '  zeta:',
        '    every: 1m',
        '  alpha:',
        '    every: 1m',
        '  mid:',
        '    every: 1m',
      ),
    );
    expect([...config.monitors.keys()]).toEqual(['zeta', 'alpha', 'mid']);
  });

  it('may share settings through YAML anchors', () => {
    const config = configOf(
      doc(
        ...hooks,
        'monitors:',
        '  a:',
        '    every: 1m',
        '    notify: &both [ops, pager]',
        '  b:',
        '    every: 1m',
        '    notify: *both',
      ),
    );
    expect(config.monitors.get('b')?.notify).toEqual(['ops', 'pager']);
  });
});

describe('defaults', () => {
  const withDefaults = (...monitorLines: string[]) =>
    doc(
      ...hooks,
      'defaults:',
      '  grace: 10m',
      '  max-runtime: 1h',
      '  timezone: America/New_York',
      '  notify: [ops]',
      '  wait-for-first-ping: true',
      'monitors:',
      '  a:',
      ...monitorLines.map((l) => `    ${l}`),
    );

  it('apply to a monitor that does not set them', () => {
    const monitor = configOf(withDefaults('cron: "0 3 * * *"')).monitors.get('a');
    expect(monitor).toMatchObject({
      schedule: { kind: 'cron', expr: '0 3 * * *', timezone: 'America/New_York' },
      graceMs: 600_000,
      maxRuntimeMs: 3_600_000,
      notify: ['ops'],
      waitForFirstPing: true,
    });
  });

  it('give a monitor their tags unless it has its own', () => {
    const config = configOf(
      doc(
        'defaults:',
        '  tags: [prod]',
        'monitors:',
        '  a:',
        '    every: 1h',
        '  b:',
        '    every: 1h',
        '    tags: [db]',
      ),
    );
    expect(config.monitors.get('a')?.tags).toEqual(['prod']);
    expect(config.monitors.get('b')?.tags).toEqual(['db']);
  });

  it('rejects a tag that is not written like a slug', () => {
    expect(problemsOf(doc('monitors:', '  a:', '    every: 1h', '    tags: [Big Tag]'))[0]).toMatch(
      /^config\.yaml:4:12 monitors\.a\.tags\[0\]: /,
    );
  });

  it('give way to the monitor’s own settings', () => {
    const monitor = configOf(
      withDefaults(
        'cron: "0 3 * * *"',
        'grace: 1m',
        'max-runtime: 5m',
        'timezone: Asia/Tokyo',
        'notify: [pager]',
        'wait-for-first-ping: false',
      ),
    ).monitors.get('a');
    expect(monitor).toMatchObject({
      schedule: { timezone: 'Asia/Tokyo' },
      graceMs: 60_000,
      maxRuntimeMs: 300_000,
      notify: ['pager'],
      waitForFirstPing: false,
    });
  });

  it('let a monitor opt out of the default hooks with an empty list', () => {
    const monitor = configOf(withDefaults('every: 1h', 'notify: []')).monitors.get('a');
    expect(monitor?.notify).toEqual([]);
  });

  it('do not give an every schedule a time zone problem', () => {
    expect(problemsOf(withDefaults('every: 1h'))).toEqual([]);
  });

  it('make max-runtime follow the grace of the monitor when neither sets it', () => {
    const text = doc(
      'defaults:',
      '  grace: 10m',
      'monitors:',
      '  a:',
      '    every: 1h',
      '    grace: 2m',
    );
    expect(configOf(text).monitors.get('a')?.maxRuntimeMs).toBe(120_000);
  });

  it.each([['name'], ['token'], ['every'], ['cron']])('do not take %s', (key) => {
    expect(problemsOf(doc('defaults:', `  ${key}: x`))[0]).toMatch(
      new RegExp(`^config\\.yaml:2:3 defaults\\.${key}: unknown key '${key}'`),
    );
  });
});
