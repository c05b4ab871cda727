import { describe, expect, it } from 'vitest';
import { pingUrl, resolveTarget } from '../../src/job-client/target.js';
import { UsageError } from '../../src/job-client/usage.js';

const env = { OVERDUE_URL: 'http://127.0.0.1:8080', OVERDUE_PING_KEY: 'key-0123456789abcdef' };

describe('resolveTarget', () => {
  it('takes a full ping URL as given, without a trailing slash', () => {
    const t = resolveTarget('https://hb.example.com/ping/tok123/', {});
    expect(t.url.href).toBe('https://hb.example.com/ping/tok123');
  });

  it('resolves a slug on OVERDUE_URL with OVERDUE_PING_KEY', () => {
    expect(resolveTarget('nightly-backup', env).url.href).toBe(
      'http://127.0.0.1:8080/ping/key-0123456789abcdef/nightly-backup',
    );
  });

  it('keeps the path of an OVERDUE_URL behind a reverse proxy', () => {
    const t = resolveTarget('etl', { ...env, OVERDUE_URL: 'https://example.com/overdue/' });
    expect(t.url.href).toBe('https://example.com/overdue/ping/key-0123456789abcdef/etl');
  });

  it.each([
    [{}, 'OVERDUE_URL and OVERDUE_PING_KEY must be set'],
    [{ OVERDUE_URL: 'http://x' }, 'OVERDUE_PING_KEY must be set'],
    [{ OVERDUE_PING_KEY: 'k' }, 'OVERDUE_URL must be set'],
    [{ OVERDUE_URL: 'x:8080', OVERDUE_PING_KEY: 'k' }, 'OVERDUE_URL must be an http(s) URL'],
  ])('refuses a slug with the environment %j', (partial, message) => {
    expect(() => resolveTarget('etl', partial)).toThrow(UsageError);
    expect(() => resolveTarget('etl', partial)).toThrow(message);
  });

  it.each(['hb.example.com/ping/x', 'ftp://x/ping/y', 'two words', ''])(
    'refuses %j as neither a URL nor a slug',
    (arg) => {
      expect(() => resolveTarget(arg, env)).toThrow(UsageError);
    },
  );

  it.each([
    ['https://hb.example.com/ping/tok123', 'https://hb.example.com/ping/…'],
    ['https://hb.example.com/ping/secret/etl?x=1', 'https://hb.example.com/ping/…/etl'],
    ['https://hb.example.com/hb/tok123', 'https://hb.example.com/hb/…'],
  ])('labels %s without its secret', (url, label) => {
    expect(resolveTarget(url, {}).label).toBe(label);
  });
});

describe('pingUrl', () => {
  it('appends the kind to the path and the rid to the query the URL already has', () => {
    const t = resolveTarget('https://hb.example.com/ping/tok?create=1', {});
    expect(pingUrl(t, 'start', 'abc').href).toBe(
      'https://hb.example.com/ping/tok/start?create=1&rid=abc',
    );
    expect(pingUrl(t, '', null).href).toBe('https://hb.example.com/ping/tok?create=1');
  });
});
