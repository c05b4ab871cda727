// What the release scripts share: logging, running commands that must succeed, hashing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
/** Debian's and OCI's names of the architectures build-binary.mjs knows. */
export const DEB_ARCH = { x64: 'amd64', arm64: 'arm64' };
/** What build-binary.mjs writes for each architecture. */
export const BINARY = {
  x64: join(ROOT, 'build', 'overdue'),
  arm64: join(ROOT, 'build', 'overdue-arm64'),
};
/** How this x64 machine runs a program of each architecture (arm64: Debian's qemu-user-static). */
export const EXEC = { x64: [], arm64: ['qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu'] };

export class ReleaseError extends Error {}

export function fail(message) {
  throw new ReleaseError(message);
}

export function logger(name) {
  const started = Date.now();
  return (message) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    process.stdout.write(`[${name} ${seconds}s] ${message}\n`);
  };
}

/** Runs a command and returns its stdout; fails with its stderr if it does not exit 0. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (result.error) fail(`cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    fail(
      `\`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

/** Runs the executable `binary` of architecture `arch` with `args` (under qemu for arm64). */
export function runBinary(arch, binary, args, options = {}) {
  const [command = binary, ...prefix] = EXEC[arch];
  return run(command, [...prefix, ...(EXEC[arch].length > 0 ? [binary] : []), ...args], options);
}

export function sha256File(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** --name=value or --name value from argv; `fallback` when absent. */
export function option(argv, name, fallback) {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return fallback;
  const arg = argv[i] ?? '';
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
}

/** SOURCE_DATE_EPOCH (seconds) if set, else the time of the last commit: stamps every artifact. */
export function sourceDateEpoch() {
  const fromEnv = process.env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  const r = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 && /^\d+$/.test(r.stdout.trim()) ? Number(r.stdout.trim()) : 0;
}

export function formatSize(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
