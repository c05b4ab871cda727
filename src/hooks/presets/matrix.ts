// Matrix (https://spec.matrix.org/v1.11/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid):
// an m.text message PUT into a room, plain and as HTML.
import { object } from '../../schema-kit/object.js';
import { required } from '../../schema-kit/schema.js';
import { baseUrl, complete, secret, textFields } from '../fields.js';
import { string } from '../../schema-kit/scalars.js';
import { httpTarget } from '../transport/http-send.js';
import { escapeHtml, httpPreset, jsonRequest, styleOf } from '../preset.js';
import { truncateBytes } from '../text/truncate.js';
import type { Alert } from '../../core/alert.js';
import {
  groupTitle,
  listParts,
  mostUrgent,
  partTitle,
  roomAfterHeading,
} from '../text/group-text.js';
import { utf8Bytes } from '../text/split.js';

// An event may take 65536 bytes as the servers send it (canonical JSON with its signatures:
// https://spec.matrix.org/v1.11/client-server-api/#size-limits); the text goes in twice (plain
// and HTML), with room for markup.
const BODY_BYTES = 24_000;
// A grouped message counts both texts as their JSON strings, leaving 5.5 KB for the rest.
const GROUP_TEXT_BYTES = 60_000;

/** A line of a grouped message, plain and HTML, and the bytes both take in the event's JSON. */
interface Line {
  readonly plain: string;
  readonly html: string;
  readonly bytes: number;
}

const jsonBytes = (s: string) => utf8Bytes(JSON.stringify(s)) - 2;

function groupLine(text: string, url: string | null): Line {
  const plain = url === null ? text : `${text} ${url}`;
  const link = url === null ? '' : ` <a href="${escapeHtml(url)}">open</a>`;
  const html = escapeHtml(text) + link;
  return { plain, html, bytes: jsonBytes(plain) + jsonBytes(html) };
}

/**
 * The same id for every retry of a part: the server drops the parts a retried group resends
 * (for one access token). FNV-1a over the part's alerts keeps the id short.
 */
function partTxnId(hook: string, alerts: readonly Alert[], index: number): string {
  let hash = 0x811c9dc5;
  for (const a of alerts) {
    for (const c of `${a.transition_id}.${a.event}.${a.at};`) {
      hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193) >>> 0;
    }
  }
  return `overdue.${hook}.group.${alerts[0]?.transition_id ?? 0}.${hash.toString(16)}.${index}`;
}

const fields = {
  homeserver: required(baseUrl, 'The homeserver (https://matrix.example.org).'),
  'access-token': required(secret, "The sending account's access token."),
  'room-id': required(
    string({
      pattern: /^!.+:.+$/,
      hint: 'must be a room ID like !abc123:example.org (an alias #room:server will not do)',
    }),
    'The room ID (!abc123:example.org).',
  ),
  ...textFields,
};

export const matrix = httpPreset({
  description: 'Matrix: { homeserver, access-token, room-id, title, message }.',
  schema: complete(object(fields)),
  target: (o) => `matrix room ${o['room-id']} on ${httpTarget('PUT', o.homeserver)}`,
  secrets: (o) => [o['access-token']],
  request(o, { alert, title, message, url }, hook) {
    const heading = `${styleOf(alert.event).emoji} ${title}`;
    const text = truncateBytes(message, BODY_BYTES);
    const link = url === null ? '' : `\n${url}`;
    const htmlLink = url === null ? '' : `<br><a href="${escapeHtml(url)}">Open in overdue</a>`;
    const html = `<b>${escapeHtml(heading)}</b><br>${escapeHtml(text).replace(/\n/g, '<br>')}`;
    // The same transaction id for every retry of one delivery: the server drops duplicates.
    const txnId = `overdue.${hook.name}.${alert.transition_id}.${alert.event}.${Date.parse(alert.at)}`;
    return sendEvent(o, txnId, `${heading}\n${text}${link}`, html + htmlLink);
  },
  groupRequests(o, texts, hook) {
    const alerts = texts.map((t) => t.alert);
    const title = `${styleOf(mostUrgent(alerts)).emoji} ${groupTitle(alerts)}`;
    // The heading goes in both texts, then a newline (2 bytes in JSON) and a <br> (4 bytes).
    const headingBytes = (h: string) => jsonBytes(h) + jsonBytes(`<b>${escapeHtml(h)}</b>`) + 6;
    const limit = roomAfterHeading(GROUP_TEXT_BYTES, title, texts.length, headingBytes);
    const parts = listParts(texts, {
      limit,
      separatorSize: 6,
      line: groupLine,
      size: (l) => l.bytes,
    });
    return parts.map(({ lines, alerts: partAlerts }, i) => {
      const heading = partTitle(title, i, parts.length);
      const plain = [heading, ...lines.map((l) => l.plain)].join('\n');
      const html = `<b>${escapeHtml(heading)}</b><br>${lines.map((l) => l.html).join('<br>')}`;
      return sendEvent(o, partTxnId(hook.name, partAlerts, i), plain, html);
    });
  },
});

function sendEvent(
  o: { readonly homeserver: string; readonly 'access-token': string; readonly 'room-id': string },
  txnId: string,
  plain: string,
  html: string,
) {
  const room = encodeURIComponent(o['room-id']);
  const path = `/_matrix/client/v3/rooms/${room}/send/m.room.message/${encodeURIComponent(txnId)}`;
  const body = {
    msgtype: 'm.text',
    body: plain,
    format: 'org.matrix.custom.html',
    formatted_body: html,
  };
  return jsonRequest('PUT', o.homeserver + path, body, {
    authorization: `Bearer ${o['access-token']}`,
  });
}
