// Collections: maps from names to values, lists, and values that take several shapes.
import { isMap, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { emptyAt, isEmpty } from './walk-context.js';
import { join, keyOf, parseValue, wrongType } from './schema.js';
import type { Schema } from './schema.js';

export interface KeyRule {
  /** What the keys are, for messages: `monitor slug`. */
  readonly noun: string;
  readonly pattern: RegExp;
  readonly maxLength: number;
  /** How a valid key looks, for messages. */
  readonly hint: string;
  /** Extra check of a key that matches: a problem message, or null when the key is fine. */
  readonly check?: (key: string) => string | null;
}

/**
 * A map from names to values of one schema, in file order. Entries with an invalid key or value
 * are left out (their problems reported). `defines` records the names for references.
 */
export function mapOf<T>(
  value: Schema<T>,
  rule: KeyRule,
  options: { readonly description: string; readonly defines?: string },
): Schema<ReadonlyMap<string, T>> {
  return {
    parse(node, _at, path, ctx) {
      if (!isEmpty(node) && !isMap(node)) return wrongType(node, 'a map', path, ctx);
      const out = new Map<string, T>();
      const seen = new Set<string>();
      for (const pair of isMap(node) ? node.items : []) {
        const key = keyOf(pair.key, path, ctx);
        if (key === undefined) continue;
        const keyPath = join(path, key);
        if (seen.has(key)) {
          ctx.problem(pair.key as Node, keyPath, `duplicate key '${key}'`);
          continue;
        }
        seen.add(key);
        if (!rule.pattern.test(key) || key.length > rule.maxLength) {
          ctx.problem(pair.key as Node, keyPath, `invalid ${rule.noun} '${key}' (${rule.hint})`);
          continue;
        }
        const problem = rule.check?.(key) ?? null;
        if (problem !== null) {
          ctx.problem(pair.key as Node, keyPath, problem);
          continue;
        }
        if (options.defines !== undefined) ctx.defineKey(options.defines, key);
        const v = parseValue(value, pair.value, pair.key as Node, keyPath, ctx);
        if (v !== undefined) out.set(key, v);
      }
      return out;
    },
    json: () => ({
      type: 'object',
      description: options.description,
      propertyNames: { pattern: rule.pattern.source, maxLength: rule.maxLength },
      additionalProperties: value.json(),
    }),
  };
}

/** A list; an empty value is an empty list. Invalid when any item is. */
export function list<T>(
  item: Schema<T>,
  options: { readonly minItems?: number; readonly uniqueItems?: boolean } = {},
): Schema<readonly T[]> {
  const minItems = options.minItems ?? 0;
  return {
    parse(node, at, path, ctx) {
      if (!isEmpty(node) && !isSeq(node)) return wrongType(node, 'a list', path, ctx);
      const items = isSeq(node) ? node.items : [];
      if (items.length < minItems) {
        ctx.problem(
          emptyAt(node, at),
          path,
          minItems === 1 ? 'must not be empty' : `needs ${minItems} items`,
        );
        return undefined;
      }
      const out: T[] = [];
      let ok = true;
      const seen = options.uniqueItems === true ? new Set<unknown>() : null;
      items.forEach((raw, i) => {
        const itemPath = `${path}[${i}]`;
        const v = parseValue(item, raw, node ?? at, itemPath, ctx);
        if (v === undefined) ok = false;
        else if (seen?.has(v) === true) {
          ctx.problem(raw as Node, itemPath, `${JSON.stringify(v)} is listed twice`);
          ok = false;
        } else {
          seen?.add(v);
          out.push(v);
        }
      });
      return ok ? out : undefined;
    },
    json: () => ({
      type: 'array',
      items: item.json(),
      ...(minItems === 0 ? {} : { minItems }),
      ...(options.uniqueItems === true ? { uniqueItems: true } : {}),
    }),
  };
}

/** One schema per shape of YAML node: a short scalar form and a long map form, say. */
export function byShape<T>(
  shapes: {
    readonly scalar?: Schema<T>;
    readonly list?: Schema<T>;
    readonly map?: Schema<T>;
  },
  expected: string,
): Schema<T> {
  return {
    parse(node, at, path, ctx) {
      const schema = isMap(node) ? shapes.map : isSeq(node) ? shapes.list : shapes.scalar;
      if (schema !== undefined && !isEmpty(node)) return schema.parse(node, at, path, ctx);
      if (isEmpty(node))
        ctx.problem(emptyAt(node, at), path, `missing value (expected ${expected})`);
      else return wrongType(node, expected, path, ctx);
      return undefined;
    },
    json: () => ({
      oneOf: [shapes.scalar, shapes.list, shapes.map].flatMap((s) => (s ? [s.json()] : [])),
    }),
  };
}
