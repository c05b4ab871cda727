// Telegram (https://core.telegram.org/bots/api#sendmessage): a bot sends an HTML message to a chat.
import { object } from '../../schema-kit/object.js';
import { required, withDefault } from '../../schema-kit/schema.js';
import { baseUrl, complete, secret, textFields } from '../fields.js';
import { string } from '../../schema-kit/scalars.js';
import { escapeHtml, httpPreset, jsonRequest, styleOf } from '../preset.js';
import { truncate } from '../text/truncate.js';

// sendMessage takes 1-4096 characters of text after entities are parsed, i.e. without the tags.
const TEXT_CHARS = 4_096;
const LINK_TEXT = 'Open in overdue';

const fields = {
  'bot-token': required(secret, 'The bot token from @BotFather (123456:ABC...).'),
  'chat-id': required(string(), 'The chat: a numeric id (groups are negative) or @channelname.'),
  'api-url': withDefault(baseUrl, 'https://api.telegram.org', 'The Bot API server.'),
  ...textFields,
};

export const telegram = httpPreset({
  description: 'Telegram: { bot-token, chat-id, api-url, title, message }.',
  schema: complete(object(fields)),
  target: (o) => `telegram chat ${o['chat-id']}`,
  secrets: (o) => [o['bot-token']],
  request(o, { alert, title, message, url }) {
    const heading = `${styleOf(alert.event).emoji} ${title}`;
    const link = url === null ? '' : `\n\n${LINK_TEXT}`;
    // Cut the plain text, then mark it up, so that no tag or entity is cut in half.
    const room = TEXT_CHARS - heading.length - link.length - 1;
    const body = truncate(message, Math.max(room, 0));
    const linkHtml = url === null ? '' : `\n\n<a href="${escapeHtml(url)}">${LINK_TEXT}</a>`;
    const text = `<b>${escapeHtml(truncate(heading, TEXT_CHARS))}</b>\n${escapeHtml(body)}${linkHtml}`;
    return jsonRequest('POST', `${o['api-url']}/bot${o['bot-token']}/sendMessage`, {
      chat_id: o['chat-id'],
      text,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
  },
});
