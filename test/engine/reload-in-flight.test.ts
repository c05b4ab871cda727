// A ping in flight while a reload removes or renames its monitor: acknowledged means stored. A
// renamed monitor (same token) gets the ping; a removed one is answered 404, never 200.
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const TOKEN = 'inflight-token-0123456789';
const config = (slug: string | null) => `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
monitors:
  other:
    every: 1h
${slug === null ? '' : `  ${slug}:\n    every: 1h\n    token: ${TOKEN}\n`}`;

describe('a ping in flight during a reload', () => {
  let dir: ReturnType<typeof tempDir>;
  let daemon: Daemon;
  beforeEach(async () => {
    dir = tempDir();
    daemon = await startDaemon(configFrom(dir.path, config('backup')));
  });
  afterEach(async () => {
    await daemon.close();
    dir.remove();
  });

  /** A POST ping whose headers are sent (and its monitor looked up) but whose body is not yet. */
  async function inFlight(): Promise<{ req: ClientRequest; answer: Promise<IncomingMessage> }> {
    // With Expect: 100-continue, Node's server answers "100 Continue" as it hands the request to
    // its handler, which looks the token up at once: the lookup is done when 'continue' arrives.
    const req = request(`${daemon.url}/ping/${TOKEN}`, {
      method: 'POST',
      headers: { 'content-length': '4', expect: '100-continue' },
    });
    const answer = new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    await new Promise((resolve) => req.once('continue', resolve));
    req.write('ha');
    return { req, answer };
  }
  const stored = (slug: string) =>
    (
      daemon.store.db
        .prepare(
          'SELECT COUNT(*) AS n FROM pings WHERE monitor_id = (SELECT id FROM monitors WHERE slug = ?)',
        )
        .get(slug) as { n: number }
    ).n;
  const allPings = () =>
    (daemon.store.db.prepare('SELECT COUNT(*) AS n FROM pings').get() as { n: number }).n;

  it('stores the ping under the new slug when the reload renamed its monitor', async () => {
    const { req, answer } = await inFlight();
    await daemon.reload(configFrom(dir.path, config('nightly-backup')));
    req.end('lf');
    const res = await answer;
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(stored('nightly-backup')).toBe(1);
  });

  it('answers 404 and stores nothing when the reload removed its monitor', async () => {
    const { req, answer } = await inFlight();
    await daemon.reload(configFrom(dir.path, config(null)));
    req.end('lf');
    const res = await answer;
    res.resume();
    expect(res.statusCode).toBe(404);
    expect(allPings()).toBe(0);
  });
});
