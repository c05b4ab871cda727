// The HTTP server under random and hostile requests, sent over raw sockets so that nothing
// between the test and the server tidies them up: never a 5xx, the daemon still answers, memory
// stays bounded and body limits hold (slow-clients.test.ts: clients that trickle bytes). Seeded
// (FUZZ_SEED to replay; fast-check prints seed and path on failure).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { MAX_REQUEST_BYTES } from '../../src/http/ping-handler.js';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { raw } from '../helpers/raw-http.js';
import { tempDir } from '../helpers/temp.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_829);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const TOKEN = 'fuzz-http-token-0123456789';
const API = 'fuzz-http-api-token-0123456789';
const BODY_LIMIT = 100;

const PREFIXES = [
  '/ping/',
  `/ping/${TOKEN}`,
  `/ping/${KEY}/job`,
  '/api/push/',
  '/hb/',
  '/heartbeat/',
  '/v1/heartbeats',
  '/v1/heartbeats/',
  '/api/v1/endpoints/job/external',
  '/healthz',
  '/',
  '/nope',
  '',
];
const segment = fc.oneof(
  fc.constantFrom(
    'start',
    'fail',
    'log',
    '0',
    '1',
    '255',
    '256',
    '-1',
    '99999999999999999999',
    TOKEN,
    '%',
    '%zz',
    '%c3%28',
    '%ff',
    '..',
    '.',
    '',
    '?create=1',
    '?rid=x',
    '?status=down&msg=%ff',
    '?success=true&duration=1h',
    '#frag',
    ';',
    '\u00e9',
    '\u{1F600}',
  ),
  { arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent), weight: 3 },
  // Raw: spaces and control characters break the request line (Node answers 400 itself).
  fc.string({ maxLength: 30 }),
  fc.string({ minLength: 2000, maxLength: 9000 }).map(encodeURIComponent),
);
const headerName = fc.constantFrom(
  'Authorization',
  'X-Forwarded-For',
  'Content-Type',
  'User-Agent',
  'Transfer-Encoding',
  'Content-Length',
  'Expect',
  'X-Junk',
  'Cookie',
);
const headerValue = fc.oneof(
  fc.constantFrom(
    `Bearer ${TOKEN}`,
    'Bearer ',
    'Basic Zm9vOmJhcg==',
    'chunked',
    '100-continue',
    '-1',
    '1, 2',
    '999999999999',
    'application/json',
    '203.0.113.9, ::1',
  ),
  fc.string({ unit: fc.constantFrom(...'abc ,;=:/\t"\\\u00ff'), maxLength: 50 }),
);
const body = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc
    .constantFrom(BODY_LIMIT - 1, BODY_LIMIT, BODY_LIMIT + 1, 64 * 1024)
    .map((n) => Buffer.alloc(n, 0xc3)),
);
const request = fc.record({
  method: fc.constantFrom(
    'GET',
    'HEAD',
    'POST',
    'PUT',
    'DELETE',
    'OPTIONS',
    'PATCH',
    'CONNECT',
    'G\u00c9T',
    'get',
    'TRACE',
  ),
  path: fc
    .tuple(fc.constantFrom(...PREFIXES), fc.array(segment, { maxLength: 4 }))
    .map(([p, s]) => [p, ...s].join('/')),
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
  body,
  lengthHeader: fc.constantFrom('exact', 'none', 'short'),
});
/** Well-formed requests to real targets, so that most reach the ping handler and the store. */
const pingRequest = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT'),
  path: fc
    .tuple(
      fc.constantFrom(
        `/ping/${TOKEN}`,
        `/ping/${KEY}/job`,
        `/hb/${TOKEN}`,
        `/api/push/${TOKEN}`,
        `/heartbeat/${TOKEN}`,
      ),
      fc.constantFrom('', '/start', '/fail', '/log', '/0', '/7', '/300', '/x'),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
    )
    .map(([p, action, query]) => `${p}${action}?rid=${query}&msg=${query}&status=${query}`),
  headers: fc.constant([] as [string, string][]),
  body,
  lengthHeader: fc.constant('exact' as const),
});
interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  readonly lengthHeader: 'exact' | 'none' | 'short';
}

function encode(r: RawRequest): Buffer {
  const lines = [`${r.method} ${r.path} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of r.headers) lines.push(`${name}: ${value}`);
  if (r.lengthHeader === 'exact') lines.push(`Content-Length: ${r.body.length}`);
  if (r.lengthHeader === 'short') lines.push(`Content-Length: ${Math.floor(r.body.length / 2)}`);
  lines.push('Connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), r.body]);
}

describe('the HTTP server under hostile input', () => {
  const dir = tempDir();
  let daemon: Daemon;
  let port: number;
  beforeAll(async () => {
    const yaml = configYaml({
      server: { 'api-token': API, 'body-limit': BODY_LIMIT, 'keep-pings': 50 },
      'auto-provision': { enabled: true },
      monitors: { job: { every: '1h', token: TOKEN } },
    });
    daemon = await startDaemon(configFrom(dir.path, yaml));
    port = Number(new URL(daemon.url).port);
  });
  afterAll(async () => {
    await daemon.close();
    dir.remove();
  });

  const healthy = async () => (await fetch(`${daemon.url}/healthz`)).status;

  it('answers random requests without a 5xx, keeps answering, and keeps memory bounded', async () => {
    const before = process.memoryUsage();
    const statuses = new Map<number | null, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const { status } = await raw(port, [encode(r)]);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status === null || status < 500).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(await healthy()).toBe(200);
    const after = process.memoryUsage();
    const grownMb = (after.heapUsed + after.external - before.heapUsed - before.external) / 2 ** 20;
    console.log(
      `statuses: ${JSON.stringify([...statuses])}; heap+external grew ${grownMb.toFixed(1)} MB`,
    );
    expect(grownMb).toBeLessThan(200);
  });

  it('answers well-formed pings with random actions, queries and bodies without a 5xx', async () => {
    const seen = new Set<number | null>();
    await fc.assert(
      fc.asyncProperty(pingRequest, async (r) => {
        const { status } = await raw(port, [encode(r)]);
        seen.add(status);
        expect([200, 400, 404, 405, 429]).toContain(status);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(seen.has(200)).toBe(true);
    expect(await healthy()).toBe(200);
  });

  it('answers random JSON and bytes sent to the management API without a 5xx', async () => {
    const fields = fc.record(
      {
        name: fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue()),
        interval_secs: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
        grace_secs: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const json = fc.oneof(
      fields.map((f) => JSON.stringify(f)),
      fc.json(),
      fc.string({ maxLength: 200 }),
    );
    const bodies = fc.oneof(
      json.map((t) => Buffer.from(t)),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (b) => {
        const r: RawRequest = {
          method: 'POST',
          path: '/v1/heartbeats',
          headers: [['Authorization', `Bearer ${API}`]],
          body: b,
          lengthHeader: 'exact',
        };
        expect([201, 400, 409]).toContain((await raw(port, [encode(r)])).status);
      }),
      { seed: SEED, numRuns: RUNS / 2 },
    );
    expect(await healthy()).toBe(200);
  });

  it('keeps the first body-limit bytes of a larger body, invalid UTF-8 included, and says so', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.alloc(500, 0x80)]);
    const head = `POST /ping/${TOKEN} HTTP/1.1\r\nHost: x\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`;
    const answer = await raw(port, [head, bytes]);
    expect(answer.status).toBe(200);
    expect(answer.head.toLowerCase()).toContain(`ping-body-limit: ${BODY_LIMIT}`);
    const row = daemon.store.db
      .prepare('SELECT body FROM pings ORDER BY id DESC LIMIT 1')
      .get() as {
      body: Buffer;
    };
    expect(Buffer.compare(row.body, bytes.subarray(0, BODY_LIMIT))).toBe(0);
  });

  it('refuses a management API body past 16 KiB with 413, before reading the rest', async () => {
    const size = 16 * 1024 + 1;
    const head = `POST /v1/heartbeats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API}\r\nContent-Length: ${size}\r\n\r\n`;
    const answer = await raw(port, [head, Buffer.alloc(size, 0x20)]);
    expect(answer.status).toBe(413);
    expect(await healthy()).toBe(200);
  });

  it('refuses a body past the request limit with 413 and closes the connection', async () => {
    const size = MAX_REQUEST_BYTES + 1;
    const head = `POST /ping/${TOKEN} HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`;
    const answer = await raw(port, [head, Buffer.alloc(size, 0x61)]);
    expect(answer.status).toBe(413);
    expect(answer.head.toLowerCase()).toContain('connection: close');
    expect(await healthy()).toBe(200);
  });
});
