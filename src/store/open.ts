// Opening the store for the daemon: a database that cannot be opened (a read-only filesystem,
// permissions) or is found corrupt reaches the operator as a cause and a fix, not a stack trace.
import { StoreOpenError } from './errors.js';
import { Store } from './store.js';

export function openStore(dataDir: string, nativeBinding: object | undefined): Store {
  try {
    return new Store(dataDir, { nativeBinding });
  } catch (error) {
    throw new StoreOpenError(dataDir, error);
  }
}
