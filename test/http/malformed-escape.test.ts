// A malformed `%` escape in a routed URL: tinyhttp printed the URIError's stack to stderr for any
// unauthenticated request. It is answered 400 before the router, with one log line per minute.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { Daemon } from '../../src/daemon.js';
import { createLogger } from '../../src/platform/log.js';
import { configYaml } from '../helpers/config-yaml.js';
import { configFrom } from '../helpers/daemon.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/temp.js';

describe('a URL with a malformed percent escape', () => {
  let dir: ReturnType<typeof tempDir>;
  let daemon: Daemon | undefined;
  let consoleError: MockInstance;
  const lines: string[] = [];
  const clock = new FakeClock(Date.parse('2026-05-01T10:00:00Z'));

  beforeEach(async () => {
    dir = tempDir();
    lines.length = 0;
    consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const config = configFrom(dir.path, configYaml({ monitors: { job: { every: '1h' } } }));
    const log = createLogger({ write: (line) => void lines.push(line), timestamps: false });
    daemon = await Daemon.start({ config, log, clock, drainMs: 1_000 });
  });
  afterEach(async () => {
    await daemon?.close();
    consoleError.mockRestore();
    dir.remove();
  });

  const escapes = () => lines.filter((l) => l.includes('malformed'));

  it.each(['/monitors/%E0%A4%A', '/api/v1/monitors/%ZZ', '/badge/%E0.svg', '/api/v1/x/%'])(
    'is answered 400 without a stack on stderr (%s)',
    async (path) => {
      const res = await fetch(`${daemon?.url}${path}`);
      expect(consoleError).not.toHaveBeenCalled();
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/percent/);
    },
  );

  it('is logged on one line, once a minute however many arrive', async () => {
    for (let i = 0; i < 5; i++) await (await fetch(`${daemon?.url}/monitors/%E0%A4%A`)).text();
    expect(escapes()).toHaveLength(1);
    clock.advance(60_000);
    await (await fetch(`${daemon?.url}/monitors/%ZZ`)).text();
    expect(escapes()).toHaveLength(2);
    expect(escapes()[1]).toMatch(/suppressed=4/);
  });
});
