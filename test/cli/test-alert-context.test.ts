// A test alert for a monitor of the config reads like that monitor's alerts would: its schedule,
// and its real last ping and down from the database when there is one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testAlert } from '../../src/cli/test-alert.js';
import type { Config } from '../../src/config/types.js';
import { initialState } from '../../src/core/state.js';
import { Store } from '../../src/store/store.js';
import { configOf, doc } from '../config/helpers.js';
import { Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/temp.js';

const now = Date.parse('2026-05-01T12:00:00.000Z');
const lastPingAt = Date.parse('2026-05-01T09:58:00.000Z');
const downAt = Date.parse('2026-05-01T10:07:00.000Z');

describe('overdue test-alert for a monitor of the config', () => {
  let dir: ReturnType<typeof tempDir>;
  let receiver: Receiver;
  let config: Config;
  beforeEach(async () => {
    dir = tempDir();
    receiver = await new Receiver().start();
    config = configOf(
      doc(
        'server:',
        `  data-dir: ${dir.path}/data`,
        'hooks:',
        '  text:',
        '    webhook:',
        `      url: ${receiver.url}/text`,
        '      format: text',
        '      body: "{{title}}\\n{{message}}"',
        'monitors:',
        '  queue-worker:',
        '    name: Queue worker',
        '    every: 5m',
        '    grace: 2m',
      ),
    );
  });
  afterEach(async () => {
    await receiver.close();
    dir.remove();
  });

  /** The database of a daemon that saw the monitor pinged, then down since 10:07. */
  function storeHistory(): void {
    const store = new Store(`${dir.path}/data`);
    store.addMonitor('queue-worker', {
      ...initialState(lastPingAt - 3_600_000),
      status: 'down',
      changedAt: downAt,
      lastPingAt,
      lastSuccessAt: lastPingAt,
      alerted: true,
    });
    store.close();
  }

  const sent = async (event: 'reminder' | 'down' | 'up') => {
    const result = await testAlert(config, 'text', 'queue-worker', { now, event });
    expect(result.ok, result.lines.join('\n')).toBe(true);
    return receiver.received.at(-1)?.body;
  };

  it('shows a reminder the real last ping and the real start of the down', async () => {
    storeHistory();
    expect(await sent('reminder')).toBe(
      '[test] Queue worker is still down\n' +
        'This is a test, sent by overdue test-alert: not a real alert.\n' +
        'Still down at 2026-05-01 12:00:00 UTC, for 1h 53m (since 2026-05-01 10:07:00 UTC). ' +
        'Last ping: 2026-05-01 09:58:00 UTC.',
    );
  });

  it("says what the monitor's schedule expected, and its last ping", async () => {
    storeHistory();
    expect(await sent('down')).toBe(
      '[test] Queue worker is down\n' +
        'This is a test, sent by overdue test-alert: not a real alert.\n' +
        'No ping by 2026-05-01 11:58:00 UTC (expected every 5m, grace 2m). ' +
        'Last ping: 2026-05-01 09:58:00 UTC.',
    );
  });

  it('says how long a recovery was down', async () => {
    storeHistory();
    expect((await sent('up'))?.split('\n')[0]).toBe(
      '[test] Queue worker is up again after 1h 53m down',
    );
  });

  it('says never when no database holds a ping of the monitor, and creates none', async () => {
    expect((await sent('reminder'))?.split('\n')[2]).toBe(
      'Still down at 2026-05-01 12:00:00 UTC, for 12m (since 2026-05-01 11:48:00 UTC). Last ping: never.',
    );
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${dir.path}/data`)).toBe(false);
  });
});
