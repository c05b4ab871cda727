// Status badges: a small flat SVG, and the JSON of a shields.io endpoint badge
// (https://shields.io/badges/endpoint-badge), for READMEs and dashboards.
import type { Status } from '../core/types.js';
import type { BadgeView } from '../engine/read-model.js';

const COLORS: Readonly<Record<Status, { readonly name: string; readonly hex: string }>> = {
  up: { name: 'brightgreen', hex: '#4c1' },
  running: { name: 'blue', hex: '#007ec6' },
  late: { name: 'yellow', hex: '#dfb317' },
  down: { name: 'red', hex: '#e05d44' },
  new: { name: 'lightgrey', hex: '#9f9f9f' },
  paused: { name: 'lightgrey', hex: '#9f9f9f' },
};

export function badgeJson(view: BadgeView): object {
  return {
    schemaVersion: 1,
    label: view.label,
    message: view.status,
    color: COLORS[view.status].name,
  };
}

// Verdana 11px averages about 6.5 px a character: close enough without shipping font metrics.
function textWidth(text: string): number {
  return Math.round(text.length * 6.5) + 10;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function badgeSvg(view: BadgeView): string {
  const label = escapeXml(view.label);
  const message = escapeXml(view.status);
  const lw = textWidth(view.label);
  const mw = textWidth(view.status);
  const w = lw + mw;
  const color = COLORS[view.status].hex;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${label}: ${message}">
<title>${label}: ${message}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="14">${label}</text><text x="${lw + mw / 2}" y="14">${message}</text>
</g>
</svg>
`;
}
