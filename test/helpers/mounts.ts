// Small real filesystems for fault trials: a tmpfs of a given size (disk full) and a loop-mounted
// ext4 image (immutable files, errors=remount-ro). Mounting needs root; callers skip otherwise.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
  const tools = ['mount', 'umount', 'mkfs.ext4', 'chattr', 'findmnt', 'truncate'];
  try {
    execFileSync('sh', ['-c', tools.map((t) => `command -v ${t}`).join(' && ')], {
      stdio: 'ignore',
    });
  } catch {
    return `one of ${tools.join(', ')} is missing`;
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

/** The sysfs file that makes ext4 record an error (Linux 5.x and later; absent on some kernels). */
export function ext4ErrorTrigger(device: string): string {
  return `/sys/fs/ext4/${basename(device)}/trigger_fs_error`;
}

/** Makes ext4 record an error, which remounts it read-only at once (errors=remount-ro). */
export function triggerExt4Error(device: string): void {
  writeFileSync(ext4ErrorTrigger(device), 'overdue-test\n');
}
