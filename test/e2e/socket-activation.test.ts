// Socket activation as systemd does it: a listening socket passed as fd 3, with LISTEN_FDS=1 and
// LISTEN_PID set to the pid of the process that execs overdue. A holder process keeps the
// socket between two daemons, as systemd does across a restart: a ping that arrives in between
// waits in the kernel's queue and is answered by the next daemon.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_PING_KEY, writeConfigYaml } from '../helpers/config-yaml.js';
import { killQuietly, MAIN } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

// Runs overdue twice on the fd 3 it was given; the second run starts when a line arrives on
// stdin. Each run gets LISTEN_PID=$$ of the shell that then execs node, so it keeps that pid.
const HOLDER = `
run() { sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" "$@"' "$NODE" "$MAIN" serve --config "$CONFIG"; }
run; echo "first exited $?"; read line; run; echo "second exited $?"
`;

describe('socket activation', () => {
  const dir = tempDir();
  let holder: ChildProcessWithoutNullStreams | undefined;
  afterAll(() => {
    if (holder?.pid !== undefined) killQuietly(holder.pid);
    dir.remove();
  });

  it('serves on the socket passed as fd 3, and a ping sent while it restarts waits for the next daemon', async () => {
    const listener = createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const port = (listener.address() as { port: number }).port;
    const fd = (listener as unknown as { _handle: { fd: number } })._handle.fd;
    // The config names another port: the passed socket wins, as it does under systemd.
    const config = writeConfigYaml(dir.path, { monitors: { job: { every: '1h' } } });
    holder = spawn('sh', ['-c', HOLDER], {
      stdio: ['pipe', 'pipe', 'pipe', fd],
      env: {
        ...process.env,
        NODE: process.execPath,
        MAIN: join(process.cwd(), MAIN),
        CONFIG: config,
      },
    }) as ChildProcessWithoutNullStreams;
    // From now on only the holder and its daemons have the socket: this process never accepts.
    listener.close();
    let output = '';
    holder.stdout.on('data', (c: Buffer) => (output += c.toString()));
    holder.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const waitFor = async (pattern: RegExp) => {
      while (!pattern.test(output)) await once(holder!.stdout, 'data');
    };

    await waitFor(/msg=listening/);
    expect(output).toContain(`url=http://127.0.0.1:${port} `);
    expect(output).toContain('socket="from systemd"');
    expect((await fetch(`http://127.0.0.1:${port}/ping/${TEST_PING_KEY}/job`)).status).toBe(200);

    const pid = Number(readFileSync(join(dir.path, 'data', 'overdue.pid'), 'utf8'));
    process.kill(pid, 'SIGTERM');
    await waitFor(/first exited 0/);
    // No daemon runs: the kernel completes the connection and holds the request.
    const client: Socket = connect(port, '127.0.0.1');
    await once(client, 'connect');
    client.end(`GET /ping/${TEST_PING_KEY}/job HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    let answer = '';
    client.on('data', (c: Buffer) => (answer += c.toString()));
    const closed = once(client, 'close');
    holder.stdin.write('start the second daemon\n');
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);

    const second = Number(readFileSync(join(dir.path, 'data', 'overdue.pid'), 'utf8'));
    process.kill(second, 'SIGTERM');
    await waitFor(/second exited 0/);
  });
});
