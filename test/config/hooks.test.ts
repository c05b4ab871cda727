import { describe, expect, it } from 'vitest';
import type { WebhookHookConfig } from '../../src/hooks/webhook.js';
import { configOf, doc } from './helpers.js';

function hookOf(...lines: string[]) {
  const config = configOf(doc('hooks:', '  h:', ...lines.map((l) => `    ${l}`)), { TOKEN: 't0k' });
  return config.hooks.get('h');
}

/** A webhook's request for down alerts, with its templates as written. */
function downRequest(...lines: string[]) {
  const hook = hookOf(...lines) as WebhookHookConfig;
  const r = hook.requests.down;
  return {
    url: r.url.source,
    method: r.method,
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v.source])),
    body: r.body?.source ?? null,
    format: hook.format,
  };
}

describe('hooks', () => {
  it('run a command given as a list of arguments, with a 30s timeout', () => {
    expect(hookOf('command: ["/usr/local/bin/page", "--team", "infra"]')).toEqual({
      kind: 'command',
      name: 'h',
      argv: ['/usr/local/bin/page', '--team', 'infra'],
      env: {},
      timeoutMs: 30_000,
      publicUrl: null,
    });
  });

  it('run a command given as a string with sh -c', () => {
    expect(hookOf(`command: 'echo "$OVERDUE_MONITOR is $OVERDUE_STATUS" >&2'`)).toMatchObject({
      argv: ['sh', '-c', 'echo "$OVERDUE_MONITOR is $OVERDUE_STATUS" >&2'],
    });
  });

  it('know the public URL, for links', () => {
    const config = configOf(
      doc('server:', '  public-url: https://hb.example.com/', 'hooks:', '  h:', '    command: [x]'),
    );
    expect(config.hooks.get('h')).toMatchObject({ publicUrl: 'https://hb.example.com' });
  });

  it('POST to a webhook given as a URL, with a 10s timeout', () => {
    expect(hookOf('webhook: https://example.com/hook')).toMatchObject({
      kind: 'webhook',
      name: 'h',
      format: 'json',
      timeoutMs: 10_000,
    });
    expect(downRequest('webhook: https://example.com/hook')).toEqual({
      url: 'https://example.com/hook',
      method: 'POST',
      headers: {},
      body: null,
      format: 'json',
    });
  });

  it('send a webhook given as a map with its method and headers', () => {
    expect(
      downRequest(
        'webhook: { url: "https://example.com/hook", method: PUT, headers: { Authorization: "Bearer ${TOKEN}" } }',
      ),
    ).toEqual({
      url: 'https://example.com/hook',
      method: 'PUT',
      headers: { Authorization: 'Bearer t0k' },
      body: null,
      format: 'json',
    });
  });

  it('POST a webhook given as a map without a method', () => {
    expect(downRequest('webhook:', '  url: http://10.0.0.2:8080/alert')).toMatchObject({
      method: 'POST',
    });
  });

  it('take the body format from the content-type header when format is not given', () => {
    const form = ['  headers: { content-type: application/x-www-form-urlencoded }', '  body: a=1'];
    const text = ['  headers: { Content-Type: text/markdown }', '  body: "*{{status}}*"'];
    expect(downRequest('webhook:', '  url: https://x.example', ...form).format).toBe('form');
    expect(downRequest('webhook:', '  url: https://x.example', ...text).format).toBe('text');
  });

  it('apply per-event overrides, kinds of down falling back to down', () => {
    const hook = hookOf(
      'webhook:',
      '  url: https://example.com/all',
      '  headers: { X-A: a, X-B: b }',
      '  events:',
      '    down: { url: "https://example.com/down", headers: { x-a: A } }',
      '    late: { method: PUT, body: "{}" }',
    ) as WebhookHookConfig;
    const { down, fail, reminder, late, up } = hook.requests;
    expect(down.url.source).toBe('https://example.com/down');
    expect(Object.keys(down.headers)).toEqual(['X-B', 'x-a']);
    expect([fail.url.source, reminder.url.source]).toEqual([down.url.source, down.url.source]);
    expect([late.method, late.url.source, late.body?.source]).toEqual([
      'PUT',
      'https://example.com/all',
      '{}',
    ]);
    expect([up.url.source, up.body]).toEqual(['https://example.com/all', null]);
  });

  it.each([
    ['command: [x]', 5_000],
    ['webhook: https://example.com', 5_000],
    ['email: { sendmail: /usr/sbin/sendmail, from: a@b.c, to: d@e.f }', 5_000],
  ])('take their own timeout (%s)', (line, timeoutMs) => {
    expect(hookOf(line, 'timeout: 5s')).toMatchObject({ timeoutMs });
  });

  it('keep the order of the file', () => {
    const config = configOf(doc('hooks:', '  b:', '    command: [b]', '  a:', '    command: [a]'));
    expect([...config.hooks.keys()]).toEqual(['b', 'a']);
  });
});
