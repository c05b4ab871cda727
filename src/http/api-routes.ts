// The JSON API's route table: server.ts registers these routes from it, and openapi.ts describes
// them from it, so the published OpenAPI document cannot drift from what the server answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from './api-json.js';
import type { Api } from './api.js';

type Req = IncomingMessage & { params?: Record<string, string> };

export interface QueryParam {
  readonly name: string;
  readonly description: string;
  readonly schema: JsonObject;
}

export interface ApiRoute {
  readonly method: 'get' | 'post';
  /** In the router's form: `/api/v1/monitors/:slug`. */
  readonly path: string;
  readonly summary: string;
  /** Needs the api-token; otherwise any reading credential (or none when the api is public). */
  readonly write: boolean;
  readonly query: readonly QueryParam[];
  /** The JSON body it takes, if any. */
  readonly body?: JsonObject;
  /** The body of its 200 answer. */
  readonly answer: JsonObject;
  /** The statuses it may refuse with, besides 401, 403 (write routes) and 429. */
  readonly refusals: readonly number[];
  readonly handle: (api: Api, req: Req, res: ServerResponse) => void;
}

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
const limit = (max: number, fallback: number): QueryParam => ({
  name: 'limit',
  description: `How many items a page holds (default ${fallback}).`,
  schema: { type: 'integer', minimum: 1, maximum: max },
});
const before: QueryParam = {
  name: 'before',
  description: 'Only items with an id below this: the previous page’s `next`.',
  schema: { type: 'integer', minimum: 1 },
};
const page = (item: string): JsonObject => ({
  type: 'object',
  properties: {
    items: { type: 'array', items: ref(item) },
    next: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
  },
  required: ['items', 'next'],
  additionalProperties: false,
});
const one: JsonObject = {
  type: 'object',
  properties: { monitor: ref('Monitor') },
  required: ['monitor'],
  description: 'The 0.1.0 fields also stand beside `monitor`, in camelCase (deprecated).',
};

/** A monitor's or tag's badge URLs; without them when badges are off. */
const badgeItem = (key: 'slug' | 'tag'): JsonObject => ({
  type: 'object',
  properties: { [key]: { type: 'string' }, svg: { type: 'string' }, json: { type: 'string' } },
  required: [key],
  additionalProperties: false,
});

const history = (kind: 'pings' | 'transitions' | 'deliveries', item: string, what: string) =>
  ({
    method: 'get',
    path: `/api/v1/monitors/:slug/${kind}`,
    summary: `A page of the monitor's ${what}, newest first.`,
    write: false,
    query: [before, limit(500, 50)],
    answer: page(item),
    refusals: [400, 404],
    handle: (api, req, res) => api.history(req, res, kind),
  }) satisfies ApiRoute;

const action = (kind: 'pause' | 'resume' | 'snooze', summary: string, body?: JsonObject) =>
  ({
    method: 'post',
    path: `/api/v1/monitors/:slug/${kind}`,
    summary,
    write: true,
    query:
      kind === 'snooze'
        ? [
            {
              name: 'for',
              description: 'How long, like 2h (at most 30d).',
              schema: { type: 'string' },
            },
          ]
        : [],
    ...(body === undefined ? {} : { body }),
    answer: { ...one, description: 'The monitor after the action.' },
    refusals: kind === 'snooze' ? [400, 404, 409, 413] : [404, 409],
    handle: (api, req, res) => api.action(req, res, kind),
  }) satisfies ApiRoute;

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/monitors',
    summary: 'A page of monitors, in config order.',
    write: false,
    query: [
      {
        name: 'after',
        description: 'Only monitors after this slug: the previous page’s `next`.',
        schema: { type: 'string', minLength: 1, maxLength: 100 },
      },
      limit(500, 100),
    ],
    answer: {
      type: 'object',
      properties: {
        monitors: { type: 'array', items: ref('Monitor') },
        next: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
      required: ['monitors', 'next'],
      additionalProperties: false,
    },
    refusals: [400],
    handle: (api, req, res) => api.list(req, res),
  },
  {
    method: 'get',
    path: '/api/v1/monitors/:slug',
    summary: 'One monitor, with its badge URLs (and its ping URLs, for the api-token only).',
    write: false,
    query: [],
    answer: one,
    refusals: [404],
    handle: (api, req, res) => api.monitor(req, res),
  },
  history('pings', 'Ping', 'pings'),
  history('transitions', 'Transition', 'status changes'),
  history('deliveries', 'Delivery', 'alert deliveries'),
  action('pause', 'Pause: no deadlines and no alerts; pings are still recorded.'),
  action('resume', 'Resume a paused monitor, or end a snooze early.'),
  action('snooze', 'Hold alerts back for a while; statuses still change.', {
    type: 'object',
    properties: { for: { type: 'string', description: 'How long, like 2h (at most 30d).' } },
  }),
  {
    method: 'get',
    path: '/api/v1/badges',
    summary: 'The badge URLs of every monitor and every tag.',
    write: false,
    query: [],
    answer: {
      type: 'object',
      properties: {
        monitors: { type: 'array', items: badgeItem('slug') },
        tags: { type: 'array', items: badgeItem('tag') },
      },
      required: ['monitors', 'tags'],
    },
    refusals: [],
    handle: (api, req, res) => api.badges(req, res),
  },
];
