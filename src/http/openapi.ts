// The OpenAPI 3.1 document of the JSON API, made from the route table the server registers
// (api-routes.ts) and the field tables of its answers (api-json.ts). Served at
// /api/v1/openapi.json; tests validate it against the OpenAPI schema and check real answers
// against it.
import { VERSION } from '../platform/version.js';
import type { JsonObject } from './api-json.js';
import { apiSchemas } from './api-json.js';
import type { ApiRoute } from './api-routes.js';

export const OPENAPI_PATH = '/api/v1/openapi.json';

const errorAnswer = (description: string): JsonObject => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const REFUSALS: Readonly<Record<number, string>> = {
  400: 'A parameter or the body is wrong; `error` says which and how.',
  401: 'No token, or a wrong one (with WWW-Authenticate: Bearer).',
  403: 'A read-only token on a write route, or a change from another site.',
  404: 'No such monitor.',
  409: 'The action does not apply in the monitor’s state.',
  413: 'The body is over 16 KiB.',
  429: 'Too many wrong tokens from this address (with Retry-After).',
};

function operation(route: ApiRoute): JsonObject {
  const slug = route.path.includes(':slug')
    ? [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }]
    : [];
  const query = route.query.map((q) => ({ in: 'query', required: false, ...q }));
  const statuses = [...route.refusals, 401, ...(route.write ? [403] : []), 429];
  const responses: Record<string, JsonObject> = {
    '200': {
      description: 'OK',
      content: { 'application/json': { schema: route.answer } },
    },
  };
  for (const status of [...new Set(statuses)].sort())
    responses[String(status)] = errorAnswer(REFUSALS[status] ?? 'Refused.');
  return {
    summary: route.summary,
    operationId: operationId(route),
    parameters: [...slug, ...query],
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: false,
            content: { 'application/json': { schema: route.body } },
          },
        }),
    responses,
    security: route.write ? [{ bearer: [] }, { basic: [] }] : [{ bearer: [] }, { basic: [] }, {}],
  };
}

/** `get /api/v1/monitors/:slug/pings` -> `getMonitorPings`. */
function operationId(route: ApiRoute): string {
  const words = route.path
    .replace('/api/v1/', '')
    .split('/')
    .filter((w) => w !== ':slug')
    .map((w, i) => (i === 0 && route.path.includes(':slug') ? w.replace(/s$/, '') : w));
  return [route.method, ...words]
    .map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1)))
    .join('');
}

export function openApiDocument(routes: readonly ApiRoute[]): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  paths[OPENAPI_PATH] = {
    get: {
      summary: 'This document. It needs no token.',
      operationId: 'getOpenApi',
      responses: { '200': { description: 'The OpenAPI document.' } },
      security: [{}],
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'overdue read API',
      version: VERSION,
      description:
        'Monitors, their pings, transitions and deliveries, and pause, resume and snooze. Names are snake_case; times are ISO 8601 strings. See docs/api.md.',
    },
    paths,
    components: {
      schemas: {
        ...apiSchemas,
        Error: {
          type: 'object',
          properties: { error: { type: 'string' } },
          required: ['error'],
        },
      },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'server.api-token (everything) or server.read-token (reading).',
        },
        basic: {
          type: 'http',
          scheme: 'basic',
          description: 'Any user name, the token as password.',
        },
      },
    },
  };
}
