import { describe, expect, it } from 'vitest';
import { configOf, doc } from './helpers.js';

function hookOf(...lines: string[]) {
  const config = configOf(doc('hooks:', '  h:', ...lines.map((l) => `    ${l}`)), { TOKEN: 't0k' });
  return config.hooks.get('h');
}

describe('hooks', () => {
  it('run a command given as a list of arguments, with a 30s timeout', () => {
    expect(hookOf('command: ["/usr/local/bin/page", "--team", "infra"]')).toEqual({
      kind: 'command',
      name: 'h',
      argv: ['/usr/local/bin/page', '--team', 'infra'],
      timeoutMs: 30_000,
    });
  });

  it('run a command given as a string with sh -c', () => {
    expect(hookOf(`command: 'echo "$OVERDUE_MONITOR is $OVERDUE_STATUS" >&2'`)).toMatchObject({
      argv: ['sh', '-c', 'echo "$OVERDUE_MONITOR is $OVERDUE_STATUS" >&2'],
    });
  });

  it('POST to a webhook given as a URL, with a 10s timeout', () => {
    expect(hookOf('webhook: https://example.com/hook')).toEqual({
      kind: 'webhook',
      name: 'h',
      url: 'https://example.com/hook',
      method: 'POST',
      headers: {},
      timeoutMs: 10_000,
    });
  });

  it('send a webhook given as a map with its method and headers', () => {
    expect(
      hookOf(
        'webhook: { url: "https://example.com/hook", method: PUT, headers: { Authorization: "Bearer ${TOKEN}" } }',
      ),
    ).toEqual({
      kind: 'webhook',
      name: 'h',
      url: 'https://example.com/hook',
      method: 'PUT',
      headers: { Authorization: 'Bearer t0k' },
      timeoutMs: 10_000,
    });
  });

  it('POST a webhook given as a map without a method', () => {
    expect(hookOf('webhook:', '  url: http://10.0.0.2:8080/alert')).toMatchObject({
      method: 'POST',
    });
  });

  it.each([
    ['command: [x]', 5_000],
    ['webhook: https://example.com', 5_000],
  ])('take their own timeout (%s)', (line, timeoutMs) => {
    expect(hookOf(line, 'timeout: 5s')).toMatchObject({ timeoutMs });
  });

  it('keep the order of the file', () => {
    const config = configOf(doc('hooks:', '  b:', '    command: [b]', '  a:', '    command: [a]'));
    expect([...config.hooks.keys()]).toEqual(['b', 'a']);
  });
});
