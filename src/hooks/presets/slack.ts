// Slack incoming webhooks (https://api.slack.com/messaging/webhooks): a message whose attachment
// has the event's colour bar and Block Kit blocks inside.
import { object } from '../../schema-kit/object.js';
import { required } from '../../schema-kit/schema.js';
import { complete, httpUrl, textFields } from '../fields.js';
import { httpTarget } from '../transport/http-send.js';
import { httpPreset, jsonRequest, styleOf } from '../preset.js';
import { truncate } from '../text/truncate.js';

// A section block's text takes at most 3000 characters.
const SECTION_CHARS = 3_000;
const TEXT_CHARS = 1_000;

const fields = {
  url: required(httpUrl, 'The incoming webhook URL (https://hooks.slack.com/services/...).'),
  ...textFields,
};

/** Slack's mrkdwn reads &, < and > as markup: https://api.slack.com/reference/surfaces/formatting */
function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cut after escaping, as Slack counts; an entity cut in half is dropped. */
function cut(s: string, max: number): string {
  return truncate(s, max).replace(/&[a-z]{0,3}…$/, '…');
}

export const slack = httpPreset({
  description: 'Slack: { url (an incoming webhook), title, message }.',
  schema: complete(object(fields)),
  target: (o) => `slack ${httpTarget('POST', o.url)}`,
  secrets: (o) => [o.url, new URL(o.url).pathname],
  request(o, { alert, title, message, url }) {
    const style = styleOf(alert.event);
    const text = cut(`*${escapeSlack(title)}*\n${escapeSlack(message)}`, SECTION_CHARS);
    const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
    if (url !== null) {
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `<${url}|Open in overdue>` }],
      });
    }
    return jsonRequest('POST', o.url, {
      // The notification text, and what clients without attachments show.
      text: `${style.emoji} ${truncate(title, TEXT_CHARS)}`,
      attachments: [{ color: style.color, fallback: truncate(title, TEXT_CHARS), blocks }],
    });
  },
});
