import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hookOf, sampleAlert, samplePing, sampleRecovery } from '../helpers/alert.js';
import { Receiver } from '../helpers/receiver.js';

describe('webhook hook', () => {
  let receiver: Receiver;
  beforeAll(async () => (receiver = await new Receiver().start()));
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.mode = 200;
    receiver.answerHeaders = {};
    receiver.answerBody = '';
  });
  const webhook = (...lines: string[]) => hookOf(['webhook:', ...lines.map((l) => `  ${l}`)]);
  const plain = (timeout = '2s') =>
    hookOf([`webhook: ${receiver.url}/hook?x=1`, `timeout: ${timeout}`]);

  it('POSTs the alert as JSON with the configured headers', async () => {
    const hook = webhook(
      `url: ${receiver.url}/hook?x=1`,
      'headers: { Authorization: Bearer s3cret }',
    );
    expect((await hook.deliver(sampleAlert())).ok).toBe(true);
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/hook?x=1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^overdue\//);
    expect(request?.headers.authorization).toBe('Bearer s3cret');
    expect(JSON.parse(request?.body ?? '')).toEqual({ ...sampleAlert(), url: null, test: false });
  });

  it("adds the link to the monitor's page when the server has a public URL", async () => {
    const hook = hookOf([`webhook: ${receiver.url}/`], { publicUrl: 'https://hb.example.com/' });
    await hook.deliver(sampleAlert());
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toMatchObject({
      url: 'https://hb.example.com/monitors/nightly-backup',
    });
  });

  it('fills in a JSON body template, escaping values inside and outside strings', async () => {
    const body = `'{"text": "{{monitor.name}}: {{ping.output}}", "exit": {{ping.exit_status}}, "value": {{ping.value}}}'`;
    const alert = sampleAlert({
      monitor: { slug: 'b', name: 'Backup "daily"' },
      ping: samplePing({ output: 'line 1\nline\\2', exit_status: 2 }),
    });
    await webhook(`url: ${receiver.url}/`, `body: ${body}`).deliver(alert);
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toEqual({
      text: 'Backup "daily": line 1\nline\\2',
      exit: 2,
      value: null,
    });
  });

  it('URL-encodes values in the URL and keeps header values on one line', async () => {
    const hook = webhook(
      `url: "${receiver.url}/notify/{{monitor.slug}}?msg={{monitor.name}}"`,
      'method: GET',
      'headers: { X-Title: "{{monitor.name}}" }',
    );
    await hook.deliver(sampleAlert({ monitor: { slug: 'a-b', name: 'A&B /x?\r\nX-Evil: 1' } }));
    const [request] = receiver.received;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/notify/a-b?msg=A%26B%20%2Fx%3F%0D%0AX-Evil%3A%201');
    expect(request?.headers['x-title']).toBe('A&B /x? X-Evil: 1');
    expect(request?.headers['x-evil']).toBeUndefined();
    expect(request?.body).toBe('');
  });

  it('sends non-ASCII header values as UTF-8', async () => {
    await webhook(`url: ${receiver.url}/`, 'headers: { X-Title: "{{monitor.name}}" }').deliver(
      sampleAlert({ monitor: { slug: 'a', name: 'Sicherung → fertig' } }),
    );
    const raw = receiver.received[0]?.headers['x-title'] ?? '';
    expect(Buffer.from(String(raw), 'latin1').toString('utf8')).toBe('Sicherung → fertig');
  });

  it('sends a text body as text/plain, values as they are', async () => {
    await webhook(
      `url: ${receiver.url}/`,
      'format: text',
      'body: "{{monitor.name}} is {{status}} \\"now\\""',
    ).deliver(sampleAlert());
    const [request] = receiver.received;
    expect(request?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(request?.body).toBe('Nightly backup is down "now"');
  });

  it('sends a form body with its values percent-encoded, as the content-type header asks', async () => {
    const hook = webhook(
      `url: ${receiver.url}/`,
      'headers: { Content-Type: application/x-www-form-urlencoded }',
      'body: "title={{title}}&event={{event}}"',
    );
    await hook.deliver(sampleAlert());
    const [request] = receiver.received;
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      title: 'Nightly backup is down',
      event: 'down',
    });
  });

  it('uses the overrides of the alert’s event', async () => {
    const hook = webhook(
      `url: ${receiver.url}/alerts`,
      `body: '{"text": "{{monitor.name}} DOWN"}'`,
      'events:',
      `  up: { url: "${receiver.url}/recoveries", method: PUT, body: '{"text": "{{monitor.name}} ok"}' }`,
    );
    await hook.deliver(sampleAlert());
    await hook.deliver(sampleRecovery());
    expect(receiver.received.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/alerts', '{"text": "Nightly backup DOWN"}'],
      ['PUT', '/recoveries', '{"text": "Nightly backup ok"}'],
    ]);
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
    expect(await plain().deliver(sampleAlert())).toEqual({
      ok: false,
      permanent,
      statusCode: status,
      error: `HTTP ${status}`,
    });
  });

  it("quotes the service's explanation of a failure, without the secrets it was sent", async () => {
    receiver.mode = 401;
    receiver.answerBody = JSON.stringify({ error: 'bad token tk_s3cret_t0ken' });
    const hook = webhook(`url: ${receiver.url}/`, 'headers: { Authorization: "tk_s3cret_t0ken" }');
    expect((await hook.deliver(sampleAlert())).error).toBe('HTTP 401: bad token [redacted]');
  });

  it('reports the wait a 429 answer asks for in Retry-After', async () => {
    receiver.mode = 429;
    receiver.answerHeaders = { 'retry-after': '120' };
    expect(await plain().deliver(sampleAlert())).toMatchObject({
      ok: false,
      retryAfterMs: 120_000,
    });
  });

  it('times out on a receiver that hangs, as a transient failure', async () => {
    receiver.mode = 'hang';
    expect(await plain('200ms').deliver(sampleAlert())).toMatchObject({
      ok: false,
      permanent: false,
      error: 'timed out after 200 ms',
    });
  });

  it('reports a refused connection as a transient failure', async () => {
    const closed = hookOf(['webhook: http://127.0.0.1:1/']);
    expect(await closed.deliver(sampleAlert())).toMatchObject({ ok: false, permanent: false });
  });
});
