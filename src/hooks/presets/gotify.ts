// Gotify (https://gotify.net/docs/pushmsg): POST /message with the application token in a header.
import { object } from '../../schema-kit/object.js';
import { required } from '../../schema-kit/schema.js';
import { baseUrl, byEvent, complete, secret, textFields } from '../fields.js';
import { integer } from '../../schema-kit/scalars.js';
import { httpTarget } from '../transport/http-send.js';
import { httpPreset, jsonRequest } from '../preset.js';

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
    const body = {
      title,
      message,
      priority: o.priority[alert.event] ?? o.priority.down,
      extras: {
        'client::display': { contentType: 'text/plain' },
        ...(url === null ? {} : { 'client::notification': { click: { url } } }),
      },
    };
    return jsonRequest('POST', `${o.url}/message`, body, { 'x-gotify-key': o.token });
  },
});
