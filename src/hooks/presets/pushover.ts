// Pushover (https://pushover.net/api): a form POSTed to /1/messages.json.
import { object } from '../../schema-kit/object.js';
import { required, withDefault } from '../../schema-kit/schema.js';
import { baseUrl, byEvent, complete, secret, textFields } from '../fields.js';
import { integer } from '../../schema-kit/scalars.js';
import { httpPreset } from '../preset.js';
import { truncate } from '../text/truncate.js';
import { groupTitle, highest, listParts, partTitle } from '../text/group-text.js';

// Pushover's limits (https://pushover.net/api#limits): message 1024 characters, title 250, url
// 512, url_title 100. It counts characters; we count UTF-16 units, never fewer.
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
    return pushoverForm(o, { title, message, priority, at: alert.at, url });
  },
  groupRequests(o, texts, hook) {
    const title = groupTitle(texts.map((t) => t.alert));
    const parts = listParts(texts, {
      limit: MESSAGE_CHARS,
      separatorSize: 1,
      line: (text, url) => (url === null ? text : `${text} ${url}`),
      size: (line) => line.length,
    });
    return parts.map(({ lines, alerts }, i) =>
      pushoverForm(o, {
        title: partTitle(title, i, parts.length),
        message: lines.join('\n'),
        priority: highest(alerts, o.priority),
        at: alerts[0]?.at ?? '',
        url: hook.publicUrl,
      }),
    );
  },
});

function pushoverForm(
  o: { readonly user: string; readonly token: string; readonly 'api-url': string },
  m: { title: string; message: string; priority: number; at: string; url: string | null },
) {
  const form = new URLSearchParams({
    token: o.token,
    user: o.user,
    title: truncate(m.title, TITLE_CHARS),
    message: truncate(m.message, MESSAGE_CHARS),
    priority: String(m.priority),
    timestamp: String(Math.floor(Date.parse(m.at) / 1_000)),
    ...(m.priority === 2 ? EMERGENCY : {}),
    ...(m.url === null || m.url.length > URL_CHARS
      ? {}
      : { url: m.url, url_title: 'Open in overdue' }),
  });
  return {
    method: 'POST',
    url: `${o['api-url']}/1/messages.json`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  };
}
