// Idle connections cannot starve pings of file descriptors. A daemon run with `ulimit -n 256`
// holds 300 connections that never send a byte; fresh pings must still be answered, because the
// daemon caps its connections below its descriptor limit and sheds the oldest idle ones first.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeConfigYaml } from '../helpers/config-yaml.js';
import { MAIN } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';
import { writeFigures } from '../helpers/trials.js';

const TOKEN = 'connection-cap-token-0123456789';
const DESCRIPTORS = 256;
const IDLE = 300;
const PINGS = 40;

/** One ping on a connection of its own: its status, or null when the connection failed. */
function ping(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: `/ping/${TOKEN}`, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? null));
      },
    );
    req.on('error', () => resolve(null));
    req.setTimeout(10_000, () => req.destroy());
    req.end();
  });
}

function idleSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => undefined); // closed by the daemon when shed: expected
    socket.once('error', reject);
  });
}

describe('a daemon with few file descriptors', () => {
  let dir: ReturnType<typeof tempDir>;
  let child: ChildProcessWithoutNullStreams | undefined;
  const sockets: Socket[] = [];

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    child = undefined;
    dir.remove();
  });

  const start = async (): Promise<number> => {
    const file = writeConfigYaml(dir.path, { monitors: { job: { every: '1h', token: TOKEN } } });
    const serve = `ulimit -n ${DESCRIPTORS} && exec "$0" "$1" serve --config "$2"`;
    child = spawn('sh', ['-c', serve, process.execPath, `${process.cwd()}/${MAIN}`, file]);
    let output = '';
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    for (;;) {
      const m = /msg=listening url=http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m?.[1]) return Number(m[1]);
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      output += chunk.toString();
    }
  };

  it('answers fresh pings while more idle connections are open than it has descriptors', async () => {
    const port = await start();
    expect(await ping(port)).toBe(200);
    for (let i = 0; i < IDLE; i++) sockets.push(await idleSocket(port));
    const statuses: (number | null)[] = [];
    for (let i = 0; i < PINGS; i++) statuses.push(await ping(port));
    const answered = statuses.filter((s) => s === 200).length;
    const shed = sockets.filter((s) => s.destroyed || s.readableEnded).length;
    console.log(`connection cap: ${answered} of ${PINGS} pings answered, ${shed} idle shed`);
    writeFigures('connection-cap', { answered, pings: PINGS, idle: IDLE, shed });
    expect(answered).toBe(PINGS);
  }, 60_000);
});
