// How each event looks where a service has colours or emoji: down is red, late amber, up green.
import type { AlertEvent } from '../../core/types.js';

const red = '#d93025';

export const eventStyle: Readonly<
  Record<AlertEvent, { readonly emoji: string; readonly color: string }>
> = {
  down: { emoji: '🔴', color: red },
  'start-overdue': { emoji: '🔴', color: red },
  fail: { emoji: '🔴', color: red },
  reminder: { emoji: '🔁', color: red },
  late: { emoji: '🟡', color: '#f9ab00' },
  up: { emoji: '✅', color: '#1e8e3e' },
};

/** The style of `event`, also for an event this version does not know (a stored newer alert). */
export function styleOf(event: AlertEvent): { readonly emoji: string; readonly color: string } {
  return eventStyle[event] ?? eventStyle.down;
}
