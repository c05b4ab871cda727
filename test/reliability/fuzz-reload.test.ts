// The reload path under a fuzzed corpus of config files: edits of a valid config, files nested
// thousands of levels deep, random bytes, FIFOs, devices, directories, missing and oversized files.
// Whatever a reload meets, the daemon keeps the config it runs (or takes a valid new one), keeps
// answering pings, and still fires deadlines. The reload path is the one `serve` uses (Reloader,
// loadOrReport, the load on a worker thread, the apply in steps); the daemon runs in-process on a
// fake clock. Seeded: FUZZ_SEED replays a run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigOffThread } from '../../src/config/load-off-thread.js';
import { Reloader } from '../../src/config/reload.js';
import { silentLogger } from '../../src/platform/log.js';
import { daemonFixture } from '../helpers/daemon.js';
import { Receiver } from '../helpers/receiver.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_921);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const KEY = 'fuzz-reload-ping-key-0123';
const MAX_BYTES = 16 * 1024 * 1024;

/** What the config path holds for one reload. */
type Case =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'fifo' | 'directory' | 'dev-zero' | 'missing' | 'too-large' };

const edit = fc.record({
  at: fc.nat(),
  cut: fc.integer({ min: 0, max: 30 }),
  text: fc.string({
    unit: fc.constantFrom(...' \n:-[]{},#&*!|>\'"${}0123456789admsx'),
    maxLength: 20,
  }),
});

function applyEdits(text: string, edits: readonly { at: number; cut: number; text: string }[]) {
  return edits.reduce((t, e) => {
    const at = e.at % (t.length + 1);
    return t.slice(0, at) + e.text + t.slice(at + e.cut);
  }, text);
}

/**
 * Nested block maps (one more space per level: 4 000 levels are 8 MB, and the fast reader took
 * them) or flow lists, sometimes padded past the fast reader's 64 KB.
 */
function deepText(depth: number, flow: boolean, pad: boolean): string {
  const levels = Array.from({ length: depth }, (_, i) => `${' '.repeat(4 + i)}k${i}:`);
  const nested = flow
    ? `  job:\n    every: ${'['.repeat(depth)}${']'.repeat(depth)}\n`
    : `  job:\n${levels.join('\n')}\n`;
  return `monitors:\n${nested}${pad ? '#'.repeat(70_000) + '\n' : ''}`;
}

const deep = fc
  .record({ depth: fc.constantFrom(100, 1_000, 4_000), flow: fc.boolean(), pad: fc.boolean() })
  .map(({ depth, flow, pad }) => deepText(depth, flow, pad));

/** Run first, whatever the seed: each kind of file the reload path must survive. */
const KNOWN: readonly Case[] = [
  text(deepText(4_000, false, false)),
  text(deepText(4_000, true, true)),
  { kind: 'fifo' },
  { kind: 'directory' },
  { kind: 'dev-zero' },
  { kind: 'missing' },
  { kind: 'too-large' },
];

/** A text case that fast-check prints short: a failing 8 MB file would flood the report. */
function text(t: string): Case {
  const c: Case = { kind: 'text', text: t };
  const shown =
    t.length <= 200
      ? JSON.stringify(t)
      : `${JSON.stringify(t.slice(0, 200))}... (${t.length} chars)`;
  return Object.defineProperty(c, fc.toStringMethod, { value: () => `text ${shown}` });
}

function corpus(base: string): fc.Arbitrary<Case> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .array(edit, { minLength: 1, maxLength: 5 })
        .map((e) => text(applyEdits(base, e))),
    },
    { weight: 2, arbitrary: deep.map(text) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes): Case => ({ kind: 'bytes', bytes })),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Case>(
        { kind: 'fifo' },
        { kind: 'directory' },
        { kind: 'dev-zero' },
        { kind: 'missing' },
        { kind: 'too-large' },
      ),
    },
  );
}

/** Puts `c` at `file`, replacing whatever was there. */
function place(file: string, c: Case): void {
  rmSync(file, { recursive: true, force: true });
  if (c.kind === 'text') writeFileSync(file, c.text);
  else if (c.kind === 'bytes') writeFileSync(file, c.bytes);
  else if (c.kind === 'fifo') expect(spawnSync('mkfifo', [file]).status).toBe(0);
  else if (c.kind === 'directory') mkdirSync(file);
  else if (c.kind === 'dev-zero') symlinkSync('/dev/zero', file);
  else if (c.kind === 'too-large') writeFileSync(file, `# ${'x'.repeat(MAX_BYTES)}\n`);
}

describe('the reload path under a fuzzed corpus', () => {
  const t = daemonFixture(T0);
  let receiver: Receiver;
  beforeEach(async () => (receiver = await new Receiver().start()));
  afterEach(() => receiver.close());

  const base = () =>
    `server:\n  listen: 127.0.0.1:0\n  ping-key: ${KEY}\nhooks:\n  web:\n    webhook: ${receiver.url}/alert\nmonitors:\n  job:\n    every: 1m\n    grace: 30s\n    notify: [web]\n`;

  it('keeps serving pings and firing deadlines whatever a reload reads', async () => {
    const daemon = await t.start(base());
    const file = join(t.dir.path, 'config.yaml');
    const reloader = new Reloader({
      file,
      log: silentLogger,
      env: { OVERDUE_MAX_CONFIG_BYTES: String(MAX_BYTES) },
      current: daemon.config,
      apply: (config) => daemon.reload(config),
      rejected: () => daemon.noteReloadFailed(),
      load: loadConfigOffThread,
    });
    const ping = async () => (await fetch(`${daemon.url}/ping/${KEY}/job`)).status;
    let applied = 0;
    let kept = 0;
    await fc.assert(
      fc.asyncProperty(corpus(base()), async (c) => {
        const before = daemon.config;
        place(file, c);
        await reloader.request('fuzz');
        if (daemon.config === before) kept++;
        else {
          // A valid edit was applied, as it should be: go back to the base config.
          applied++;
          place(file, { kind: 'text', text: base() });
          await reloader.request('fuzz');
          expect(daemon.config.monitors.get('job')?.schedule).toEqual({
            kind: 'every',
            periodMs: 60_000,
          });
        }
        expect(reloader.current).toBe(daemon.config);
        expect(await ping()).toBe(200);
      }),
      { seed: SEED, numRuns: RUNS, examples: KNOWN.map((c) => [c] as [Case]) },
    );
    await reloader.close();
    console.log(`fuzzed reloads: ${kept} kept the running config, ${applied} applied a valid edit`);
    expect(kept).toBeGreaterThan(RUNS / 2);
    // The deadline still fires: no ping for the period plus grace makes the monitor down.
    t.clock.advance(90_000);
    await daemon.dispatcher.idle();
    expect(daemon.monitors.bySlug('job')?.state.status).toBe('down');
    expect(receiver.received.map((r) => (JSON.parse(r.body) as { event: string }).event)).toEqual([
      'down',
    ]);
  });
});
