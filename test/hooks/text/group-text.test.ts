import { describe, expect, it } from 'vitest';
import { groupTitle, listParts, mostUrgent } from '../../../src/hooks/text/group-text.js';
import type { AlertEvent } from '../../../src/core/types.js';
import { sampleAlert } from '../../helpers/alert.js';

const of = (...events: AlertEvent[]) => events.map((event) => sampleAlert({ event }));

describe('group text', () => {
  it.each([
    { events: ['down', 'down', 'down', 'down', 'down', 'up'], title: '5 monitors down, 1 up' },
    { events: ['up', 'late', 'down'], title: '1 monitor down, 1 late, 1 up' },
    {
      events: ['reminder', 'fail', 'start-overdue'],
      title: '1 monitor overdue, 1 failed again, 1 still down',
    },
    { events: ['up', 'up'], title: '2 monitors up' },
  ] as const)('titles $events as "$title"', ({ events, title }) => {
    expect(groupTitle(of(...events))).toBe(title);
  });

  it('takes the most urgent event for a part', () => {
    expect(mostUrgent(of('up', 'late', 'reminder'))).toBe('reminder');
    expect(mostUrgent(of('up', 'late'))).toBe('late');
  });

  it('lists every alert once, in order, one line each, a long one cut to the limit', () => {
    const alerts = Array.from({ length: 50 }, (_, i) => ({
      alert: sampleAlert({ transition_id: i }),
      title: `Job ${i} is down`,
      message: i === 7 ? 'x'.repeat(500) : `No ping.\nOutput: ${'o'.repeat(40)}`,
      url: `https://hb/monitors/job-${i}`,
    }));
    const parts = listParts(alerts, {
      limit: 200,
      separatorSize: 1,
      line: (text, url) => (url === null ? text : `${text} ${url}`),
      size: (l) => l.length,
    });
    const lines = parts.flatMap((p) => p.lines);
    expect(lines).toHaveLength(50);
    expect(lines[0]).toBe('🔴 Job 0 is down: No ping. https://hb/monitors/job-0');
    expect(lines[7]).toHaveLength(200);
    for (const p of parts) expect(p.lines.join('\n').length).toBeLessThanOrEqual(200);
    expect(parts.flatMap((p) => p.alerts.map((a) => a.transition_id))).toEqual(
      alerts.map((a) => a.alert.transition_id),
    );
  });
});
