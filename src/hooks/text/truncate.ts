// Cutting text to a service's length limit: a message that is too long is refused outright, which
// would turn a long job output into a lost alert. The cut never splits a character.

const ELLIPSIS = '…';

/** At most `max` UTF-16 code units (what JavaScript, Telegram and Discord count), ending in `…` when cut. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - ELLIPSIS.length);
  // Do not keep half of a surrogate pair.
  if (end > 0 && isHighSurrogate(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end) + ELLIPSIS;
}

/** At most `max` bytes of UTF-8 (what ntfy and Matrix count), ending in `…` when cut. */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  const budget = max - Buffer.byteLength(ELLIPSIS, 'utf8');
  let out = '';
  let size = 0;
  for (const char of s) {
    const bytes = Buffer.byteLength(char, 'utf8');
    if (size + bytes > budget) break;
    out += char;
    size += bytes;
  }
  return out + ELLIPSIS;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
