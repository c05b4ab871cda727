// Gotify (https://gotify.net/docs/pushmsg): POST /message with the application token in a header.
import { object } from '../../schema-kit/object.js';
import { required } from '../../schema-kit/schema.js';
import { baseUrl, byEvent, complete, secret, textFields } from '../fields.js';
import { integer } from '../../schema-kit/scalars.js';
import { httpTarget } from '../transport/http-send.js';
import { httpPreset, jsonRequest } from '../preset.js';
import { groupTitle, highest, plainListParts, partTitle } from '../text/group-text.js';

// Gotify documents no limit (gotify/server#441); it keeps a message in a `text` column
// (model/message.go), which on MySQL holds 65 535 bytes.
const MESSAGE_BYTES = 65_535;

const fields = {
  url: required(baseUrl, 'The Gotify server.'),
  token: required(secret, 'The application token.'),
  priority: byEvent(
    integer({ min: 0, max: 10 }),
    // The Android app pops up 8 and above, and plays a sound from 4.
    { down: 8, late: 5, up: 4 },
    'Priority 0-10; one for both events or { down, up }.',
  ),
  ...textFields,
};

export const gotify = httpPreset({
  description: 'Gotify: { url, token, priority, title, message }.',
  schema: complete(object(fields)),
  target: (o) => `gotify ${httpTarget('POST', `${o.url}/message`)}`,
  secrets: (o) => [o.token],
  request(o, { alert, title, message, url }) {
    const priority = o.priority[alert.event] ?? o.priority.down;
    return gotifyMessage(o, { title, message, priority, url });
  },
  groupRequests(o, texts, hook) {
    const title = groupTitle(texts.map((t) => t.alert));
    const parts = plainListParts(texts, MESSAGE_BYTES);
    return parts.map(({ lines, alerts }, i) =>
      gotifyMessage(o, {
        title: partTitle(title, i, parts.length),
        message: lines.join('\n'),
        priority: highest(alerts, o.priority),
        url: hook.publicUrl,
      }),
    );
  },
});

function gotifyMessage(
  o: { readonly url: string; readonly token: string },
  m: { title: string; message: string; priority: number; url: string | null },
) {
  const body = {
    title: m.title,
    message: m.message,
    priority: m.priority,
    extras: {
      'client::display': { contentType: 'text/plain' },
      ...(m.url === null ? {} : { 'client::notification': { click: { url: m.url } } }),
    },
  };
  return jsonRequest('POST', `${o.url}/message`, body, { 'x-gotify-key': o.token });
}
