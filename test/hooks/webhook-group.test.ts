// A grouped webhook (`group:`): one request for several alerts, its body a JSON array of what an
// ungrouped hook sends for each: the alert's JSON, or its JSON body template filled in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hookOf, sampleAlert, sampleRecovery } from '../helpers/alert.js';
import { Receiver } from '../helpers/receiver.js';

describe('a grouped webhook', () => {
  let receiver: Receiver;
  beforeAll(async () => (receiver = await new Receiver().start()));
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.mode = 200;
    receiver.answerHeaders = {};
  });
  const grouped = (...lines: string[]) =>
    hookOf(['webhook:', ...lines.map((l) => `  ${l}`), 'group: { wait: 5s, max: 10 }']);
  const alerts = [sampleAlert(), sampleRecovery(), sampleAlert({ transition_id: 9 })];

  it('POSTs one request whose body is the JSON array of the alerts', async () => {
    const hook = grouped(`url: ${receiver.url}/hook`, 'headers: { Authorization: Bearer s3cret }');
    const result = await hook.deliverGroup?.(alerts);
    expect(result?.ok).toBe(true);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Bearer s3cret');
    // What the same hook sends for each alert alone.
    for (const a of alerts) await hook.deliver(a);
    const each = receiver.received.slice(1).map((r) => JSON.parse(r.body) as unknown);
    expect(JSON.parse(request?.body ?? '')).toEqual(each);
  });

  it('sends each alert’s JSON body template filled in, as an array', async () => {
    const hook = grouped(
      `url: ${receiver.url}/hook`,
      `body: '{"m": "{{monitor.slug}}", "s": "{{status}}"}'`,
      'events:',
      `  up: { body: '{"ok": "{{monitor.slug}}"}' }`,
    );
    await hook.deliverGroup?.(alerts);
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toEqual([
      { m: 'nightly-backup', s: 'down' },
      { ok: 'nightly-backup' },
      { m: 'nightly-backup', s: 'down' },
    ]);
  });

  it('is one failure for the whole group when the receiver fails, with its Retry-After', async () => {
    receiver.mode = 429;
    receiver.answerHeaders = { 'retry-after': '30' };
    const result = await grouped(`url: ${receiver.url}/hook`).deliverGroup?.(alerts);
    expect(result).toMatchObject({ ok: false, permanent: false, statusCode: 429 });
    expect(result?.retryAfterMs).toBe(30_000);
  });
});
