// Discord webhooks (https://discord.com/developers/docs/resources/webhook#execute-webhook): the
// title as the message content (what push notifications show), the details in a coloured embed.
import { object } from '../../schema-kit/object.js';
import { required } from '../../schema-kit/schema.js';
import { complete, httpUrl, textFields } from '../fields.js';
import { httpTarget } from '../transport/http-send.js';
import { httpPreset, jsonRequest, styleOf } from '../preset.js';
import { truncate } from '../text/truncate.js';
import { groupTitle, listParts, mostUrgent, partTitle } from '../text/group-text.js';
import { splitBySize } from '../text/split.js';

// Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits):
// message content 2000 characters, embed description 4096, all of a message's embeds 6000 in all.
const CONTENT_CHARS = 2_000;
const DESCRIPTION_CHARS = 4_096;
const EMBEDS_CHARS = 6_000;

const fields = {
  url: required(httpUrl, 'The webhook URL (https://discord.com/api/webhooks/...).'),
  ...textFields,
};

/** The title goes in bold: its own markdown characters must stay characters. */
function escapeMarkdown(s: string): string {
  return s.replace(/[\\*_~`|]/g, (c) => `\\${c}`);
}

export const discord = httpPreset({
  description: 'Discord: { url (a channel webhook), title, message }.',
  schema: complete(object(fields)),
  target: (o) => `discord ${httpTarget('POST', o.url)}`,
  secrets: (o) => [o.url, new URL(o.url).pathname],
  request(o, { alert, title, message, url }) {
    const style = styleOf(alert.event);
    const embed = {
      description: truncate(message, DESCRIPTION_CHARS),
      color: Number.parseInt(style.color.slice(1), 16),
      timestamp: alert.at,
      ...(url === null ? {} : { title: 'Open in overdue', url }),
    };
    return jsonRequest('POST', o.url, {
      content: truncate(`${style.emoji} **${escapeMarkdown(title)}**`, CONTENT_CHARS),
      embeds: [embed],
      // A job's output must not ping @everyone.
      allowed_mentions: { parse: [] },
    });
  },
  groupRequests(o, texts) {
    const title = groupTitle(texts.map((t) => t.alert));
    const parts = listParts(texts, {
      limit: EMBEDS_CHARS,
      lineLimit: DESCRIPTION_CHARS,
      separatorSize: 1,
      line: (text, url) => escapeMarkdown(text) + (url === null ? '' : ` [open](${url})`),
      size: (line) => line.length,
    });
    return parts.map(({ lines, alerts }, i) => {
      const style = styleOf(mostUrgent(alerts));
      const color = Number.parseInt(style.color.slice(1), 16);
      // 6000 characters in all, at most 4096 in one embed: two or three embeds (of the 10 allowed).
      const embeds = splitBySize(lines, DESCRIPTION_CHARS, (l) => l.length, 1).map((d) => ({
        description: d.join('\n'),
        color,
      }));
      const heading = escapeMarkdown(partTitle(title, i, parts.length));
      return jsonRequest('POST', o.url, {
        content: truncate(`${style.emoji} **${heading}**`, CONTENT_CHARS),
        embeds,
        allowed_mentions: { parse: [] },
      });
    });
  },
});
