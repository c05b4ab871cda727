// GET /healthz: overdue's own health, the three checks of core/health.ts. 200 `ok` while all pass;
// 503 with the failed checks' reasons when not. With `Accept: application/json`, every check and
// what it measured. Never a secret: no token is needed to read it.
//
// Whether the running config is the file's is told beside it, in a header and a second line (a
// `config` field in JSON), and never in the status code: a load balancer or systemd acting on it
// must not take out a daemon that still works, while a broken push to the config's repository can
// still be watched for.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthReport } from '../core/health.js';
import type { ReloadResult } from '../engine/read-model.js';
import { send } from './json.js';
import { reply } from './ping-handler.js';

export const CONFIG_HEADER = 'overdue-config';

export function healthz(
  report: HealthReport,
  reload: ReloadResult,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const status = report.ok ? 200 : 503;
  const config = reload.ok ? 'applied' : 'stale';
  const headers = { 'cache-control': 'no-store', [CONFIG_HEADER]: config };
  const stale = reload.ok
    ? null
    : `the reload at ${new Date(reload.at).toISOString()} failed; running the config applied before`;
  if ((req.headers.accept ?? '').includes('application/json')) {
    const checks = Object.fromEntries(
      report.checks.map((c) => [c.name, { ok: c.ok, detail: c.detail }]),
    );
    return send(res, status, { ok: report.ok, checks, config, config_detail: stale }, headers);
  }
  const body = `${report.reason ?? 'ok'}${stale === null ? '' : `\nconfig: stale: ${stale}`}`;
  reply(res, status, body, headers);
}
