// Maps with known keys: unknown keys, missing keys and keys that exclude each other are problems.
import { isMap } from 'yaml';
import type { Node } from 'yaml';
import { isEmpty } from './walk-context.js';
import type { Ctx } from './walk-context.js';
import { didYouMean } from './did-you-mean.js';
import { join, keyOf, keyText, parseValue, wrongType } from './schema.js';
import type { Field, Fields, JsonObject, JsonValue, ObjectValue, Schema } from './schema.js';

export interface ObjectOptions<F extends Fields> {
  readonly description?: string;
  /** Exactly one of these keys must be present. */
  readonly exactlyOne?: readonly (keyof F & string)[];
  /** [key, other, message]: `key` may only be given together with `other`. */
  readonly onlyWith?: readonly (readonly [keyof F & string, keyof F & string, string])[];
}

export interface ObjectSchema<F extends Fields> extends Schema<ObjectValue<F>> {
  readonly fields: F;
}

/** A map with known keys; unknown keys are problems. An empty value is an empty map. */
export function object<F extends Fields>(
  fields: F,
  options: ObjectOptions<F> = {},
): ObjectSchema<F> {
  const known = new Map<string, Field<unknown>>(Object.entries(fields));
  return {
    fields,
    parse(node, at, path, ctx) {
      if (!isEmpty(node) && !isMap(node)) return wrongType(node, 'a map', path, ctx);
      const map = isMap(node) ? node : null;
      const out: Record<string, unknown> = {};
      for (const pair of map?.items ?? []) {
        const key = keyOf(pair.key, path, ctx);
        if (key === undefined) continue;
        const keyPath = join(path, key);
        const field = known.get(key);
        if (field === undefined) {
          ctx.problem(pair.key as Node, keyPath, unknownKey(key, known.keys()));
          continue;
        }
        if (key in out) {
          ctx.problem(pair.key as Node, keyPath, `duplicate key '${key}'`);
          continue;
        }
        out[key] = parseValue(field.schema, pair.value, pair.key as Node, keyPath, ctx);
      }
      checkPresence(known, options, map ?? at, path, ctx, out);
      return out as ObjectValue<F>;
    },
    json: () => objectJson(fields, options),
  };
}

function checkPresence<F extends Fields>(
  known: ReadonlyMap<string, Field<unknown>>,
  options: ObjectOptions<F>,
  where: Node,
  path: string,
  ctx: Ctx,
  out: Record<string, unknown>,
): void {
  for (const [key, field] of known) {
    if (key in out) continue;
    if (field.required) ctx.problem(where, path, `missing required key '${key}'`);
    else if (field.default !== undefined) out[key] = field.default.value;
  }
  // After a problem with the exclusive keys, onlyWith rules would only repeat it.
  if (!checkExactlyOne(options.exactlyOne ?? [], where, path, ctx, out)) return;
  for (const [key, other, message] of options.onlyWith ?? []) {
    if (!(key in out) || other in out) continue;
    ctx.problem(keyNodes(where, [key])[0] ?? where, join(path, key), message);
  }
}

function checkExactlyOne(
  one: readonly string[],
  where: Node,
  path: string,
  ctx: Ctx,
  out: Record<string, unknown>,
): boolean {
  if (one.length === 0) return true;
  const given = one.filter((key) => key in out);
  if (given.length === 0) {
    ctx.problem(where, path, `one of ${quoteList(one, 'or')} is required`);
    return false;
  }
  if (given.length === 1) return true;
  // At the second of the keys in the file: the first one reads as the intended one.
  const second = keyNodes(where, given)[1] ?? where;
  const key = keyText(second) ?? given[1] ?? '';
  ctx.problem(second, join(path, key), `use only one of ${quoteList(given, 'and')}`);
  return false;
}

/** The key nodes of `where` (a map) that are among `keys`, in file order. */
function keyNodes(where: Node, keys: readonly string[]): Node[] {
  if (!isMap(where)) return [];
  return where.items.filter((p) => keys.includes(keyText(p.key) ?? '')).map((p) => p.key as Node);
}

function objectJson<F extends Fields>(fields: F, options: ObjectOptions<F>): JsonObject {
  const properties: Record<string, JsonValue> = {};
  for (const [key, f] of Object.entries(fields)) {
    properties[key] = {
      ...f.schema.json(),
      description: f.description,
      ...(f.default === undefined ? {} : { default: f.default.json }),
    };
  }
  const requiredKeys = Object.entries(fields).filter(([, f]) => f.required);
  const dependent: Record<string, JsonValue> = {};
  for (const [key, other] of options.onlyWith ?? []) dependent[key] = [other];
  return {
    type: 'object',
    ...(options.description === undefined ? {} : { description: options.description }),
    properties,
    additionalProperties: false,
    ...(requiredKeys.length === 0 ? {} : { required: requiredKeys.map(([key]) => key) }),
    ...(options.exactlyOne === undefined
      ? {}
      : { oneOf: options.exactlyOne.map((key) => ({ required: [key] })) }),
    // draft-07's `dependencies`: yaml-language-server does not know 2019-09's dependentRequired.
    ...(Object.keys(dependent).length === 0 ? {} : { dependencies: dependent }),
  };
}

function unknownKey(key: string, known: Iterable<string>): string {
  if (key === '<<') {
    return 'YAML merge keys (<<) are not supported: use defaults, or an alias per value';
  }
  const names = [...known];
  const suggestion = didYouMean(key, names);
  if (suggestion !== null) return `unknown key '${key}' (did you mean '${suggestion}'?)`;
  return `unknown key '${key}' (expected one of: ${names.join(', ')})`;
}

function quoteList(keys: readonly string[], conjunction: string): string {
  const quoted = keys.map((k) => `'${k}'`);
  return quoted.length <= 2
    ? quoted.join(` ${conjunction} `)
    : `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted.at(-1) ?? ''}`;
}
