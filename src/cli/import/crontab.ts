// A crontab (crontab(5)): `crontab -l` output, or a system file (/etc/crontab, /etc/cron.d/*) with
// its user column. Each job becomes a monitor with the same schedule in the machine's time zone (or
// the file's CRON_TZ), and the crontab is printed again with each command run by
// `overdue exec SLUG -- sh -c '...'`, so every run reports its start, exit status and output.
import { cronProblem } from '../../config/schedule-checks.js';
import type { Imported, ImportedMonitor } from './model.js';
import { slugOf, uniqueSlug } from './model.js';

const NICKNAMES = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);
const ENV_LINE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
// A field of a cron time: numbers, names (jan, mon), ranges, steps, lists and `*`.
const FIELD = /^[A-Za-z0-9*,/-]+$/;

interface Job {
  readonly line: number;
  readonly schedule: string;
  readonly user: string | null;
  readonly command: string;
}

export interface CrontabOptions {
  /** The file has a user column after the schedule (/etc/crontab, /etc/cron.d). */
  readonly userColumn: boolean;
  /** The machine's time zone, unless the file sets CRON_TZ. */
  readonly timezone: string;
}

/** The command quoted for `sh -c`, so its pipes, redirections and variables work as before. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A job line's schedule, user and command; or why it cannot be read. */
function jobOf(text: string, line: number, userColumn: boolean): Job | string {
  const words = text.trim().split(/\s+/);
  const first = words[0] ?? '';
  let fields: number;
  if (first.startsWith('@')) {
    if (first === '@reboot') return '@reboot runs once at boot: there is no schedule to watch';
    if (!NICKNAMES.has(first)) return `'${first}' is not a schedule crontab(5) knows`;
    fields = 1;
  } else {
    fields = 5;
    if (!words.slice(0, 5).every((w) => FIELD.test(w)))
      return 'not a job line (five time fields and a command)';
  }
  const user = userColumn ? (words[fields] ?? null) : null;
  const skip = fields + (userColumn ? 1 : 0);
  // The command is the rest of the line as written, spaces and all.
  let rest = text.trim();
  for (let i = 0; i < skip; i++) rest = rest.replace(/^\S+\s*/, '');
  if (rest === '') return 'no command after the schedule';
  // An unescaped % ends the command and feeds the rest to its stdin: it cannot go inside sh -c.
  if (/(^|[^\\])%/.test(rest))
    return "the command has a '%' (crontab's stdin marker): wrap it by hand";
  return { line, schedule: words.slice(0, fields).join(' '), user, command: rest };
}

/**
 * A slug from the program the command runs: `/usr/local/bin/backup.sh --all` -> `backup-sh`;
 * `cd /srv/app && ./sync` -> `sync` (a `cd` before the job names no job).
 */
function slugFor(command: string): string {
  const steps = command.split(/&&|;|\|\|/).map((s) => s.trim());
  const step = steps.find((s) => !/^cd(\s|$)/.test(s)) ?? '';
  const program = step.split(/\s+/).find((w) => !ENV_LINE.test(w)) ?? '';
  return slugOf(program.split('/').pop() ?? '');
}

export function importCrontab(text: string, source: string, options: CrontabOptions): Imported {
  const notes: string[] = [];
  const monitors: ImportedMonitor[] = [];
  const out: string[] = [];
  const taken = new Set<string>();
  let timezone = options.timezone;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    const env = ENV_LINE.exec(raw);
    if (trimmed === '' || trimmed.startsWith('#') || env !== null) {
      if (env?.[1] === 'CRON_TZ' || env?.[1] === 'TZ')
        timezone = (env[2] ?? '').replace(/^["']|["']$/g, '').trim() || timezone;
      out.push(raw);
      return;
    }
    const job = jobOf(raw, line, options.userColumn);
    if (typeof job === 'string') {
      notes.push(`${source}:${line}: ${job}: not imported`);
      out.push(raw);
      return;
    }
    const problem = cronProblem(job.schedule, timezone);
    if (problem !== null) {
      notes.push(`${source}:${line}: ${problem}: not imported`);
      out.push(raw);
      return;
    }
    const slug = uniqueSlug(slugFor(job.command), taken, 'job');
    monitors.push({
      slug,
      name: job.command.length > 80 ? `${job.command.slice(0, 77)}...` : job.command,
      schedule: { cron: job.schedule, timezone },
      grace: null,
      alertAfter: null,
      tags: [],
      token: null,
      notify: [],
      waitForFirstPing: false,
      notes: [`${source}:${line}${job.user === null ? '' : ` (runs as ${job.user})`}`],
    });
    const user = job.user === null ? '' : `${job.user} `;
    out.push(`${job.schedule} ${user}overdue exec ${slug} -- sh -c ${shellQuote(job.command)}`);
  });
  const crontab = out.join('\n');
  const appendix = {
    title:
      'The crontab with each job wrapped (needs OVERDUE_URL and OVERDUE_PING_KEY in its environment; --crontab-out FILE writes it alone):',
    text: crontab,
  };
  return { source, monitors, hooks: [], notes, appendix };
}
