import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { accessOf, crossSite, tokenOf, type Tokens } from '../../src/http/auth.js';

const API = 'api-token-0123456789abcdef';
const READ = 'read-token-0123456789abcdef';
const METRICS = 'metrics-token-0123456789abc';
const tokens: Tokens = { apiToken: API, readToken: READ, metricsToken: METRICS, public: [] };

/** A request with only the headers access looks at. */
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const bearer = (token: string) => req({ authorization: `Bearer ${token}` });

describe('access', () => {
  it('gives write to the api token, read to the read token, nothing to others', () => {
    expect(accessOf(bearer(API), 'api', tokens)).toBe('write');
    expect(accessOf(bearer(READ), 'status-page', tokens)).toBe('read');
    expect(accessOf(bearer(`${API}x`), 'api', tokens)).toBe('none');
    expect(accessOf(req({}), 'api', tokens)).toBe('none');
  });

  it('gives the metrics token read access to metrics and nothing else', () => {
    expect(accessOf(bearer(METRICS), 'metrics', tokens)).toBe('read');
    expect(accessOf(bearer(METRICS), 'api', tokens)).toBe('none');
  });

  it('lets anyone read a public part, and still gives the api token write', () => {
    const open = { ...tokens, public: ['status-page'] as const };
    expect(accessOf(req({}), 'status-page', open)).toBe('read');
    expect(accessOf(req({}), 'api', open)).toBe('none');
    expect(accessOf(bearer(API), 'status-page', open)).toBe('write');
  });

  it('reads the token from Bearer, Basic (any user) or the overdue_token cookie', () => {
    const basic = Buffer.from(`prometheus:${READ}`).toString('base64');
    expect(tokenOf(req({ authorization: `bearer ${READ}` }))).toBe(READ);
    expect(tokenOf(req({ authorization: `Basic ${basic}` }))).toBe(READ);
    expect(tokenOf(req({ cookie: `theme=dark; overdue_token=${READ}` }))).toBe(READ);
    expect(tokenOf(req({ authorization: 'Basic bm9jb2xvbg==' }))).toBeNull();
  });

  it('tells a cross-site browser request from a same-origin one', () => {
    const host = '127.0.0.1:8080';
    expect(crossSite(req({ host, origin: 'http://127.0.0.1:8080' }))).toBe(false);
    expect(crossSite(req({ host, origin: 'https://evil.example.com' }))).toBe(true);
    expect(crossSite(req({ host, 'sec-fetch-site': 'cross-site' }))).toBe(true);
    expect(crossSite(req({ host }))).toBe(false);
  });
});
