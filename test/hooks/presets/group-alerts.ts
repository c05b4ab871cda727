// Alerts for grouped-delivery tests: `count` monitors named `Job 0001`..., mostly down, some late
// or up, every fifth with markup characters in its name, so escaping is counted as it is sent.
import type { Alert } from '../../../src/core/alert.js';
import type { AlertEvent } from '../../../src/core/types.js';
import { sampleAlert } from '../../helpers/alert.js';

export function jobName(i: number): string {
  return `Job ${String(i).padStart(4, '0')}`;
}

export function manyAlerts(count: number): Alert[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    const event: AlertEvent = i % 7 === 0 ? 'up' : i % 11 === 0 ? 'late' : 'down';
    const name = i % 5 === 0 ? `${jobName(i)} <db> & *co*` : jobName(i);
    return sampleAlert({
      event,
      status: event,
      monitor: { slug: `job-${i}`, name },
      transition_id: i,
    });
  });
}

/** How many times each of `count` job names occurs in `texts`: 1 each when none is lost or doubled. */
export function nameCounts(texts: readonly string[], count: number): number[] {
  const all = texts.join('\n');
  return Array.from({ length: count }, (_, k) => all.split(jobName(k + 1)).length - 1);
}

/** Whether the job names first occur in `texts` (joined in the order sent) in their own order. */
export function namesInOrder(texts: readonly string[], count: number): boolean {
  const all = texts.join('\n');
  const at = Array.from({ length: count }, (_, k) => all.indexOf(jobName(k + 1)));
  return at.every((i, k) => k === 0 || i > (at[k - 1] ?? 0));
}
