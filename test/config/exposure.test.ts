import { describe, expect, it } from 'vitest';
import { literalSecrets, readRoot } from '../../src/config/exposure.js';
import { doc } from './helpers.js';

describe('literalSecrets', () => {
  it.each([
    ['a literal ping key', doc('server:', '  ping-key: abcdefghijklmnop'), ['server.ping-key']],
    ['an api token from the environment', doc('server:', '  api-token: ${API_TOKEN}'), []],
    ['a default after ${VAR:-...}', doc('server:', '  ping-key: ${KEY:-abcdefghijklmnop}'), []],
    [
      'an Authorization header',
      doc(
        'hooks:',
        '  ops:',
        '    webhook:',
        '      url: https://x.example',
        '      headers: { Authorization: "Bearer x" }',
      ),
      ['hooks.ops.webhook.headers.Authorization'],
    ],
    [
      'an SMTP password',
      doc('hooks:', '  mail:', '    email: { password: hunter2 }'),
      ['hooks.mail.email.password'],
    ],
    [
      'a Slack webhook URL',
      doc('hooks:', '  s:', '    slack: { url: "https://hooks.slack.com/services/T/B/x" }'),
      ['hooks.s.slack.url'],
    ],
    [
      'a password inside a URL',
      doc('hooks:', '  w:', '    webhook: "https://u:pw@x.example/a"'),
      ['hooks.w.webhook'],
    ],
    [
      'a command hook, which holds no credential field',
      doc('hooks:', '  c:', '    command: [page, --team, infra]'),
      [],
    ],
  ])('finds %s', (_what, text, expected) => {
    expect(literalSecrets(text).secrets).toEqual(expected);
  });

  it('tells monitor tokens apart from other secrets', () => {
    const text = doc(
      'monitors:',
      '  a:',
      '    token: ["${NEW}", abcdefghijklmnop]',
      '  b:',
      '    token: ${B}',
    );
    expect(literalSecrets(text)).toEqual({ secrets: [], tokens: ['monitors.a.token'] });
  });

  it('reads a large config as the loader does, and finds the same as yaml would', () => {
    const monitors = Array.from({ length: 3_000 }, (_, i) => [
      `  job-${i}:`,
      '    every: 5m',
      i === 7 ? '    token: [abcdefghijklmnop, "${OLD}"]' : `    token: \${T${i}}`,
    ]).flat();
    const text = doc('server:', '  ping-key: literal-key-0123456789', 'monitors:', ...monitors);
    expect(text.length).toBeGreaterThan(64 * 1024); // the fast reader's threshold
    expect(readRoot(text)?.fast).toBe(true);
    expect(literalSecrets(text)).toEqual({
      secrets: ['server.ping-key'],
      tokens: ['monitors.job-7.token'],
    });
    // YAML the fast reader leaves to yaml (an anchor) is read whole, with the same answer.
    const anchored = text.replace('  job-0:\n', '  job-0: &first\n');
    expect(readRoot(anchored)?.fast).toBe(false);
    expect(literalSecrets(anchored)).toEqual(literalSecrets(text));
  });

  it('finds nothing in text that is not YAML', () => {
    expect(literalSecrets('{{{')).toEqual({ secrets: [], tokens: [] });
  });
});
