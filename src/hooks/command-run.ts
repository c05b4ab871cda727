// Running one delivery of a command hook: a process in its own group, the alert on stdin, killed
// at the timeout, its output kept as lines (see command-output.ts) and the end of its stderr in
// the error of a failed delivery.
import { spawn } from 'node:child_process';
import { delivered, failed, type DeliveryResult, type HookOutput } from '../core/hook.js';
import { OutputLines } from './command-output.js';

// After SIGTERM, how long a timed-out command has to exit before SIGKILL.
const KILL_AFTER_MS = 2_000;
// How much of the command's stderr is kept in the error of a failed delivery.
const STDERR_TAIL_BYTES = 1_000;

export function runCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  stdin: string,
  timeoutMs: number,
): Promise<DeliveryResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.resolve(failed('empty command', true));
  return new Promise((resolve) => {
    // detached: the command gets its own process group, so a timeout kills `sh -c` and its children.
    const child = spawn(file, args, { env, stdio: 'pipe', detached: true });
    const output = new OutputLines();
    let stderr = '';
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const term = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
    }, timeoutMs);
    const kill = setTimeout(() => killGroup('SIGKILL'), timeoutMs + KILL_AFTER_MS);
    child.stdout.on('data', (chunk: Buffer) => output.add('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      output.add('stderr', chunk);
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    // A command that does not read stdin closes the pipe early: that is not its failure.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(term);
      clearTimeout(kill);
      const missing = error.code === 'ENOENT' || error.code === 'EACCES';
      resolve(failed(`cannot run ${file}: ${error.message}`, missing));
    });
    child.on('close', (code, signal) => {
      clearTimeout(term);
      clearTimeout(kill);
      const result = timedOut
        ? failed(`timed out after ${timeoutMs} ms`, false)
        : code === 0
          ? delivered
          : failed(exitText(code, signal, stderr), false);
      resolve(withOutput(result, output.finish()));
    });
  });
}

function withOutput(result: DeliveryResult, output: HookOutput): DeliveryResult {
  return output.lines.length === 0 && output.cutBytes === 0 ? result : { ...result, output };
}

function exitText(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const how = signal !== null ? `killed by ${signal}` : `exited with status ${code}`;
  const tail = stderr.trim();
  return tail === '' ? how : `${how}: ${tail}`;
}
