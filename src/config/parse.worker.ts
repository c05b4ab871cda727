// The worker thread of loadConfigOffThread (load-off-thread.ts): reads, parses and validates the
// config file away from the daemon's event loop, then hands the monitors over a batch at a time,
// one batch for each 'next' the daemon sends when it is ready for more.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadConfig } from './load-config.js';
import type { MonitorConfig } from './types.js';
import type { WorkerInput, WorkerReply } from './load-off-thread.js';

async function run(port: MessagePort, input: WorkerInput): Promise<void> {
  const send = (reply: WorkerReply) => port.postMessage(reply);
  const result = await loadConfig(input.file, input.env, input.options);
  if (!result.ok) return send({ kind: 'problems', problems: result.problems });
  const { config, warnings, exposure } = result;
  const monitors: MonitorConfig[] = [...config.monitors.values()];
  let next = 0;
  port.on('message', () => {
    send({ kind: 'monitors', monitors: monitors.slice(next, next + input.perMessage) });
    next += input.perMessage;
  });
  const head = { ...config, monitors: new Map() };
  send({ kind: 'config', config: head, monitors: monitors.length, warnings, exposure });
}

if (parentPort === null) throw new Error('config/parse.worker runs only as a worker thread');
const port = parentPort;
run(port, workerData as WorkerInput).catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  port.postMessage({ kind: 'error', message } satisfies WorkerReply);
});
