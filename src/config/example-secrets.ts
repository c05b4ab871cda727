// The values config.example.yaml falls back on for its secrets (`${OVERDUE_PING_KEY:-...}`). They
// are public: anyone who has read the example knows them. With the README's systemd install and a
// forgotten OVERDUE_PING_KEY, the example's key was the production key, and anyone could send fake
// successes; the example ntfy topic would have published job output to a public topic.
// test/config/example-secrets.test.ts checks that this list is the example file's.
import type { RawProblem } from '../schema-kit/walk-context.js';

export const EXAMPLE_SECRETS: readonly string[] = [
  'example-ping-key-change-me',
  'overdue-example-change-me',
  'https://chat.example.com/hooks/change-me',
];

/**
 * What is wrong with a value that holds one of EXAMPLE_SECRETS, and the fix; null for any other.
 * `written` is the value as in the file: `${NAME:-placeholder}` names the variable to set.
 */
export function examplePlaceholder(value: string, written: string): string | null {
  const placeholder = EXAMPLE_SECRETS.find((p) => value.includes(p));
  if (placeholder === undefined) return null;
  const variable = /\$\{([A-Za-z_][A-Za-z0-9_]*):-([^}]*)\}/.exec(written);
  if (variable !== null && variable[2]?.includes(placeholder) === true) {
    const name = variable[1] ?? '';
    return `'${value}' is a public placeholder from config.example.yaml (${name} is unset or empty): set ${name} to a value of your own`;
  }
  return `'${value}' holds a public placeholder from config.example.yaml: replace it with a value of your own`;
}

/** A note of examplePlaceholder, for a server other hosts can reach (`reach` says how). */
export function exposedPlaceholder(note: string, reach: string): string {
  return `${note}; this server ${reach}, where anyone who has read the example knows it (or listen on 127.0.0.1 only, to try overdue out)`;
}

/** A note of examplePlaceholder, for a server only this host can reach. */
export function localPlaceholder(note: string): string {
  return `${note} before this server is reachable from other hosts`;
}

/**
 * The notes of examplePlaceholder as problems when other hosts can reach the server (`reach` says
 * how), as warnings when only this host can, and dropped when the server section was invalid
 * (undefined: that is reported, and nobody can tell who would reach the server).
 */
export function placeholderNotes(
  notes: readonly RawProblem[],
  reach: string | null | undefined,
): { problems: RawProblem[]; warnings: RawProblem[] } {
  if (reach === undefined) return { problems: [], warnings: [] };
  if (reach === null) {
    return {
      problems: [],
      warnings: notes.map((n) => ({ ...n, message: localPlaceholder(n.message) })),
    };
  }
  const problems = notes.map((n) => ({ ...n, message: exposedPlaceholder(n.message, reach) }));
  return { problems, warnings: [] };
}
