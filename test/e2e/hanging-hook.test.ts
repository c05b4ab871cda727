// One hook hanging (or answering 500) must not delay another monitor's alert: measured with the
// real clock, from the failure ping's acknowledgement to the other receiver getting its alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/temp.js';

describe.each(['hang', 500] as const)('a hook that answers %s', (mode) => {
  const dir = tempDir();
  let stuck: Receiver;
  let healthy: Receiver;
  let daemon: Daemon;
  beforeAll(async () => {
    stuck = await new Receiver().start();
    healthy = await new Receiver().start();
    stuck.mode = mode;
    const slow = Array.from(
      { length: 8 },
      (_, i) => [`slow-${i}`, { every: '1h', notify: ['stuck'] }] as const,
    );
    const yaml = configYaml({
      hooks: {
        stuck: { webhook: `${stuck.url}/a`, timeout: '30s' },
        healthy: { webhook: `${healthy.url}/b` },
      },
      monitors: { ...Object.fromEntries(slow), other: { every: '1h', notify: ['healthy'] } },
    });
    daemon = await startDaemon(configFrom(dir.path, yaml));
  });
  afterAll(async () => {
    await daemon.close();
    await Promise.all([stuck.close(), healthy.close()]);
    dir.remove();
  });

  it("delivers another monitor's alert at once, not after the stuck hook's 30 s timeout", async () => {
    // Eight alerts to the stuck hook first: more than its concurrency (4), so some wait in line.
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => fetch(`${daemon.url}/ping/${KEY}/slow-${i}/fail`)),
    );
    const sentAt = performance.now();
    expect((await fetch(`${daemon.url}/ping/${KEY}/other/fail`)).status).toBe(200);
    await healthy.waitFor(1);
    const delayMs = performance.now() - sentAt;
    console.log(
      `with a hook that answers ${mode}: the other alert arrived ${delayMs.toFixed(1)} ms after its failure ping was sent`,
    );
    expect(delayMs).toBeLessThan(100);
  });
});
