// What systemd hands a service: a listening socket (socket activation), and the meaning of a
// listen error in words an operator can act on.

/** The first descriptor systemd passes (SD_LISTEN_FDS_START in sd-daemon.h). */
export const SD_LISTEN_FDS_START = 3;

/**
 * The listening socket systemd passed (overdue.socket), or null. It is ours only when LISTEN_PID
 * names this process: a child that inherited the variables must not take its parent's socket.
 * The variables are removed either way, so that hooks' commands never see them.
 */
export function socketFromSystemd(
  env: Record<string, string | undefined>,
  pid: number,
): number | null {
  const fds = Number(env.LISTEN_FDS);
  const forUs = env.LISTEN_PID === String(pid);
  delete env.LISTEN_FDS;
  delete env.LISTEN_PID;
  delete env.LISTEN_FDNAMES;
  return forUs && Number.isInteger(fds) && fds >= 1 ? SD_LISTEN_FDS_START : null;
}

export interface ListenProblem {
  readonly message: string;
  readonly fix: string;
}

/** An error of listen() told with its address and its fix; null for any other error. */
export function listenError(
  error: unknown,
  at: { readonly host: string; readonly port: number },
  configFile: string,
): ListenProblem | null {
  const code = (error as { code?: unknown } | null)?.code;
  const address = at.host.includes(':') ? `[${at.host}]:${at.port}` : `${at.host}:${at.port}`;
  const elsewhere = `or set another address in server.listen of ${configFile}`;
  switch (code) {
    case 'EADDRINUSE':
      return {
        message: `cannot listen on ${address}: another process listens there`,
        fix: `stop it (ss -ltnp 'sport = :${at.port}' names it), ${elsewhere}`,
      };
    case 'EACCES':
      return {
        message: `cannot listen on ${address}: permission denied`,
        fix: `ports below 1024 need a capability: use overdue.socket (systemd holds the port), ${elsewhere}`,
      };
    case 'EADDRNOTAVAIL':
      return {
        message: `cannot listen on ${address}: no network interface of this host has that address`,
        fix: `start after the network is up (After=network-online.target), ${elsewhere}`,
      };
    default:
      return null;
  }
}
