// A ping's time is when it was received in full: a success whose body arrives slowly never moves
// the last ping back behind a newer ping, and history shows both in the order they were received.
import { request, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { daemonFixture } from '../helpers/daemon.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const TOKEN = 'slow-body-token-0123456789';
const YAML = `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
monitors:
  backup:
    every: 1m
    grace: 10s
    token: ${TOKEN}
`;

describe('a ping whose body arrives slowly', () => {
  const t = daemonFixture(T0);

  it('takes its time from the end of its body, so a newer ping is never overtaken', async () => {
    const daemon = await t.start(YAML);
    // The slow ping's headers arrive at T0 (the server has them once "100 Continue" comes back).
    const slow = request(`${daemon.url}/ping/${TOKEN}`, {
      method: 'POST',
      headers: { 'content-length': '4', expect: '100-continue' },
    });
    const slowAnswer = new Promise<IncomingMessage>((resolve) => slow.on('response', resolve));
    await new Promise((resolve) => slow.once('continue', resolve));
    slow.write('sl');
    // A quick ping comes in full 3 s later and is stored.
    t.clock.advance(3_000);
    expect((await fetch(`${daemon.url}/ping/${TOKEN}`)).status).toBe(200);
    // The slow body ends 1 s after that.
    t.clock.advance(1_000);
    slow.end('ow');
    const res = await slowAnswer;
    res.resume();
    expect(res.statusCode).toBe(200);
    const state = daemon.monitors.bySlug('backup')?.state;
    expect(state?.lastSuccessAt).toBe(T0 + 4_000);
    const times = daemon.store.db.prepare('SELECT at FROM pings ORDER BY id').all();
    expect(times).toEqual([{ at: T0 + 3_000 }, { at: T0 + 4_000 }]);
    // Due a minute after the newest success, not after the slow ping's first byte.
    expect(daemon.monitors.deadlineAt(daemon.monitors.bySlug('backup')!)).toBe(T0 + 4_000 + 60_000);
  });
});
