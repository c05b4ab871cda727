// `overdue import SOURCE [--from FILE|--url URL] [--merge CONFIG]`: prints the monitors (and hooks)
// of another system as overdue YAML, or adds them to a config file with --merge. It never touches
// the running daemon, and writes a file only when --merge (or --crontab-out) names it.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { UsageError, type ParsedArgs } from '../args.js';
import { importCrontab } from './crontab.js';
import { importGatus } from './gatus.js';
import { fetchHealthchecks, importHealthchecks } from './healthchecks.js';
import { mergeImport } from './merge.js';
import type { Imported } from './model.js';
import { renderImport } from './render.js';
import { importUptimeKuma } from './uptime-kuma.js';

const SOURCES = ['healthchecks', 'uptime-kuma', 'gatus', 'crontab'] as const;
type Source = (typeof SOURCES)[number];

/** The options of `overdue import`, as the command table declares them. */
interface Values {
  readonly from?: string | undefined;
  readonly url?: string | undefined;
  readonly 'api-key'?: string | undefined;
  readonly merge?: string | undefined;
  readonly 'user-column'?: boolean | undefined;
  readonly timezone?: string | undefined;
  readonly 'crontab-out'?: string | undefined;
}

function valuesOf(args: ParsedArgs): Values {
  return {
    from: args.string('from'),
    url: args.string('url'),
    'api-key': args.string('api-key'),
    merge: args.string('merge'),
    'user-column': args.flag('user-column') || undefined,
    timezone: args.string('timezone'),
    'crontab-out': args.string('crontab-out'),
  };
}

function need(values: Values, source: Source): string {
  if (values.from === undefined || values.from === '')
    throw new UsageError(`import ${source} needs --from FILE`);
  return values.from;
}

async function read(source: Source, values: Values, env: NodeJS.ProcessEnv): Promise<Imported> {
  switch (source) {
    case 'healthchecks': {
      if (values.url !== undefined) {
        const key = values['api-key'] ?? env.HEALTHCHECKS_API_KEY ?? '';
        if (key === '')
          throw new UsageError('--url needs --api-key KEY (or $HEALTHCHECKS_API_KEY)');
        return importHealthchecks(await fetchHealthchecks(values.url, key), values.url);
      }
      const file = need(values, source);
      return importHealthchecks(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
    }
    case 'uptime-kuma':
      return importUptimeKuma(need(values, source));
    case 'gatus': {
      const file = need(values, source);
      return importGatus(readFileSync(file, 'utf8'), file);
    }
    case 'crontab': {
      const file = values.from ?? '-';
      const text = readFileSync(file === '-' ? 0 : file, 'utf8');
      const userColumn = values['user-column'] ?? /^\/etc\/(crontab$|cron\.d\/)/.test(file);
      const timezone =
        values.timezone ?? env.TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
      return importCrontab(text, file === '-' ? 'stdin' : file, { userColumn, timezone });
    }
  }
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/HTTP 40[13]/.test(text))
    return `${text} (check --api-key: a read-write key of that project)`;
  return text;
}

/** Writes `text` to `file` through a temporary file, so a crash never leaves half a config. */
function replaceFile(file: string, text: string): void {
  const temp = `${file}.import-${process.pid}`;
  writeFileSync(temp, text, { mode: statSync(file).mode & 0o777 });
  renameSync(temp, file);
}

export async function runImport(args: ParsedArgs, env = process.env): Promise<number> {
  const values = valuesOf(args);
  const [source, extra] = args.positionals;
  if (source === undefined || !(SOURCES as readonly string[]).includes(source))
    throw new UsageError(`import takes a SOURCE: ${SOURCES.join(', ')}`);
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  let imported: Imported;
  try {
    imported = await read(source as Source, values, env);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // A file that is not there or not the source's format, or a server that refused: said in one
    // line, without a stack, with what was being read.
    const what = values.url ?? values.from ?? 'stdin';
    process.stderr.write(`overdue import ${source}: ${what}: ${messageOf(error)}\n`);
    return 1;
  }
  for (const note of imported.notes) process.stderr.write(`note: ${note}\n`);
  if (values['crontab-out'] !== undefined && imported.appendix !== null)
    writeFileSync(values['crontab-out'], imported.appendix.text.replace(/\n?$/, '\n'));
  if (values.merge === undefined) {
    process.stdout.write(renderImport(imported));
    return 0;
  }
  const merged = mergeImport(readFileSync(values.merge, 'utf8'), values.merge, imported);
  if (!merged.ok) {
    for (const problem of merged.problems) process.stderr.write(`${problem}\n`);
    process.stderr.write(`${merged.problems.length} clash(es): nothing was written\n`);
    return 2;
  }
  replaceFile(values.merge, merged.text);
  const counts = `${imported.monitors.length} monitor(s), ${imported.hooks.length} hook(s)`;
  process.stderr.write(
    `${values.merge}: added ${counts}; check it with: overdue check ${values.merge}\n`,
  );
  return 0;
}
