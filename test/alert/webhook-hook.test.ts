import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookHook } from '../../src/alert/webhook-hook.js';
import { sampleAlert } from '../helpers/alert.js';
import { Receiver } from '../helpers/receiver.js';

describe('webhook hook', () => {
  let receiver: Receiver;
  beforeAll(async () => (receiver = await new Receiver().start()));
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.mode = 200;
  });
  const hook = (timeoutMs = 2_000, headers: Record<string, string> = {}) =>
    createWebhookHook({
      kind: 'webhook',
      name: 'ops',
      url: `${receiver.url}/hook?x=1`,
      method: 'POST',
      headers,
      timeoutMs,
    });

  it('POSTs the alert as JSON with the configured headers', async () => {
    const result = await hook(2_000, { authorization: 'Bearer s3cret' }).deliver(sampleAlert());
    expect(result.ok).toBe(true);
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/hook?x=1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Bearer s3cret');
    expect(JSON.parse(request?.body ?? '')).toEqual(sampleAlert());
  });

  it.each([
    [500, false],
    [503, false],
    [429, false],
    [408, false],
    [404, true],
    [400, true],
  ])('treats HTTP %i as a failure, permanent: %s', async (status, permanent) => {
    receiver.mode = status;
    expect(await hook().deliver(sampleAlert())).toEqual({
      ok: false,
      permanent,
      statusCode: status,
      error: `HTTP ${status}`,
    });
  });

  it('times out on a receiver that hangs, as a transient failure', async () => {
    receiver.mode = 'hang';
    expect(await hook(200).deliver(sampleAlert())).toMatchObject({
      ok: false,
      permanent: false,
      error: 'timed out after 200 ms',
    });
  });

  it('reports a refused connection as a transient failure', async () => {
    const closed = createWebhookHook({
      kind: 'webhook',
      name: 'x',
      url: 'http://127.0.0.1:1/',
      method: 'POST',
      headers: {},
      timeoutMs: 1_000,
    });
    expect(await closed.deliver(sampleAlert())).toMatchObject({ ok: false, permanent: false });
  });
});
