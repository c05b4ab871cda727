// The editor schema and overdue's own validator judge values alike: a value the schema accepts is
// one `overdue check` accepts, and the other way round. Each value is put in a config; overdue
// parses it, and the committed JSON Schema (draft-07, as yaml-language-server checks it) validates
// the same YAML.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/duration.js';
import { doc, problemsOf } from './helpers.js';

const schema = JSON.parse(readFileSync('config.schema.json', 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

const YEAR_MS = 365 * 86_400_000;

/** Each setting: where it goes in a config, and its bound. */
const settings = {
  grace: { lines: (v: string) => ['monitors:', '  a:', '    every: 1h', `    grace: ${v}`] },
  every: { lines: (v: string) => ['monitors:', '  a:', `    every: ${v}`] },
  timeout: {
    lines: (v: string) => ['hooks:', '  h:', "    command: 'true'", `    timeout: ${v}`],
  },
};
type Setting = keyof typeof settings;

/** Whether overdue, and the schema, accept the config with `value` (YAML as written) there. */
function judge(setting: Setting, value: string): { overdue: boolean; schema: boolean } {
  const text = doc(...settings[setting].lines(value));
  return { overdue: problemsOf(text).length === 0, schema: validate(parse(text)) };
}

describe('the editor schema agrees with the validator', () => {
  it.each([
    ['grace', '0', true],
    ['grace', '"0"', true],
    ['grace', '0s', true],
    ['grace', '5', false],
    ['grace', '1h30m', true],
    ['grace', '500ms', true],
    ['every', '30m1h', false],
    ['every', '1m1m', false],
    ['every', '400d', false],
    ['every', '365d', true],
    ['every', '52w', true],
    ['every', '53w', false],
    ['every', '8761h', false],
    ['every', '0', false],
    ['every', '0s', false],
    ['every', '1h 30m', false],
    ['every', '1.5h', false],
    ['every', 'true', false],
    ['timeout', '1h', true],
    ['timeout', '61m', false],
    ['timeout', '3600000ms', true],
  ] as const)('%s: %s is %s for both', (setting, value, valid) => {
    expect(judge(setting, value)).toEqual({ overdue: valid, schema: valid });
  });

  // A pattern can check each unit against the bound, not add the units up: `364d25h` (more than
  // a year in all) is red only in `overdue check`. Such sums are left out of the comparison.
  const unitsAddUpPastBound = (value: string, maxMs: number) => {
    const ms = parseDuration(value);
    return ms !== null && ms > maxMs && (value.match(/[a-z]+/g) ?? []).length > 1;
  };

  const digits = fc.oneof(
    fc.nat({ max: 120 }).map(String),
    fc.nat({ max: 40_000_000 }).map(String),
    fc.constantFrom('0', '00', '052', '365', '366', '8760', '8761', '525601', '99999999999999999'),
  );
  const unit = fc.constantFrom('w', 'd', 'h', 'm', 's', 'ms', 'ms', 'x', '', ' ', '.5h');
  const durationText = fc
    .array(fc.tuple(digits, unit), { minLength: 0, maxLength: 4 })
    .map((parts) => parts.map(([n, u]) => `${n}${u}`).join(''));

  it.each([
    ['grace', YEAR_MS],
    ['every', YEAR_MS],
    ['timeout', 3_600_000],
  ] as const)('judges generated durations for %s alike', (setting, maxMs) => {
    fc.assert(
      fc.property(durationText, (value) => {
        fc.pre(!unitsAddUpPastBound(value, maxMs));
        const verdict = judge(setting, JSON.stringify(value));
        expect(verdict.schema, `${setting}: ${JSON.stringify(value)}`).toBe(verdict.overdue);
      }),
      { numRuns: 400 },
    );
  });
});
