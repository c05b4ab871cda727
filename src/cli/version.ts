// `overdue version`: what a bug report needs to name the build, one `name: value` fact a line
// after the first (`overdue <version>`), so scripts can read either.
import { buildInfo } from '../platform/build-info.js';
import { loadNativeBinding } from '../platform/native-addon.js';
import { sqliteVersion } from '../store/sqlite-version.js';

export function printVersion(): number {
  const info = buildInfo(sqliteVersion({ nativeBinding: loadNativeBinding() }));
  process.stdout.write(
    [
      `overdue ${info.version}`,
      `commit: ${info.commit}`,
      `node: ${info.node}`,
      `sqlite: ${info.sqlite}`,
      '',
    ].join('\n'),
  );
  return 0;
}
