// The status page in headless Chromium against the real daemon (real SQLite, real HTTP, a fake
// clock): log in through the form, read the list (trouble first, a summary on top), filter, open a
// monitor (its URLs, uptime, tables that reflow on a phone), pause and resume it with its buttons,
// and see the banner of a failed reload. Any console or page error fails the test; screenshots of
// the desktop and a phone viewport go to build/test-artifacts/.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { join } from 'node:path';
import {
  ARTIFACTS,
  launchBrowser,
  screenshot,
  skipBrowser,
  type Browser,
} from '../helpers/browser.js';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, startDaemon, turn } from '../helpers/daemon.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/temp.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const TOKEN = 'browser-api-token-4567';
const PHONE = { width: 390, height: 844 };

/** What the page's functions see of the browser (the tests are typed without the DOM's types). */
interface Window {
  getComputedStyle(element: unknown): { borderTopColor: string };
}

const CERTS_TOKEN = '0b7f3c2e-5a41-4d8e-9c6b-1e2f3a4b5c6d';

// In the config the trouble comes last: the page must lead with it all the same.
const YAML = configYaml({
  server: { 'api-token': TOKEN },
  monitors: {
    certs: { name: 'Certificate renewal', every: '1d', token: CERTS_TOKEN },
    fresh: { name: 'Brand new job', every: '1h' },
    old: { name: 'Retired report', every: '1d' },
    etl: { name: 'ETL import', every: '1d', 'max-runtime': '2h' },
    'files-backup': { name: 'Files backup', every: '10m', grace: '1h', tags: ['backup'] },
    report: { name: 'Hourly report', every: '10m', grace: '5m' },
    'db-backup': { name: 'Nightly Postgres backup', every: '1d', tags: ['backup'] },
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

  /** Pings that leave one monitor in each status (two down: one failed, one silent). */
  async function everyStatus(): Promise<void> {
    await ping('certs/start');
    clock.advance(1_500);
    await ping('certs', 'renewed 3 certificates\nnext renewal in 60 days');
    await ping('files-backup');
    await ping('report');
    await ping('db-backup');
    clock.advance(4 * 60_000);
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
      report: 'DOWN',
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
    // Trouble first, config order within it, and on a phone the first down is above the fold.
    const attributes = async (selector: string, name: string) =>
      Promise.all((await page.locator(selector).all()).map((e) => e.getAttribute(name)));
    const order = await attributes('[data-slug]', 'data-slug');
    expect(order).toEqual(Object.keys(expected));
    expect(await page.locator('.summary').innerText()).toBe(
      '2 down · 1 late · 1 running · 1 up · 1 new · 1 paused',
    );
    const first = await page.locator('[data-slug="report"]').boundingBox();
    expect((first?.y ?? Infinity) + (first?.height ?? 0)).toBeLessThan(PHONE.height);
    await screenshot(page, 'status-list-phone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'status-list-phone-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('draws a late mark in a colour of its own, apart from the missed deadline after it', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/`);
    const marks = await page.locator('[data-slug="report"] .strip .mark').all();
    expect(await Promise.all(marks.map((m) => m.getAttribute('class')))).toEqual([
      'mark success',
      'mark late',
      'mark missed',
    ]);
    const colour = (kind: string) =>
      page
        .locator(`[data-slug="report"] .mark.${kind}`)
        .evaluate((m) => (globalThis as unknown as Window).getComputedStyle(m).borderTopColor);
    expect(await colour('late')).not.toBe(await colour('missed'));
  });

  it('filters by status and by tag', async () => {
    const { page } = browser;
    await page.goto(`${daemon.url}/`);
    await page.click('a.chip[href="/?status=down"]');
    expect(await page.locator('[data-slug]').count()).toBe(2);
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
    const duration = page.locator(
      '#pings + .scroll tbody tr:first-child td[data-label="Duration"]',
    );
    expect((await duration.innerText()).trim()).toBe('1.5s');
    // The token's URL in every dialect, and the ping-key's.
    expect(await page.locator('.ping-urls li').count()).toBe(7);
    expect(await page.locator('dl.facts').innerText()).toMatch(
      /Uptime\s+24h 100% · 7d 100% · 30d 100%/,
    );
    const badge = page.locator('img[alt="status badge"]');
    expect(
      await badge.evaluate((img: { naturalWidth: number }) => img.naturalWidth),
    ).toBeGreaterThan(0);
    await screenshot(page, 'status-monitor-desktop');
    await page.setViewportSize(PHONE);
    // On a phone each ping reflows into a card: Duration and Output are on screen, not off it.
    for (const label of ['Duration', 'Output']) {
      const cell = page.locator(`#pings + .scroll tbody tr:first-child td[data-label="${label}"]`);
      const box = await cell.boundingBox();
      expect(box).not.toBeNull();
      expect((box?.x ?? Infinity) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    }
    const pageWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(pageWidth).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'status-monitor-phone');
    await page
      .locator('#pings + .scroll')
      .screenshot({ path: join(ARTIFACTS, 'status-monitor-phone-pings.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.click('button:has-text("Pause")');
    await page.waitForURL(`${daemon.url}/monitors/certs`);
    expect(await page.locator('.card .status').first().innerText()).toBe('PAUSED');
    await page.click('button:has-text("Resume")');
    await page.waitForURL(`${daemon.url}/monitors/certs`);
    expect(await page.locator('.card .status').first().innerText()).not.toBe('PAUSED');
    expect(await page.locator('button:has-text("Pause")').count()).toBe(1);
  });

  it('says on every page that the running config is not the file’s after a failed reload', async () => {
    const { page } = browser;
    daemon.noteReloadFailed();
    for (const path of ['/', '/monitors/certs']) {
      await page.goto(`${daemon.url}${path}`);
      expect(await page.locator('.banner[role="alert"]').innerText()).toContain(
        "The running config is not the file's.",
      );
    }
    await page.goto(`${daemon.url}/`);
    await screenshot(page, 'status-list-stale-config-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'status-list-stale-config-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
