// Raw HTTP over a socket, for requests a client library would refuse to send or would tidy up.
import { connect } from 'node:net';

export interface Answer {
  /** The status of the first response, or null when the server closed without one. */
  readonly status: number | null;
  readonly head: string;
  readonly closedAfterMs: number;
}

/** Writes `chunks` to a fresh connection (waiting `gapMs` between them) and reads until close. */
export function raw(
  port: number,
  chunks: readonly (string | Buffer)[],
  gapMs = 0,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let stopped = false;
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', () => undefined); // a reset after an early answer is fine
    socket.on('close', () => {
      stopped = true;
      const text = Buffer.concat(received).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      const head = text.slice(0, Math.max(0, text.indexOf('\r\n\r\n')));
      resolve({
        status: m ? Number(m[1]) : null,
        head,
        closedAfterMs: performance.now() - startedAt,
      });
    });
    const write = async () => {
      for (const chunk of chunks) {
        if (stopped) return;
        socket.write(chunk);
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      }
      if (gapMs === 0) socket.end();
    };
    write().catch(reject);
  });
}
