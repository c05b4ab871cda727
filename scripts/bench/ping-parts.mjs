// Micro-benchmark: the CPU of the pure parts of a ping's path, per call, for one or two builds
// measured alternately in one process: comparing the ping key (sameSecret), the token lookup's key
// (secretKey), routing a /ping/<ping-key>/<slug> URL (dialectOf + resolvePing, which compares the
// key), and the status machine's step for a success (applyPing). The parts that need a socket or
// a database are measured by ingest.mjs, http-side.mjs and write-path.mjs.
//
//   node scripts/bench/ping-parts.mjs [--a DIST_A] [--b DIST_B] [--rounds 5] [--calls 300000]
// DIST_A (default dist/) and DIST_B are dist/ folders (e.g. a snapshot of a commit's build).
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { option, round, run, table } from './lib.mjs';

const ROUNDS = Number(option('rounds', 5));
const CALLS = Number(option('calls', 300_000));
const KEY = 'k'.repeat(22);

async function parts(dist) {
  const load = async (path) => import(pathToFileURL(join(resolve(dist), path)).href);
  const { sameSecret, secretKey } = await load('platform/secret.js');
  const { applyPing } = await load('core/maintenance.js');
  const { dialectOf, resolvePing } = await load('http/ping-routes.js');
  const { initialState } = await load('core/state.js');
  const target = { slug: 'm1', tokens: [] };
  const lookup = {
    pingKey: KEY,
    byToken: () => undefined,
    bySlug: (slug) => (slug === 'm1' ? target : undefined),
    create: () => ({ status: 404, error: 'not found' }),
  };
  const query = new URLSearchParams();
  // Built at run time, as a request's URL is: not an interned constant.
  const sent = () => `${KEY.slice(0, 11)}${KEY.slice(11)}`;
  let state = { ...initialState(0), status: 'up' };
  let at = 1;
  return {
    'sameSecret (the ping key)': () => sameSecret(sent(), KEY),
    'secretKey (a token lookup)': () => secretKey(sent()),
    'route /ping/<key>/<slug>': () => {
      const d = dialectOf(`/ping/${sent()}/m1`);
      return resolvePing(lookup, d.dialect, d.rest, query, {});
    },
    'applyPing (a success)': () => {
      const ping = { kind: 'success', at: at++, runId: null, exitStatus: null, durationMs: null };
      state = applyPing(SPEC, state, ping, null).state;
    },
  };
}

// What the status machine reads of a monitor's spec for a success to an `every` monitor.
const SPEC = {
  slug: 'm1',
  schedule: { kind: 'every', periodMs: 3_600_000 },
  graceMs: 60_000,
  maxRuntimeMs: 60_000,
  minRuntimeMs: null,
  earlyMs: null,
  policy: { events: new Set(['down', 'up']), alertAfter: 1 },
  maintenance: [],
};

/** µs per call of `fn`, after a warm-up. */
function time(fn) {
  for (let i = 0; i < CALLS / 10; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) fn();
  return Number(process.hrtime.bigint() - t0) / CALLS / 1000;
}

run('ping-parts', async () => {
  const dists = { a: option('a', 'dist'), ...(option('b') ? { b: option('b') } : {}) };
  const variants = {};
  for (const [name, dist] of Object.entries(dists)) variants[name] = await parts(dist);
  const names = Object.keys(variants.a);
  const samples = {};
  for (let r = 0; r < ROUNDS; r++)
    for (const v of r % 2 === 0 ? Object.keys(variants) : Object.keys(variants).reverse())
      for (const part of names) (samples[`${v} ${part}`] ??= []).push(time(variants[v][part]));
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  table([
    ['part', ...Object.keys(variants).map((v) => `${v}: µs per call (median)`)],
    ...names.map((part) => [
      part,
      ...Object.keys(variants).map((v) => round(median(samples[`${v} ${part}`]), 3)),
    ]),
  ]);
});
