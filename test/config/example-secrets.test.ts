// The values config.example.yaml falls back on for its secrets are public: anyone who has read the
// example knows them. A config that uses one (a forgotten OVERDUE_PING_KEY) may run only where
// nobody else can reach it; elsewhere it is a problem, with the fix in the message.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SECRETS } from '../../src/config/example-secrets.js';
import { formatProblem, parseConfig } from '../../src/config/load-config.js';
import { doc } from './helpers.js';

const EXAMPLE = readFileSync('config.example.yaml', 'utf8');

/** `line:col` of the value written after `key: ` on the example's first line that has it. */
function valueAt(key: string): string {
  const lines = EXAMPLE.split('\n');
  const line = lines.findIndex((l) => l.trimStart().startsWith(`${key}: `));
  return `${line + 1}:${(lines[line] ?? '').indexOf(`${key}: `) + key.length + 3}`;
}
const PING_KEY = 'example-ping-key-change-me';
const TOPIC = 'overdue-example-change-me';

function problems(text: string, env: Record<string, string> = {}): string[] {
  const result = parseConfig(text, 'config.yaml', env);
  return result.ok ? [] : result.problems.map(formatProblem);
}

function warnings(text: string, env: Record<string, string> = {}): string[] {
  const result = parseConfig(text, 'config.yaml', env);
  return result.ok ? result.warnings.map(formatProblem) : [];
}

/** config.example.yaml with another listen address. */
const exampleOn = (listen: string) =>
  EXAMPLE.replace('listen: 127.0.0.1:8080', `listen: ${listen}`);

describe('the public values of config.example.yaml', () => {
  it('are listed in the code exactly as the example writes its ${VAR:-default} fallbacks', () => {
    const fallbacks = [...EXAMPLE.matchAll(/^\s*#?\s*([a-z-]+): .*\$\{[A-Z_]+:-([^}]*)\}/gm)]
      .filter(([, key]) => key !== 'data-dir')
      .map(([, , value]) => value);
    expect([...EXAMPLE_SECRETS].sort()).toEqual(fallbacks.sort());
  });

  it('refuse a server that listens on every interface, at each value, with the fix', () => {
    expect(
      problems(exampleOn('0.0.0.0:8080'), { OVERDUE_PING_KEY: 'a-real-ping-key-0123456789' }),
    ).toEqual([
      `config.yaml:${valueAt('topic')} hooks.phone.ntfy.topic: '${TOPIC}' is a public placeholder from config.example.yaml (NTFY_TOPIC is unset or empty): set NTFY_TOPIC to a value of your own; this server listens on 0.0.0.0:8080, where anyone who has read the example knows it (or listen on 127.0.0.1 only, to try overdue out)`,
      `config.yaml:${valueAt('url')} hooks.chat.webhook.url: 'https://chat.example.com/hooks/change-me' is a public placeholder from config.example.yaml (CHAT_HOOK_URL is unset or empty): set CHAT_HOOK_URL to a value of your own; this server listens on 0.0.0.0:8080, where anyone who has read the example knows it (or listen on 127.0.0.1 only, to try overdue out)`,
    ]);
  });

  it('refuse the example ping key on a server reachable from other hosts', () => {
    const text = doc('server:', '  listen: 8080', `  ping-key: \${OVERDUE_PING_KEY:-${PING_KEY}}`);
    expect(problems(text.replace('8080', "'[::]:8080'"))).toEqual([
      `config.yaml:3:13 server.ping-key: '${PING_KEY}' is a public placeholder from config.example.yaml (OVERDUE_PING_KEY is unset or empty): set OVERDUE_PING_KEY to a value of your own; this server listens on [::]:8080, where anyone who has read the example knows it (or listen on 127.0.0.1 only, to try overdue out)`,
    ]);
  });

  it('refuse a value written literally, or inside another value, saying to replace it', () => {
    const text = doc(
      'server:',
      '  listen: 0.0.0.0:8080',
      'hooks:',
      '  ops:',
      `    webhook: https://ntfy.sh/${TOPIC}`,
    );
    expect(problems(text)).toEqual([
      `config.yaml:5:14 hooks.ops.webhook: 'https://ntfy.sh/${TOPIC}' holds a public placeholder from config.example.yaml: replace it with a value of your own; this server listens on 0.0.0.0:8080, where anyone who has read the example knows it (or listen on 127.0.0.1 only, to try overdue out)`,
    ]);
  });

  it('refuse a loopback server that a proxy makes reachable (public-url or trust-proxy)', () => {
    const key = `  ping-key: \${OVERDUE_PING_KEY:-${PING_KEY}}`;
    const viaUrl = problems(doc('server:', key, '  public-url: https://hb.example.com'));
    expect(viaUrl).toHaveLength(1);
    expect(viaUrl[0]).toContain('; this server is reached at https://hb.example.com, where');
    const viaProxy = problems(doc('server:', key, '  trust-proxy: true'));
    expect(viaProxy).toHaveLength(1);
    expect(viaProxy[0]).toContain('; this server is behind a proxy (trust-proxy), where');
  });

  it('are allowed, as warnings, on a server that listens on loopback only', () => {
    expect(problems(EXAMPLE)).toEqual([]);
    expect(warnings(EXAMPLE)).toEqual([
      `config.yaml:${valueAt('ping-key')} server.ping-key: '${PING_KEY}' is a public placeholder from config.example.yaml (OVERDUE_PING_KEY is unset or empty): set OVERDUE_PING_KEY to a value of your own before this server is reachable from other hosts`,
      expect.stringContaining(`config.yaml:${valueAt('topic')} hooks.phone.ntfy.topic: '${TOPIC}'`),
      expect.stringContaining(`config.yaml:${valueAt('url')} hooks.chat.webhook.url: `),
    ]);
  });

  it('are not found once the environment sets every secret', () => {
    const env = {
      OVERDUE_PING_KEY: 'a-real-ping-key-0123456789',
      NTFY_TOPIC: 'a-real-topic',
      CHAT_HOOK_URL: 'https://chat.internal/hooks/a',
    };
    expect(problems(exampleOn('0.0.0.0:8080'), env)).toEqual([]);
    expect(warnings(EXAMPLE, env)).toEqual([]);
  });

  it('judge a reload by the address the daemon listens on, not the one the new file names', () => {
    const text = doc('server:', `  ping-key: \${OVERDUE_PING_KEY:-${PING_KEY}}`);
    const listening = { host: '0.0.0.0', port: 8080 };
    const result = parseConfig(text, 'config.yaml', {}, { listening });
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(['server.ping-key']);
  });
});
