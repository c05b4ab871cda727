// Splitting a list into as few parts as a service's size limit allows. Pure: the caller says how
// the service counts (characters, UTF-8 bytes, characters after markup is parsed, JSON bytes), so
// escaping is counted where the service counts it. A part never holds half a line, and no line is
// dropped: a line too long on its own is cut to fit a part alone.
import { truncate } from './truncate.js';

/**
 * Consecutive items into parts whose sizes plus one separator between neighbours stay within
 * `limit`; the order is kept. Greedy, which for consecutive parts gives the fewest. An item larger
 * than `limit` gets a part of its own (fit it first with `fitLine`).
 */
export function splitBySize<T>(
  items: readonly T[],
  limit: number,
  size: (item: T) => number,
  separatorSize: number,
): T[][] {
  const parts: T[][] = [];
  let part: T[] = [];
  let used = 0;
  for (const item of items) {
    const itemSize = size(item);
    const needed = part.length === 0 ? itemSize : used + separatorSize + itemSize;
    if (part.length > 0 && needed > limit) {
      parts.push(part);
      part = [];
    }
    used = part.length === 0 ? itemSize : used + separatorSize + itemSize;
    part.push(item);
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/**
 * The line `render(text, url)` within `max` as `size` counts it: as it is when it fits, else with
 * `text` cut (ending in `…`) as little as needed, found by bisection since escaping makes the size
 * of a cut unpredictable. The link goes only when even an empty text with it does not fit.
 */
export function fitLine<L>(
  text: string,
  url: string | null,
  max: number,
  render: (text: string, url: string | null) => L,
  size: (line: L) => number,
): L {
  const whole = render(text, url);
  if (size(whole) <= max) return whole;
  const link = url !== null && size(render('', url)) <= max ? url : null;
  if (link !== url && size(render(text, link)) <= max) return render(text, link);
  let fits = 0;
  let tooLong = text.length;
  while (tooLong - fits > 1) {
    const mid = Math.floor((fits + tooLong) / 2);
    if (size(render(truncate(text, mid), link)) <= max) fits = mid;
    else tooLong = mid;
  }
  return render(fits === 0 ? '' : truncate(text, fits), link);
}

/** UTF-8 bytes of `s` (what ntfy, Gotify and Matrix count), without node's Buffer. */
export function utf8Bytes(s: string): number {
  let bytes = 0;
  for (const char of s) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
