import { afterEach, describe, expect, it } from 'vitest';
import { FakeReadModel, NOW, ping, READ_TOKEN, summary } from '../helpers/fake-read-model.js';
import { bearer, everyStatus, get, StatusPageServer } from '../helpers/status-page.js';

const pages = new StatusPageServer();
afterEach(() => pages.close());
const serve = (model: FakeReadModel, baseUrl?: string) => pages.serve(model, baseUrl);

describe('the status page list', () => {
  it('escapes a monitor name that contains markup', async () => {
    const url = await serve(
      new FakeReadModel([summary('x', { name: '<script>alert(1)</script>' })]),
    );
    const { body } = await get(`${url}/`);
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toContain('<script');
  });

  it('shows every monitor with its status as text and a count per status', async () => {
    const url = await serve(everyStatus());
    const { res, body } = await get(`${url}/`);
    expect(res.status).toBe(200);
    for (const label of ['Down', 'Late', 'Running', 'Up', 'New', 'Paused'])
      expect(body).toContain(`>${label}</span>`);
    expect(body).toMatch(/href="\/\?status=down"[^>]*>Down<span class="n">1<\/span>/);
    expect(body).toMatch(/<meta http-equiv="refresh" content="30"/);
  });

  it('shows only the monitors of the chosen status', async () => {
    const url = await serve(everyStatus());
    const { body } = await get(`${url}/?status=down`);
    expect(body).toContain('data-slug="db-backup"');
    expect(body).not.toContain('data-slug="certs"');
  });

  it('shows only the monitors with the chosen tag', async () => {
    const url = await serve(everyStatus());
    const { body } = await get(`${url}/?tag=backup`);
    expect(body.match(/data-slug=/g)).toHaveLength(2);
    expect(body).toContain('data-slug="files-backup"');
  });

  it('tells how to add a monitor when none is configured', async () => {
    const url = await serve(new FakeReadModel([]));
    const { body } = await get(`${url}/`);
    expect(body).toContain('No monitors configured yet');
    expect(body).toContain('config file');
  });

  it('says so when no monitor matches the filter', async () => {
    const url = await serve(everyStatus());
    const { body } = await get(`${url}/?status=down&tag=nothing`);
    expect(body).toContain('No monitors match this filter');
  });

  it('is sent with a Content-Security-Policy that allows no script', async () => {
    const url = await serve(everyStatus());
    const { res } = await get(`${url}/`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
  it('shows the time since the last transition', async () => {
    const url = await serve(new FakeReadModel([summary('a', { changedAt: NOW - 5_400_000 })]));
    expect((await get(`${url}/`)).body).toContain('1h 30m');
  });
});

describe('a monitor page', () => {
  it('shows pings with their output, a chart, the ping URLs and an older link', async () => {
    const model = everyStatus();
    model.pingRows = Array.from({ length: 30 }, (_, i) =>
      ping(i + 1, { output: i === 29 ? 'dumped <42> rows' : null, value: i }),
    );
    const url = await serve(model);
    const { body } = await get(`${url}/monitors/db-backup`);
    expect(body).toContain('<pre>dumped &lt;42&gt; rows</pre>');
    expect(body).toContain('<svg class="chart"');
    expect(body).toContain('http://127.0.0.1/ping/key/db-backup');
    expect(body).toContain('href="/monitors/db-backup?pings_before=6#pings"');
    expect(body).toContain('No transitions yet');
  });

  it('shows the next page of pings from the cursor', async () => {
    const model = everyStatus();
    model.pingRows = Array.from({ length: 30 }, (_, i) => ping(i + 1));
    const url = await serve(model);
    const { body } = await get(`${url}/monitors/db-backup?pings_before=6`);
    expect(body.match(/<tr class="ping-/g)).toHaveLength(5);
    expect(body).toContain('>Newest</a>');
  });

  it('answers 404 for a slug that is not configured', async () => {
    const url = await serve(everyStatus());
    expect((await get(`${url}/monitors/nope`)).res.status).toBe(404);
  });

  it('offers pause to a writer and hides it from a reader', async () => {
    const url = await serve(everyStatus());
    expect((await get(`${url}/monitors/certs`)).body).toContain('action="/monitors/certs/pause"');
    const reader = await get(`${url}/monitors/certs`, bearer(READ_TOKEN));
    expect(reader.body).not.toContain('/pause"');
  });
});
