// The OpenAPI document of the JSON API: valid by the OpenAPI schema, made from the route table the
// server registers, and true of the server's real answers.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/http/api-routes.js';
import { daemonFixture } from '../helpers/daemon.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const KEY = 'test-ping-key-0123456789';
const API = 'api-token-0123456789abcdef';

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
  components: object;
};

describe('OpenAPI document', () => {
  const t = daemonFixture(T0);

  const start = () =>
    t.start(`
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
  api-token: ${API}
hooks:
  log:
    command: 'true'
monitors:
  backup:
    every: 1h
    tags: [db]
    notify: [log]
  worker:
    cron: '0 2 * * *'
    timezone: Europe/Berlin
    notify: [log]
`);
  const call = (method: string, path: string) =>
    fetch(`${t.daemon?.url}${path}`, { method, headers: { authorization: `Bearer ${API}` } });
  const doc = async () =>
    (await (await fetch(`${t.daemon?.url}/api/v1/openapi.json`)).json()) as Doc;

  it('is served without a token at /api/v1/openapi.json and is valid OpenAPI 3.1', async () => {
    await start();
    const r = await fetch(`${t.daemon?.url}/api/v1/openapi.json`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { openapi: string };
    expect(body.openapi).toBe('3.1.0');
    const result = await new Validator().validate(body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists exactly the routes of the table the server registers', async () => {
    await start();
    const listed = Object.entries((await doc()).paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    const table = API_ROUTES.map((r) => `${r.method} ${r.path.replace(':slug', '{slug}')}`);
    expect(listed.sort()).toEqual([...table, 'get /api/v1/openapi.json'].sort());
  });

  it('describes the real answer of every route', async () => {
    await start();
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/backup/start`)).status).toBe(200);
    t.clock.advance(1_000);
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/backup/fail`)).status).toBe(200);
    await t.daemon?.dispatcher.idle();
    const document = await doc();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Resume undoes pause; snooze last, so every action applies.
    const order = ['get', 'pause', 'resume', 'snooze'];
    const routes = [...API_ROUTES].sort(
      (a, b) =>
        order.indexOf(a.path.split('/').pop() ?? '') - order.indexOf(b.path.split('/').pop() ?? ''),
    );
    for (const route of routes) {
      const path = route.path.replace(':slug', 'backup');
      const query = route.path.endsWith('/snooze') ? '?for=1h' : '';
      const r = await call(route.method.toUpperCase(), path + query);
      expect(r.status, `${route.method} ${path}`).toBe(200);
      const spec = document.paths[route.path.replace(':slug', '{slug}')]?.[route.method];
      const content = spec?.responses['200']?.content as Record<string, { schema: object }>;
      const schema = content['application/json']?.schema ?? {};
      const validate = ajv.compile({ components: document.components, ...schema });
      const body = await r.json();
      expect(validate(body), `${route.method} ${path}: ${JSON.stringify(validate.errors)}`).toBe(
        true,
      );
    }
  });
});
