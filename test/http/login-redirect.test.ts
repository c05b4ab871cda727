// Where the browser goes after logging in: only a path on this site, read the way a browser reads
// the Location header (dot segments resolved, `//host` is another site).
import { afterEach, describe, expect, it } from 'vitest';
import { READ_TOKEN } from '../helpers/fake-read-model.js';
import { everyStatus, post, StatusPageServer } from '../helpers/status-page.js';
import { safeNext } from '../../src/http/browser-request.js';

const pages = new StatusPageServer();
afterEach(() => pages.close());

describe('the page after login', () => {
  it.each([
    '/x/..//evil.example',
    '/x/../..//evil.example/path',
    '/x/%2e%2e//evil.example',
    '/x/%2E%2E//evil.example',
    '/./..//evil.example',
    '/x/.%2e//evil.example',
  ])('never leaves the site through dot segments (next=%j)', async (next) => {
    const url = await pages.serve(everyStatus());
    const res = await post(`${url}/login`, { token: READ_TOKEN, next });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
  });

  it('sends the browser to the normalised path of a same-site next', () => {
    expect(safeNext('/monitors/x/../etl?pings_before=5')).toBe('/monitors/etl?pings_before=5');
  });

  it('answers a path that resolves to the same site the browser will', () => {
    for (const next of ['/x/..//evil.example', '/a/./b/../..//c', '/%2e%2e//d']) {
      const to = safeNext(next);
      expect(new URL(to, 'https://hb.example.com').origin).toBe('https://hb.example.com');
    }
  });
});
