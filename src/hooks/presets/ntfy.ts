// ntfy (https://docs.ntfy.sh/publish/#publish-as-json): a JSON message POSTed to the server's root.
import { list } from '../../schema-kit/collections.js';
import { object } from '../../schema-kit/object.js';
import { required, withDefault } from '../../schema-kit/schema.js';
import { baseUrl, byEvent, complete, textFields } from '../fields.js';
import { Invalid, nullable, scalar, string } from '../../schema-kit/scalars.js';
import type { AlertEvent } from '../../core/types.js';
import { httpTarget } from '../transport/http-send.js';
import { httpPreset, jsonRequest } from '../preset.js';
import { truncate, truncateBytes } from '../text/truncate.js';
import { groupTitle, highest, plainListParts, mostUrgent, partTitle } from '../text/group-text.js';

// ntfy's message limit is 4096 bytes; longer messages become attachments (server message-limit,
// https://docs.ntfy.sh/publish/#limitations, ntfy v1.11.0); titles stay short.
const MESSAGE_BYTES = 4_096;
const TITLE_CHARS = 250;

// Emoji short codes: ntfy shows the first tag that names one in front of the title.
const tags: Readonly<Record<AlertEvent, string>> = {
  down: 'rotating_light',
  'start-overdue': 'rotating_light',
  fail: 'x',
  reminder: 'repeat',
  late: 'hourglass',
  up: 'white_check_mark',
};

const priorityNames = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5 } as const;

const priority = scalar<number>({
  expected: 'a priority 1-5 or min, low, default, high, max',
  json: {
    oneOf: [{ enum: Object.keys(priorityNames) }, { type: 'integer', minimum: 1, maximum: 5 }],
  },
  convert(value, source) {
    const text = String(typeof value === 'string' ? value : source);
    if (/^[1-5]$/.test(text)) return Number(text);
    const named = (priorityNames as Record<string, number>)[text];
    return (
      named ?? new Invalid(`expected a priority 1-5 or min, low, default, high, max, got '${text}'`)
    );
  },
});

const fields = {
  url: withDefault(baseUrl, 'https://ntfy.sh', 'The ntfy server.'),
  topic: required(string(), 'The topic to publish to.'),
  token: withDefault(nullable(string()), null, 'Access token (tk_...), sent as a Bearer token.'),
  priority: byEvent(
    priority,
    { down: 'high', late: 'default', up: 'default' },
    'Priority 1-5 or min, low, default, high, max; one for both events or { down, up }.',
  ),
  tags: withDefault(list(string()), [], 'More tags; emoji short codes show as emoji.'),
  ...textFields,
};

export const ntfy = httpPreset({
  description:
    'ntfy: { topic, url (default https://ntfy.sh), token, priority, tags, title, message }.',
  schema: complete(object(fields)),
  target: (o) => `ntfy ${httpTarget('POST', o.url)}`,
  secrets: (o) => (o.token === null ? [o.topic] : [o.token, o.topic]),
  request(o, { alert, title, message, url }) {
    const tag = tags[alert.event] ?? tags.down;
    const body = {
      topic: o.topic,
      title: truncate(title, TITLE_CHARS),
      message: truncateBytes(message, MESSAGE_BYTES),
      priority: o.priority[alert.event] ?? o.priority.down,
      tags: [tag, ...o.tags],
      ...(url === null ? {} : { click: url }),
    };
    const auth = o.token === null ? {} : { authorization: `Bearer ${o.token}` };
    return jsonRequest('POST', `${o.url}/`, body, auth);
  },
  groupRequests(o, texts, hook) {
    const title = groupTitle(texts.map((t) => t.alert));
    const parts = plainListParts(texts, MESSAGE_BYTES);
    const auth = o.token === null ? {} : { authorization: `Bearer ${o.token}` };
    return parts.map(({ lines, alerts }, i) => {
      const body = {
        topic: o.topic,
        title: truncate(partTitle(title, i, parts.length), TITLE_CHARS),
        message: lines.join('\n'),
        priority: highest(alerts, o.priority),
        tags: [tags[mostUrgent(alerts)] ?? tags.down, ...o.tags],
        ...(hook.publicUrl === null ? {} : { click: hook.publicUrl }),
      };
      return jsonRequest('POST', `${o.url}/`, body, auth);
    });
  },
});
