// The status page leads with trouble, on a real daemon (real SQLite, real HTTP, a fake clock): the
// most urgent monitors first with a one-line summary on top, late apart from missed in the recent
// strip, uptime from the transitions, and every URL a monitor answers on.
import { describe, expect, it, vi } from 'vitest';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { daemonFixture, turn } from '../helpers/daemon.js';

const API = 'trouble-api-token-0123456789';
const TOKEN = '6b3c1a52-8f0e-4c1d-9a57-2f7d1e0b9c44';
const H = 3_600_000;

/** The page's text without tags, with runs of white space made one. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
const slugsOf = (html: string) => [...html.matchAll(/data-slug="([^"]+)"/g)].map((m) => m[1]);

describe('a status page that leads with trouble', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const start = (monitors: Record<string, Record<string, unknown>>) =>
    t.start(configYaml({ server: { 'api-token': API }, monitors: monitors as never }));
  const get = async (path: string) => {
    const res = await fetch(`${t.daemon?.url}${path}`, {
      headers: { authorization: `Bearer ${API}` },
    });
    expect(res.status).toBe(200);
    return res.text();
  };
  const ping = async (path: string) =>
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/${path}`)).status).toBe(200);

  /** One monitor in each status, listed in the config in the order of `up` to `paused`. */
  async function everyStatus(): Promise<void> {
    await start({
      fine: { every: '1d' },
      fresh: { every: '1d' },
      broken: { every: '1d' },
      etl: { every: '1d', 'max-runtime': '2h' },
      slow: { every: '10m', grace: '1h' },
      old: { every: '1d' },
    });
    await ping('fine');
    await ping('broken/fail');
    await ping('etl/start');
    await ping('slow');
    t.clock.advance(20 * 60_000);
    await turn();
    const paused = await fetch(`${t.daemon?.url}/monitors/old/pause`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API}` },
      redirect: 'manual',
    });
    expect(paused.status).toBe(303);
  }

  it('lists the monitors most urgent first: down, late, running, then the rest in config order', async () => {
    await everyStatus();
    expect(slugsOf(await get('/'))).toEqual(['broken', 'slow', 'etl', 'fine', 'fresh', 'old']);
  });

  it('says on top how many monitors are in each status, the most urgent first', async () => {
    await everyStatus();
    const summary = /<p class="summary"[\s\S]*?<\/p>/.exec(await get('/'))?.[0] ?? '';
    expect(textOf(summary).trim()).toBe('1 down · 1 late · 1 running · 1 up · 1 new · 1 paused');
  });

  it('pages through the most-urgent-first list, every monitor once', async () => {
    const monitors = Object.fromEntries(
      Array.from({ length: 250 }, (_, i) => [`job-${String(i).padStart(3, '0')}`, { every: '1d' }]),
    );
    await start(monitors);
    for (const slug of ['job-249', 'job-180', 'job-120']) await ping(`${slug}/fail`);
    const seen: string[] = [];
    let path: string | null = '/';
    while (path !== null) {
      const body: string = await get(path);
      seen.push(...(slugsOf(body) as string[]));
      const next = /href="(\/\?after=[^"]+)" rel="next"/.exec(body)?.[1];
      path = next === undefined ? null : next.replace(/&amp;/g, '&');
    }
    expect(seen.slice(0, 4)).toEqual(['job-120', 'job-180', 'job-249', 'job-000']);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
  });

  it('reads the uptime of the monitors of the page only', async () => {
    const monitors = Object.fromEntries(
      Array.from({ length: 150 }, (_, i) => [`job-${i}`, { every: '1d' }]),
    );
    const daemon = await start(monitors);
    const changes = vi.spyOn(daemon.store.history, 'changesSince');
    await get('/');
    expect(changes).toHaveBeenCalledTimes(100);
  });

  it('marks a passed expected time as late, apart from the deadline missed after it', async () => {
    await start({ backup: { every: '10m', grace: '5m' } });
    await ping('backup');
    t.clock.advance(10 * 60_000);
    await turn();
    t.clock.advance(5 * 60_000);
    await turn();
    const strip = /<span class="strip"[\s\S]*?<\/div>/.exec(await get('/'))?.[0] ?? '';
    const marks = [...strip.matchAll(/class="mark (\w+)"/g)].map((m) => m[1]);
    expect(marks).toEqual(['success', 'late', 'missed']);
  });

  it('shows the uptime over 24 h, 7 d and 30 d, from the transitions', async () => {
    await start({ backup: { every: '1d' } });
    await ping('backup');
    t.clock.advance(6 * H);
    await ping('backup/fail');
    t.clock.advance(3 * H);
    await ping('backup');
    t.clock.advance(3 * H);
    // Watched for 12 h since the first ping, down for 3 of them.
    const line = 'Uptime 24h 75% · 7d 75% · 30d 75%';
    expect(textOf(await get('/'))).toContain(line);
    expect(textOf(await get('/monitors/backup'))).toContain(line);
  });

  it('lists every URL the monitor answers on, and each one records a ping', async () => {
    await start({ backup: { every: '1d', token: TOKEN } });
    const body = await get('/monitors/backup');
    const urls = [...body.matchAll(/<li data-dialect="[^"]*">[\s\S]*?<\/li>/g)].map((m) => {
      const method = /<b>[^<]*<\/b> <span class="muted">(GET|POST)/.exec(m[0])?.[1] ?? '';
      const url = /<code class="url">([^<]*)<\/code>/.exec(m[0])?.[1]?.replace(/&amp;/g, '&');
      return { method, url: url ?? '' };
    });
    expect(urls.map((u) => new URL(u.url).pathname)).toEqual([
      `/ping/${TOKEN}`,
      `/ping/${KEY}/backup`,
      `/api/push/${TOKEN}`,
      `/hb/${TOKEN}`,
      `/heartbeat/${TOKEN}`,
      `/v1/heartbeats/${TOKEN}/ping`,
      '/api/v1/endpoints/backup/external',
    ]);
    for (const { method, url } of urls) {
      const res = await fetch(url, { method, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status, `${method} ${url}`).toBe(200);
    }
    expect(t.daemon?.read.pings('backup', { limit: 50 })?.items).toHaveLength(urls.length);
  });
});
