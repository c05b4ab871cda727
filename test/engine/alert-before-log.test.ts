// An alert leaves before anything that can wait: the transition's log line (a blocking write to
// journald's socket) is written after the alert's request, not between the commit and it.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Daemon } from '../../src/daemon.js';
import { createLogger } from '../../src/platform/log.js';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, daemonFixture } from '../helpers/daemon.js';
import { Receiver } from '../helpers/receiver.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
// undici publishes here as it writes a request's headers to the socket.
const SEND_HEADERS = 'undici:client:sendHeaders';

describe('an alert and its log line', () => {
  const t = daemonFixture(T0);
  let receiver: Receiver;
  const events: string[] = [];
  // fetch() (the test's pings) is undici too: only the alerts' requests count.
  const sent = (message: unknown) => {
    const { request } = message as { request: { path: string } };
    if (request.path === '/alert') events.push('request sent');
  };
  beforeEach(async () => {
    receiver = await new Receiver().start();
    events.length = 0;
    subscribe(SEND_HEADERS, sent);
  });
  afterEach(async () => {
    unsubscribe(SEND_HEADERS, sent);
    await receiver.close();
  });

  it("writes the alert's request to a kept-alive connection before the transition's log line", async () => {
    const yaml = configYaml({
      hooks: { web: { webhook: `${receiver.url}/alert` } },
      monitors: { backup: { every: '1m', grace: '30s', notify: ['web'] } },
    });
    const log = createLogger({
      write: (line) => {
        const m = /msg="monitor (\w+)"/.exec(line);
        if (m !== null) events.push(`logged ${m[1]}`);
      },
    });
    t.daemon = await Daemon.start({ config: configFrom(t.dir.path, yaml), clock: t.clock, log });
    const ping = () => fetch(`${t.daemon?.url}/ping/${KEY}/backup`);
    expect((await ping()).status).toBe(200);
    // The down alert opens the connection; the recovery's goes over it, kept alive.
    t.clock.advance(90_000);
    await t.daemon.dispatcher.idle();
    events.length = 0;
    expect((await ping()).status).toBe(200);
    await t.daemon.dispatcher.idle();
    expect(receiver.received.map((r) => (JSON.parse(r.body) as { event: string }).event)).toEqual([
      'down',
      'up',
    ]);
    expect(events).toEqual(['request sent', 'logged up']);
  });
});
