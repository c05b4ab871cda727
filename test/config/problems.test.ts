import { describe, expect, it } from 'vitest';
import { formatProblem, parseConfig } from '../../src/config/load-config.js';
import { configOf, doc, problemsOf } from './helpers.js';

const hooks = [
  'hooks:',
  '  ops:',
  '    webhook: https://example.com/h',
  '  pager:',
  '    command: [page]',
];

describe('each kind of problem is reported at its line and column', () => {
  it.each([
    [
      'a YAML syntax error',
      doc('monitors:', '  a: [1, 2', '  b:', '    every: 5m'),
      [
        'config.yaml:2:6 monitors.a: expected a map, got a list',
        'config.yaml:3:3 Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    ],
    [
      'a duplicate key',
      doc('monitors:', '  a:', '    every: 5m', '    every: 10m'),
      ["config.yaml:4:5 monitors.a.every: duplicate key 'every'"],
    ],
    [
      'a duplicate monitor slug',
      doc('monitors:', '  a:', '    every: 5m', '  a:', '    every: 10m'),
      ["config.yaml:4:3 monitors.a: duplicate key 'a'"],
    ],
    [
      'an unknown key close to a known one',
      doc('monitors:', '  a:', '    every: 5m', '    gracee: 1m'),
      ["config.yaml:4:5 monitors.a.gracee: unknown key 'gracee' (did you mean 'grace'?)"],
    ],
    [
      'an unknown key in camelCase',
      doc('monitors:', '  a:', '    every: 5m', '    maxRuntime: 1h'),
      [
        "config.yaml:4:5 monitors.a.maxRuntime: unknown key 'maxRuntime' (did you mean 'max-runtime'?)",
      ],
    ],
    [
      'an unknown key like no other',
      doc('server:', '  colour: red'),
      [
        "config.yaml:2:3 server.colour: unknown key 'colour' (expected one of: listen, data-dir, ping-key, body-limit, keep-pings, trust-proxy, public-url, api-token, read-token, metrics-token, public, heartbeat)",
      ],
    ],
    [
      'an unknown top-level key',
      doc('monitor:', '  a:', '    every: 5m'),
      ["config.yaml:1:1 monitor: unknown key 'monitor' (did you mean 'monitors'?)"],
    ],
    ['a scalar for a map', doc('server: 5'), ['config.yaml:1:9 server: expected a map, got 5']],
    [
      'a scalar for a list',
      doc('defaults:', '  notify: ops'),
      ["config.yaml:2:11 defaults.notify: expected a list, got 'ops'"],
    ],
    [
      'a list for a duration',
      doc('monitors:', '  a:', '    every: [5m]'),
      ['config.yaml:3:12 monitors.a.every: expected a duration like 90s, 5m or 1h30m, got a list'],
    ],
    [
      'a missing value',
      doc('monitors:', '  a:', '    every:'),
      [
        'config.yaml:3:5 monitors.a.every: missing value (expected a duration like 90s, 5m or 1h30m)',
      ],
    ],
    [
      'a duration without a unit',
      doc('monitors:', '  a:', '    every: 90'),
      [
        "config.yaml:3:12 monitors.a.every: '90' has no unit: write a duration with a unit, like 90s or 90m",
      ],
    ],
    [
      'a malformed duration',
      doc('defaults:', '  grace: 5 minutes'),
      [
        "config.yaml:2:10 defaults.grace: invalid duration '5 minutes': write numbers with units (ms, s, m, h, d, w), like 90s, 5m or 1h30m",
      ],
    ],
    [
      'a zero period',
      doc('monitors:', '  a:', '    every: 0s'),
      ['config.yaml:3:12 monitors.a.every: must be longer than 0s'],
    ],
    [
      'a period over a year',
      doc('monitors:', '  a:', '    every: 366d'),
      ['config.yaml:3:12 monitors.a.every: must be at most 365d'],
    ],
    [
      'a zero max-runtime',
      doc('monitors:', '  a:', '    every: 1h', '    max-runtime: 0s'),
      ['config.yaml:4:18 monitors.a.max-runtime: must be longer than 0s'],
    ],
    [
      'a bad cron field',
      doc('monitors:', '  a:', '    cron: "61 * * * *"'),
      [
        "config.yaml:3:11 monitors.a.cron: invalid cron expression '61 * * * *': Invalid value for minute: 61",
      ],
    ],
    [
      'a cron expression with a year',
      doc('monitors:', '  a:', '    cron: "0 0 2 * * * 2030"'),
      [
        "config.yaml:3:11 monitors.a.cron: invalid cron expression '0 0 2 * * * 2030': write 5 fields (minute hour day month weekday), 6 with seconds first, or a nickname like @daily",
      ],
    ],
    [
      'a cron expression that never matches',
      doc('monitors:', '  a:', '    cron: "0 0 31 2 *"'),
      ["config.yaml:3:11 monitors.a.cron: cron expression '0 0 31 2 *' never matches"],
    ],
    [
      'an unknown time zone',
      doc('monitors:', '  a:', '    cron: "0 2 * * *"', '    timezone: Europe/Berln'),
      [
        "config.yaml:4:15 monitors.a.timezone: unknown time zone 'Europe/Berln' (use an IANA name like Europe/Berlin or UTC)",
      ],
    ],
    [
      'a time zone on an every schedule',
      doc('monitors:', '  a:', '    every: 5m', '    timezone: Europe/Berlin'),
      ['config.yaml:4:5 monitors.a.timezone: timezone applies only to cron schedules'],
    ],
    [
      'an unknown hook',
      doc(...hooks, 'monitors:', '  a:', '    every: 5m', '    notify: [ops, opps]'),
      ["config.yaml:9:19 monitors.a.notify[1]: unknown hook 'opps' (defined: ops, pager)"],
    ],
    [
      'a hook when none is defined',
      doc('defaults:', '  notify: [ops]'),
      ["config.yaml:2:12 defaults.notify[0]: unknown hook 'ops' (no hooks are defined)"],
    ],
    [
      'a hook listed twice',
      doc(...hooks, 'monitors:', '  a:', '    every: 5m', '    notify: [ops, ops]'),
      ['config.yaml:9:19 monitors.a.notify[1]: "ops" is listed twice'],
    ],
    [
      'both every and cron',
      doc('monitors:', '  a:', '    every: 5m', '    cron: "@daily"'),
      ["config.yaml:4:5 monitors.a.cron: use only one of 'every' and 'cron'"],
    ],
    [
      'neither every nor cron',
      doc('monitors:', '  a:', '    grace: 5m'),
      ["config.yaml:3:5 monitors.a: one of 'every' or 'cron' is required"],
    ],
    [
      'an empty monitor',
      doc('monitors:', '  a:'),
      ["config.yaml:2:3 monitors.a: one of 'every' or 'cron' is required"],
    ],
    [
      'an invalid monitor slug',
      doc('monitors:', '  Nightly_Backup:', '    every: 5m'),
      [
        "config.yaml:2:3 monitors.Nightly_Backup: invalid monitor slug 'Nightly_Backup' (use a-z, 0-9, '-' and '_', starting with a letter or digit, at most 100 characters)",
      ],
    ],
    [
      'a monitor slug over 100 characters',
      doc('monitors:', `  ${'a'.repeat(101)}:`, '    every: 5m'),
      [
        `config.yaml:2:3 monitors.${'a'.repeat(101)}: invalid monitor slug '${'a'.repeat(101)}' (use a-z, 0-9, '-' and '_', starting with a letter or digit, at most 100 characters)`,
      ],
    ],
    [
      'an invalid hook name',
      doc('hooks:', '  "ops team":', '    command: [x]'),
      [
        "config.yaml:2:3 hooks.ops team: invalid hook name 'ops team' (use letters, digits, '-' and '_', at most 100 characters)",
      ],
    ],
    [
      'a hook without a kind',
      doc('hooks:', '  ops:', '    timeout: 5s'),
      [
        "config.yaml:3:5 hooks.ops: one of 'command', 'webhook', 'ntfy', 'gotify', 'telegram', 'slack', 'discord', 'pushover', 'matrix' or 'email' is required",
      ],
    ],
    [
      'a hook with two kinds',
      doc('hooks:', '  ops:', '    command: [x]', '    webhook: https://example.com'),
      ["config.yaml:4:5 hooks.ops.webhook: use only one of 'command' and 'webhook'"],
    ],
    [
      'an empty command',
      doc('hooks:', '  ops:', '    command: []'),
      ['config.yaml:3:14 hooks.ops.command: must not be empty'],
    ],
    [
      'a webhook without a url',
      doc('hooks:', '  ops:', '    webhook:', '      method: PUT'),
      ["config.yaml:4:7 hooks.ops.webhook: missing required key 'url'"],
    ],
    [
      'an unsupported webhook method',
      doc('hooks:', '  ops:', '    webhook: { url: "https://example.com", method: DELETE }'),
      [
        "config.yaml:3:52 hooks.ops.webhook.method: expected one of POST, PUT, PATCH, GET, got 'DELETE'",
      ],
    ],
    [
      'a header value with a line break',
      doc(
        'hooks:',
        '  ops:',
        '    webhook:',
        '      url: https://example.com',
        '      headers:',
        '        X-A: "a\\nb"',
      ),
      [
        'config.yaml:6:14 hooks.ops.webhook.headers.X-A: a header value must not contain a line break',
      ],
    ],
    [
      'a zero hook timeout',
      doc('hooks:', '  ops:', '    command: [x]', '    timeout: 0s'),
      ['config.yaml:4:14 hooks.ops.timeout: must be longer than 0s'],
    ],
    [
      'a short ping key',
      doc('server:', '  ping-key: secret'),
      [
        'config.yaml:2:13 server.ping-key: must be at least 16 characters of A-Z, a-z, 0-9 and . _ ~ -',
      ],
    ],
    [
      'a malformed URL, without echoing it',
      doc('hooks:', '  ops:', '    webhook: https//example.com/bot123:secret'),
      ['config.yaml:3:14 hooks.ops.webhook: invalid URL (write it like https://example.com/hook)'],
    ],
    [
      'a public URL that is not http',
      doc('server:', '  public-url: ftp://example.com'),
      ['config.yaml:2:15 server.public-url: must be an http(s) URL'],
    ],
    [
      'an integer out of range',
      doc('server:', '  keep-pings: 0'),
      ['config.yaml:2:15 server.keep-pings: must be at least 1'],
    ],
    [
      'a boolean written as yes',
      doc('defaults:', '  wait-for-first-ping: yes'),
      ["config.yaml:2:24 defaults.wait-for-first-ping: expected true or false, got 'yes'"],
    ],
    [
      'an unknown alias',
      doc('monitors:', '  a:', '    every: *nope'),
      ['config.yaml:3:12 monitors.a.every: unknown alias *nope'],
    ],
    [
      'two kinds in one hook, at the second in the file',
      doc('hooks:', '  ops:', '    webhook: https://example.com', '    command: [x]'),
      ["config.yaml:4:5 hooks.ops.command: use only one of 'command' and 'webhook'"],
    ],
    [
      'a YAML merge key',
      doc('monitors:', '  a: &base', '    every: 5m', '  b:', '    <<: *base', '    every: 1m'),
      [
        'config.yaml:5:5 monitors.b.<<: YAML merge keys (<<) are not supported: use defaults, or an alias per value',
      ],
    ],
    [
      'an alias to a value that contains it',
      doc('monitors:', '  a: &x', '    every: 5m', '    name: *x'),
      ['config.yaml:4:11 monitors.a.name: alias *x refers to a value that contains it'],
    ],
    [
      'a key that is not a name',
      doc('monitors:', '  ? [a, b]', '  : every: 5m'),
      ['config.yaml:2:5 monitors: keys must be plain names'],
    ],
    [
      'a second YAML document',
      doc('monitors: {}', '---', 'monitors: {}'),
      ["config.yaml:2:1 a config file holds one YAML document: remove the '---'"],
    ],
    [
      'a monitor problem when the defaults section is broken',
      doc('defaults: 5', 'monitors:', '  a:', '    cron: "99 * * * *"'),
      [
        'config.yaml:1:11 defaults: expected a map, got 5',
        "config.yaml:4:11 monitors.a.cron: invalid cron expression '99 * * * *': Invalid value for minute: 99",
      ],
    ],
    [
      'a top level that is not a map',
      doc('- a', '- b'),
      [
        'config.yaml:1:1 the config must be a map with the keys server, defaults, hooks and monitors',
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });
});

describe('tokens', () => {
  it('reports a duplicate token at the second monitor, naming the first', () => {
    const text = doc(
      'monitors:',
      '  a:',
      '    every: 5m',
      '    token: aaaaaaaaaaaaaaaa',
      '  b:',
      '    every: 5m',
      '    token: aaaaaaaaaaaaaaaa',
    );
    expect(problemsOf(text)).toEqual([
      'config.yaml:7:12 monitors.b.token: duplicate token: monitors.a.token has the same value',
    ]);
  });

  it('reports a token equal to the ping key', () => {
    const text = doc(
      'server:',
      '  ping-key: aaaaaaaaaaaaaaaa',
      'monitors:',
      '  a:',
      '    every: 5m',
      '    token: aaaaaaaaaaaaaaaa',
    );
    expect(problemsOf(text)).toEqual([
      'config.yaml:6:12 monitors.a.token: duplicate token: server.ping-key has the same value',
    ]);
  });

  it('compares tokens after environment substitution', () => {
    const text = doc(
      'monitors:',
      '  a:',
      '    every: 5m',
      '    token: ${T}',
      '  b:',
      '    every: 5m',
      '    token: ${T}',
    );
    expect(problemsOf(text, { T: 'b'.repeat(16) })).toEqual([
      'config.yaml:7:12 monitors.b.token: duplicate token: monitors.a.token has the same value',
    ]);
  });

  it('accepts a list of tokens, so that a token can be rotated', () => {
    const text = doc(
      'monitors:',
      '  a:',
      '    every: 5m',
      '    token: [aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb]',
    );
    expect(configOf(text).monitors.get('a')?.tokens).toEqual([
      'aaaaaaaaaaaaaaaa',
      'bbbbbbbbbbbbbbbb',
    ]);
  });

  it('reports a token listed twice, or used by another monitor, at the item', () => {
    const text = doc(
      'monitors:',
      '  a:',
      '    every: 5m',
      '    token: [aaaaaaaaaaaaaaaa, aaaaaaaaaaaaaaaa]',
      '  b:',
      '    every: 5m',
      '    token:',
      '      - cccccccccccccccc',
      '      - aaaaaaaaaaaaaaaa',
    );
    expect(problemsOf(text)).toEqual([
      'config.yaml:4:31 monitors.a.token[1]: duplicate token: monitors.a.token[0] has the same value',
      'config.yaml:9:9 monitors.b.token[1]: duplicate token: monitors.a.token[0] has the same value',
    ]);
  });

  it('reports an empty token list and a short token in a list', () => {
    const text = doc(
      'monitors:',
      '  a:',
      '    every: 5m',
      '    token: []',
      '  b:',
      '    every: 5m',
      '    token: [short]',
    );
    expect(problemsOf(text)).toEqual([
      'config.yaml:4:12 monitors.a.token: must not be empty',
      'config.yaml:7:13 monitors.b.token[0]: must be at least 16 characters of A-Z, a-z, 0-9 and . _ ~ -',
    ]);
  });

  it('never puts a secret in a message', () => {
    const secret = 'Sup3rSecretValue';
    const text = doc(
      'server:',
      `  ping-key: ${secret}`,
      'monitors:',
      '  a:',
      '    every: 5m',
      `    token: ${secret}`,
    );
    expect(problemsOf(text).join('\n')).not.toContain(secret);
  });
});

describe('a config with several mistakes', () => {
  it('lists every one of them, in file order', () => {
    const text = doc(
      'server:',
      '  listen: localhost', //                        2: no port
      '  body-limit: -1', //                           3: out of range
      'hooks:',
      '  ops:',
      '    webhook: ftp://example.com', //             6: not http
      'defaults:',
      '  gracee: 5m', //                               8: unknown key
      'monitors:',
      '  backup:',
      '    cron: "0 25 * * *"', //                     11: bad hour
      '    timezone: Mars/Olympus', //                 12: unknown zone
      '    notify: [ops, pager]', //                   13: unknown hook
      '  queue:',
      '    every: 90', //                              15: no unit
      '  report:',
      '    grace: 1h', //                              17: neither every nor cron
      '  Bad:', //                                     18: bad slug
      '    every: 1m',
    );
    expect(problemsOf(text)).toEqual([
      "config.yaml:2:11 server.listen: missing port in 'localhost' (write host:port, like 127.0.0.1:8080)",
      'config.yaml:3:15 server.body-limit: must be at least 0',
      'config.yaml:6:14 hooks.ops.webhook: must be an http(s) URL',
      "config.yaml:8:3 defaults.gracee: unknown key 'gracee' (did you mean 'grace'?)",
      "config.yaml:11:11 monitors.backup.cron: invalid cron expression '0 25 * * *': Invalid value for hour: 25",
      "config.yaml:12:15 monitors.backup.timezone: unknown time zone 'Mars/Olympus' (use an IANA name like Europe/Berlin or UTC)",
      "config.yaml:13:19 monitors.backup.notify[1]: unknown hook 'pager' (defined: ops)",
      "config.yaml:15:12 monitors.queue.every: '90' has no unit: write a duration with a unit, like 90s or 90m",
      "config.yaml:17:5 monitors.report: one of 'every' or 'cron' is required",
      "config.yaml:18:3 monitors.Bad: invalid monitor slug 'Bad' (use a-z, 0-9, '-' and '_', starting with a letter or digit, at most 100 characters)",
    ]);
  });
});

describe('formatProblem', () => {
  it('writes file:line:col path: message', () => {
    const p = {
      file: 'c.yaml',
      line: 3,
      col: 12,
      path: 'monitors.a.every',
      message: 'must be longer than 0s',
    };
    expect(formatProblem(p)).toBe('c.yaml:3:12 monitors.a.every: must be longer than 0s');
  });

  it('leaves out the path and its colon when there is none', () => {
    const p = { file: 'c.yaml', line: 1, col: 1, path: '', message: 'Map keys must be unique' };
    expect(formatProblem(p)).toBe('c.yaml:1:1 Map keys must be unique');
  });

  it('is given problems with 1-based positions', () => {
    const result = parseConfig(doc('monitor: {}'), 'c.yaml', {});
    expect(result.ok ? [] : result.problems).toEqual([
      {
        file: 'c.yaml',
        line: 1,
        col: 1,
        path: 'monitor',
        message: "unknown key 'monitor' (did you mean 'monitors'?)",
      },
    ]);
  });
});
