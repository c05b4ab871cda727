import { describe, expect, it } from 'vitest';
import { configOf, doc, problemsOf } from './helpers.js';

describe('server.heartbeat', () => {
  it('is off unless configured', () => {
    expect(configOf(doc('server:', '  listen: 8080')).server.heartbeat).toBeNull();
  });

  it('takes a URL, with /fail after it and built-in bounds by default', () => {
    const config = configOf(
      doc('server:', '  heartbeat:', '    url: https://hc.example.com/ping/abc/'),
    );
    expect(config.server.heartbeat).toEqual({
      url: 'https://hc.example.com/ping/abc/',
      failUrl: 'https://hc.example.com/ping/abc/fail',
      everyMs: 60_000,
      timeoutMs: 10_000,
      maxLatenessMs: 10_000,
      maxAlertAgeMs: 600_000,
    });
  });

  it('takes every setting it is given', () => {
    const config = configOf(
      doc(
        'server:',
        '  heartbeat:',
        '    url: http://watcher:8080/ping/a',
        '    fail-url: http://watcher:8080/ping/a/1',
        '    every: 30s',
        '    timeout: 5s',
        '    max-lateness: 2s',
        '    max-alert-age: 1h',
      ),
    );
    expect(config.server.heartbeat).toMatchObject({
      failUrl: 'http://watcher:8080/ping/a/1',
      everyMs: 30_000,
      timeoutMs: 5_000,
      maxLatenessMs: 2_000,
      maxAlertAgeMs: 3_600_000,
    });
  });

  it.each([
    [
      'a missing url',
      ['  heartbeat:', '    every: 1m'],
      "config.yaml:3:5 server.heartbeat: missing required key 'url'",
    ],
    [
      'an interval under a second',
      ['  heartbeat:', '    url: http://w/ping/a', '    every: 500ms'],
      'config.yaml:4:12 server.heartbeat.every:',
    ],
    [
      'a URL that is not http(s)',
      ['  heartbeat:', '    url: ftp://w/ping/a'],
      'config.yaml:3:10 server.heartbeat.url:',
    ],
  ])('reports %s at its position', (_name, lines, start) => {
    const problems = problemsOf(doc('server:', ...lines));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(start)).toBe(true);
  });
});
