import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testAlert } from '../../src/cli/test-alert.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { Receiver } from '../helpers/receiver.js';

const now = Date.parse('2026-05-01T02:30:00.000Z');

describe('overdue test-alert', () => {
  let receiver: Receiver;
  let config: Config;
  beforeAll(async () => {
    receiver = await new Receiver().start();
    const text = [
      'hooks:',
      '  ops:',
      `    webhook: ${receiver.url}/alerts/secret-token`,
      '  chat:',
      '    ntfy:',
      `      url: ${receiver.url}`,
      '      topic: t',
      'monitors:',
      '  nightly-backup:',
      '    name: Nightly backup',
      '    every: 1d',
      '    grace: 30m',
      '',
    ].join('\n');
    const result = parseConfig(text, 'config.yaml', {});
    if (!result.ok) throw new Error('invalid test config');
    config = result.config;
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.mode = 200;
  });

  it('sends a sample down alert for a sample monitor, and says where it went', async () => {
    const result = await testAlert(config, 'ops', undefined, { now });
    expect(result).toEqual({
      ok: true,
      unknown: false,
      lines: [
        `sending a test down alert for monitor 'overdue-test' to hook 'ops': POST ${receiver.url}/…`,
        'delivered',
      ],
    });
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toMatchObject({
      event: 'down',
      monitor: { slug: 'overdue-test', name: '[test] overdue test alert' },
      at: '2026-05-01T02:30:00.000Z',
      deadline: '2026-05-01T02:25:00.000Z',
    });
  });

  it("sends it for a monitor of the config, with the monitor's name and grace", async () => {
    await testAlert(config, 'ops', 'nightly-backup', { now });
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toMatchObject({
      monitor: { slug: 'nightly-backup', name: '[test] Nightly backup' },
      deadline: '2026-05-01T02:00:00.000Z',
    });
  });

  it('sends another event when asked', async () => {
    await testAlert(config, 'chat', 'nightly-backup', { now, event: 'up' });
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toMatchObject({
      title: '[test] Nightly backup is up again after 12m down',
      priority: 3,
    });
  });

  it('reports a failed delivery with its status and whether it would be retried', async () => {
    receiver.mode = 403;
    receiver.answerBody = '{"message": "forbidden"}';
    const result = await testAlert(config, 'ops', undefined, { now });
    receiver.answerBody = '';
    expect(result.ok).toBe(false);
    expect(result.lines[1]).toBe(
      'failed (status 403): HTTP 403: forbidden (a real alert would not be retried)',
    );
  });

  it('names the defined hooks when the hook is unknown', async () => {
    expect(await testAlert(config, 'opps')).toEqual({
      ok: false,
      unknown: true,
      lines: ["unknown hook 'opps' (defined: ops, chat)"],
    });
  });

  it('names the defined monitors when the monitor is unknown', async () => {
    expect(await testAlert(config, 'ops', 'nightly')).toEqual({
      ok: false,
      unknown: true,
      lines: ["unknown monitor 'nightly' (defined: nightly-backup)"],
    });
    expect(receiver.received).toHaveLength(0);
  });
});
