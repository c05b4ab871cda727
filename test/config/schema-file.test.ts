import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toJsonSchema } from '../../src/config/schema.js';

const committed = JSON.parse(readFileSync('config.schema.json', 'utf8')) as object;

describe('config.schema.json', () => {
  it('matches the schema generated from the validator (regenerate: node dist/main.js schema > config.schema.json)', () => {
    expect(committed).toEqual(toJsonSchema());
  });

  it('accepts config.example.yaml, as an editor would check it', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(committed);
    const example = parse(readFileSync('config.example.yaml', 'utf8')) as unknown;
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is referenced from config.example.yaml for yaml-language-server', () => {
    expect(readFileSync('config.example.yaml', 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./config.schema.json',
    );
  });
});
