import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/schema-kit/schema.js';
import { hook } from '../../src/hooks/registry.js';
import {
  configSchema,
  defaultsSchema,
  monitorSchema,
  serverSchema,
  toJsonSchema,
} from '../../src/config/schema.js';
import { doc, problemsOf } from './helpers.js';

type Json = { readonly [key: string]: JsonValue };

function at(value: JsonValue | undefined, ...path: string[]): Json {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node))
      throw new Error(`no ${key}`);
    node = (node as Json)[key];
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node))
    throw new Error(`not an object: ${path.join('.')}`);
  return node as Json;
}

const schema = toJsonSchema();
const monitorJson = at(schema, 'properties', 'monitors', 'additionalProperties');

describe('toJsonSchema', () => {
  it('declares draft-07, which yaml-language-server supports, and an $id URL', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toMatch(/^https:\/\/[^/]+\/.+\.json$/);
  });

  it('uses only draft-07 keywords', () => {
    const draft07 = new Set([
      '$schema',
      '$id',
      '$ref',
      '$comment',
      'title',
      'description',
      'default',
      'examples',
      'readOnly',
      'writeOnly',
      'type',
      'enum',
      'const',
      'multipleOf',
      'maximum',
      'exclusiveMaximum',
      'minimum',
      'exclusiveMinimum',
      'maxLength',
      'minLength',
      'pattern',
      'format',
      'contentMediaType',
      'contentEncoding',
      'items',
      'additionalItems',
      'maxItems',
      'minItems',
      'uniqueItems',
      'contains',
      'maxProperties',
      'minProperties',
      'required',
      'properties',
      'patternProperties',
      'additionalProperties',
      'dependencies',
      'propertyNames',
      'if',
      'then',
      'else',
      'allOf',
      'anyOf',
      'oneOf',
      'not',
      'definitions',
    ]);
    // Maps whose keys are names, not keywords.
    const named = new Set(['properties', 'patternProperties', 'dependencies', 'definitions']);
    const found = new Set<string>();
    const visit = (node: JsonValue): void => {
      if (Array.isArray(node)) return node.forEach((n) => visit(n as JsonValue));
      if (typeof node !== 'object' || node === null) return;
      for (const [key, child] of Object.entries(node as Json)) {
        found.add(key);
        if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples') continue;
        if (named.has(key) && typeof child === 'object' && child !== null && !Array.isArray(child))
          Object.values(child as Json).forEach(visit);
        else visit(child);
      }
    };
    visit(schema);
    expect([...found].filter((k) => !draft07.has(k))).toEqual([]);
  });

  it('survives a JSON round trip', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it.each([
    ['the file', configSchema.fields, schema],
    ['server', serverSchema.fields, at(schema, 'properties', 'server')],
    ['defaults', defaultsSchema.fields, at(schema, 'properties', 'defaults')],
    ['a monitor', monitorSchema.fields, monitorJson],
    ['a hook', hook.fields, at(schema, 'properties', 'hooks', 'additionalProperties')],
  ])('lists exactly the keys the validator knows for %s', (_name, fields, json) => {
    expect(Object.keys(at(json, 'properties'))).toEqual(Object.keys(fields));
    expect(json.additionalProperties).toBe(false);
  });

  it('lists only monitor keys the validator accepts', () => {
    for (const key of Object.keys(at(monitorJson, 'properties'))) {
      const problems = problemsOf(doc('monitors:', '  a:', `    ${key}: ~`));
      expect(problems.filter((p) => p.includes('unknown key'))).toEqual([]);
    }
  });

  it('describes every property', () => {
    const undescribed: string[] = [];
    const visit = (node: JsonValue, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      if (Array.isArray(node))
        return node.forEach((n, i) => visit(n as JsonValue, `${path}[${i}]`));
      const properties = (node as Json).properties;
      if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) {
        for (const [key, property] of Object.entries(properties as Json)) {
          if (typeof at(properties, key).description !== 'string')
            undescribed.push(`${path}.${key}`);
          visit(property, `${path}.${key}`);
        }
      }
      for (const [key, child] of Object.entries(node as Json))
        if (key !== 'properties') visit(child, path);
    };
    visit(schema, '');
    expect(undescribed).toEqual([]);
  });

  it('gives the defaults the loader applies, as a user would write them', () => {
    expect(at(schema, 'properties', 'server', 'properties', 'listen').default).toBe(
      '127.0.0.1:8080',
    );
    expect(at(schema, 'properties', 'server', 'properties', 'body-limit').default).toBe(10_000);
    expect(at(schema, 'properties', 'defaults', 'properties', 'grace').default).toBe('5m');
    expect(at(schema, 'properties', 'defaults', 'properties', 'timezone').default).toBe('UTC');
  });

  it('requires exactly one of every and cron in a monitor', () => {
    expect(monitorJson.oneOf).toEqual([{ required: ['every'] }, { required: ['cron'] }]);
    expect(monitorJson.dependencies).toEqual({ timezone: ['cron'] });
  });

  it('requires exactly one kind in a hook', () => {
    const hookJson = at(schema, 'properties', 'hooks', 'additionalProperties');
    const kinds = [
      'command',
      'webhook',
      'ntfy',
      'gotify',
      'telegram',
      'slack',
      'discord',
      'pushover',
      'matrix',
      'email',
    ];
    expect(hookJson.oneOf).toEqual(kinds.map((k) => ({ required: [k] })));
  });

  it('constrains monitor slugs with the pattern the validator uses', () => {
    const names = at(schema, 'properties', 'monitors', 'propertyNames');
    const pattern = new RegExp(typeof names.pattern === 'string' ? names.pattern : '^$');
    expect(['nightly-backup', 'a', '0day'].every((s) => pattern.test(s))).toBe(true);
    expect(['Nightly', '-x', 'a.b'].some((s) => pattern.test(s))).toBe(false);
  });
});
