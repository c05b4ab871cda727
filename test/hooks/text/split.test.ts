// The splitter at its boundaries: what fits exactly, one unit over, a line longer than a part,
// and limits counted in UTF-8 bytes or after escaping.
import { describe, expect, it } from 'vitest';
import { fitLine, splitBySize, utf8Bytes } from '../../../src/hooks/text/split.js';

const chars = (s: string) => s.length;
const plain = (text: string, url: string | null) => (url === null ? text : `${text} ${url}`);
const escaped = (text: string) => text.replace(/&/g, '&amp;');

describe('splitBySize', () => {
  it.each([
    { limit: 9, parts: [['aaaa', 'bbbb']], why: 'fits exactly: 4 + 1 separator + 4' },
    { limit: 8, parts: [['aaaa'], ['bbbb']], why: 'one character over' },
    { limit: 4, parts: [['aaaa'], ['bbbb']], why: 'each line exactly a part' },
  ])('splits two lines of 4 at limit $limit ($why)', ({ limit, parts }) => {
    expect(splitBySize(['aaaa', 'bbbb'], limit, chars, 1)).toEqual(parts);
  });

  it('gives a line longer than the limit a part of its own, keeping the order', () => {
    const long = 'x'.repeat(20);
    expect(splitBySize(['aa', long, 'bb', 'cc'], 10, chars, 1)).toEqual([
      ['aa'],
      [long],
      ['bb', 'cc'],
    ]);
  });

  it('counts UTF-8 bytes where the service does: two é are 4 bytes, not 2 characters', () => {
    expect(splitBySize(['éé', 'éé'], 9, utf8Bytes, 1)).toEqual([['éé', 'éé']]);
    expect(splitBySize(['éé', 'éé'], 8, utf8Bytes, 1)).toEqual([['éé'], ['éé']]);
  });

  it('makes no part of an empty list', () => {
    expect(splitBySize([], 10, chars, 1)).toEqual([]);
  });
});

describe('fitLine', () => {
  it.each([
    { max: 20, line: 'x'.repeat(9) + ' http://h/1', why: 'fits exactly' },
    { max: 19, line: 'x'.repeat(7) + '… http://h/1', why: 'one character over: cut' },
  ])('fits a line of 20 in $max ($why), keeping the link', ({ max, line }) => {
    expect(fitLine('x'.repeat(9), 'http://h/1', max, plain, chars)).toBe(line);
  });

  it('cuts a line far longer than the limit to exactly the limit', () => {
    const line = fitLine('y'.repeat(10_000), 'http://h/1', 100, plain, chars);
    expect(line).toHaveLength(100);
    expect(line.endsWith('… http://h/1')).toBe(true);
  });

  it('cuts by UTF-8 bytes without splitting a character', () => {
    // é is 2 bytes, … is 3: 9 bytes hold three é and the ellipsis.
    expect(fitLine('é'.repeat(10), null, 9, plain, utf8Bytes)).toBe('ééé…');
    expect(utf8Bytes('😀a')).toBe(5);
  });

  it('counts the escaped text, as a service that counts markup does', () => {
    // '&&…' escaped is 11 characters; '&&&…' would be 16.
    const line = fitLine('&'.repeat(6), null, 12, escaped, chars);
    expect(line).toBe('&amp;&amp;…');
  });

  it('drops the link only when the link alone does not fit', () => {
    const url = `http://h/${'u'.repeat(30)}`;
    expect(fitLine('z'.repeat(50), url, 20, plain, chars)).toBe(`${'z'.repeat(19)}…`);
  });
});
