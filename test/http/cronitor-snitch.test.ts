// Two more ping dialects, so jobs move by changing only the host: Cronitor's telemetry URL (the
// parameters the `cronitor` npm package's lib/monitor.js sends) and Dead Man's Snitch's root URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configYaml } from '../helpers/config-yaml.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const KEY = 'cronitor-api-key-0123456789';
const SNITCH = 'c2354d53d2-snitch-token';

describe("Cronitor and Dead Man's Snitch pings", () => {
  const dir = tempDir();
  let daemon: Daemon;
  beforeAll(async () => {
    const yaml = configYaml({
      server: { 'ping-key': KEY, public: ['status-page'] },
      monitors: { 'nightly-job': { every: '1d' }, snitched: { every: '1d', token: SNITCH } },
    });
    daemon = await startDaemon(configFrom(dir.path, yaml));
  });
  afterAll(async () => {
    await daemon.close();
    dir.remove();
  });
  const call = (path: string, init: RequestInit = {}) => fetch(`${daemon.url}${path}`, init);
  const last = () =>
    daemon.store.db
      .prepare(
        'SELECT kind, exit_status, run_id, duration_ms, value, body FROM pings ORDER BY id DESC LIMIT 1',
      )
      .get() as Record<string, unknown> & { body: Buffer | null };
  const status = (slug: string) => daemon.monitors.bySlug(slug)?.state.status;
  const cronitor = (query: string) => call(`/ping/${KEY}/nightly-job?${query}`);

  it('takes state=run as a start and state=complete as its end, paired by series', async () => {
    expect((await cronitor('state=run&series=abc123&host=web1&stamp=1714557600.5')).status).toBe(
      200,
    );
    expect(last()).toMatchObject({ kind: 'start', run_id: 'abc123' });
    expect(status('nightly-job')).toBe('running');
    await cronitor(
      'state=complete&series=abc123&message=done%20ok&metric=duration:12.5&metric=count:42',
    );
    expect(last()).toMatchObject({
      kind: 'success',
      run_id: 'abc123',
      duration_ms: 12_500,
      value: 42,
    });
    expect(last().body?.toString()).toBe('done ok');
    expect(status('nightly-job')).toBe('up');
  });

  it('takes state=fail, and state=complete with a non-zero status_code, as failures', async () => {
    await cronitor('state=fail&message=disk%20full');
    expect(last()).toMatchObject({ kind: 'fail' });
    expect(status('nightly-job')).toBe('down');
    await cronitor('state=ok');
    expect(status('nightly-job')).toBe('up');
    await cronitor('state=complete&status_code=3');
    expect(last()).toMatchObject({ kind: 'fail', exit_status: 3 });
  });

  it('refuses an unknown state or a metric that is not a number with a 400 that says why', async () => {
    const bad = await cronitor('state=finished');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('run, complete, fail or ok');
    expect((await cronitor('state=complete&metric=duration:soon')).status).toBe(400);
  });

  it("takes Dead Man's Snitch's /<token>?m=&s= at the root", async () => {
    expect((await call(`/${SNITCH}?m=backup%20done`)).status).toBe(200);
    expect(last()).toMatchObject({ kind: 'success' });
    expect(last().body?.toString()).toBe('backup done');
    expect((await call(`/${SNITCH}?s=2`, { method: 'POST' })).status).toBe(200);
    expect(last()).toMatchObject({ kind: 'fail', exit_status: 2 });
    expect(status('snitched')).toBe('down');
    expect((await call(`/${SNITCH}?s=999`)).status).toBe(400);
  });

  it('never shadows a route: the router answers first, and only an unmatched path is a snitch', async () => {
    // The status page's own routes still answer as themselves.
    expect((await call('/')).headers.get('content-type')).toContain('text/html');
    expect(await (await call('/healthz')).text()).toBe('ok');
    expect((await call('/monitors/snitched')).headers.get('content-type')).toContain('text/html');
    // Unknown paths that cannot be a token, and unknown tokens, are 404 as before.
    expect((await call('/favicon.ico')).status).toBe(404);
    expect((await call('/unknown-token-0123456789')).status).toBe(404);
    expect((await call(`/${SNITCH}/extra`)).status).toBe(404);
  });
});
