// `--env-file FILE`: KEY=value lines in systemd's EnvironmentFile= syntax, so the same secrets.env
// serves the unit and the commands an operator runs by hand.
//   # and ; start a comment line; blank lines are skipped; whitespace around KEY and value goes
//   "double" and 'single' quotes keep whitespace; in double quotes \" \\ \$ \` are escapes
//   a backslash at the end of a line continues the value on the next line
import { readFileSync } from 'node:fs';
import type { Env } from '../schema-kit/env.js';
import { UsageError } from './args.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variables of `file`; a file that cannot be read or a line that is not KEY=value is a UsageError. */
export function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`cannot read --env-file ${file}: ${code}`);
  }
  return parseEnvFile(text, file);
}

export function parseEnvFile(text: string, file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const lines = text.replace(/\\\r?\n/g, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const eq = line.indexOf('=');
    const key = eq === -1 ? '' : line.slice(0, eq).trim();
    if (!KEY.test(key)) throw new UsageError(`${file}:${i + 1}: not a KEY=value line`);
    vars[key] = unquote(line.slice(eq + 1).trim(), `${file}:${i + 1}`);
  });
  return vars;
}

function unquote(value: string, where: string): string {
  const quote = value[0];
  if (quote !== '"' && quote !== "'") return value;
  let out = '';
  for (let i = 1; i < value.length; i++) {
    const c = value[i];
    if (c === quote) {
      if (value.slice(i + 1).trim() !== '') break;
      return out;
    }
    if (quote === '"' && c === '\\' && i + 1 < value.length) {
      out += value[++i];
      continue;
    }
    out += c;
  }
  throw new UsageError(`${where}: unterminated ${quote} or text after the closing quote`);
}

/** The environment a command runs with: the process's, and over it the --env-file's variables. */
export function withEnvFile(env: Env, file: string | undefined): Env {
  return file === undefined ? env : { ...env, ...readEnvFile(file) };
}
