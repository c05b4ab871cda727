// Templates for what a hook sends: `{{monitor.name}} is {{status}}`, `{{ping.output | default: "-"}}`.
// Compiled once when the config is loaded, so an unknown variable is a config problem with its
// position, never a failed delivery. Rendering escapes each value for where it lands.
import { didYouMean } from '../../schema-kit/did-you-mean.js';
import { templateVariables } from './template-vars.js';
import type { TemplateValue, TemplateVariable, TemplateView } from './template-vars.js';

export type TemplatePart =
  | { readonly text: string }
  | {
      readonly variable: TemplateVariable;
      /** Written instead of a value that is null or empty. */
      readonly fallback: string | null;
      /** Inside a JSON string literal of the text around it (decides JSON escaping). */
      readonly inJsonString: boolean;
    };

export interface Template {
  /** The template as written (after ${VAR} substitution). */
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

/** A problem at character `index` of the source. */
export interface TemplateError {
  readonly message: string;
  readonly index: number;
}

/**
 * How values are escaped: `json` as JSON string content inside quotes and as JSON values outside
 * them, `url` and `form` percent-encoded, `header` on one line, `text` as they are.
 */
export type Escape = 'text' | 'json' | 'form' | 'url' | 'header';

const literalBraces = 'write {{ "{{" }} for literal braces';

export function isTemplateError(t: Template | TemplateError): t is TemplateError {
  return 'message' in t;
}

export function compileTemplate(source: string): Template | TemplateError {
  const parts: TemplatePart[] = [];
  let inJsonString = false;
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    const text = source.slice(i, open === -1 ? source.length : open);
    if (text !== '') {
      parts.push({ text });
      inJsonString = jsonStringStateAfter(text, inJsonString);
    }
    if (open === -1) break;
    const tag = parseTag(source, open + 2);
    // A tag left open is reported where it opens: its end is nowhere.
    if ('message' in tag) return tag.index >= source.length ? { ...tag, index: open } : tag;
    if ('literal' in tag) parts.push({ text: tag.literal });
    else parts.push({ variable: tag.variable, fallback: tag.fallback, inJsonString });
    i = tag.end;
  }
  return { source, parts };
}

type Tag =
  | { readonly literal: string; readonly end: number }
  | { readonly variable: TemplateVariable; readonly fallback: string | null; readonly end: number };

/** `{{ "text" }}`, `{{ name }}` or `{{ name | default: "text" }}`, from just after the `{{`. */
function parseTag(s: string, start: number): Tag | TemplateError {
  let i = skipSpace(s, start);
  if (s[i] === '"' || s[i] === "'") {
    const literal = parseString(s, i);
    if ('message' in literal) return literal;
    return closeTag(s, literal.end, (end) => ({ literal: literal.value, end }));
  }
  const name = /^[A-Za-z_][\w.-]*/.exec(s.slice(i))?.[0];
  if (name === undefined) return unexpected(s, i, 'a variable name');
  const variable = knownVariable(name, i);
  if ('message' in variable) return variable;
  i = skipSpace(s, i + name.length);
  if (s[i] !== '|')
    return closeTag(s, i, (end) => ({ variable: variable.name, fallback: null, end }));
  i = skipSpace(s, i + 1);
  const filter = /^default\s*:/.exec(s.slice(i));
  if (filter === null) {
    const message = `unknown filter at '${excerpt(s, i)}' (the only filter is | default: "text")`;
    return { message, index: i };
  }
  i = skipSpace(s, i + filter[0].length);
  if (s[i] !== '"' && s[i] !== "'") return unexpected(s, i, 'a quoted default like "none"');
  const fallback = parseString(s, i);
  if ('message' in fallback) return fallback;
  return closeTag(s, fallback.end, (end) => ({
    variable: variable.name,
    fallback: fallback.value,
    end,
  }));
}

function closeTag(s: string, at: number, tag: (end: number) => Tag): Tag | TemplateError {
  const i = skipSpace(s, at);
  if (s.startsWith('}}', i)) return tag(i + 2);
  if (i >= s.length) return { message: `unclosed '{{' (${literalBraces})`, index: at };
  return unexpected(s, i, "'}}'");
}

function knownVariable(name: string, index: number): { name: TemplateVariable } | TemplateError {
  if (Object.hasOwn(templateVariables, name)) return { name: name as TemplateVariable };
  const names = Object.keys(templateVariables);
  const suggestion = didYouMean(name, names);
  const hint = suggestion === null ? `known: ${names.join(', ')}` : `did you mean '${suggestion}'?`;
  return { message: `unknown variable '${name}' (${hint})`, index };
}

/** A quoted string starting at `start`; `\` escapes the next character. */
function parseString(s: string, start: number): { value: string; end: number } | TemplateError {
  const quote = s[start];
  let value = '';
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i];
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\' && i + 1 < s.length) value += s[++i];
    else value += c;
  }
  return { message: 'unterminated string in a template', index: start };
}

function unexpected(s: string, i: number, expected: string): TemplateError {
  if (i >= s.length) return { message: `unclosed '{{' (${literalBraces})`, index: i };
  return { message: `expected ${expected} at '${excerpt(s, i)}' (${literalBraces})`, index: i };
}

function excerpt(s: string, i: number): string {
  const rest = s.slice(i).split(/\r?\n/)[0] ?? '';
  return rest.length > 20 ? `${rest.slice(0, 17)}...` : rest;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i] ?? '')) i++;
  return i;
}

/** Whether a JSON text that starts inside (or outside) a string literal ends inside one. */
function jsonStringStateAfter(text: string, inString: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString && c === '\\') i++;
    else if (c === '"') inString = !inString;
  }
  return inString;
}

export function renderTemplate(t: Template, view: TemplateView, escape: Escape): string {
  let out = '';
  for (const part of t.parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const raw = view[part.variable];
    const value = raw === null || raw === '' ? part.fallback : raw;
    out += escaped(value, escape, part.inJsonString);
  }
  return out;
}

function escaped(value: TemplateValue, escape: Escape, inJsonString: boolean): string {
  switch (escape) {
    case 'json':
      // Inside quotes a value is string content; outside, a JSON value of its own.
      if (inJsonString) return JSON.stringify(String(value ?? '')).slice(1, -1);
      return JSON.stringify(value);
    case 'url':
    case 'form':
      return encodeURIComponent(String(value ?? ''));
    case 'header':
      return headerSafe(String(value ?? ''));
    case 'text':
      return String(value ?? '');
  }
}

/**
 * One line of bytes, as HTTP header values must be: control characters become spaces, and
 * non-ASCII text goes as its UTF-8 bytes (fetch would reject it; receivers decode UTF-8).
 */
export function headerSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = s.replace(/[\u0000-\u0008\u000a-\u001f\u007f]+/g, ' ').trim();
  return /[^\x20-\x7e\t]/.test(oneLine) ? Buffer.from(oneLine, 'utf8').toString('latin1') : oneLine;
}
