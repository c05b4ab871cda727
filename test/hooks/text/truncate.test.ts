import { describe, expect, it } from 'vitest';
import { truncate, truncateBytes } from '../../../src/hooks/text/truncate.js';

describe('truncate', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('cuts text to the limit, ending in an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
  });

  it('never keeps half of a character made of two UTF-16 units', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
  });

  it('cuts to a number of UTF-8 bytes without splitting a character', () => {
    // é is 2 bytes and … is 3: 6 bytes hold one é and the ellipsis.
    expect(truncateBytes('éééé', 6)).toBe('é…');
    expect(truncateBytes('éé', 4)).toBe('éé');
  });
});
