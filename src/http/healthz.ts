// GET /healthz: the status code says whether pings can be stored (200, or 503 with the cause), and
// only that: a load balancer or systemd acting on it must not take out a daemon that still works.
// Whether the running config is the file's is told beside it, in a header and a second line, so a
// broken push to the config's repository can be watched for without failing the health check.
import type { ServerResponse } from 'node:http';
import type { ReloadResult } from '../engine/read-model.js';
import { reply } from './ping-handler.js';

export const CONFIG_HEADER = 'overdue-config';

/** `problem`: null when the database can be written, else what is wrong. */
export function healthz(res: ServerResponse, problem: string | null, reload: ReloadResult): void {
  const headers = { 'cache-control': 'no-store', [CONFIG_HEADER]: reload.ok ? 'applied' : 'stale' };
  const health = problem === null ? 'ok' : `database not writable: ${problem}`;
  const config = reload.ok
    ? ''
    : `\nconfig: stale: the reload at ${new Date(reload.at).toISOString()} failed; running the config applied before`;
  reply(res, problem === null ? 200 : 503, `${health}${config}`, headers);
}
