// The monitor list is paged, on the API and the status page: in config order, a page at a time,
// with a `next` cursor (the last slug of the page, passed back as `after`). Only the monitors of
// the page have their recent history read.
import { describe, expect, it, vi } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const API = 'paging-api-token-0123456789';
const COUNT = 250;

describe('paging the monitor list', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const start = () =>
    t.start(
      configYaml({
        server: { 'api-token': API },
        monitors: Object.fromEntries(
          Array.from({ length: COUNT }, (_, i) => [
            `job-${String(i).padStart(3, '0')}`,
            { every: '1h', ...(i % 5 === 0 ? { tags: ['db'] } : {}) },
          ]),
        ),
      }),
    );
  const get = (path: string) =>
    fetch(`${t.daemon?.url}${path}`, { headers: { authorization: `Bearer ${API}` } });
  const list = async (query = '') =>
    (await (await get(`/api/v1/monitors${query}`)).json()) as {
      monitors: { slug: string }[];
      next: string | null;
      error?: string;
    };

  it('answers the first 100 monitors in config order, and the cursor of the next page', async () => {
    await start();
    const first = await list();
    expect(first.monitors).toHaveLength(100);
    expect(first.monitors[0]?.slug).toBe('job-000');
    expect(first.next).toBe('job-099');
    const rest = await list(`?after=${first.next}&limit=500`);
    expect(rest.monitors.map((m) => m.slug)).toEqual(
      Array.from({ length: 150 }, (_, i) => `job-${String(i + 100).padStart(3, '0')}`),
    );
    expect(rest.next).toBeNull();
  });

  it('walks every monitor exactly once, page by page', async () => {
    await start();
    const seen: string[] = [];
    let after: string | null | undefined = '';
    for (let pages = 0; typeof after === 'string' && pages < 20; pages++) {
      const page = await list(`?limit=33${after === '' ? '' : `&after=${after}`}`);
      seen.push(...page.monitors.map((m) => m.slug));
      after = page.next;
    }
    expect(seen).toHaveLength(COUNT);
    expect(new Set(seen).size).toBe(COUNT);
  });

  it('refuses a cursor that names no monitor, and a limit out of range', async () => {
    await start();
    const gone = await get('/api/v1/monitors?after=no-such-job');
    expect(gone.status).toBe(400);
    expect(((await gone.json()) as { error: string }).error).toMatch(/^after: /);
    expect((await get('/api/v1/monitors?limit=0')).status).toBe(400);
    expect((await get('/api/v1/monitors?limit=501')).status).toBe(400);
  });

  it('reads the recent history of the monitors of the page only', async () => {
    const daemon = await start();
    const recent = vi.spyOn(daemon.store.history, 'recent');
    await list('?limit=20');
    expect(recent).toHaveBeenCalledTimes(20);
    recent.mockClear();
    expect((await get('/')).status).toBe(200);
    expect(recent).toHaveBeenCalledTimes(100);
  });

  it('shows 100 monitors on the status page, with a link to the next page', async () => {
    await start();
    const body = await (await get('/')).text();
    expect(body.match(/data-slug=/g)).toHaveLength(100);
    expect(body).toContain('href="/?after=job-099"');
    expect(body).toMatch(/>All<span class="n">250<\/span>/);
    const next = await (await get('/?after=job-099')).text();
    expect(next).toContain('data-slug="job-100"');
    expect(next).toContain('href="/"');
  });

  it('starts the status page list again when its cursor names a monitor a reload removed', async () => {
    await start();
    const res = await fetch(`${t.daemon?.url}/?tag=db&after=no-such-job`, {
      headers: { authorization: `Bearer ${API}` },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/?tag=db');
  });

  it('keeps the filters in the next page link', async () => {
    await start();
    const body = await (await get('/?tag=db&status=new')).text();
    expect(body.match(/data-slug=/g)).toHaveLength(50);
    expect(body).not.toContain('after=');
    const byStatus = await (await get('/?status=new')).text();
    expect(byStatus.match(/data-slug=/g)).toHaveLength(100);
    expect(byStatus).toContain('href="/?status=new&amp;after=job-099"');
    expect(byStatus).toContain('href="/?status=new&amp;tag=db"');
    const small = await (await get('/?tag=db&after=job-100')).text();
    expect(small).toContain('data-slug="job-105"');
    expect(small).not.toContain('data-slug="job-100"');
  });
});
