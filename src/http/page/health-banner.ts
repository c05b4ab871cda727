// A line above every page while overdue itself is unhealthy (the checks of /healthz): whoever
// reads the status page learns that its statuses may be stale before trusting them.
import type { ReadModel } from '../../engine/read-model.js';
import { html, type Html } from './html.js';

export function healthBanner(model: ReadModel): Html | string {
  const report = model.health?.();
  if (report === undefined || report.ok) return '';
  return html`<p class="error" role="alert">
    overdue itself is unhealthy: ${report.reason ?? ''}
  </p>`;
}
