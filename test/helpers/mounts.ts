// Small real filesystems for fault trials: a tmpfs of a given size (disk full) and a loop-mounted
// ext4 image (immutable files, errors=remount-ro). Mounting needs root; callers skip otherwise.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface Mounted {
  readonly path: string;
  /** The block device (ext4 only), e.g. /dev/loop3. */
  readonly device: string;
  unmount(): void;
}

/** Why mounting is not possible here, or null when it is. */
export function cannotMount(): string | null {
  if (process.getuid?.() !== 0) return 'mounting a filesystem needs root';
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    execFileSync('mkfs.ext4', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'mount or mkfs.ext4 is missing';
  }
  return null;
}

function unmounter(path: string, also: () => void = () => undefined): () => void {
  return () => {
    // A daemon killed a moment ago may still hold files open: lazy unmount detaches at once.
    execFileSync('umount', ['-l', path], { stdio: 'ignore' });
    also();
  };
}

export function mountTmpfs(dir: string, sizeBytes: number): Mounted {
  const path = join(dir, 'tmpfs');
  mkdirSync(path, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', path]);
  return { path, device: 'tmpfs', unmount: unmounter(path) };
}

/** A fresh ext4 image of `sizeMb`, loop-mounted with errors=remount-ro (the usual default). */
export function mountExt4(dir: string, sizeMb: number): Mounted {
  const image = join(dir, 'ext4.img');
  const path = join(dir, 'ext4');
  mkdirSync(path, { recursive: true });
  execFileSync('truncate', ['-s', `${sizeMb}M`, image]);
  execFileSync('mkfs.ext4', ['-q', '-F', image]);
  execFileSync('mount', ['-o', 'loop,errors=remount-ro', image, path]);
  const device = execFileSync('findmnt', ['-n', '-o', 'SOURCE', path], { encoding: 'utf8' }).trim();
  return { path, device, unmount: unmounter(path, () => rmSync(image, { force: true })) };
}

/** Makes ext4 record an error, which remounts it read-only at once (errors=remount-ro). */
export function triggerExt4Error(device: string): void {
  execFileSync('sh', [
    '-c',
    `echo overdue-test > /sys/fs/ext4/${basename(device)}/trigger_fs_error`,
  ]);
}
