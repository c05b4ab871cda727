import { describe, expect, it } from 'vitest';
import { parseListen } from '../../src/config/listen.js';
import { configOf, doc, file, problemsOf } from './helpers.js';

describe('server', () => {
  it('has built-in defaults for every setting', () => {
    expect(configOf('').server).toEqual({
      host: '127.0.0.1',
      port: 8080,
      dataDir: '/etc/overdue/data',
      pingKey: null,
      bodyLimit: 10_000,
      keepPings: 1000,
      trustProxy: false,
      publicUrl: null,
      apiToken: null,
      readToken: null,
      metricsToken: null,
      public: [],
      heartbeat: null,
    });
  });

  it('takes every setting from the file', () => {
    const config = configOf(
      doc(
        'server:',
        '  listen: 0.0.0.0:9000',
        '  data-dir: /srv/overdue',
        '  ping-key: abcdefghijklmnop._~-',
        '  body-limit: 0',
        '  keep-pings: 1',
        '  trust-proxy: true',
        '  public-url: https://hb.example.com/',
      ),
    );
    expect(config.server).toEqual({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/srv/overdue',
      pingKey: 'abcdefghijklmnop._~-',
      bodyLimit: 0,
      keepPings: 1,
      trustProxy: true,
      publicUrl: 'https://hb.example.com',
      apiToken: null,
      readToken: null,
      metricsToken: null,
      public: [],
      heartbeat: null,
    });
  });

  it('gives the absolute path of the file', () => {
    expect(configOf('').file).toBe(file);
  });

  it.each([
    ['127.0.0.1:8080', '127.0.0.1', 8080],
    ['0.0.0.0:0', '0.0.0.0', 0],
    ['localhost:80', 'localhost', 80],
    ['hb.example.com:65535', 'hb.example.com', 65535],
    ['[::1]:9000', '::1', 9000],
    ['[::]:9000', '::', 9000],
    ['8080', '127.0.0.1', 8080],
    ['0', '127.0.0.1', 0],
  ])('listens on %s as host %s port %d', (text, host, port) => {
    expect(parseListen(text)).toEqual({ host, port });
  });

  it.each([
    ['localhost', "missing port in 'localhost' (write host:port, like 127.0.0.1:8080)"],
    [':8080', "missing host in ':8080' (write 0.0.0.0:8080 for all interfaces, or 127.0.0.1:8080)"],
    ['::1:8080', 'write an IPv6 address in brackets, like [::1]:8080'],
    ['[nope]:80', "invalid IPv6 address 'nope'"],
    ['[::1]', "missing port in '[::1]' (write [::1]:8080)"],
    ['[::1:80', "invalid listen address '[::1:80' (write [v6]:port, like [::1]:8080)"],
    ['127.0.0.1:65536', "invalid port '65536' (0 to 65535; 0 picks a free port)"],
    ['127.0.0.1:http', "invalid port 'http' (0 to 65535; 0 picks a free port)"],
    ['127.0.0.1:', "invalid port '' (0 to 65535; 0 picks a free port)"],
    ['my host:80', "invalid host 'my host'"],
  ])('rejects the listen address %j', (text, message) => {
    expect(parseListen(text)).toBe(message);
  });

  it('accepts a bare port written as a YAML number', () => {
    expect(configOf(doc('server:', '  listen: 9090')).server).toMatchObject({
      host: '127.0.0.1',
      port: 9090,
    });
  });

  it('reports a bad listen address at its value', () => {
    expect(problemsOf(doc('server:', '  listen: "[::1]:99999"'))).toEqual([
      "config.yaml:2:11 server.listen: invalid port '99999' (0 to 65535; 0 picks a free port)",
    ]);
  });

  it('treats an empty ping key from the environment as none', () => {
    expect(configOf(doc('server:', '  ping-key: ${KEY:-}')).server.pingKey).toBeNull();
  });

  it('treats ~ as no public URL', () => {
    expect(configOf(doc('server:', '  public-url: ~')).server.publicUrl).toBeNull();
  });
});

describe('server access', () => {
  it('takes a read token, a metrics token and the parts that are public', () => {
    const server = configOf(
      doc(
        'server:',
        '  read-token: read-token-0123456789',
        '  metrics-token: metrics-token-0123456789',
        '  public: [status-page, metrics]',
      ),
    ).server;
    expect(server).toMatchObject({
      readToken: 'read-token-0123456789',
      metricsToken: 'metrics-token-0123456789',
      public: ['status-page', 'metrics'],
    });
  });

  it('rejects a part of the server that cannot be public', () => {
    expect(problemsOf(doc('server:', '  public: [pings]'))[0]).toBe(
      "config.yaml:2:12 server.public[0]: expected one of status-page, api, metrics, got 'pings'",
    );
  });
});
