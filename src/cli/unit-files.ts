// The systemd units, from scripts/overdue.service and scripts/overdue.socket (their one source).
// The single executable has no scripts/ beside it: scripts/build-binary.mjs defines
// OVERDUE_UNIT_FILES with their text; the tsc build (dist/) reads the files from the package.
import { readFileSync } from 'node:fs';

declare const OVERDUE_UNIT_FILES: UnitFiles | undefined;

export interface UnitFiles {
  readonly service: string;
  readonly socket: string;
}

export function unitFiles(): UnitFiles {
  if (typeof OVERDUE_UNIT_FILES !== 'undefined') return OVERDUE_UNIT_FILES;
  const read = (name: string) =>
    readFileSync(new URL(`../../scripts/${name}`, import.meta.url), 'utf8');
  return { service: read('overdue.service'), socket: read('overdue.socket') };
}
