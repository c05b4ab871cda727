// Pushover (https://pushover.net/api): a form POSTed to /1/messages.json.
import { object } from '../../schema-kit/object.js';
import { required, withDefault } from '../../schema-kit/schema.js';
import { baseUrl, byEvent, complete, secret, textFields } from '../fields.js';
import { integer } from '../../schema-kit/scalars.js';
import { httpPreset } from '../preset.js';
import { truncate } from '../text/truncate.js';

// Pushover's limits: message 1024 characters, title 250, url 512, url_title 100.
const MESSAGE_CHARS = 1_024;
const TITLE_CHARS = 250;
const URL_CHARS = 512;
// Emergency priority (2) repeats until acknowledged: every minute, for at most an hour.
const EMERGENCY = { retry: '60', expire: '3600' };

const fields = {
  user: required(secret, 'The user or group key.'),
  token: required(secret, "The application's API token."),
  priority: byEvent(
    integer({ min: -2, max: 2 }),
    { down: 1, late: 0, up: 0 },
    'Priority -2 to 2 (2: repeated until acknowledged); one for both events or { down, up }.',
  ),
  'api-url': withDefault(baseUrl, 'https://api.pushover.net', 'The API server.'),
  ...textFields,
};

export const pushover = httpPreset({
  description: 'Pushover: { user, token, priority, api-url, title, message }.',
  schema: complete(object(fields)),
  target: () => 'pushover',
  secrets: (o) => [o.user, o.token],
  request(o, { alert, title, message, url }) {
    const priority = o.priority[alert.event] ?? o.priority.down;
    const form = new URLSearchParams({
      token: o.token,
      user: o.user,
      title: truncate(title, TITLE_CHARS),
      message: truncate(message, MESSAGE_CHARS),
      priority: String(priority),
      timestamp: String(Math.floor(Date.parse(alert.at) / 1_000)),
      ...(priority === 2 ? EMERGENCY : {}),
      ...(url === null || url.length > URL_CHARS ? {} : { url, url_title: 'Open in overdue' }),
    });
    return {
      method: 'POST',
      url: `${o['api-url']}/1/messages.json`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    };
  },
});
