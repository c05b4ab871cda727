// Start-up leaves most of what it allocated (the config read, every monitor loaded) as garbage: it
// is collected once, before the daemon listens, not by V8's later major collections, whose pauses
// fall on the alerts of the first minutes.
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');

/** The forced major collections reported while `run` runs (and a few turns after it). */
async function forcedMajorGcs(run: () => Promise<unknown>): Promise<number> {
  const forced: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind, flags } = (entry as PerformanceEntry & { detail: unknown }).detail as {
        kind: number;
        flags: number;
      };
      if (
        kind === constants.NODE_PERFORMANCE_GC_MAJOR &&
        (flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0
      )
        forced.push(entry);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    await run();
    // A collection's entry is queued for the loop, and the observer told in a later turn.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    observer.disconnect();
  }
  return forced.length;
}

describe('start-up', () => {
  const t = daemonFixture(T0);

  it('collects its garbage once, before it listens', async () => {
    const yaml = configYaml({ monitors: { backup: { every: '1m' } } });
    expect(await forcedMajorGcs(() => t.start(yaml))).toBe(1);
  });
});
