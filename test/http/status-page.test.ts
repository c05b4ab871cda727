import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@tinyhttp/app';
import { afterEach, describe, expect, it } from 'vitest';
import { mountStatusPage } from '../../src/http/status-page.js';
import {
  FakeReadModel,
  NOW,
  ping,
  READ_TOKEN,
  summary,
  WRITE_TOKEN,
} from '../helpers/fake-read-model.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** Serves the status page over `model` on 127.0.0.1:0; returns its base URL. */
async function serve(model: FakeReadModel, baseUrl = ''): Promise<string> {
  const app = new App({ settings: { xPoweredBy: false } });
  mountStatusPage(app, model, { baseUrl: () => baseUrl });
  server = createServer((req, res) => app.handler(req as never, res as never));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const asWriter = bearer(WRITE_TOKEN);

function everyStatus(): FakeReadModel {
  return new FakeReadModel([
    summary('db-backup', { name: 'DB backup', status: 'down', tags: ['backup'] }),
    summary('files-backup', { status: 'late', tags: ['backup'] }),
    summary('etl', { status: 'running' }),
    summary('certs', { status: 'up' }),
    summary('fresh', { status: 'new', lastPingAt: null, recent: [] }),
    summary('old', { status: 'paused', nextDeadlineAt: null }),
  ]);
}

async function get(url: string, headers: Record<string, string> = asWriter) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { res, body: await res.text() };
}

function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

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

describe('status page access', () => {
  it('sends a browser without a credential to the login form', async () => {
    const url = await serve(everyStatus());
    const { res } = await get(`${url}/monitors/etl`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fmonitors%2Fetl');
  });

  it('sets an HttpOnly SameSite cookie for a valid token and sends the browser back', async () => {
    const url = await serve(everyStatus());
    const res = await post(`${url}/login`, { token: WRITE_TOKEN, next: '/monitors/etl' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/monitors/etl');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^overdue_token=fake-api-token-0123; HttpOnly; SameSite=Strict; Path=\//,
    );
    expect(cookie).not.toContain('Secure');
    const page = await get(`${url}/`, { cookie: cookie.split(';')[0] ?? '' });
    expect(page.res.status).toBe(200);
    expect(page.body).toContain('action="/logout"');
  });

  it('refuses a wrong token without setting a cookie', async () => {
    const url = await serve(everyStatus());
    const res = await post(`${url}/login`, { token: 'wrong', next: '/' });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('That token is not valid');
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const url = await serve(everyStatus(), 'https://hb.example.com');
    const res = await post(`${url}/login`, { token: READ_TOKEN, next: '/' });
    expect(res.headers.get('set-cookie')).toContain('; Secure');
  });

  it('never sends the browser to another site after login', async () => {
    const url = await serve(everyStatus());
    const res = await post(`${url}/login`, { token: READ_TOKEN, next: '//evil.example/' });
    expect(res.headers.get('location')).toBe('/');
  });

  it('accepts HTTP Basic with the token as password', async () => {
    const url = await serve(everyStatus());
    const basic = `Basic ${Buffer.from(`me:${READ_TOKEN}`).toString('base64')}`;
    expect((await get(`${url}/`, { authorization: basic })).res.status).toBe(200);
  });

  it('shows a public read-only page without a credential, with a way to log in', async () => {
    const model = everyStatus();
    model.public = true;
    const url = await serve(model);
    const { res, body } = await get(`${url}/monitors/certs`, {});
    expect(res.status).toBe(200);
    expect(body).toContain('href="/login"');
    expect(body).not.toContain('/pause"');
  });
});

describe('pause and resume from the page', () => {
  it('pauses a monitor for a writer and sends the browser back to it', async () => {
    const model = everyStatus();
    const url = await serve(model);
    const res = await post(`${url}/monitors/certs/pause`, {}, { ...asWriter, origin: url });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/monitors/certs');
    expect(model.monitor('certs')?.status).toBe('paused');
  });

  it('refuses a reader with 403', async () => {
    const model = everyStatus();
    const url = await serve(model);
    const res = await post(`${url}/monitors/certs/pause`, {}, bearer(READ_TOKEN));
    expect(res.status).toBe(403);
    expect(model.calls).toEqual([]);
  });

  it('refuses a form posted from another site', async () => {
    const model = everyStatus();
    const url = await serve(model);
    const res = await post(
      `${url}/monitors/certs/pause`,
      {},
      { ...asWriter, origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
    expect(model.calls).toEqual([]);
  });

  it('snoozes only for a duration offered in the form', async () => {
    const model = everyStatus();
    const url = await serve(model);
    const headers = { ...asWriter, origin: url };
    expect((await post(`${url}/monitors/certs/snooze`, { for: '3600000' }, headers)).status).toBe(
      303,
    );
    expect((await post(`${url}/monitors/certs/snooze`, { for: '5' }, headers)).status).toBe(409);
    expect(model.calls).toEqual(['snooze certs 3600000']);
  });

  it('shows the time since the last transition', async () => {
    const url = await serve(new FakeReadModel([summary('a', { changedAt: NOW - 5_400_000 })]));
    expect((await get(`${url}/`)).body).toContain('1h 30m');
  });
});
