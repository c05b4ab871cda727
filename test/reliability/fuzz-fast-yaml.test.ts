// The fast reader of large `monitors:` sections against yaml itself: for any text built from the
// pieces a config is made of (and some that are not), the fast reader either leaves the text to
// yaml or reads exactly what yaml reads. Seeded: FUZZ_SEED replays a run.
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LeftToYaml, readBlockMap } from '../../src/config/large-file/fast-yaml.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_121);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3_000);

/** What the fast reader makes of `text`, as plain values, or null when it leaves it to yaml. */
function fast(text: string): unknown {
  try {
    return readBlockMap(text, 0, text.length)?.toJSON() ?? null;
  } catch (error) {
    if (error instanceof LeftToYaml) return null;
    throw error;
  }
}

/**
 * yaml's reading, or undefined when yaml finds the text invalid. Duplicate keys are allowed here,
 * as in load-config.ts: the schema walk reports them.
 */
function slow(text: string): unknown {
  try {
    return parse(text, { uniqueKeys: false }) as unknown;
  } catch {
    return undefined;
  }
}

const key = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom(
      'every',
      'cron',
      'grace',
      'name',
      'notify',
      'tags',
      'job-1',
      'a b',
      'x:y',
      'k#',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("'q'", '"d"', '-k', '? k', '[k]') },
);
/** Values the fast reader reads itself, and values it must leave to yaml (or get exactly right). */
const plain = fc.constantFrom(
  '5m',
  '42',
  '-7',
  '+3',
  '007',
  'true',
  'False',
  'yes',
  'off',
  'null',
  '~',
  '',
  'Job 7',
  'a:b',
  'x#y',
  'x #y',
  "'it''s'",
  "'a # b'",
  '"Europe/Berlin"',
  "'*/15 * * * *'",
  '[ops, pager]',
  '[ "x", y ]',
  '[]',
  'trailing  ',
  'a: b',
  '*/15',
);
const exotic = fc.constantFrom(
  '1.5',
  '1e3',
  '0x1f',
  '0o17',
  '.inf',
  '.nan',
  '"x\\ty"',
  '&a 1',
  '*a',
  '!!str 1',
  '|',
  '>-',
  '[a, [b]]',
  '{ a: 1 }',
  '@x',
  '`x`',
  '%x',
  '- x',
  '? x',
  "'unterminated",
  '"unterminated',
);
const scalar = fc.oneof({ weight: 12, arbitrary: plain }, { weight: 1, arbitrary: exotic });
const comment = fc.constantFrom('', ' # note', '  #', '#x');

const noise = fc.constantFrom('', '# a comment', '  # indented comment', '   ', ' odd: indent');

/** One setting of a monitor: `key: value`, or `key:` with a block list under it. */
const setting = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(key, scalar, comment)
      .map(([k, v, c]) => [`  ${k}:${v === '' ? '' : ' '}${v}${c}`]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(key, fc.array(scalar, { minLength: 1, maxLength: 3 }))
      .map(([k, items]) => [`  ${k}:`, ...items.map((v) => `    - ${v}`)]),
  },
);

/** A monitors-like block map: slugs, each with a few settings, now and then a stray line. */
const section = fc
  .array(fc.tuple(key, fc.array(setting, { maxLength: 4 }), fc.option(noise, { freq: 5 })), {
    minLength: 1,
    maxLength: 5,
  })
  .map((monitors) =>
    monitors.flatMap(([slug, settings, stray]) => [
      `${slug}:`,
      ...settings.flat(),
      ...(stray === null ? [] : [stray]),
    ]),
  );

describe('the fast config reader', () => {
  it('reads any config-like text exactly as yaml does, or leaves it to yaml', () => {
    let read = 0;
    fc.assert(
      fc.property(section, (lines) => {
        const text = lines.join('\n') + '\n';
        const mine = fast(text);
        if (mine === null) return;
        read++;
        expect(mine).toEqual(slow(text));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(
      `fast-yaml differential: ${read} of ${RUNS} texts read fast, all as yaml reads them`,
    );
    // The property says nothing if the fast reader gave everything up.
    expect(read).toBeGreaterThan(RUNS / 10);
  });
});
