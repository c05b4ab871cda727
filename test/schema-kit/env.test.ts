import { describe, expect, it } from 'vitest';
import { substituteEnv } from '../../src/schema-kit/env.js';
import { configOf, doc, problemsOf } from '../config/helpers.js';

const env = { HOST: 'db.internal', EMPTY: '', PORT: '5432' };

function substitute(text: string): { value: string; problems: string[] } {
  const problems: string[] = [];
  const value = substituteEnv(text, env, problems);
  return { value, problems };
}

describe('substituteEnv', () => {
  it.each([
    ['plain text', 'plain text'],
    ['${HOST}', 'db.internal'],
    ['${HOST}:${PORT}', 'db.internal:5432'],
    ['pre-${HOST}-post', 'pre-db.internal-post'],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${HOST:-fallback}', 'db.internal'],
    ['${UNSET:-}', ''],
    ['${EMPTY}', ''],
    ['$$', '$'],
    ['$${HOST}', '${HOST}'],
    ['$$$${HOST}', '$${HOST}'],
    ['$$${HOST}', '$db.internal'],
    ['echo $HOME', 'echo $HOME'],
    ['cost: 5$', 'cost: 5$'],
    ['${UNSET:-a:-b}', 'a:-b'],
  ])('turns %j into %j', (text, expected) => {
    expect(substitute(text)).toEqual({ value: expected, problems: [] });
  });

  it('reports an unset variable without a default, with the fix', () => {
    expect(substitute('${OVERDUE_PING_KEY}').problems).toEqual([
      'environment variable OVERDUE_PING_KEY is not set (export it, or pass the file that sets it with --env-file; only a value that is no secret may have a default: ${OVERDUE_PING_KEY:-default})',
    ]);
  });

  it('reports each unset variable of a value', () => {
    expect(substitute('${A}/${B}').problems).toHaveLength(2);
  });

  it.each([
    ['${HOST', "unterminated '${' (write $$ for a literal $)"],
    ['${}', "invalid variable reference '${}' (write ${NAME} or ${NAME:-default})"],
    ['${1X}', "invalid variable reference '${1X}' (write ${NAME} or ${NAME:-default})"],
    ['${A B}', "invalid variable reference '${A B}' (write ${NAME} or ${NAME:-default})"],
  ])('reports the malformed reference %j', (text, problem) => {
    expect(substitute(text).problems).toEqual([problem]);
  });
});

describe('environment variables in a config', () => {
  it('are replaced in string values', () => {
    const config = configOf(doc('server:', '  ping-key: ${KEY}'), { KEY: 'k'.repeat(20) });
    expect(config.server.pingKey).toBe('k'.repeat(20));
  });

  it('may give an integer or a boolean field its value', () => {
    const config = configOf(
      doc(
        'server:',
        '  body-limit: ${LIMIT:-10000}',
        '  keep-pings: ${KEEP}',
        '  trust-proxy: ${PROXY}',
      ),
      { KEEP: '50', PROXY: 'true' },
    );
    expect(config.server).toMatchObject({ bodyLimit: 10_000, keepPings: 50, trustProxy: true });
  });

  it('are reported at the scalar when unset', () => {
    expect(problemsOf(doc('server:', '  ping-key: ${OVERDUE_PING_KEY}'))).toEqual([
      'config.yaml:2:13 server.ping-key: environment variable OVERDUE_PING_KEY is not set (export it, or pass the file that sets it with --env-file; only a value that is no secret may have a default: ${OVERDUE_PING_KEY:-default})',
    ]);
  });

  it('are checked against the field after substitution', () => {
    expect(problemsOf(doc('server:', '  body-limit: ${LIMIT}'), { LIMIT: 'lots' })).toEqual([
      "config.yaml:2:15 server.body-limit: expected an integer, got 'lots'",
    ]);
  });

  it('leave a nullable field unset when empty', () => {
    const config = configOf(doc('server:', '  ping-key: ${OVERDUE_PING_KEY:-}'));
    expect(config.server.pingKey).toBeNull();
  });

  it('are not replaced in a $$-escaped shell command', () => {
    const config = configOf(doc('hooks:', '  log:', '    command: echo $${OVERDUE_MONITOR} $HOME'));
    expect(config.hooks.get('log')).toMatchObject({
      argv: ['sh', '-c', 'echo ${OVERDUE_MONITOR} $HOME'],
    });
  });
});
