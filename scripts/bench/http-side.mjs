// Benchmark: where a ping's CPU goes, HTTP side against the durable write. Three servers under the
// same load (64 connections from autocannon, its own process), measured alternately:
//   bare     a node:http server answering OK (the ingest baseline)
//   handler  overdue's ping handler (dist/http/ping-handler.js) with the store left out: each ping
//            is answered one event-loop turn later, as a group commit answers, but not stored
//   daemon   the real daemon, 10 000 monitors, durable
// For each: requests/s and the server's CPU per request. handler - bare is what overdue's routing
// and answers cost; daemon - handler is what storing the ping costs. Run `npm run build` first.
//
//   node scripts/bench/http-side.mjs [--seconds 5] [--rounds 2]
//   node scripts/bench/http-side.mjs --serve bare|handler   (one server, for the benchmark)
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DIST,
  KEY,
  cpuMeter,
  hasFlag,
  option,
  pingEach,
  round,
  run,
  start,
  startDaemon,
  startLoad,
  table,
  tempDir,
  waitQuiet,
  writeConfig,
} from './lib.mjs';

const SECONDS = Number(option('seconds', 5));
const ROUNDS = Number(option('rounds', 2));
const MONITORS = 10_000;

/** The handler variant: overdue's ping handler, answering each batch on the next turn. */
async function handlerServer() {
  const load = async (path) => import(pathToFileURL(join(DIST, path)).href);
  const { Acknowledgements, handlePing, TargetLookup } = await load('http/ping-handler.js');
  const { dialectOf } = await load('http/ping-routes.js');
  const targets = new Map();
  const target = (slug) => targets.get(slug) ?? targets.set(slug, { slug, tokens: [] }).get(slug);
  let waiting = [];
  const settings = { pingKey: KEY, bodyLimit: 10_000, trustProxy: false };
  const ports = {
    settings: () => settings,
    intake: {
      byToken: () => undefined,
      bySlug: target,
      submit: (_ping, done) => {
        if (waiting.length === 0) {
          setImmediate(() => {
            const batch = waiting;
            waiting = [];
            for (const d of batch) d(null);
          });
        }
        waiting.push(done);
      },
      storeFailed: () => undefined,
    },
    provisioner: { enabled: false, createBySlug: () => undefined, create: () => null },
    now: () => Date.now(),
  };
  const deps = {
    ...ports,
    lookup: new TargetLookup(ports),
    failed: () => 0,
    acks: new Acknowledgements(),
  };
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const ping = dialectOf(q === -1 ? url : url.slice(0, q));
    if (ping === null) return res.writeHead(404).end();
    handlePing(deps, req, res, ping.dialect, ping.rest, q === -1 ? '' : url.slice(q + 1));
  };
}

async function serve(kind) {
  const handler =
    kind === 'bare'
      ? (req, res) => {
          req.resume();
          res.end('OK');
        }
      : await handlerServer();
  const server = createServer(handler);
  server.listen(0, '127.0.0.1', () =>
    console.log(`msg=listening url=http://127.0.0.1:${server.address().port}`),
  );
  process.on('SIGTERM', () => process.exit(0));
}

async function main() {
  const slugs = Array.from({ length: MONITORS }, (_, i) => `m${String(i).padStart(6, '0')}`);
  const servers = {};
  for (const kind of ['bare', 'handler']) {
    const proc = start(process.execPath, [new URL(import.meta.url).pathname, '--serve', kind]);
    proc.url = /url=(\S+)/.exec((await proc.waitFor(/msg=listening/, 20_000)).line)[1];
    servers[kind] = proc;
  }
  const work = tempDir('http-side');
  const config = writeConfig(work, {
    server: '  keep-pings: 1000000',
    monitors: slugs.map((s) => [s, ['every: 1h', 'grace: 1h']]),
  });
  servers.daemon = await startDaemon(config);
  await pingEach(servers.daemon.url, slugs);
  const rows = { bare: [], handler: [], daemon: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of Object.keys(servers)) {
      await waitQuiet();
      const load = startLoad({ url: servers[kind].url, slugs, connections: 64, seconds: SECONDS });
      const meter = cpuMeter([servers[kind].pid]);
      const result = await load.result;
      const cpu = meter().pids[0];
      rows[kind].push({
        perSecond: result.perSecond,
        cpuUsPerPing: (cpu / 100) * (1e6 / result.perSecond),
      });
    }
  }
  for (const proc of Object.values(servers)) await proc.stop();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fig = (kind) => ({
    perSecond: median(rows[kind].map((x) => x.perSecond)),
    cpu: median(rows[kind].map((x) => x.cpuUsPerPing)),
  });
  const [b, h, d] = ['bare', 'handler', 'daemon'].map(fig);
  console.log('');
  table([
    ['server', 'requests/s', 'server CPU µs per request', 'over the one above'],
    ['bare node:http (baseline)', round(b.perSecond, 0), round(b.cpu), ''],
    ['overdue ping handler, no store', round(h.perSecond, 0), round(h.cpu), round(h.cpu - b.cpu)],
    ['overdue daemon, durable', round(d.perSecond, 0), round(d.cpu), round(d.cpu - h.cpu)],
  ]);
}

if (hasFlag('serve')) await serve(option('serve'));
else run('http-side', main);
