// Calls `onChange` when the config file changes. The directory is watched, not the file: editors
// and `git checkout` replace a file by renaming a new one over it, which a watch on the old inode
// would never see. Changes are debounced, because one save is often several events.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export function watchConfig(file: string, onChange: () => void, debounceMs = 250): () => void {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed.toString() !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
  } catch {
    // Watching is a convenience (SIGHUP always works); some filesystems do not support it.
    return () => undefined;
  }
  watcher.on('error', () => watcher.close());
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
