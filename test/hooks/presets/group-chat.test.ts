// Grouped alerts through Telegram, Slack, Discord and Matrix against a real local receiver: one
// message listing the alerts in the service's markup, split into as few as its limits allow,
// counted as the service counts (text after markup, escaped text, JSON bytes).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hookOf } from '../../helpers/alert.js';
import { Receiver } from '../../helpers/receiver.js';
import { manyAlerts, nameCounts, namesInOrder } from './group-alerts.js';

const publicUrl = 'https://hb.example.com';

interface Sent {
  /** What people read, for finding the monitors' names. */
  readonly text: string;
  readonly withinLimit: boolean;
}

/** Telegram's count: the text after its HTML is parsed. */
function visible(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

const sum = (ns: readonly number[]) => ns.reduce((a, b) => a + b, 0);

describe('grouped chat presets', () => {
  let receiver: Receiver;
  beforeAll(async () => (receiver = await new Receiver().start()));
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.mode = 200;
  });
  const bodies = () => receiver.received.map((r) => JSON.parse(r.body) as unknown);

  const telegram = () =>
    hookOf(['telegram:', '  bot-token: "1:A"', '  chat-id: 42', `  api-url: ${receiver.url}`], {
      publicUrl,
    });
  const matrix = () =>
    hookOf(
      [
        'matrix:',
        `  homeserver: ${receiver.url}`,
        '  access-token: syt',
        '  room-id: "!r:example.org"',
      ],
      { publicUrl },
    );

  const presets = {
    telegram: {
      hook: telegram,
      sent: (b: { text: string }): Sent => {
        const text = visible(b.text);
        return { text, withinLimit: text.length <= 4_096 };
      },
      requestsFor500: 13,
    },
    slack: {
      hook: () => hookOf(['slack:', `  url: ${receiver.url}/services/T/B/x`], { publicUrl }),
      sent: (b: {
        text: string;
        attachments: { blocks: { text?: { text: string } }[] }[];
      }): Sent => {
        const blocks = b.attachments[0]?.blocks ?? [];
        const sections = blocks.map((s) => s.text?.text ?? '');
        return {
          // The names are in the sections; the notification text only counts them.
          text: sections.join('\n'),
          withinLimit:
            blocks.length <= 50 &&
            sections.every((s) => s.length <= 3_000) &&
            sum(sections.map((s) => s.length)) <= 12_000,
        };
      },
      requestsFor500: 8,
    },
    discord: {
      hook: () => hookOf(['discord:', `  url: ${receiver.url}/api/webhooks/1/t`], { publicUrl }),
      sent: (b: { content: string; embeds: { description: string }[] }): Sent => {
        const descriptions = b.embeds.map((e) => e.description);
        return {
          text: [b.content, ...descriptions].join('\n'),
          withinLimit:
            b.content.length <= 2_000 &&
            b.embeds.length <= 10 &&
            descriptions.every((d) => d.length <= 4_096) &&
            sum(descriptions.map((d) => d.length)) <= 6_000,
        };
      },
      requestsFor500: 12,
    },
    matrix: {
      hook: matrix,
      sent: (b: { body: string }): Sent => ({
        text: b.body,
        // The event's content, with room under 65 536 bytes for what the server adds.
        withinLimit: Buffer.byteLength(JSON.stringify(b)) <= 61_000,
      }),
      requestsFor500: 3,
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
        expect(await preset.hook().deliverGroup?.(manyAlerts(count))).toMatchObject({ ok: true });
        expect(receiver.received).toHaveLength(requests);
        const sent = bodies().map((b) => preset.sent(b as never));
        for (const s of sent) expect(s.withinLimit).toBe(true);
        const texts = sent.map((s) => s.text);
        expect(nameCounts(texts, count)).toEqual(Array(count).fill(1));
        expect(namesInOrder(texts, count)).toBe(true);
      },
    );
  });

  it('writes a Telegram list in HTML, values escaped, a link per monitor', async () => {
    await telegram().deliverGroup?.(manyAlerts(5));
    const { text } = bodies()[0] as { text: string };
    expect(text.split('\n').slice(0, 2)).toEqual([
      '<b>🔴 5 monitors down</b>',
      '🔴 Job 0001 is down: No ping by 2026-05-01 02:00:00 UTC. Last ping: 2026-04-30 02:00:05 UTC. <a href="https://hb.example.com/monitors/job-1">open</a>',
    ]);
    expect(text).toContain('🔴 Job 0005 &lt;db&gt; &amp; *co* is down:');
  });

  it('cuts a Telegram line longer than a message to fit, keeping its link', async () => {
    const hook = hookOf(
      [
        'telegram:',
        '  bot-token: "1:A"',
        '  chat-id: 42',
        `  api-url: ${receiver.url}`,
        '  title: "{{monitor.name}} {{ping.output}}"',
      ],
      { publicUrl },
    );
    const output = '<'.repeat(9_000);
    const alerts = manyAlerts(2).map((a, i) =>
      i === 0
        ? {
            ...a,
            ping: {
              at: a.at,
              kind: 'fail',
              exit_status: 1,
              output,
              duration_ms: null,
              value: null,
            },
          }
        : a,
    );
    expect(await hook.deliverGroup?.(alerts)).toMatchObject({ ok: true });
    const texts = bodies().map((b) => visible((b as { text: string }).text));
    expect(texts).toHaveLength(2);
    expect(texts[0]?.length).toBe(4_096);
    expect(texts[0]).toMatch(/\n🔴 Job 0001 <+… open$/);
    expect(texts[1]).toContain('Job 0002');
  });

  it('puts each Matrix part with a transaction id of its own, the same when retried', async () => {
    const hook = matrix();
    const alerts = manyAlerts(500);
    await hook.deliverGroup?.(alerts);
    await hook.deliverGroup?.(alerts);
    const urls = receiver.received.map((r) => r.url);
    expect(urls).toHaveLength(6);
    expect(new Set(urls.slice(0, 3)).size).toBe(3);
    expect(urls.slice(3)).toEqual(urls.slice(0, 3));
  });
});
