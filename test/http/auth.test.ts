import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { accessOf, crossSite, tokenOf, type Tokens } from '../../src/http/auth.js';
import { Sessions } from '../../src/http/sessions.js';

const API = 'api-token-0123456789abcdef';
const READ = 'read-token-0123456789abcdef';
const METRICS = 'metrics-token-0123456789abc';
const tokens: Tokens = { apiToken: API, readToken: READ, metricsToken: METRICS, public: [] };
const sessions = new Sessions(() => 0);

/** A request with only the headers access looks at. */
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const bearer = (token: string) => req({ authorization: `Bearer ${token}` });

describe('access', () => {
  it('gives write to the api token, read to the read token, nothing to others', () => {
    expect(accessOf(bearer(API), 'api', tokens, sessions)).toBe('write');
    expect(accessOf(bearer(READ), 'status-page', tokens, sessions)).toBe('read');
    expect(accessOf(bearer(`${API}x`), 'api', tokens, sessions)).toBe('none');
    expect(accessOf(req({}), 'api', tokens, sessions)).toBe('none');
  });

  it('gives the metrics token read access to metrics and nothing else', () => {
    expect(accessOf(bearer(METRICS), 'metrics', tokens, sessions)).toBe('read');
    expect(accessOf(bearer(METRICS), 'api', tokens, sessions)).toBe('none');
  });

  it('lets anyone read a public part, and still gives the api token write', () => {
    const open = { ...tokens, public: ['status-page'] as const };
    expect(accessOf(req({}), 'status-page', open, sessions)).toBe('read');
    expect(accessOf(req({}), 'api', open, sessions)).toBe('none');
    expect(accessOf(bearer(API), 'status-page', open, sessions)).toBe('write');
  });

  it('reads the token from Bearer or Basic (any user), and a session from the cookie', () => {
    const basic = Buffer.from(`prometheus:${READ}`).toString('base64');
    expect(tokenOf(req({ authorization: `bearer ${READ}` }))).toBe(READ);
    expect(tokenOf(req({ authorization: `Basic ${basic}` }))).toBe(READ);
    expect(tokenOf(req({ cookie: `theme=dark; overdue_session=${READ}` }))).toBeNull();
    expect(tokenOf(req({ authorization: 'Basic bm9jb2xvbg==' }))).toBeNull();
    const session = sessions.open(READ);
    const cookie = req({ cookie: `theme=dark; overdue_session=${session}` });
    expect(accessOf(cookie, 'api', tokens, sessions)).toBe('read');
  });

  it('tells a cross-site browser request from a same-origin one', () => {
    const host = '127.0.0.1:8080';
    expect(crossSite(req({ host, origin: 'http://127.0.0.1:8080' }))).toBe(false);
    expect(crossSite(req({ host, origin: 'https://evil.example.com' }))).toBe(true);
    expect(crossSite(req({ host, 'sec-fetch-site': 'cross-site' }))).toBe(true);
    expect(crossSite(req({ host }))).toBe(false);
  });
});
