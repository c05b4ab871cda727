// The words of a grouped alert: a title counting the alerts by event ("5 monitors down, 1 up")
// and one line per alert (its emoji, its title, the first line of its message). Each preset marks
// the lines up in its service's own way and splits them with split.ts.
import type { Alert } from '../../core/alert.js';
import type { AlertEvent } from '../../core/types.js';
import { styleOf } from './event-style.js';
import { fitLine, splitBySize, utf8Bytes } from './split.js';

/** One alert as a preset's templates rendered it. */
export interface ListedAlert {
  readonly alert: Alert;
  readonly title: string;
  readonly message: string;
  /** The monitor's page, when server.public-url is set. */
  readonly url: string | null;
}

// The most urgent first: the title counts them in this order, and a part takes the first's style.
const events: readonly { readonly event: AlertEvent; readonly words: string }[] = [
  { event: 'down', words: 'down' },
  { event: 'start-overdue', words: 'overdue' },
  { event: 'fail', words: 'failed again' },
  { event: 'reminder', words: 'still down' },
  { event: 'late', words: 'late' },
  { event: 'up', words: 'up' },
];

/** `5 monitors down, 1 late, 2 up`. */
export function groupTitle(alerts: readonly Alert[]): string {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.event, (counts.get(a.event) ?? 0) + 1);
  const known = events.filter((e) => counts.has(e.event));
  // An event this version does not know (an alert stored by a newer one) counts under its name.
  const unknown = [...counts.keys()].filter((e) => !events.some((k) => k.event === e));
  const phrases = [...known.map((e) => [e.event, e.words]), ...unknown.map((e) => [e, e])].map(
    ([event = '', words = ''], i) => {
      const n = counts.get(event) ?? 0;
      return i === 0 ? `${n} ${n === 1 ? 'monitor' : 'monitors'} ${words}` : `${n} ${words}`;
    },
  );
  return phrases.join(', ');
}

/** The title of part `index` (from 0) of `count`: numbered only when there is more than one. */
export function partTitle(title: string, index: number, count: number): string {
  return count === 1 ? title : `${title} (${index + 1}/${count})`;
}

/** The most urgent event among `alerts`, for a part's colour, emoji and tag. */
export function mostUrgent(alerts: readonly Alert[]): AlertEvent {
  const rank = (e: AlertEvent) => {
    const i = events.findIndex((k) => k.event === e);
    return i === -1 ? 0 : i;
  };
  return alerts.reduce<AlertEvent>(
    (worst, a) => (rank(a.event) < rank(worst) ? a.event : worst),
    alerts[0]?.event ?? 'down',
  );
}

/** `🔴 Nightly backup is down: No ping by …`: the title, and the first line of the message. */
export function lineText(a: ListedAlert): string {
  const first =
    a.message
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  const head = `${styleOf(a.alert.event).emoji} ${a.title}`;
  return first === '' ? head : `${head}: ${first}`;
}

/** How a preset writes the list: a line's markup from its text and link, and how it is counted. */
export interface ListFormat<L> {
  /** The most a part's lines may take, with their separators, as the service counts. */
  readonly limit: number;
  /** The most one line may take (a smaller container inside a part); default `limit`. */
  readonly lineLimit?: number;
  readonly separatorSize: number;
  line(text: string, url: string | null): L;
  size(line: L): number;
}

/** A part of a grouped message: its lines, and the alerts they are about. */
export interface ListPart<L> {
  readonly lines: readonly L[];
  readonly alerts: readonly Alert[];
}

/** The alerts' lines, each fitted, split into as few parts as `format.limit` allows. */
export function listParts<L>(alerts: readonly ListedAlert[], format: ListFormat<L>): ListPart<L>[] {
  const max = Math.min(format.limit, format.lineLimit ?? format.limit);
  const items = alerts.map((a) => ({
    alert: a.alert,
    line: fitLine(
      lineText(a),
      a.url,
      max,
      (t, u) => format.line(t, u),
      (l) => format.size(l),
    ),
  }));
  const size = (i: { line: L }) => format.size(i.line);
  const parts = splitBySize(items, format.limit, size, format.separatorSize);
  return parts.map((p) => ({ lines: p.map((i) => i.line), alerts: p.map((i) => i.alert) }));
}

/**
 * A plain-text list (ntfy, Gotify): one line per alert, its link after it, cut into parts of at
 * most `limitBytes` of UTF-8.
 */
export function plainListParts(alerts: readonly ListedAlert[], limitBytes: number) {
  return listParts(alerts, {
    limit: limitBytes,
    separatorSize: 1,
    line: (text, url) => (url === null ? text : `${text} ${url}`),
    size: utf8Bytes,
  });
}

/** The highest of the alerts' priorities (an unknown event takes the down's). */
export function highest(alerts: readonly Alert[], byEvent: Readonly<Record<AlertEvent, number>>) {
  return Math.max(...alerts.map((a) => byEvent[a.event] ?? byEvent.down));
}

/**
 * The room a part's heading leaves for its lines: the heading as numbered at the most parts
 * there can be (one per alert), so the number never outgrows it.
 */
export function roomAfterHeading(
  limit: number,
  title: string,
  alertCount: number,
  size: (heading: string) => number,
): number {
  return limit - size(partTitle(title, alertCount - 1, Math.max(alertCount, 2)));
}
