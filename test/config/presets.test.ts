// Presets in the config: their defaults, and their problems at their positions.
import { describe, expect, it } from 'vitest';
import { configOf, doc, problemsOf } from './helpers.js';

const preset = (...lines: string[]) => doc('hooks:', '  ops:', ...lines.map((l) => `    ${l}`));
const optionsOf = (...lines: string[]) => {
  const hook = configOf(preset(...lines), { TOKEN: 'secret-token' }).hooks.get('ops');
  return hook !== undefined && 'options' in hook ? hook.options : undefined;
};

describe('presets', () => {
  it('default ntfy to ntfy.sh, high priority for kinds of down and default for the rest', () => {
    expect(optionsOf('ntfy: { topic: backups }')).toMatchObject({
      url: 'https://ntfy.sh',
      token: null,
      tags: [],
      priority: { down: 4, 'start-overdue': 4, fail: 4, reminder: 4, late: 3, up: 3 },
    });
  });

  it('let kinds of down follow a priority given for down', () => {
    expect(optionsOf('ntfy: { topic: t, priority: { down: max, reminder: low } }')).toMatchObject({
      priority: { down: 5, 'start-overdue': 5, fail: 5, reminder: 2, late: 3, up: 3 },
    });
  });

  it('take one priority for every event', () => {
    expect(
      optionsOf('gotify: { url: "https://g.example/", token: "${TOKEN}", priority: 6 }'),
    ).toMatchObject({
      url: 'https://g.example',
      token: 'secret-token',
      priority: { down: 6, up: 6, late: 6 },
    });
  });

  it('give email the submission port with STARTTLS by default, and 465 TLS when asked', () => {
    const smtp = 'email: { host: smtp.example.com, from: a@example.com, to: b@example.com';
    expect(optionsOf(`${smtp} }`)).toMatchObject({
      transport: {
        kind: 'smtp',
        port: 587,
        security: 'starttls',
        verifyCertificate: true,
        auth: null,
      },
      to: ['b@example.com'],
    });
    expect(optionsOf(`${smtp}, port: 465 }`)).toMatchObject({ transport: { security: 'tls' } });
    expect(optionsOf(`${smtp}, security: none }`)).toMatchObject({ transport: { port: 25 } });
  });

  it('take 30s for email and 10s for the others', () => {
    const config = configOf(
      doc(
        'hooks:',
        '  a:',
        '    email: { sendmail: /usr/sbin/sendmail, from: a@b.c, to: d@e.f }',
        '  b:',
        '    slack: { url: "https://hooks.slack.com/services/x" }',
      ),
    );
    expect([config.hooks.get('a')?.timeoutMs, config.hooks.get('b')?.timeoutMs]).toEqual([
      30_000, 10_000,
    ]);
  });

  it.each([
    [
      'ntfy without a topic',
      preset('ntfy: { token: x }'),
      ["config.yaml:3:11 hooks.ops.ntfy: missing required key 'topic'"],
    ],
    [
      'an unknown ntfy priority',
      preset('ntfy: { topic: t, priority: { down: loud } }'),
      [
        "config.yaml:3:41 hooks.ops.ntfy.priority.down: expected a priority 1-5 or min, low, default, high, max, got 'loud'",
      ],
    ],
    [
      'a priority for an event that does not exist',
      preset('gotify: { url: "https://g.example", token: t, priority: { dwon: 9 } }'),
      [
        "config.yaml:3:63 hooks.ops.gotify.priority.dwon: unknown key 'dwon' (expected one of: down, start-overdue, up, fail, late, reminder)",
      ],
    ],
    [
      'a Matrix room alias instead of its ID',
      preset(
        'matrix: { homeserver: "https://m.example", access-token: t, room-id: "#ops:m.example" }',
      ),
      [
        'config.yaml:3:74 hooks.ops.matrix.room-id: must be a room ID like !abc123:example.org (an alias #room:server will not do)',
      ],
    ],
    [
      'email with both a host and sendmail',
      preset('email: { host: h, sendmail: /usr/sbin/sendmail, from: a@b.c, to: d@e.f }'),
      ["config.yaml:3:23 hooks.ops.email.sendmail: use only one of 'host' and 'sendmail'"],
    ],
    [
      'an email username without a password',
      preset('email: { host: h, username: u, from: a@b.c, to: d@e.f }'),
      ['config.yaml:3:23 hooks.ops.email.username: username needs a password'],
    ],
    [
      'an email recipient that is no address',
      preset('email: { host: h, from: a@b.c, to: [ops] }'),
      ['config.yaml:3:41 hooks.ops.email.to[0]: expected an email address'],
    ],
    [
      'a Telegram hook without its chat',
      preset('telegram: { bot-token: "1:x" }'),
      ["config.yaml:3:15 hooks.ops.telegram: missing required key 'chat-id'"],
    ],
    [
      'a Slack URL that is no URL',
      preset('slack: { url: hooks.slack.com/services/x }'),
      [
        'config.yaml:3:19 hooks.ops.slack.url: invalid URL (write it like https://example.com/hook)',
      ],
    ],
  ])('report %s', (_name, text, problems) => {
    expect(problemsOf(text)).toEqual(problems);
  });
});
