// A small schema language: each schema validates a YAML node (reporting problems with positions)
// and describes itself as JSON Schema, so the validator and the published schema cannot drift.
import { Document, Scalar, isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { Ctx } from './walk-context.js';

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export interface Schema<T> {
  /**
   * The value of `node` (already past aliases; null when empty), or undefined when it is invalid,
   * in which case every problem found has been reported to ctx. `at` is where to report a problem
   * about an empty value: the key it belongs to.
   */
  parse(node: Node | null, at: Node, path: string, ctx: Ctx): T | undefined;
  json(): JsonObject;
}

export type SchemaValue<S> = S extends Schema<infer T> ? T : never;

export interface Field<T> {
  readonly schema: Schema<T>;
  readonly description: string;
  readonly required: boolean;
  /** The default as written in YAML (for JSON Schema) and as parsed (for the loader). */
  readonly default?: { readonly json: JsonValue; readonly value: T };
}

export type Fields = { readonly [key: string]: Field<unknown> };

/** Absent fields without a default, and invalid ones, are undefined. */
export type ObjectValue<F extends Fields> = {
  readonly [K in keyof F]: (F[K] extends Field<infer T> ? T : never) | undefined;
};

export function required<T>(schema: Schema<T>, description: string): Field<T> {
  return { schema, description, required: true };
}

export function optional<T>(schema: Schema<T>, description: string): Field<T> {
  return { schema, description, required: false };
}

/** `json` is the default as a user would write it; it goes through the schema like user input. */
export function withDefault<T>(schema: Schema<T>, json: JsonValue, description: string): Field<T> {
  const node = new Document(json).contents;
  const ctx = new Ctx({}, null);
  const value = schema.parse(node, new Scalar(null), 'default', ctx);
  if (value === undefined) throw new Error(`invalid default ${JSON.stringify(json)}`);
  return { schema, description, required: false, default: { json, value } };
}

/** The parsed default of a field declared withDefault. */
export function defaultOf<T>(field: Field<T>): T {
  if (field.default === undefined) throw new Error('field has no default');
  return field.default.value;
}

/**
 * The same fields, optional and without defaults: a monitor's own settings, which fall back to
 * those of `section` (`defaults`) when absent.
 */
export function withoutDefaults<F extends Fields>(fields: F, section: string): F {
  const out: Record<string, Field<unknown>> = {};
  for (const [key, f] of Object.entries(fields)) {
    const description = `${f.description} When absent: ${section}.${key}.`;
    out[key] = { schema: f.schema, description, required: false };
  }
  return out as F;
}

/** The same input as `schema`, turned into another value (undefined when a part was invalid). */
export function convert<T, U>(schema: Schema<T>, fn: (value: T) => U | undefined): Schema<U> {
  return {
    parse(node, at, path, ctx) {
      const value = schema.parse(node, at, path, ctx);
      return value === undefined ? undefined : fn(value);
    },
    json: () => schema.json(),
  };
}

/** Parses a value as found in a map or list: it may be an alias, or missing. */
export function parseValue<T>(
  schema: Schema<T>,
  raw: unknown,
  at: Node,
  path: string,
  ctx: Ctx,
): T | undefined {
  const node = ctx.deref(raw, path);
  return node === undefined ? undefined : schema.parse(node, at, path, ctx);
}

export function wrongType(node: Node | null, expected: string, path: string, ctx: Ctx): undefined {
  ctx.problem(node, path, `expected ${expected}, got ${describe(node)}`);
  return undefined;
}

function describe(node: Node | null): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node) || node.value === null) return 'nothing';
  const value = node.value;
  if (typeof value === 'string')
    return `'${value.length > 40 ? `${value.slice(0, 37)}...` : value}'`;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : 'a value';
}

/** A key as written: `123:` is the key '123', not a number. Undefined for complex keys. */
export function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const value = key.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return key.source ?? String(value);
  return undefined;
}

export function keyOf(key: unknown, path: string, ctx: Ctx): string | undefined {
  const text = keyText(key);
  if (text === undefined) ctx.problem(key as Node | null, path, 'keys must be plain names');
  return text;
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export interface Located<T> {
  readonly value: T;
  readonly node: Node;
  readonly path: string;
}

/** The value with where it was written, for checks that can only run once the whole file is read. */
export function located<T>(schema: Schema<T>): Schema<Located<T>> {
  return {
    parse(node, at, path, ctx) {
      const value = schema.parse(node, at, path, ctx);
      return value === undefined ? undefined : { value, node: node ?? at, path };
    },
    json: () => schema.json(),
  };
}
