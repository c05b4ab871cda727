import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../src/hooks/transport/retry-after.js';

const never = () => {
  throw new Error('the clock was read');
};

describe('Retry-After', () => {
  it('reads a number of seconds', () => {
    expect(retryAfterMs('120', null, undefined, never)).toBe(120_000);
  });

  it("reads an HTTP date against the response's own Date", () => {
    const date = 'Fri, 01 May 2026 02:30:00 GMT';
    expect(retryAfterMs('Fri, 01 May 2026 02:31:30 GMT', date, undefined, never)).toBe(90_000);
  });

  it('reads an HTTP date against the clock when the response has no Date', () => {
    const now = () => Date.parse('2026-05-01T02:30:00Z');
    expect(retryAfterMs('Fri, 01 May 2026 02:30:10 GMT', null, undefined, now)).toBe(10_000);
  });

  it('takes a date in the past as no wait', () => {
    const date = 'Fri, 01 May 2026 02:30:00 GMT';
    expect(retryAfterMs('Fri, 01 May 2026 02:00:00 GMT', date, undefined, never)).toBe(0);
  });

  it("falls back to the body's retry_after (Discord) and parameters.retry_after (Telegram)", () => {
    expect(retryAfterMs(null, null, { retry_after: 1.5 }, never)).toBe(1_500);
    expect(retryAfterMs(null, null, { parameters: { retry_after: 7 } }, never)).toBe(7_000);
  });

  it('ignores what it cannot read', () => {
    expect(retryAfterMs('soon', null, { retry_after: 'later' }, never)).toBeUndefined();
    expect(retryAfterMs(null, null, null, never)).toBeUndefined();
  });
});
