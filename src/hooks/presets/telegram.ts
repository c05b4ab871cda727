// Telegram (https://core.telegram.org/bots/api#sendmessage): a bot sends an HTML message to a chat.
import { object } from '../../schema-kit/object.js';
import { required, withDefault } from '../../schema-kit/schema.js';
import { baseUrl, complete, secret, textFields } from '../fields.js';
import { string } from '../../schema-kit/scalars.js';
import { escapeHtml, httpPreset, jsonRequest, styleOf } from '../preset.js';
import { truncate } from '../text/truncate.js';
import {
  groupTitle,
  listParts,
  mostUrgent,
  partTitle,
  roomAfterHeading,
} from '../text/group-text.js';

// sendMessage takes 1-4096 characters of text after entities are parsed, i.e. without the tags
// and with &lt; as one character (https://core.telegram.org/bots/api#sendmessage).
const TEXT_CHARS = 4_096;
const LINK_TEXT = 'Open in overdue';
const GROUP_LINK_TEXT = 'open';

/** A line of a grouped message: its HTML, and its length as Telegram counts it (the text). */
interface Line {
  readonly html: string;
  readonly chars: number;
}

function groupLine(text: string, url: string | null): Line {
  if (url === null) return { html: escapeHtml(text), chars: text.length };
  const html = `${escapeHtml(text)} <a href="${escapeHtml(url)}">${GROUP_LINK_TEXT}</a>`;
  return { html, chars: text.length + 1 + GROUP_LINK_TEXT.length };
}

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
    return sendMessage(o, text);
  },
  groupRequests(o, texts) {
    const alerts = texts.map((t) => t.alert);
    const title = `${styleOf(mostUrgent(alerts)).emoji} ${groupTitle(alerts)}`;
    // The heading's line and the newline after it are part of the text too.
    const limit = roomAfterHeading(TEXT_CHARS, title, texts.length, (h) => h.length) - 1;
    const parts = listParts(texts, {
      limit,
      separatorSize: 1,
      line: groupLine,
      size: (l) => l.chars,
    });
    return parts.map(({ lines }, i) => {
      const heading = escapeHtml(partTitle(title, i, parts.length));
      return sendMessage(o, `<b>${heading}</b>\n${lines.map((l) => l.html).join('\n')}`);
    });
  },
});

function sendMessage(
  o: { readonly 'bot-token': string; readonly 'chat-id': string; readonly 'api-url': string },
  text: string,
) {
  return jsonRequest('POST', `${o['api-url']}/bot${o['bot-token']}/sendMessage`, {
    chat_id: o['chat-id'],
    text,
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  });
}
