// Builds dist/ once, so tests that run the CLI as a real process run the compiled daemon. Type
// errors are printed but do not stop the tests (tsc still emits): `npm run typecheck` is the gate
// for those, and a half-edited file elsewhere should not hide what the tests say.
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const r = spawnSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0)
    process.stderr.write(`tsc reported problems (tests run anyway):\n${r.stdout}${r.stderr}`);
  if (r.error) throw r.error;
}
