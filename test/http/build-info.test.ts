// overdue_build_info in /metrics: which build is running, as Prometheus' *_build_info convention
// has it (a gauge of 1 whose labels are the facts).
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/platform/version.js';
import { daemonFixture } from '../helpers/daemon.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const METRICS = 'metrics-token-0123456789abc';

describe('/metrics overdue_build_info', () => {
  const t = daemonFixture(T0);

  it('carries the version, the commit, the Node version and the SQLite version', async () => {
    await t.start(`
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: test-ping-key-0123456789
  metrics-token: ${METRICS}
monitors:
  backup:
    every: 1m
`);
    const text = await (
      await fetch(`${t.daemon?.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS}` },
      })
    ).text();
    expect(text).toContain('# TYPE overdue_build_info gauge');
    const line = text.split('\n').find((l) => l.startsWith('overdue_build_info{'));
    expect(line).toMatch(
      new RegExp(
        `^overdue_build_info\\{version="${VERSION}",commit="(unknown|[0-9a-f]{12}(-dirty)?)",` +
          `node="${process.version}",sqlite="3\\.\\d+\\.\\d+"\\} 1$`,
      ),
    );
  });
});
