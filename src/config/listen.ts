// The `listen` address: `host:port`, `[v6]:port`, or a bare port on the loopback interface.
import { isIPv6 } from 'node:net';

export interface ListenAddress {
  /** Without brackets, as node:net wants it. */
  readonly host: string;
  readonly port: number;
}

const defaultHost = '127.0.0.1';
const hostname = /^[A-Za-z0-9.-]+$/;

/** The address, or a message saying what is wrong with it. */
export function parseListen(s: string): ListenAddress | string {
  if (/^\d+$/.test(s)) return withPort(defaultHost, s);
  if (s.startsWith('[')) return bracketed(s);
  const colon = s.lastIndexOf(':');
  if (colon === -1) return `missing port in '${s}' (write host:port, like 127.0.0.1:8080)`;
  const host = s.slice(0, colon);
  if (host === '') {
    return `missing host in '${s}' (write 0.0.0.0${s} for all interfaces, or 127.0.0.1${s})`;
  }
  if (host.includes(':')) return `write an IPv6 address in brackets, like [::1]:8080`;
  if (!hostname.test(host)) return `invalid host '${host}'`;
  return withPort(host, s.slice(colon + 1));
}

function bracketed(s: string): ListenAddress | string {
  const m = /^\[([^\]]*)\](?::(.*))?$/.exec(s);
  if (m === null) return `invalid listen address '${s}' (write [v6]:port, like [::1]:8080)`;
  const [, host = '', port] = m;
  if (!isIPv6(host)) return `invalid IPv6 address '${host}'`;
  return port === undefined ? `missing port in '${s}' (write ${s}:8080)` : withPort(host, port);
}

function withPort(host: string, port: string): ListenAddress | string {
  const n = /^\d+$/.test(port) ? Number(port) : NaN;
  return n <= 65535
    ? { host, port: n }
    : `invalid port '${port}' (0 to 65535; 0 picks a free port)`;
}

/** Where a server can be reached from: the parts of its config that say so. */
export interface Reach {
  /** The address it listens on (for a reload: the one it already listens on). */
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string | null;
  readonly trustProxy: boolean;
}

/**
 * Why other hosts can reach the server, as the end of a sentence starting "this server"; null
 * when only this host can. A server on loopback behind a reverse proxy is reachable: it says so
 * with a public-url that is not on loopback, or by trusting the proxy's X-Forwarded-For.
 */
export function reachableFromOtherHosts(reach: Reach): string | null {
  if (!isLoopback(reach.host)) {
    const host = reach.host.includes(':') ? `[${reach.host}]` : reach.host;
    return `listens on ${host}:${reach.port}`;
  }
  if (reach.publicUrl !== null && !isLoopback(urlHost(reach.publicUrl))) {
    return `is reached at ${reach.publicUrl}`;
  }
  return reach.trustProxy ? 'is behind a proxy (trust-proxy)' : null;
}

/** localhost, 127.0.0.0/8 or ::1 (also as an IPv4-mapped address). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^::ffff:/, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function urlHost(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}
