// Text a request gives that outlives the request: a monitor's name reaches command hooks as an
// environment variable (where a NUL byte makes every spawn fail), webhooks' headers and bodies,
// and the status page. It is checked here, at the edge, and refused with the reason.

// C0 controls (NUL, newlines, ESC...), DEL and the C1 controls: none belongs in a name, and each
// can break an environment variable, a header, a log line or a terminal.
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What is wrong with `value` as the request field `field`, or null when it is fine. */
export function textProblem(field: string, value: unknown, maxChars: number): string | null {
  const wanted = `${field}: a non-empty string of at most ${maxChars} characters, without control characters, is required`;
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxChars) return wanted;
  if (CONTROL.test(value))
    return `${field}: control characters (such as NUL, newlines or escapes) are not allowed`;
  return null;
}
