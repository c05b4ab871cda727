// The config loader under random input: it never throws, and every problem it reports has a
// position inside the text. Runs are seeded (FUZZ_SEED to replay; fast-check prints the seed and
// path of a failure).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_829);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const EXAMPLE = readFileSync('config.example.yaml', 'utf8');
const ENV = { OVERDUE_PING_KEY: 'fuzz-ping-key-0123456789', EMPTY: '', T: 'fuzz-token-0123456789' };

/** Parses and checks every problem's position; returns what was found, for statistics. */
function check(text: string, env: Record<string, string> = ENV): boolean {
  const result = parseConfig(text, 'fuzz.yaml', env);
  if (result.ok) return true;
  const lines = text.split('\n');
  expect(result.problems.length).toBeGreaterThan(0);
  for (const p of result.problems) {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.col).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lines.length);
    expect(p.col).toBeLessThanOrEqual((lines[p.line - 1] ?? '').length + 1);
    expect(typeof p.message).toBe('string');
    expect(p.message.length).toBeGreaterThan(0);
  }
  return false;
}

function run<T>(arb: fc.Arbitrary<T>, body: (value: T) => void, numRuns = RUNS): void {
  fc.assert(fc.property(arb, body), { seed: SEED, numRuns });
}

const YAML_CHARS = [...' \n\t:-[]{},#&*!|>\'"%@`?=~${}\\.0123456789abcdefmsyz_'];
const yamlish = fc.string({ unit: fc.constantFrom(...YAML_CHARS), maxLength: 300 });

/** One edit of a text: a deleted span, an inserted snippet, a duplicated or re-indented line. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('delete'), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('insert'),
    at: fc.nat(),
    text: yamlish.map((s) => s.slice(0, 30)),
  }),
  fc.record({ kind: fc.constant('line'), at: fc.nat(), indent: fc.integer({ min: -4, max: 4 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function apply(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % text.length;
  if (e.kind === 'delete') return text.slice(0, at) + text.slice(at + e.length);
  if (e.kind === 'insert') return text.slice(0, at) + e.text + text.slice(at);
  const lines = text.split('\n');
  const i = lines.length === 0 ? 0 : e.at % lines.length;
  const line = lines[i] ?? '';
  const moved = e.indent >= 0 ? ' '.repeat(e.indent) + line : line.replace(/^ {1,4}/, '');
  lines.splice(i, 0, moved);
  return lines.join('\n');
}

const KEYS = [
  'server',
  'listen',
  'data-dir',
  'ping-key',
  'api-token',
  'body-limit',
  'keep-pings',
  'trust-proxy',
  'public-url',
  'auto-provision',
  'enabled',
  'defaults',
  'hooks',
  'monitors',
  'command',
  'webhook',
  'url',
  'headers',
  'body',
  'events',
  'timeout',
  'ntfy',
  'topic',
  'telegram',
  'email',
  'every',
  'cron',
  'timezone',
  'grace',
  'max-runtime',
  'notify',
  'token',
  'name',
  'repeat',
  'alert-after',
  'wait-for-first-ping',
  'job',
  'ops',
  'down',
  'up',
];
const scalarValue = fc.oneof(
  fc.constantFrom(
    '5m',
    '0',
    '1h30m',
    '90',
    '${T}',
    '${MISSING}',
    '${EMPTY:-}',
    '$$',
    '0 2 * * *',
    '0 0 29 2 *',
    '@daily',
    'Europe/Berlin',
    'Mars/Olympus',
    'https://x.example',
    '{{status}}',
    '{{nope}}',
    '127.0.0.1:0',
    'fuzz-token-0123456789',
    '[ops]',
    'true',
    '~',
    '',
  ),
  fc.integer({ min: -2, max: 100_000 }),
  fc.boolean(),
  fc.constant(null),
  yamlish.map((s) => s.slice(0, 20)),
);
/** Trees made of the config's own keys, so that the walk gets deep into the schema. */
const tree: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((t) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarValue,
    fc.array(t('node'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), t('node'), { maxKeys: 5 }),
  ),
})).node;

describe('the config loader under random input', () => {
  it('returns positioned problems for random YAML-like text, never throwing', () => {
    run(yamlish, (text) => void check(text));
  });

  it('returns positioned problems for random edits of the example config', () => {
    run(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
      void check(edits.reduce(apply, EXAMPLE));
    });
  });

  it('returns positioned problems for random bytes, invalid UTF-8 included', () => {
    run(
      fc.uint8Array({ maxLength: 400 }),
      (bytes) => void check(Buffer.from(bytes).toString('utf8')),
    );
    run(fc.string({ unit: 'binary', maxLength: 200 }), (text) => void check(text));
  });

  it('returns positioned problems for random trees of config keys and values', () => {
    run(
      tree,
      (value) => void check(stringify({ server: { listen: '127.0.0.1:0' }, ...asMap(value) })),
    );
    run(
      fc.dictionary(fc.constantFrom(...KEYS), tree, { maxKeys: 6 }),
      (value) => void check(stringify(value)),
    );
  });

  it('returns positioned problems whatever the environment holds for ${VAR} references', () => {
    const value = fc.string({
      unit: fc.constantFrom(...YAML_CHARS, '\u00e9', '\u0000'),
      maxLength: 40,
    });
    const env = fc.record(
      { OVERDUE_PING_KEY: value, STATE_DIRECTORY: value, NTFY_TOPIC: value, CHAT_HOOK_URL: value },
      { requiredKeys: [] },
    );
    run(env, (e) => void check(EXAMPLE, e as Record<string, string>));
  });

  it('places problems after a token that spans lines on their own lines (found by this fuzzer)', () => {
    // yaml's LineCounter missed the newlines inside such a token: columns ran past their lines.
    const edits: Edit[] = [
      { kind: 'insert', at: 0, text: ' \\' },
      { kind: 'line', at: 438_430_462, indent: -1 },
      { kind: 'delete', at: 681_726_631, length: 4 },
    ];
    expect(check(edits.reduce(apply, EXAMPLE))).toBe(false);
  });

  it('accepts the example config the edits start from', () => {
    expect(check(EXAMPLE)).toBe(true);
  });
});

function asMap(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { monitors: { job: value } };
}
