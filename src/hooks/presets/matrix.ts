// Matrix (https://spec.matrix.org/v1.11/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid):
// an m.text message PUT into a room, plain and as HTML.
import { object } from '../../schema-kit/object.js';
import { required } from '../../schema-kit/schema.js';
import { baseUrl, complete, secret, textFields } from '../fields.js';
import { string } from '../../schema-kit/scalars.js';
import { httpTarget } from '../transport/http-send.js';
import { escapeHtml, httpPreset, jsonRequest, styleOf } from '../preset.js';
import { truncateBytes } from '../text/truncate.js';

// An event may take 65536 bytes; the text goes in twice (plain and HTML), with room for markup.
const BODY_BYTES = 24_000;

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
    const room = encodeURIComponent(o['room-id']);
    const path = `/_matrix/client/v3/rooms/${room}/send/m.room.message/${encodeURIComponent(txnId)}`;
    const body = {
      msgtype: 'm.text',
      body: `${heading}\n${text}${link}`,
      format: 'org.matrix.custom.html',
      formatted_body: html + htmlLink,
    };
    return jsonRequest('PUT', o.homeserver + path, body, {
      authorization: `Bearer ${o['access-token']}`,
    });
  },
});
