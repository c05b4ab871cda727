import { describe, expect, it } from 'vitest';
import { configOf, doc, problemsOf } from './helpers.js';

describe('alert policy keys', () => {
  it('alerts on down and recovery, after the first failure, without reminders by default', () => {
    const m = configOf(doc('monitors:', '  job:', '    every: 5m')).monitors.get('job');
    expect(m?.policy).toEqual({ events: new Set(['down', 'up']), alertAfter: 1, repeatMs: null });
  });

  it('takes events, alert-after and repeat from the monitor, then from defaults', () => {
    const config = configOf(
      doc(
        'defaults:',
        '  events: [down, up, fail]',
        '  repeat: 1h',
        'monitors:',
        '  a:',
        '    every: 5m',
        '  b:',
        '    every: 5m',
        '    events: [late, start-overdue]',
        '    alert-after: 3',
        '    repeat: 30m',
      ),
    );
    expect(config.monitors.get('a')?.policy).toEqual({
      events: new Set(['down', 'up', 'fail']),
      alertAfter: 1,
      repeatMs: 3_600_000,
    });
    expect(config.monitors.get('b')?.policy).toEqual({
      events: new Set(['late', 'start-overdue']),
      alertAfter: 3,
      repeatMs: 1_800_000,
    });
  });

  it('reports an unknown event, an alert-after below 1 and a bad repeat with their positions', () => {
    const problems = problemsOf(
      doc(
        'monitors:',
        '  job:',
        '    every: 5m',
        '    events: [down, sideways]',
        '    alert-after: 0',
        '    repeat: often',
      ),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/:4:\d+ monitors\.job\.events\[1\]: /);
    expect(problems[1]).toMatch(/:5:\d+ monitors\.job\.alert-after: /);
    expect(problems[2]).toMatch(/:6:\d+ monitors\.job\.repeat: /);
  });
});
