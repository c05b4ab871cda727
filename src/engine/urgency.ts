// The status page's order: trouble first, so a down job never sits below the fold of a long list.
import type { Status } from '../core/types.js';
import type { Monitor } from './live-monitor.js';

// Down first, then late (down soon unless a ping comes), then running; the rest keep their place.
const RANK: Readonly<Record<Status, number>> = {
  down: 0,
  late: 1,
  running: 2,
  up: 3,
  new: 3,
  paused: 3,
};

/**
 * `monitors` most urgent first, each group in the order given (the config's). One pass and a
 * concatenation: linear in the number of monitors, like the list's filtering.
 */
export function byUrgency(monitors: Iterable<Monitor>): Monitor[] {
  const groups: Monitor[][] = [[], [], [], []];
  for (const m of monitors) groups[RANK[m.state.status]]?.push(m);
  return groups.flat();
}
