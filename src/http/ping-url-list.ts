// Every URL a monitor answers on, one line per dialect of ping-routes.ts, for its status page. The
// table is keyed by Dialect, so a dialect added there fails to compile until it is listed here.
import type { PingEndpoint } from '../engine/read-model.js';
import type { Dialect } from './ping-routes.js';

export interface PingUrl {
  /** Where the URL comes from, for people: `Healthchecks`, `Uptime Kuma, Tianji`... */
  readonly dialect: string;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** What else the URL takes, in a few words. */
  readonly note: string;
}

type Lister = (e: PingEndpoint, token: string | null) => PingUrl[];

const byToken =
  (dialect: string, method: PingUrl['method'], path: (t: string) => string, note: string): Lister =>
  (e, token) =>
    token === null ? [] : [{ dialect, method, url: `${e.baseUrl}${path(token)}`, note }];

const DIALECTS: Readonly<Record<Dialect, Lister>> = {
  healthchecks: (e, token) => {
    const note = 'append /start, /fail, /log or /<exit-status> for the other kinds of ping';
    const key = (k: string) => `/ping/${k}/${encodeURIComponent(e.slug)}`;
    return [
      ...byToken('Healthchecks', 'GET', (t) => `/ping/${t}`, note)(e, token),
      ...(e.pingKey === null
        ? []
        : [
            {
              dialect: 'Healthchecks (ping-key)',
              method: 'GET' as const,
              url: `${e.baseUrl}${key(e.pingKey)}`,
              note,
            },
          ]),
    ];
  },
  kuma: byToken(
    'Uptime Kuma, Tianji',
    'GET',
    (t) => `/api/push/${t}?status=up&msg=OK`,
    'status=down is a failure; msg is the output',
  ),
  hb: byToken('/hb/', 'GET', (t) => `/hb/${t}`, 'append /start or /<exit-code>; POST the output'),
  heartbeat: byToken('/heartbeat/', 'GET', (t) => `/heartbeat/${t}`, 'a success'),
  v1: byToken('/v1/heartbeats/', 'POST', (t) => `/v1/heartbeats/${t}/ping`, 'a success'),
  gatus: (e, token) =>
    token === null
      ? []
      : [
          {
            dialect: 'Gatus external endpoint',
            method: 'POST',
            url: `${e.baseUrl}/api/v1/endpoints/${encodeURIComponent(e.slug)}/external?success=true`,
            note: 'with Authorization: Bearer <the monitor’s token>; success=false is a failure',
          },
        ],
};

/** Every URL the monitor answers on: its token's in each dialect, and the ping-key's. */
export function pingUrlList(e: PingEndpoint): PingUrl[] {
  return Object.values(DIALECTS).flatMap((list) => list(e, e.token));
}
