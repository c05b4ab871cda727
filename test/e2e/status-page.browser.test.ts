// The status page in headless Chromium against the real daemon (real SQLite, real HTTP, a fake
// clock): log in through the form, read the list, filter, open a monitor, pause and resume it with
// its buttons. Any console or page error fails the test; screenshots of the desktop and a phone
// viewport go to build/test-artifacts/.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { launchBrowser, screenshot, skipBrowser, type Browser } from '../helpers/browser.js';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, startDaemon, turn } from '../helpers/daemon.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/temp.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const TOKEN = 'browser-api-token-4567';
const PHONE = { width: 390, height: 844 };

const YAML = configYaml({
  server: { 'api-token': TOKEN },
  monitors: {
    'db-backup': { name: 'Nightly Postgres backup', every: '1d', tags: ['backup'] },
    'files-backup': { name: 'Files backup', every: '10m', grace: '1h', tags: ['backup'] },
    etl: { name: 'ETL import', every: '1d', 'max-runtime': '2h' },
    certs: { name: 'Certificate renewal', every: '1d' },
    fresh: { name: 'Brand new job', every: '1h' },
    old: { name: 'Retired report', every: '1d' },
  },
});

describe.skipIf(skipBrowser)('the status page in a browser', () => {
  const dir = tempDir();
  const clock = new FakeClock(T0);
  let daemon: Daemon;
  let browser: Browser;

  const ping = async (path: string, body?: string) => {
    const res = await fetch(`${daemon.url}/ping/${KEY}/${path}`, {
      method: 'POST',
      body: body ?? null,
    });
    expect(res.status).toBe(200);
  };

  /** Pings that leave one monitor in each status. */
  async function everyStatus(): Promise<void> {
    await ping('certs/start');
    await ping('files-backup');
    await ping('db-backup');
    clock.advance(4 * 60_000);
    await ping('certs', 'renewed 3 certificates\nnext renewal in 60 days');
    await ping('db-backup/fail', 'pg_dump: error: connection refused');
    await ping('etl/start');
    clock.advance(20 * 60_000);
    await turn();
    const paused = await fetch(`${daemon.url}/monitors/old/pause`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      redirect: 'manual',
    });
    expect(paused.status).toBe(303);
  }

  beforeAll(async () => {
    daemon = await startDaemon(configFrom(dir.path, YAML), clock);
    await everyStatus();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await daemon?.close();
    dir.remove();
  });

  // Every step must leave the console clean: a CSP violation or a failed asset shows up here.
  afterEach(() => {
    expect(browser.errors.splice(0)).toEqual([]);
  });

  const statusOf = (slug: string) =>
    browser.page.locator(`[data-slug="${slug}"] .status`).first().innerText();

  it('logs in through the form and lists a monitor in every status', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${daemon.url}/`);
    const expected = {
      'db-backup': 'DOWN',
      'files-backup': 'LATE',
      etl: 'RUNNING',
      certs: 'UP',
      fresh: 'NEW',
      old: 'PAUSED',
    };
    for (const [slug, status] of Object.entries(expected))
      expect(await statusOf(slug)).toBe(status);
    await screenshot(page, 'status-list-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'status-list-phone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'status-list-phone-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('filters by status and by tag', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/`);
    await page.click('a.chip[href="/?status=down"]');
    expect(await page.locator('[data-slug]').count()).toBe(1);
    await page.goto(`${daemon.url}/`);
    await page.click('a.chip[href="/?tag=backup"]');
    const cards = await page.locator('[data-slug]').all();
    const slugs = await Promise.all(cards.map((card) => card.getAttribute('data-slug')));
    expect(slugs).toEqual(['db-backup', 'files-backup']);
  });

  it('opens a monitor page with its pings and pauses and resumes it with the buttons', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/`);
    await page.click('a.name[href="/monitors/certs"]');
    await page.waitForURL(`${daemon.url}/monitors/certs`);
    expect(await page.locator('h1').innerText()).toBe('Certificate renewal');
    expect(await page.locator('#pings + .scroll tbody tr').count()).toBe(2);
    const badge = page.locator('img[alt="status badge"]');
    expect(
      await badge.evaluate((img: { naturalWidth: number }) => img.naturalWidth),
    ).toBeGreaterThan(0);
    await screenshot(page, 'status-monitor-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'status-monitor-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.click('button:has-text("Pause")');
    await page.waitForURL(`${daemon.url}/monitors/certs`);
    expect(await page.locator('.card .status').first().innerText()).toBe('PAUSED');
    await page.click('button:has-text("Resume")');
    await page.waitForURL(`${daemon.url}/monitors/certs`);
    expect(await page.locator('.card .status').first().innerText()).not.toBe('PAUSED');
    expect(await page.locator('button:has-text("Pause")').count()).toBe(1);
  });
});
