// A test alert must never look like an outage: through every hook kind of the registry, for every
// event, its title and its body say it is a test. Real receivers: an HTTP server, an SMTP server,
// and a command that writes down what it got.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAlert } from '../../src/cli/test-alert.js';
import type { Config } from '../../src/config/types.js';
import type { AlertEvent } from '../../src/core/types.js';
import { hookKinds } from '../../src/hooks/registry.js';
import { configOf, doc } from '../config/helpers.js';
import { Receiver, type Received } from '../helpers/receiver.js';
import { SmtpReceiver } from '../helpers/smtp-receiver.js';
import { tempDir } from '../helpers/temp.js';

const now = Date.parse('2026-05-01T02:30:00.000Z');
const events: readonly AlertEvent[] = ['down', 'start-overdue', 'fail', 'reminder', 'late', 'up'];
const TITLE = '[test] Nightly backup';
const BODY = 'This is a test, sent by overdue test-alert: not a real alert.';

/** Every string a request carries, decoded from its JSON or form body, and its URL. */
function textOf(r: Received): string {
  const type = r.headers['content-type'] ?? '';
  if (type.includes('x-www-form-urlencoded'))
    return [...new URLSearchParams(r.body).values()].join('\n');
  if (type.includes('json')) return strings(JSON.parse(r.body)).join('\n');
  return `${decodeURIComponent(r.url)}\n${r.body}`;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (typeof v === 'object' && v !== null) return Object.values(v).flatMap(strings);
  return [];
}

describe('a test alert, through every kind of hook', () => {
  const dir = tempDir();
  let http: Receiver;
  let smtp: SmtpReceiver;
  let config: Config;
  beforeAll(async () => {
    http = await new Receiver().start();
    smtp = await new SmtpReceiver({ starttls: false }).start();
    const script = `cat > ${dir.path}/stdin.json; printf '%s\\n%s\\n%s' "$OVERDUE_TEST" "$OVERDUE_TITLE" "$OVERDUE_MESSAGE" > ${dir.path}/env.txt`;
    const hooks: Record<keyof typeof hookKinds, string[]> = {
      command: [`command: ${JSON.stringify(script)}`],
      webhook: [`webhook: ${http.url}/webhook`],
      ntfy: ['ntfy:', `  url: ${http.url}`, '  topic: t'],
      gotify: ['gotify:', `  url: ${http.url}`, '  token: t'],
      telegram: ['telegram:', `  api-url: ${http.url}`, '  bot-token: "1:x"', '  chat-id: 5'],
      slack: ['slack:', `  url: ${http.url}/slack`],
      discord: ['discord:', `  url: ${http.url}/discord`],
      pushover: ['pushover:', `  api-url: ${http.url}`, '  user: u', '  token: t'],
      matrix: ['matrix:', `  homeserver: ${http.url}`, '  access-token: t', "  room-id: '!r:x'"],
      email: [
        'email:',
        '  host: 127.0.0.1',
        `  port: ${smtp.port}`,
        '  security: none',
        '  from: o@example.com',
        '  to: ops@example.com',
      ],
    };
    const lines = Object.entries(hooks).flatMap(([name, l]) => [
      `  ${name}:`,
      ...l.map((x) => `    ${x}`),
    ]);
    config = configOf(
      doc(
        'hooks:',
        ...lines,
        'monitors:',
        '  nightly-backup:',
        '    name: Nightly backup',
        '    every: 1d',
        '    grace: 30m',
      ),
    );
  });
  afterAll(async () => {
    await http.close();
    await smtp.close();
    dir.remove();
  });

  /** Sends a test alert through `hook` and returns what its receiver got, as text. */
  async function received(hook: string, event: AlertEvent): Promise<string> {
    const before = { http: http.received.length, smtp: smtp.mails.length };
    const result = await testAlert(config, hook, 'nightly-backup', { now, event });
    expect(result.ok, result.lines.join('\n')).toBe(true);
    if (hook === 'command') {
      return `${readFileSync(join(dir.path, 'env.txt'), 'utf8')}\n${readFileSync(join(dir.path, 'stdin.json'), 'utf8')}`;
    }
    if (hook === 'email')
      return smtp.mails
        .slice(before.smtp)
        .map((m) => m.data)
        .join('\n');
    return http.received.slice(before.http).map(textOf).join('\n');
  }

  const kinds = Object.keys(hookKinds).filter((k) => k !== 'webhook');
  const cases = kinds.flatMap((kind) => events.map((event) => [kind, event] as const));

  it.each(cases)('%s: a %s test alert says test in its title and its body', async (kind, event) => {
    const text = await received(kind, event);
    expect(text).toContain(TITLE);
    expect(text).toContain(BODY);
  });

  it.each(events)(
    'command: a %s test alert sets OVERDUE_TEST=1 and "test": true',
    async (event) => {
      await received('command', event);
      expect(readFileSync(join(dir.path, 'env.txt'), 'utf8').split('\n')[0]).toBe('1');
      expect(JSON.parse(readFileSync(join(dir.path, 'stdin.json'), 'utf8'))).toMatchObject({
        test: true,
        monitor: { slug: 'nightly-backup', name: TITLE },
      });
    },
  );

  it.each(events)('webhook: a %s test alert is sent as JSON with "test": true', async (event) => {
    await received('webhook', event);
    expect(JSON.parse(http.received.at(-1)?.body ?? '')).toMatchObject({
      event,
      test: true,
      monitor: { slug: 'nightly-backup', name: TITLE },
    });
  });
});
