// --env-file reads systemd's EnvironmentFile= syntax.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { parseEnvFile } from '../../src/cli/env-file.js';

describe('parseEnvFile', () => {
  it.each([
    ['KEY=value', { KEY: 'value' }],
    ['  KEY = value  ', { KEY: 'value' }],
    ['# a comment\n; another\n\nKEY=v', { KEY: 'v' }],
    ['KEY="two words"', { KEY: 'two words' }],
    ['KEY=\'a "quoted" $word\'', { KEY: 'a "quoted" $word' }],
    ['KEY="a \\"b\\" \\\\"', { KEY: 'a "b" \\' }],
    ['KEY=first \\\nsecond', { KEY: 'first second' }],
    ['KEY=', { KEY: '' }],
    ['KEY=a=b', { KEY: 'a=b' }],
    ['A=1\r\nB=2\r\n', { A: '1', B: '2' }],
  ])('reads %j', (text, vars) => {
    expect(parseEnvFile(text, 'secrets.env')).toEqual(vars);
  });

  it.each([['no equals sign'], ['KEY="unterminated'], ['1KEY=v']])(
    'refuses %j, naming the file and line',
    (text) => {
      expect(() => parseEnvFile(`# ok\n${text}`, 'secrets.env')).toThrow(UsageError);
      expect(() => parseEnvFile(`# ok\n${text}`, 'secrets.env')).toThrow(/^secrets\.env:2: /);
    },
  );
});
