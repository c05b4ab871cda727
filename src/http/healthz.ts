// GET /healthz: overdue's own health, the three checks of core/health.ts. 200 `ok` while all pass;
// 503 with the failed checks' reasons when not. With `Accept: application/json`, every check and
// what it measured. Never a secret: no token is needed to read it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthReport } from '../core/health.js';
import { send } from './json.js';
import { reply } from './ping-handler.js';

export function healthz(report: HealthReport, req: IncomingMessage, res: ServerResponse): void {
  const status = report.ok ? 200 : 503;
  const noStore = { 'cache-control': 'no-store' };
  if ((req.headers.accept ?? '').includes('application/json')) {
    const checks = Object.fromEntries(
      report.checks.map((c) => [c.name, { ok: c.ok, detail: c.detail }]),
    );
    res.setHeader('cache-control', 'no-store');
    return send(res, status, { ok: report.ok, checks });
  }
  reply(res, status, report.reason ?? 'ok', noStore);
}
