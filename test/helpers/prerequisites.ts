// A suite that needs what not every machine has (root, dpkg, umoci...): without it the suite says
// so in one skipped test, and when CI sets the suite's OVERDUE_REQUIRE_* variable it fails instead.
import { describe, it } from 'vitest';

/** Declares the stand-in for a suite that cannot run because of `missing` (nothing when empty). */
export function whenMissing(what: string, missing: readonly string[], requireVar: string): void {
  const required = process.env[requireVar] === '1';
  describe.runIf(missing.length > 0)(`${what} (skipped)`, () => {
    it.runIf(!required)(`is skipped: needs ${missing.join(', ')}`, () => undefined);
    it.runIf(required)(`can be tested (${requireVar}=1)`, () => {
      throw new Error(`${what} test needs ${missing.join(', ')}`);
    });
  });
}
