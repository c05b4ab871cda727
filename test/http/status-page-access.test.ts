import { afterEach, describe, expect, it } from 'vitest';
import {
  FakeReadModel,
  NOW,
  READ_TOKEN,
  summary,
  WRITE_TOKEN,
} from '../helpers/fake-read-model.js';
import {
  asWriter,
  bearer,
  everyStatus,
  get,
  post,
  StatusPageServer,
} from '../helpers/status-page.js';

const pages = new StatusPageServer();
afterEach(() => pages.close());
const serve = (model: FakeReadModel, baseUrl?: string) => pages.serve(model, baseUrl);

describe('status page access', () => {
  it('logs out by expiring the cookie', async () => {
    const url = await serve(everyStatus());
    const res = await post(`${url}/logout`, {}, { origin: url });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect(res.headers.get('set-cookie')).toMatch(/^overdue_session=; .*Max-Age=0/);
  });

  it('sends a browser without a credential to the login form', async () => {
    const url = await serve(everyStatus());
    const { res } = await get(`${url}/monitors/etl`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fmonitors%2Fetl');
  });

  it('reloads a page opened from another site once, so its SameSite cookie is sent', async () => {
    const url = await serve(everyStatus());
    const { res, body } = await get(`${url}/monitors/etl`, { 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(200);
    expect(body).toContain('<meta http-equiv="refresh" content="0;url=/monitors/etl" />');
  });

  it('sets an HttpOnly SameSite cookie for a valid token and sends the browser back', async () => {
    const url = await serve(everyStatus());
    const res = await post(`${url}/login`, { token: WRITE_TOKEN, next: '/monitors/etl' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/monitors/etl');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^overdue_session=[A-Za-z0-9_-]{32}; HttpOnly; SameSite=Strict; Path=\//,
    );
    expect(cookie).not.toContain('Secure');
    const page = await get(`${url}/`, { cookie: cookie.split(';')[0] ?? '' });
    expect(page.res.status).toBe(200);
    expect(page.body).toContain('action="/logout"');
  });

  it('tells how to configure a token when none is set', async () => {
    const url = await pages.serve(everyStatus(), '', false);
    const { body } = await get(`${url}/login`, {});
    expect(body).toContain('No token is configured');
    expect(body).toContain('server.api-token');
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

  it.each([
    '//evil.example/',
    '/\\evil.example/',
    '/\t/evil.example/',
    '/\n/evil.example',
    'https://evil.example/',
    '/ä€',
  ])('never sends the browser to another site after login (next=%j)', async (next) => {
    const url = await serve(everyStatus());
    const res = await post(`${url}/login`, { token: READ_TOKEN, next });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
  });

  it('sends the browser back to the page it came from after login', async () => {
    const url = await serve(everyStatus());
    const res = await post(`${url}/login`, {
      token: READ_TOKEN,
      next: '/monitors/certs?pings_before=5',
    });
    expect(res.headers.get('location')).toBe('/monitors/certs?pings_before=5');
  });

  it('accepts HTTP Basic with the token as password', async () => {
    const url = await serve(everyStatus());
    const basic = `Basic ${Buffer.from(`me:${READ_TOKEN}`).toString('base64')}`;
    expect((await get(`${url}/`, { authorization: basic })).res.status).toBe(200);
  });

  it('shows ping URLs, which carry secrets, to the api-token only', async () => {
    const url = await serve(everyStatus());
    const reader = await get(`${url}/monitors/certs`, bearer(READ_TOKEN));
    expect(reader.body).not.toContain('/ping/key/certs');
    expect(reader.body).toContain('shown only to the <code>server.api-token</code>');
    const writer = await get(`${url}/monitors/certs`);
    expect(writer.body).toContain('http://127.0.0.1/ping/key/certs');
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
  it('offers to end a snooze while alerts are snoozed', async () => {
    const model = everyStatus();
    model.summaries[3] = { ...summary('certs'), snoozedUntil: NOW + 3_600_000 };
    const url = await serve(model);
    const { body } = await get(`${url}/monitors/certs`);
    expect(body).toContain('alerts snoozed until 2026-05-01 13:00:00 UTC');
    expect(body).toMatch(/action="\/monitors\/certs\/resume"[^]*End snooze/);
  });

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

  it('refuses a form a browser marks as sent from another site', async () => {
    const model = everyStatus();
    const url = await serve(model);
    const headers = { ...asWriter, 'sec-fetch-site': 'cross-site' };
    expect((await post(`${url}/monitors/certs/pause`, {}, headers)).status).toBe(403);
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
});
