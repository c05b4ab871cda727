// Where a ping goes: a full ping URL as given, or a monitor's slug on $OVERDUE_URL with
// $OVERDUE_PING_KEY, so crontabs can name monitors without repeating the secret on every line.
import { UsageError } from './usage.js';

export interface Target {
  /** The ping URL without a kind suffix or query. */
  readonly url: URL;
  /** The URL for messages, with the token or ping key hidden: stderr often ends up in mail. */
  readonly label: string;
}

// Anything else is neither a URL nor a slug; the server decides whether the slug exists.
const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.~-]*$/;

export function resolveTarget(
  arg: string,
  env: Readonly<Record<string, string | undefined>>,
): Target {
  if (/^https?:\/\//i.test(arg)) return fromUrl(arg);
  if (!SLUG.test(arg))
    throw new UsageError(`'${arg}' is neither an http(s) ping URL nor a monitor slug`);
  const base = env.OVERDUE_URL ?? '';
  const key = env.OVERDUE_PING_KEY ?? '';
  const missing = [base === '' && 'OVERDUE_URL', key === '' && 'OVERDUE_PING_KEY'].filter(Boolean);
  if (missing.length > 0)
    throw new UsageError(
      `${missing.join(' and ')} must be set to ping a monitor by its slug ('${arg}'), or pass its full ping URL`,
    );
  if (!/^https?:\/\//i.test(base))
    throw new UsageError(
      `OVERDUE_URL must be an http(s) URL such as http://127.0.0.1:8080, not '${base}'`,
    );
  const prefix = base.replace(/\/+$/, '');
  return fromUrl(`${prefix}/ping/${encodeURIComponent(key)}/${encodeURIComponent(arg)}`);
}

function fromUrl(text: string): Target {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`'${text}' is not a valid URL`);
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  url.hash = '';
  return { url, label: labelOf(url) };
}

function labelOf(url: URL): string {
  // `/ping/<token>` and `/ping/<ping-key>/<slug>`: the segment after `ping` is the secret; in
  // other servers' shapes (`/hb/<token>`, `/api/push/<token>`) it is the last one.
  const path = url.pathname.includes('/ping/')
    ? url.pathname.replace(/(\/ping\/)[^/]+/, '$1…')
    : url.pathname.replace(/\/[^/]+$/, '/…');
  return `${url.origin}${path}`;
}

/** The URL of one ping: `suffix` is '', `start`, `fail`, `log` or an exit status. */
export function pingUrl(target: Target, suffix: string, runId: string | null): URL {
  const url = new URL(target.url);
  if (suffix !== '') url.pathname += `/${suffix}`;
  if (runId !== null) url.searchParams.set('rid', runId);
  return url;
}
