// Scalar schemas. Every string value goes through ${VAR} substitution first, so an integer or a
// boolean may be written as `${LIMIT:-10000}`.
import { isScalar } from 'yaml';
import { emptyAt, isEmpty } from './walk-context.js';
import { wrongType } from './schema.js';
import type { JsonObject, Schema } from './schema.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { substituteEnv } from './env.js';

/** A conversion failure; a class so that it can never be mistaken for a converted value. */
export class Invalid {
  constructor(readonly message: string) {}
}

/** Matches a value that contains a ${VAR} reference: JSON Schema cannot check it any further. */
const envReference = '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}';
const envString: JsonObject = { type: 'string', pattern: envReference };

export interface ScalarSpec<T> {
  /** What a value must be, for `expected ..., got ...` messages. */
  readonly expected: string;
  readonly json: JsonObject;
  /** `value` is past ${VAR} substitution; `source` is a number or boolean as written. */
  convert(value: string | number | boolean, source: string): T | Invalid;
}

export function scalar<T>(spec: ScalarSpec<T>): Schema<T> {
  return {
    parse(node, at, path, ctx) {
      if (isEmpty(node)) {
        ctx.problem(emptyAt(node, at), path, `missing value (expected ${spec.expected})`);
        return undefined;
      }
      if (!isScalar(node)) return wrongType(node, spec.expected, path, ctx);
      const raw = node.value;
      let value: string | number | boolean;
      if (typeof raw === 'string') {
        const problems: string[] = [];
        value = substituteEnv(raw, ctx.env, problems);
        for (const message of problems) ctx.problem(node, path, message);
        if (problems.length > 0) return undefined;
        ctx.checkValue(node, path, value, raw);
      } else if (typeof raw === 'number' || typeof raw === 'boolean') {
        value = raw;
      } else {
        return wrongType(node, spec.expected, path, ctx);
      }
      const result = spec.convert(value, node.source ?? String(value));
      if (!(result instanceof Invalid)) return result;
      ctx.problem(node, path, result.message);
      return undefined;
    },
    json: () => spec.json,
  };
}

export interface StringOptions {
  readonly allowEmpty?: boolean;
  readonly pattern?: RegExp;
  /** The message when `pattern` does not match. */
  readonly hint?: string;
  /** Extra check after the pattern: a problem message, or null when the value is fine. */
  readonly check?: (s: string) => string | null;
  /** The value names a key defined by mapOf(..., { defines: refers }). */
  readonly refers?: string;
  /** No two values in this group may be equal (secrets: values never appear in messages). */
  readonly unique?: string;
  readonly json?: JsonObject;
}

/**
 * A non-empty string. A number or boolean is taken as written (`name: 2024`), since YAML would
 * otherwise turn innocent values into types nobody meant.
 */
export function string(options: StringOptions = {}): Schema<string> {
  const { pattern, hint, check, refers, unique } = options;
  const inner = scalar<string>({
    expected: 'a string',
    json: {
      type: 'string',
      ...(options.allowEmpty === true ? {} : { minLength: 1 }),
      ...(pattern === undefined ? {} : { pattern: `${pattern.source}|${envReference}` }),
      ...options.json,
    },
    convert(value, source) {
      const s = typeof value === 'string' ? value : source;
      if (s === '' && options.allowEmpty !== true) return new Invalid('must not be empty');
      if (pattern !== undefined && !pattern.test(s)) {
        return new Invalid(hint ?? `must match ${pattern.source}`);
      }
      const problem = check?.(s) ?? null;
      return problem === null ? s : new Invalid(problem);
    },
  });
  return {
    parse(node, at, path, ctx) {
      const value = inner.parse(node, at, path, ctx);
      if (value === undefined || node === null) return value;
      if (refers !== undefined) ctx.refer(refers, value, node, path);
      if (unique !== undefined && !ctx.claimUnique(unique, value, node, path)) return undefined;
      return value;
    },
    json: () => inner.json(),
  };
}

/** Absent: null, `~`, or a string that is empty after substitution (`${KEY:-}`). */
export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  return {
    parse(node, at, path, ctx) {
      if (isEmpty(node)) return null;
      if (isScalar(node) && typeof node.value === 'string') {
        const problems: string[] = [];
        const value = substituteEnv(node.value, ctx.env, problems);
        if (value === '' && problems.length === 0) return null;
      }
      return schema.parse(node, at, path, ctx);
    },
    json: () => ({ anyOf: [schema.json(), { type: 'null' }, { const: '' }] }),
  };
}

export function integer(range: { readonly min: number; readonly max?: number }): Schema<number> {
  const { min, max = Number.MAX_SAFE_INTEGER } = range;
  const maximum = range.max === undefined ? {} : { maximum: range.max };
  return scalar({
    expected: 'an integer',
    json: { anyOf: [{ type: 'integer', minimum: min, ...maximum }, envString] },
    convert(value) {
      const n = typeof value === 'string' && /^[+-]?\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        return new Invalid(`expected an integer, got '${String(value)}'`);
      }
      if (n < min) return new Invalid(`must be at least ${min}`);
      return n > max ? new Invalid(`must be at most ${max}`) : n;
    },
  });
}

export function boolean(): Schema<boolean> {
  return scalar({
    expected: 'true or false',
    json: { anyOf: [{ type: 'boolean' }, envString] },
    convert(value) {
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return new Invalid(`expected true or false, got '${String(value)}'`);
    },
  });
}

export function oneOfValues<const V extends string>(values: readonly V[]): Schema<V> {
  const expected = `one of ${values.join(', ')}`;
  return scalar({
    expected,
    json: { enum: values },
    convert(value, source) {
      const s = typeof value === 'string' ? value : source;
      return (values as readonly string[]).includes(s)
        ? (s as V)
        : new Invalid(`expected ${expected}, got '${s}'`);
    },
  });
}

const durationExample = 'like 90s, 5m or 1h30m';

interface DurationRange {
  readonly min?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Inclusive; at most (and by default) MAX_DURATION_MS. */
  readonly max?: number;
}

/**
 * The longest duration any setting takes: a year. Without a bound, `grace: 100000000d` was valid
 * and put the monitor's deadline past the last date JavaScript can show (year 275760), so every
 * page listing it failed; no schedule needs more than a year of grace, runtime or reminder gap.
 */
export const MAX_DURATION_MS = 365 * 86_400_000;

/** Milliseconds, written with units. `above` is exclusive, `min` and `max` inclusive. */
export function duration(range: DurationRange): Schema<number> {
  const bounded = { ...range, max: Math.min(range.max ?? MAX_DURATION_MS, MAX_DURATION_MS) };
  return scalar({
    expected: `a duration ${durationExample}`,
    json: durationJson(bounded),
    convert(value) {
      const text = String(value);
      const ms = typeof value === 'boolean' ? null : parseDuration(text);
      if (ms !== null) return checkRange(ms, bounded) ?? ms;
      if (/^\d+(\.\d+)?$/.test(text)) {
        return new Invalid(
          `'${text}' has no unit: write a duration with a unit, like ${text}s or ${text}m`,
        );
      }
      return new Invalid(
        `invalid duration '${text}': write numbers with units (ms, s, m, h, d, w), ${durationExample}`,
      );
    },
  });
}

function checkRange(ms: number, { min, above, max }: DurationRange): Invalid | null {
  if (above !== undefined && ms <= above) {
    return new Invalid(`must be longer than ${formatDuration(above)}`);
  }
  if (min !== undefined && ms < min) return new Invalid(`must be at least ${formatDuration(min)}`);
  if (max !== undefined && ms > max) return new Invalid(`must be at most ${formatDuration(max)}`);
  return null;
}

// Units largest first, as parseDuration requires them (`ms` last: `5m` must not eat `5ms`).
const UNITS: readonly (readonly [unit: string, ms: number])[] = [
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/**
 * The JSON Schema of a duration in `range`, agreeing with parseDuration and checkRange: units
 * largest first and each at most once; no unit's number past the bound (`400d`); at least one
 * non-zero digit when zero is excluded; a bare `0` (or YAML's number 0) when it is allowed. A
 * pattern cannot add units up, so a sum past the bound (`364d25h`) is left to `overdue check`.
 */
function durationJson({ min, above, max }: DurationRange): JsonObject {
  const zeroAllowed = above === undefined && (min === undefined || min <= 0);
  const units = UNITS.map(([unit, ms]) => {
    const most = max === undefined ? null : Math.floor(max / ms);
    return `(?:0*${most === null ? '[0-9]+' : upTo(most)}${unit})?`;
  }).join('');
  const nonZero = zeroAllowed ? '' : '(?=[^1-9]*[1-9])';
  const pattern = `^(?:${zeroAllowed ? '0|' : ''}(?=[0-9])${nonZero}${units})$`;
  const text: JsonObject = { type: 'string', pattern: `${pattern}|${envReference}` };
  return zeroAllowed ? { anyOf: [text, { const: 0 }] } : text;
}

/** A regular expression for the whole numbers 0 to `n` (leading zeros are matched before it). */
function upTo(n: number): string {
  const digits = String(n);
  const k = digits.length;
  const options = k > 1 ? [`[0-9]{1,${k - 1}}`] : [];
  for (let i = 0; i < k; i++) {
    const d = Number(digits[i]);
    if (d === 0) continue;
    const lower = d === 1 ? '0' : `[0-${d - 1}]`;
    const rest = k - i - 1;
    options.push(`${digits.slice(0, i)}${lower}${rest > 0 ? `[0-9]{${rest}}` : ''}`);
  }
  options.push(digits);
  return `(?:${options.join('|')})`;
}
