// Sends overdue's own heartbeat (server.heartbeat) over the hooks' HTTP transport: a POST to the
// ping URL while healthy, one POST to the fail URL with the reason as its body when not. The URLs
// often hold a token: they never appear in an error message.
import { sendHttp } from './transport/http-send.js';

export interface HeartbeatTarget {
  readonly url: string;
  readonly failUrl: string;
  readonly timeoutMs: number;
}

/** Resolves with null when the switch answered 2xx, else why not. */
export function heartbeatSender(
  target: HeartbeatTarget,
): (kind: 'success' | 'fail', body: string) => Promise<string | null> {
  return async (kind, body) => {
    const url = kind === 'success' ? target.url : target.failUrl;
    const headers = { 'content-type': 'text/plain; charset=utf-8' };
    const result = await sendHttp(
      { method: 'POST', url, headers, body },
      { timeoutMs: target.timeoutMs, secrets: [target.url, target.failUrl] },
    );
    return result.ok ? null : (result.error ?? 'not delivered');
  };
}
