// Guessing the api-token at the login form or the API: once an address is over the limit of failed
// attempts, every attempt from it is refused until it cools down, the right token too, so the
// answer to a guess no longer tells whether it was right.
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const API = 'lockout-api-token-0123456789';
const WRONG = 'wrong-token-0123456789abcdef';

describe('an address over the limit of failed credentials', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const start = () =>
    t.start(configYaml({ server: { 'api-token': API }, monitors: { job: { every: '1h' } } }));
  const login = (token: string) =>
    fetch(`${t.daemon?.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, next: '/' }).toString(),
      redirect: 'manual',
    });
  const list = (token: string) =>
    fetch(`${t.daemon?.url}/api/v1/monitors`, { headers: { authorization: `Bearer ${token}` } });
  const create = (token: string) =>
    fetch(`${t.daemon?.url}/v1/heartbeats`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '{}',
    });

  it('refuses the right token at the login form until it cools down', async () => {
    await start();
    for (let i = 0; i < 40; i++) await (await login(WRONG)).text();
    const right = await login(API);
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    t.clock.advance(60_000);
    const later = await login(API);
    expect(later.status).toBe(303);
  });

  it('refuses the right token on the API until it cools down', async () => {
    await start();
    for (let i = 0; i < 40; i++) await (await list(WRONG)).text();
    expect((await list(API)).status).toBe(429);
    expect((await create(API)).status).toBe(429);
    t.clock.advance(60_000);
    expect((await list(API)).status).toBe(200);
  });

  it('answers a right and a wrong guess alike while locked out', async () => {
    await start();
    for (let i = 0; i < 40; i++) await (await login(WRONG)).text();
    const [wrong, right] = [await login(WRONG), await login(API)];
    expect(right.status).toBe(wrong.status);
    expect(await right.text()).toBe(await wrong.text());
  });

  it('counts failures at the login form and on the API against the same address', async () => {
    await start();
    for (let i = 0; i < 40; i++) await (await list(WRONG)).text();
    expect((await login(API)).status).toBe(429);
  });
});
