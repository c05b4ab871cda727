// Telegram, Slack, Discord and Matrix against a real local receiver: the exact requests the
// services document.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hookOf, sampleAlert, samplePing, sampleRecovery } from '../../helpers/alert.js';
import { Receiver } from '../../helpers/receiver.js';

const publicUrl = 'https://hb.example.com';
const link = 'https://hb.example.com/monitors/nightly-backup';
const failure = sampleAlert({
  reason: 'fail',
  monitor: { slug: 'nightly-backup', name: 'Backup <db> & co' },
  ping: samplePing({ output: 'error: a < b', duration_ms: null }),
});
const failureText =
  'The job reported a failure with exit status 2 at 2026-05-01 02:10:00 UTC.\n\nOutput:\nerror: a < b';

describe('chat presets', () => {
  let receiver: Receiver;
  beforeAll(async () => (receiver = await new Receiver().start()));
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.mode = 200;
    receiver.answerBody = '';
    receiver.answerHeaders = {};
  });
  const only = () => {
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    if (request === undefined) throw new Error('nothing received');
    return { ...request, json: JSON.parse(request.body) as Record<string, unknown> };
  };

  describe('telegram', () => {
    const telegram = (...lines: string[]) =>
      hookOf(
        [
          'telegram:',
          '  bot-token: "123456:ABC-DEF"',
          '  chat-id: -1001234',
          `  api-url: ${receiver.url}`,
          ...lines.map((l) => `  ${l}`),
        ],
        { publicUrl },
      );

    it('calls sendMessage with HTML text, markup in values escaped', async () => {
      await telegram().deliver(failure);
      const request = only();
      expect([request.method, request.url]).toEqual(['POST', '/bot123456:ABC-DEF/sendMessage']);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.json).toEqual({
        chat_id: '-1001234',
        text:
          '<b>🔴 Backup &lt;db&gt; &amp; co is down</b>\n' +
          failureText.replace('<', '&lt;') +
          `\n\n<a href="${link}">Open in overdue</a>`,
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
      });
    });

    it('cuts the text to 4096 characters', async () => {
      const long = sampleAlert({
        reason: 'fail',
        ping: samplePing({ output: '<'.repeat(10_000) }),
      });
      await telegram('message: "{{ping.output}}"').deliver(long);
      const text = String(only().json.text);
      const visible = text.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<');
      expect(visible.length).toBeLessThanOrEqual(4_096);
      expect(visible).toMatch(/<…\n\nOpen in overdue$/);
    });

    it('reports a 429 with the wait Telegram asks for, without the bot token', async () => {
      receiver.mode = 429;
      receiver.answerBody = JSON.stringify({
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      });
      expect(await telegram().deliver(failure)).toEqual({
        ok: false,
        permanent: false,
        statusCode: 429,
        error: 'HTTP 429: Too Many Requests: retry after 7',
        retryAfterMs: 7_000,
      });
    });
  });

  describe('slack', () => {
    const slack = () =>
      hookOf(['slack:', `  url: ${receiver.url}/services/T0/B0/xyz`], { publicUrl });

    it('POSTs a message with a red attachment of blocks, mrkdwn escaped', async () => {
      await slack().deliver(failure);
      const request = only();
      expect([request.method, request.url]).toEqual(['POST', '/services/T0/B0/xyz']);
      expect(request.json).toEqual({
        text: '🔴 Backup <db> & co is down',
        attachments: [
          {
            color: '#d93025',
            fallback: 'Backup <db> & co is down',
            blocks: [
              {
                type: 'section',
                text: {
                  type: 'mrkdwn',
                  text: `*Backup &lt;db&gt; &amp; co is down*\n${failureText.replace('<', '&lt;')}`,
                },
              },
              {
                type: 'context',
                elements: [{ type: 'mrkdwn', text: `<${link}|Open in overdue>` }],
              },
            ],
          },
        ],
      });
    });

    it('colours a recovery green', async () => {
      await slack().deliver(sampleRecovery());
      expect(only().json).toMatchObject({ attachments: [{ color: '#1e8e3e' }] });
    });

    it('cuts the section text to 3000 characters', async () => {
      await slack().deliver(
        sampleAlert({ reason: 'fail', ping: samplePing({ output: '&'.repeat(5_000) }) }),
      );
      const { attachments } = only().json as {
        attachments: { blocks: { text?: { text: string } }[] }[];
      };
      const text = attachments[0]?.blocks[0]?.text?.text ?? '';
      expect(text.length).toBeLessThanOrEqual(3_000);
      expect(text).toMatch(/&amp;…$/);
    });
  });

  describe('discord', () => {
    const discord = () =>
      hookOf(['discord:', `  url: ${receiver.url}/api/webhooks/1/tok`], { publicUrl });

    it('POSTs the title as content and the details in a red embed, mentioning nobody', async () => {
      await discord().deliver(failure);
      const request = only();
      expect([request.method, request.url]).toEqual(['POST', '/api/webhooks/1/tok']);
      expect(request.json).toEqual({
        content: '🔴 **Backup <db> & co is down**',
        embeds: [
          {
            description: failureText,
            color: 0xd93025,
            timestamp: '2026-05-01T02:30:00.000Z',
            title: 'Open in overdue',
            url: link,
          },
        ],
        allowed_mentions: { parse: [] },
      });
    });

    it('cuts the embed description to 4096 characters and the content to 2000', async () => {
      const hook = hookOf([
        'discord:',
        `  url: ${receiver.url}/api/webhooks/1/tok`,
        '  title: "{{ping.output}}"',
        '  message: "{{ping.output}}"',
      ]);
      await hook.deliver(
        sampleAlert({ reason: 'fail', ping: samplePing({ output: 'x'.repeat(9_000) }) }),
      );
      const json = only().json as { content: string; embeds: { description: string }[] };
      expect(json.content).toHaveLength(2_000);
      expect(json.embeds[0]?.description).toHaveLength(4_096);
    });
  });

  describe('matrix', () => {
    const matrix = () =>
      hookOf(
        [
          'matrix:',
          `  homeserver: ${receiver.url}`,
          '  access-token: syt_secret',
          '  room-id: "!room:example.org"',
        ],
        { publicUrl },
      );

    it('PUTs an m.text message with HTML into the room, with a transaction id per alert', async () => {
      await matrix().deliver(failure);
      const request = only();
      const txn = `overdue.h.7.down.${Date.parse(failure.at)}`;
      expect(request.method).toBe('PUT');
      expect(request.url).toBe(
        `/_matrix/client/v3/rooms/!room%3Aexample.org/send/m.room.message/${txn}`,
      );
      expect(request.headers.authorization).toBe('Bearer syt_secret');
      expect(request.json).toEqual({
        msgtype: 'm.text',
        body: `🔴 Backup <db> & co is down\n${failureText}\n${link}`,
        format: 'org.matrix.custom.html',
        formatted_body:
          '<b>🔴 Backup &lt;db&gt; &amp; co is down</b><br>' +
          failureText.replace('<', '&lt;').replace(/\n/g, '<br>') +
          `<br><a href="${link}">Open in overdue</a>`,
      });
    });

    it('sends a retry with the same transaction id, so the server drops the duplicate', async () => {
      const hook = matrix();
      await hook.deliver(failure);
      await hook.deliver(failure);
      expect(receiver.received[0]?.url).toBe(receiver.received[1]?.url);
    });
  });
});
