// Slack incoming webhooks (https://api.slack.com/messaging/webhooks): a message whose attachment
// has the event's colour bar and Block Kit blocks inside.
import { object } from '../../schema-kit/object.js';
import { required } from '../../schema-kit/schema.js';
import { complete, httpUrl, textFields } from '../fields.js';
import { httpTarget } from '../transport/http-send.js';
import { httpPreset, jsonRequest, styleOf } from '../preset.js';
import { truncate } from '../text/truncate.js';
import { groupTitle, listParts, mostUrgent, partTitle } from '../text/group-text.js';
import { splitBySize } from '../text/split.js';

// A section block's text takes at most 3000 characters, a message at most 50 blocks
// (https://api.slack.com/reference/block-kit/blocks#section). Slack also refuses a message whose
// blocks hold about 12 000 characters in all, a limit it does not document (msg_blocks_too_long,
// slackapi/bolt-js#2509, #2867): a grouped message keeps well under it.
const SECTION_CHARS = 3_000;
const MESSAGE_CHARS = 10_000;
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
  groupRequests(o, texts) {
    const title = groupTitle(texts.map((t) => t.alert));
    const parts = listParts(texts, {
      limit: MESSAGE_CHARS,
      lineLimit: SECTION_CHARS,
      separatorSize: 1,
      // Escaped before it is counted: Slack counts the text as sent.
      line: (text, url) => escapeSlack(text) + (url === null ? '' : ` <${url}|open>`),
      size: (line) => line.length,
    });
    return parts.map(({ lines, alerts }, i) => {
      const style = styleOf(mostUrgent(alerts));
      const heading = truncate(partTitle(title, i, parts.length), TEXT_CHARS);
      const blocks = splitBySize(lines, SECTION_CHARS, (l) => l.length, 1).map((section) => ({
        type: 'section',
        text: { type: 'mrkdwn', text: section.join('\n') },
      }));
      return jsonRequest('POST', o.url, {
        text: `${style.emoji} ${heading}`,
        attachments: [{ color: style.color, fallback: heading, blocks }],
      });
    });
  },
});
