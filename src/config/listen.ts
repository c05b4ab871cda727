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
