// How long a rate-limited (429) or unavailable (503) receiver asks us to wait. Retrying sooner
// only earns another refusal, and some services (Discord, Telegram) block clients that ignore it.

/**
 * The wait asked for by a `Retry-After` header (seconds, or an HTTP date), or else by the JSON
 * body's `retry_after` seconds (Discord) or `parameters.retry_after` (Telegram); undefined when
 * none is given. An HTTP date is measured against the response's own `Date`, so that the two
 * clocks need not agree; `now` is used only when the response has no valid `Date`.
 */
export function retryAfterMs(
  header: string | null,
  dateHeader: string | null,
  body: unknown,
  now: () => number,
): number | undefined {
  const fromHeader = header === null ? undefined : parseRetryAfter(header, dateHeader, now);
  return fromHeader ?? fromBody(body);
}

export function parseRetryAfter(
  value: string,
  dateHeader: string | null,
  now: () => number,
): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  const sentAt = dateHeader === null ? NaN : Date.parse(dateHeader);
  return Math.max(0, at - (Number.isNaN(sentAt) ? now() : sentAt));
}

function fromBody(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const direct = (body as { retry_after?: unknown }).retry_after;
  const nested = (body as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
  const seconds = typeof direct === 'number' ? direct : nested;
  return typeof seconds === 'number' && seconds >= 0 ? Math.ceil(seconds * 1_000) : undefined;
}
