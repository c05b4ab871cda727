// min-runtime and early, checked against the rest of their monitor: a value that would make every
// run fail is a mistake in the file, reported where it was written.
import { formatDuration } from '../core/duration.js';
import type { Schedule } from '../core/types.js';
import type { Located } from '../schema-kit/schema.js';
import type { Ctx } from '../schema-kit/walk-context.js';

interface RuleValues {
  readonly 'min-runtime'?: Located<number> | undefined;
  readonly early?: Located<number> | undefined;
}

/** The monitor's minRuntimeMs and earlyMs, or undefined when one is a problem (reported to ctx). */
export function runRuleProblems(
  m: RuleValues,
  d: RuleValues,
  schedule: Schedule,
  maxRuntimeMs: number,
  ctx: Ctx,
): { minRuntimeMs: number | null; earlyMs: number | null } | undefined {
  const min = m['min-runtime'] ?? d['min-runtime'];
  const early = m.early ?? d.early;
  let ok = true;
  if (min !== undefined && min.value >= maxRuntimeMs) {
    // A run that lasts min-runtime is down at max-runtime already (both boundaries inclusive).
    const max = formatDuration(maxRuntimeMs);
    ctx.problem(
      min.node,
      min.path,
      `min-runtime ${formatDuration(min.value)} must be shorter than max-runtime (${max}), or every run fails`,
    );
    ok = false;
  }
  if (early !== undefined && schedule.kind === 'every' && early.value >= schedule.periodMs) {
    const every = formatDuration(schedule.periodMs);
    ctx.problem(
      early.node,
      early.path,
      `early ${formatDuration(early.value)} must be shorter than the period (every ${every}), or no success is ever too early`,
    );
    ok = false;
  }
  if (!ok) return undefined;
  return { minRuntimeMs: min?.value ?? null, earlyMs: early?.value ?? null };
}
