import { describe, expect, it } from 'vitest';
import { configOf, doc, problemsOf } from './helpers.js';

describe('maintenance in the config', () => {
  it('gives a monitor its own windows, then the top level ones of every monitor and of its tags', () => {
    const config = configOf(
      doc(
        'maintenance:',
        "  - cron: '0 3 * * 0'",
        '    timezone: Europe/Berlin',
        '    for: 2h',
        '  - from: 2026-03-29T01:00',
        '    until: 2026-03-29T03:00',
        '    timezone: Europe/Berlin',
        '    tags: [db]',
        'monitors:',
        '  db-backup:',
        '    every: 1d',
        '    tags: [db]',
        '    maintenance:',
        '      - from: 2026-06-01T00:00Z',
        '        until: 2026-06-01T02:00+01:00',
        '  web:',
        '    every: 1h',
      ),
    );
    const weekly = { kind: 'cron', expr: '0 3 * * 0', timezone: 'Europe/Berlin', forMs: 7_200_000 };
    expect(config.monitors.get('db-backup')?.maintenance).toEqual([
      {
        kind: 'once',
        fromAt: Date.parse('2026-06-01T00:00Z'),
        untilAt: Date.parse('2026-06-01T01:00Z'),
      },
      weekly,
      {
        kind: 'once',
        fromAt: Date.parse('2026-03-29T00:00Z'),
        // 03:00 on the Berlin clock that day is CEST: the jump happened at 02:00.
        untilAt: Date.parse('2026-03-29T01:00Z'),
      },
    ]);
    expect(config.monitors.get('web')?.maintenance).toEqual([weekly]);
  });

  it.each([
    [
      'a cron window without its length',
      ["  - cron: '0 3 * * 0'"],
      ['config.yaml:2:5 maintenance[0].cron: a cron window needs for: its length, e.g. for: 2h'],
    ],
    [
      'both kinds in one entry',
      ["  - cron: '0 3 * * 0'", '    for: 1h', '    from: 2026-03-29T01:00'],
      ["config.yaml:4:5 maintenance[0].from: use only one of 'cron' and 'from'"],
    ],
    [
      'an invalid cron expression',
      ["  - cron: '0 3 * *'", '    for: 1h'],
      [expect.stringMatching(/^config\.yaml:2:11 maintenance\[0\]\.cron: invalid cron expression/)],
    ],
    [
      'until before from',
      ['  - from: 2026-03-29T03:00', '    until: 2026-03-29T01:00'],
      ['config.yaml:3:12 maintenance[0].until: until must be after from (2026-03-29T03:00)'],
    ],
    [
      'a date that does not exist',
      ['  - from: 2026-02-30T03:00', '    until: 2026-03-29T01:00'],
      [
        "config.yaml:2:11 maintenance[0].from: '2026-02-30T03:00' is not a date and time that exists",
      ],
    ],
    [
      'a misspelt key',
      ["  - cron: '0 3 * * 0'", '    fro: 1h'],
      expect.arrayContaining([
        expect.stringMatching(/^config\.yaml:3:5 maintenance\[0\]\.fro: unknown key 'fro'/),
      ]),
    ],
  ])('reports %s at its position', (_name, lines, expected) => {
    expect(problemsOf(doc('maintenance:', ...lines))).toEqual(expected);
  });
});
