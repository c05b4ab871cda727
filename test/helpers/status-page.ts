// The status page served over a FakeReadModel on 127.0.0.1:0, and requests to it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@tinyhttp/app';
import { mountStatusPage } from '../../src/http/status-page.js';
import { credentialGuard } from '../../src/http/credential-guard.js';
import { silentLogger } from '../../src/platform/log.js';
import { FakeReadModel, NOW, summary, WRITE_TOKEN } from './fake-read-model.js';

export class StatusPageServer {
  #server: Server | undefined;

  /** Serves the status page over `model`; returns its base URL. */
  async serve(model: FakeReadModel, baseUrl = '', canLogIn = true): Promise<string> {
    const app = new App({ settings: { xPoweredBy: false } });
    mountStatusPage(app, model, {
      access: (req) => model.access(req),
      baseUrl: () => baseUrl,
      canLogIn: () => canLogIn,
      credentials: credentialGuard({ log: silentLogger, now: () => NOW, trustProxy: () => false }),
      sessions: model.sessions,
    });
    const server = createServer((req, res) => app.handler(req as never, res as never));
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const asWriter = bearer(WRITE_TOKEN);

/** One monitor in each status; two tagged `backup`. */
export function everyStatus(): FakeReadModel {
  return new FakeReadModel([
    summary('db-backup', { name: 'DB backup', status: 'down', tags: ['backup'] }),
    summary('files-backup', { status: 'late', tags: ['backup'] }),
    summary('etl', { status: 'running' }),
    summary('certs', { status: 'up' }),
    summary('fresh', { status: 'new', lastPingAt: null, recent: [] }),
    summary('old', { status: 'paused', nextDeadlineAt: null }),
  ]);
}

export async function get(url: string, headers: Record<string, string> = asWriter) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { res, body: await res.text() };
}

export function post(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}
