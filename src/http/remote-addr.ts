// The address a request came from: the socket's, or with server.trust-proxy the one the proxy saw.
import type { IncomingMessage } from 'node:http';

export function remoteAddr(req: IncomingMessage, trustProxy: boolean): string | null {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded !== '') {
    // The proxy appends the address it saw: the last entry is the one a client cannot forge.
    const last = forwarded.split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? null;
}
