// `${VAR}` substitution in config values, so secrets stay out of the file kept in git.

export type Env = Readonly<Record<string, string | undefined>>;

const reference = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([^]*))?$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` (the default when VAR is unset or empty) with values from
 * `env`; `$$` is a literal `$`; a `$` not followed by `{` or `$` is kept, so shell snippets such as
 * `echo $HOME` in a command survive. The default is taken literally up to the first `}`. Each
 * problem found is pushed to `problems`; the returned string is then meaningless.
 */
export function substituteEnv(s: string, env: Env, problems: string[]): string {
  let i = s.indexOf('$');
  if (i === -1) return s;
  let out = s.slice(0, i);
  while (i !== -1) {
    const next = s[i + 1];
    let end: number;
    if (next === '$') {
      out += '$';
      end = i + 2;
    } else if (next !== '{') {
      out += '$';
      end = i + 1;
    } else {
      const close = s.indexOf('}', i + 2);
      if (close === -1) {
        problems.push("unterminated '${' (write $$ for a literal $)");
        return s;
      }
      out += expand(s.slice(i + 2, close), env, problems);
      end = close + 1;
    }
    i = s.indexOf('$', end);
    out += s.slice(end, i === -1 ? s.length : i);
  }
  return out;
}

function expand(body: string, env: Env, problems: string[]): string {
  const m = reference.exec(body);
  const name = m?.[1];
  if (m === null || name === undefined) {
    problems.push(`invalid variable reference '\${${body}}' (write \${NAME} or \${NAME:-default})`);
    return '';
  }
  const value = env[name];
  const fallback = m[2];
  if (fallback !== undefined) return value === undefined || value === '' ? fallback : value;
  if (value === undefined) {
    problems.push(
      `environment variable ${name} is not set (export it, or pass the file that sets it with --env-file; only a value that is no secret may have a default: \${${name}:-default})`,
    );
    return '';
  }
  return value;
}
