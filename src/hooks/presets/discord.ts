// Discord webhooks (https://discord.com/developers/docs/resources/webhook#execute-webhook): the
// title as the message content (what push notifications show), the details in a coloured embed.
import { object } from '../../schema-kit/object.js';
import { required } from '../../schema-kit/schema.js';
import { complete, httpUrl, textFields } from '../fields.js';
import { httpTarget } from '../transport/http-send.js';
import { httpPreset, jsonRequest, styleOf } from '../preset.js';
import { truncate } from '../text/truncate.js';

// Discord's limits: message content 2000 characters, embed description 4096.
const CONTENT_CHARS = 2_000;
const DESCRIPTION_CHARS = 4_096;

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
});
