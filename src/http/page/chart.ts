// A small inline-SVG chart of recent run durations and values: no script, no external asset, so it
// renders under a strict Content-Security-Policy and without JavaScript.
import type { PingRow } from '../../engine/read-model.js';
import { formatDuration, formatExact, formatNumber } from './format.js';
import { html, type Html } from './html.js';

const WIDTH = 520;
const HEIGHT = 150;
const PAD = { left: 64, right: 12, top: 12, bottom: 26 };

interface Point {
  readonly at: number;
  readonly y: number;
}

function panel(
  title: string,
  cls: 'duration' | 'value',
  points: readonly Point[],
  label: (y: number) => string,
): Html {
  const minAt = Math.min(...points.map((p) => p.at));
  const maxAt = Math.max(...points.map((p) => p.at));
  const maxY = Math.max(...points.map((p) => p.y), 0);
  const minY = Math.min(...points.map((p) => p.y), 0);
  const w = WIDTH - PAD.left - PAD.right;
  const h = HEIGHT - PAD.top - PAD.bottom;
  const x = (at: number) =>
    PAD.left + (maxAt === minAt ? w / 2 : ((at - minAt) / (maxAt - minAt)) * w);
  const y = (v: number) => PAD.top + (maxY === minY ? h / 2 : (1 - (v - minY) / (maxY - minY)) * h);
  const line = points.map((p) => `${x(p.at).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
  const bottom = HEIGHT - PAD.bottom;
  return html`<figure class="card chart-card">
    <figcaption class="small muted">
      ${title}: ${points.length} recent ${points.length === 1 ? 'ping' : 'pings'}
    </figcaption>
    <svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${title}">
      <line class="axis" x1="${PAD.left}" y1="${bottom}" x2="${WIDTH - PAD.right}" y2="${bottom}" />
      <line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${bottom}" />
      <text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${label(maxY)}</text>
      <text x="${PAD.left - 6}" y="${bottom}" text-anchor="end">${label(minY)}</text>
      <text x="${PAD.left}" y="${HEIGHT - 6}">${formatExact(minAt)}</text>
      <text x="${WIDTH - PAD.right}" y="${HEIGHT - 6}" text-anchor="end">
        ${formatExact(maxAt)}
      </text>
      <polyline class="${cls}" points="${line}" />
      ${points.map(
        (p) =>
          html`<circle
            class="dot-${cls}"
            cx="${x(p.at).toFixed(1)}"
            cy="${y(p.y).toFixed(1)}"
            r="2.5"
            ><title>${`${label(p.y)} at ${formatExact(p.at)}`}</title></circle
          >`,
      )}
    </svg>
  </figure>`;
}

/** Durations and values of the given pings (newest first, as pages come), each as its own panel. */
export function chart(pings: readonly PingRow[]): Html {
  const oldestFirst = [...pings].reverse();
  const durations = oldestFirst.flatMap((p) =>
    p.durationMs === null ? [] : [{ at: p.at, y: p.durationMs }],
  );
  const values = oldestFirst.flatMap((p) => (p.value === null ? [] : [{ at: p.at, y: p.value }]));
  if (durations.length === 0 && values.length === 0) {
    return html`<p class="card empty small">
      No durations or values yet. A run's duration is measured from its <code>/start</code> ping to
      its end; a value comes with a ping as <code>?value=</code>.
    </p>`;
  }
  return html`<div class="charts">
    ${durations.length > 0 ? panel('Run durations', 'duration', durations, formatDuration) : ''}${
      values.length > 0 ? panel('Values', 'value', values, formatNumber) : ''
    }
  </div>`;
}
