// Grouped alerts through ntfy, Gotify and Pushover against a real local receiver: one message
// listing the alerts, split into as few as the service's limit allows, every monitor named once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hookOf } from '../../helpers/alert.js';
import { Receiver } from '../../helpers/receiver.js';
import { manyAlerts, nameCounts, namesInOrder } from './group-alerts.js';

const publicUrl = 'https://hb.example.com';

describe('grouped push presets', () => {
  let receiver: Receiver;
  beforeAll(async () => (receiver = await new Receiver().start()));
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.mode = 200;
  });
  const json = () => receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);

  const presets = {
    ntfy: {
      hook: () => hookOf(['ntfy:', `  url: ${receiver.url}`, '  topic: jobs'], { publicUrl }),
      messages: () => json().map((b) => ({ title: String(b.title), message: String(b.message) })),
      withinLimit: (m: { title: string; message: string }) =>
        Buffer.byteLength(m.message) <= 4_096 && m.title.length <= 250,
      requestsFor500: 17,
    },
    gotify: {
      hook: () => hookOf(['gotify:', `  url: ${receiver.url}`, '  token: AbC'], { publicUrl }),
      messages: () => json().map((b) => ({ title: String(b.title), message: String(b.message) })),
      withinLimit: (m: { message: string }) => Buffer.byteLength(m.message) <= 65_535,
      requestsFor500: 2,
    },
    pushover: {
      hook: () =>
        hookOf(['pushover:', '  user: u1', '  token: t1', `  api-url: ${receiver.url}`], {
          publicUrl,
        }),
      messages: () =>
        receiver.received.map((r) => {
          const form = new URLSearchParams(r.body);
          return { title: form.get('title') ?? '', message: form.get('message') ?? '' };
        }),
      withinLimit: (m: { title: string; message: string }) =>
        m.message.length <= 1_024 && m.title.length <= 250,
      requestsFor500: 72,
    },
  };

  describe.each(Object.entries(presets))('%s', (_name, preset) => {
    it.each([
      { count: 1, requests: 1 },
      { count: 3, requests: 1 },
      { count: 500, requests: preset.requestsFor500 },
    ])(
      'sends $count alerts in $requests request(s), each within the limit, naming every monitor once',
      async ({ count, requests }) => {
        const result = await preset.hook().deliverGroup?.(manyAlerts(count));
        expect(result).toMatchObject({ ok: true });
        expect(receiver.received).toHaveLength(requests);
        const messages = preset.messages();
        for (const m of messages) expect(preset.withinLimit(m)).toBe(true);
        // A group of one is sent as the alert alone, which names its monitor in the title.
        const texts = messages.map((m) => `${m.title}\n${m.message}`);
        expect(nameCounts(texts, count)).toEqual(Array(count).fill(1));
        expect(namesInOrder(texts, count)).toBe(true);
      },
    );
  });

  it('titles a group by its counts and numbers its parts', async () => {
    await presets.ntfy.hook().deliverGroup?.(manyAlerts(500));
    const titles = presets.ntfy.messages().map((m) => m.title);
    expect(titles[0]).toBe('390 monitors down, 39 late, 71 up (1/17)');
    expect(titles.at(-1)).toBe('390 monitors down, 39 late, 71 up (17/17)');
  });

  it('sends a group at the priority of its most urgent alert, with a link to each monitor', async () => {
    await presets.ntfy.hook().deliverGroup?.(manyAlerts(3));
    expect(json()[0]).toMatchObject({
      title: '3 monitors down',
      priority: 4,
      tags: ['rotating_light'],
      click: publicUrl,
    });
    expect(String(json()[0]?.message).split('\n')[0]).toBe(
      '🔴 Job 0001 is down: No ping by 2026-05-01 02:00:00 UTC. Last ping: 2026-04-30 02:00:05 UTC. https://hb.example.com/monitors/job-1',
    );
  });

  it('cuts a line longer than the limit by bytes instead of dropping it', async () => {
    const hook = hookOf(
      [
        'ntfy:',
        `  url: ${receiver.url}`,
        '  topic: jobs',
        '  title: "{{monitor.name}} é{{ping.output}}"',
      ],
      { publicUrl },
    );
    const alerts = manyAlerts(3).map((a, i) =>
      i === 1
        ? {
            ...a,
            ping: {
              at: a.at,
              kind: 'fail',
              exit_status: 1,
              output: 'é'.repeat(5_000),
              duration_ms: null,
              value: null,
            },
          }
        : a,
    );
    expect(await hook.deliverGroup?.(alerts)).toMatchObject({ ok: true });
    const messages = presets.ntfy.messages().map((m) => m.message);
    expect(messages).toHaveLength(3);
    expect(Buffer.byteLength(messages[1] ?? '')).toBeGreaterThan(4_090);
    expect(Buffer.byteLength(messages[1] ?? '')).toBeLessThanOrEqual(4_096);
    expect(messages[1]).toMatch(/^🔴 Job 0002 éé+… https:\/\/hb.example.com\/monitors\/job-2$/);
  });

  it('stops at the first part that fails, and that failure is the result', async () => {
    receiver.mode = 503;
    const result = await presets.pushover.hook().deliverGroup?.(manyAlerts(500));
    expect(receiver.received).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, permanent: false, statusCode: 503 });
    expect(result?.error).toBe('part 1 of 72: HTTP 503');
  });
});
