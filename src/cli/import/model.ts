// What `overdue import` reads out of another system, before it becomes YAML: monitors and hooks in
// overdue's words, each with the notes that say what was left out and why.
import { formatDuration } from '../../core/duration.js';

export type ImportedSchedule =
  { readonly every: string } | { readonly cron: string; readonly timezone: string };

export interface ImportedMonitor {
  readonly slug: string;
  readonly name: string | null;
  readonly schedule: ImportedSchedule;
  readonly grace: string | null;
  readonly alertAfter: number | null;
  readonly tags: readonly string[];
  /** The old token, kept so the job's URL keeps working; null when there is none to keep. */
  readonly token: string | null;
  readonly notify: readonly string[];
  /** Paused or disabled in the old system: not armed until its first ping, so no false alert. */
  readonly waitForFirstPing: boolean;
  /** What did not map, said as comments above the monitor. */
  readonly notes: readonly string[];
}

export interface ImportedHook {
  readonly name: string;
  /** The hook's config, as it goes under `hooks.<name>`. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
}

export interface Imported {
  /** Where it came from, for the header comment. */
  readonly source: string;
  readonly monitors: readonly ImportedMonitor[];
  readonly hooks: readonly ImportedHook[];
  /** Notes about the whole source (what was skipped as a whole, lines not read). */
  readonly notes: readonly string[];
  /** Text printed after the YAML as a comment block (the rewritten crontab). */
  readonly appendix: { readonly title: string; readonly text: string } | null;
}

/** The config's rule for tokens: a shorter one is refused, so it cannot be kept. */
export const TOKEN = /^[A-Za-z0-9._~-]{16,}$/;

/** The config's rule for slugs and tags. */
export const SLUG = /^[a-z0-9][a-z0-9_-]{0,99}$/;

/** A slug made of any text: `Nightly DB backup!` -> `nightly-db-backup`; '' when nothing is left. */
export function slugOf(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 90);
}

/** `base`, or `base-2`, `base-3`... : the first not in `taken`, which then holds it. */
export function uniqueSlug(base: string, taken: Set<string>, fallback = 'monitor'): string {
  const start = base === '' ? fallback : base;
  let slug = start;
  for (let n = 2; taken.has(slug); n++) slug = `${start}-${n}`;
  taken.add(slug);
  return slug;
}

/** Seconds as a config duration (`3600` -> `1h`). */
export function seconds(s: number): string {
  return formatDuration(s * 1000);
}

/** The token kept, or null with a note saying why it could not be. */
export function keptToken(
  token: string | null | undefined,
  what: string,
  notes: string[],
): string | null {
  if (token === null || token === undefined || token === '') return null;
  if (TOKEN.test(token)) return token;
  notes.push(
    `${what} is shorter than 16 characters (or has characters other than A-Z a-z 0-9 . _ ~ -), which overdue refuses as guessable: give this monitor a new token and change the job's URL`,
  );
  return null;
}

/** Tags as the config takes them; the others named in a note. */
export function validTags(tags: readonly string[], notes: string[]): string[] {
  const kept = new Set<string>();
  for (const tag of tags) {
    const slug = slugOf(tag);
    if (SLUG.test(slug)) kept.add(slug);
    else if (tag.trim() !== '') notes.push(`tag '${tag}' has no letter or digit: left out`);
  }
  return [...kept];
}
