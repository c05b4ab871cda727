// ntfy, Gotify and Pushover against a real local receiver: the exact requests the services document.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hookOf, sampleAlert, samplePing, sampleRecovery } from '../../helpers/alert.js';
import { Receiver } from '../../helpers/receiver.js';

const publicUrl = 'https://hb.example.com';
const link = 'https://hb.example.com/monitors/nightly-backup';
const downMessage = 'No ping by 2026-05-01 02:00:00 UTC. Last ping: 2026-04-30 02:00:05 UTC.';

describe('push presets', () => {
  let receiver: Receiver;
  beforeAll(async () => (receiver = await new Receiver().start()));
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.mode = 200;
  });
  const only = () => {
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    if (request === undefined) throw new Error('nothing received');
    return { ...request, json: JSON.parse(request.body) as unknown };
  };

  describe('ntfy', () => {
    const ntfy = (...lines: string[]) =>
      hookOf(
        ['ntfy:', `  url: ${receiver.url}`, '  topic: backups', ...lines.map((l) => `  ${l}`)],
        {
          publicUrl,
        },
      );

    it('publishes JSON to the server root with a high priority, a tag and a click link', async () => {
      expect(await ntfy('token: tk_abc').deliver(sampleAlert())).toMatchObject({ ok: true });
      const request = only();
      expect([request.method, request.url]).toEqual(['POST', '/']);
      expect(request.headers.authorization).toBe('Bearer tk_abc');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.json).toEqual({
        topic: 'backups',
        title: 'Nightly backup is down',
        message: downMessage,
        priority: 4,
        tags: ['rotating_light'],
        click: link,
      });
    });

    it('sends a recovery at the default priority, with its configured tags', async () => {
      await ntfy('tags: [backup]', 'priority: { down: max, up: low }').deliver(sampleRecovery());
      expect(only().json).toMatchObject({ priority: 2, tags: ['white_check_mark', 'backup'] });
      expect(receiver.received[0]?.headers.authorization).toBeUndefined();
    });

    it('cuts a long message to 4096 bytes', async () => {
      const output = 'é'.repeat(5_000);
      await ntfy('message: "{{ping.output}}"').deliver(
        sampleAlert({ reason: 'fail', ping: samplePing({ output }) }),
      );
      const { message } = only().json as { message: string };
      expect(Buffer.byteLength(message)).toBeLessThanOrEqual(4_096);
      expect(message.endsWith('…')).toBe(true);
    });
  });

  describe('gotify', () => {
    const gotify = () =>
      hookOf(['gotify:', `  url: ${receiver.url}/`, '  token: AbCdEf.123'], { publicUrl });

    it('POSTs /message with the app token in X-Gotify-Key and priority 8 for down', async () => {
      await gotify().deliver(sampleAlert());
      const request = only();
      expect([request.method, request.url]).toEqual(['POST', '/message']);
      expect(request.headers['x-gotify-key']).toBe('AbCdEf.123');
      expect(request.json).toEqual({
        title: 'Nightly backup is down',
        message: downMessage,
        priority: 8,
        extras: {
          'client::display': { contentType: 'text/plain' },
          'client::notification': { click: { url: link } },
        },
      });
    });

    it('sends a recovery at priority 4', async () => {
      await gotify().deliver(sampleRecovery());
      expect(only().json).toMatchObject({ title: 'Nightly backup is up again', priority: 4 });
    });
  });

  describe('pushover', () => {
    const pushover = (...lines: string[]) =>
      hookOf(
        [
          'pushover:',
          '  user: uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
          '  token: azGDORePK8gMaC0QOYAMyEEuzJnyUi',
          `  api-url: ${receiver.url}`,
          ...lines.map((l) => `  ${l}`),
        ],
        { publicUrl },
      );
    const form = () => Object.fromEntries(new URLSearchParams(receiver.received[0]?.body));

    it('POSTs a form to /1/messages.json with priority 1 for down', async () => {
      await pushover().deliver(sampleAlert());
      const request = receiver.received[0];
      expect([request?.method, request?.url]).toEqual(['POST', '/1/messages.json']);
      expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(form()).toEqual({
        token: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
        user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
        title: 'Nightly backup is down',
        message: downMessage,
        priority: '1',
        timestamp: String(Date.parse('2026-05-01T02:30:00.000Z') / 1_000),
        url: link,
        url_title: 'Open in overdue',
      });
    });

    it('asks for repeats until acknowledged at emergency priority', async () => {
      await pushover('priority: 2').deliver(sampleAlert());
      expect(form()).toMatchObject({ priority: '2', retry: '60', expire: '3600' });
    });

    it('cuts the message to 1024 characters', async () => {
      await pushover('message: "{{ping.output}}"').deliver(
        sampleAlert({ reason: 'fail', ping: samplePing({ output: 'x'.repeat(2_000) }) }),
      );
      expect(form().message).toHaveLength(1_024);
    });

    it('reports its refusal without the keys it was sent', async () => {
      receiver.mode = 400;
      receiver.answerBody = JSON.stringify({
        status: 0,
        errors: ['application token is invalid: azGDORePK8gMaC0QOYAMyEEuzJnyUi'],
      });
      const result = await pushover().deliver(sampleAlert());
      receiver.answerBody = '';
      expect(result).toMatchObject({ ok: false, permanent: true, statusCode: 400 });
      expect(result.error).toBe('HTTP 400: application token is invalid: [redacted]');
    });
  });
});
