// Reading a config file: every problem at once, each as `file:line:col path: message`.
import { resolve } from 'node:path';
import { Scalar, isMap, isScalar } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import { buildConfig } from './build.js';
import { Ctx, isEmpty } from '../schema-kit/walk-context.js';
import type { RawProblem } from '../schema-kit/walk-context.js';
import type { Env } from '../schema-kit/env.js';
import { FAST_PATH_BYTES, LeftToYaml, splitMonitors } from './large-file/fast-yaml.js';
import { exposureOf, type Exposure } from './exposure.js';
import { maxConfigBytes, readConfigFile } from './read-file.js';
import { examplePlaceholder, placeholderNotes } from './example-secrets.js';
import { reachableFromOtherHosts } from './listen.js';
import { configSchema, type serverSchema } from './schema.js';
import type { SchemaValue } from '../schema-kit/schema.js';
import { parseYamlDocument, TOO_DEEP, TOO_DEEP_FIX } from './yaml-document.js';
import type { Config, ConfigProblem } from './types.js';

type ServerValue = SchemaValue<typeof serverSchema>;

export type LoadResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly ConfigProblem[] }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export interface ParseOptions {
  /** The address the daemon already listens on: a reload does not move it. */
  readonly listening?: { readonly host: string; readonly port: number };
}

/**
 * Validates a config given as text. `file` names it in problems as given; `config.file` is its
 * absolute path, against which a relative data-dir is resolved. Reads nothing but `env`.
 */
export function parseConfig(
  text: string,
  file: string,
  env: Env,
  options: ParseOptions = {},
): LoadResult {
  if (text.length >= FAST_PATH_BYTES) {
    const fast = parseFast(text, file, env);
    if (fast !== null) return fast;
  }
  return parseFull(text, file, env, options);
}

/**
 * A large config's `monitors:` section read by fast-yaml, the rest by yaml. Null when the section
 * uses YAML fast-yaml leaves to yaml, and whenever there is any problem or note: parseFull then
 * reports it, with yaml's positions and messages.
 */
function parseFast(text: string, file: string, env: Env): LoadResult | null {
  const split = splitMonitors(text);
  if (split === null) return null;
  const { monitors, rest } = split;
  const parsed = parseYamlDocument(rest);
  if (!parsed.ok) return null;
  const doc = parsed.doc;
  if (doc.errors.length > 0 || doc.warnings.length > 0 || !isMap(doc.contents)) return null;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'monitors');
  if (pair === undefined || !isScalar(pair.value) || pair.value.value !== null) return null;
  (pair as { value: unknown }).value = monitors;
  const ctx = new Ctx(env, doc, rest, examplePlaceholder);
  let config: Config | undefined;
  try {
    config = walk(doc, resolve(file), ctx).config;
  } catch (error) {
    if (error instanceof LeftToYaml) return null;
    throw error;
  }
  const clean = ctx.problems.length === 0 && ctx.notes.length === 0;
  return clean && config !== undefined ? { ok: true, config, warnings: [] } : null;
}

function parseFull(text: string, file: string, env: Env, options: ParseOptions): LoadResult {
  const parsed = parseYamlDocument(text);
  if (!parsed.ok) {
    const problem = { offset: parsed.tooDeepAt, path: '', message: `${TOO_DEEP}: ${TOO_DEEP_FIX}` };
    return { ok: false, problems: [positioned(problem, file, lineStarts(text))] };
  }
  const doc = parsed.doc;
  const ctx = new Ctx(env, doc, text, examplePlaceholder);
  const { config, server } = walk(doc, resolve(file), ctx);
  const notes = placeholderNotes(ctx.notes, reachOf(server, options.listening));
  const yamlProblems = [...doc.errors, ...doc.warnings].map((e): RawProblem => ({
    offset: e.pos[0],
    path: '',
    message: yamlMessage(e),
  }));
  const raw = [...yamlProblems, ...ctx.problems, ...notes.problems];
  raw.sort((a, b) => a.offset - b.offset);
  const starts = lineStarts(text);
  const at = (p: RawProblem) =>
    positioned({ ...p, offset: Math.min(p.offset, text.length) }, file, starts);
  if (raw.length === 0 && config !== undefined) {
    return { ok: true, config, warnings: notes.warnings.map(at) };
  }
  if (raw.length === 0) raw.push({ offset: 0, path: '', message: 'invalid config' });
  return { ok: false, problems: raw.map(at) };
}

interface Walked {
  readonly config: Config | undefined;
  /** The server section, when it was valid: it says who can reach the server. */
  readonly server: ServerValue | undefined;
}

function walk(doc: Document, absoluteFile: string, ctx: Ctx): Walked {
  const root = ctx.deref(doc.contents, '');
  if (root === undefined) return { config: undefined, server: undefined };
  if (!isEmpty(root) && !isMap(root)) {
    const message = 'the config must be a map with the keys server, defaults, hooks and monitors';
    ctx.problem(root, '', message);
    return { config: undefined, server: undefined };
  }
  const value = configSchema.parse(root, root ?? new Scalar(null), '', ctx);
  ctx.checkReferences();
  return { config: value && buildConfig(value, absoluteFile, ctx), server: value?.server };
}

/**
 * Why other hosts can reach the server (see reachableFromOtherHosts); null when only this host
 * can; undefined when the server section is invalid, which is reported already.
 */
function reachOf(
  server: ServerValue | undefined,
  listening: ParseOptions['listening'],
): string | null | undefined {
  const listen = listening ?? server?.listen;
  const publicUrl = server?.['public-url'];
  const trustProxy = server?.['trust-proxy'];
  if (listen === undefined || publicUrl === undefined || trustProxy === undefined) return undefined;
  return reachableFromOtherHosts({ ...listen, publicUrl, trustProxy });
}

/** What loadConfig gives: parseConfig's result, and what the file's mode and text expose. */
export type FileLoadResult =
  | (Extract<LoadResult, { ok: true }> & { readonly exposure: Exposure })
  | Extract<LoadResult, { ok: false }>;

/**
 * Reads and validates `file`; a file that cannot be read is one problem. Only a regular file is
 * read, up to OVERDUE_MAX_CONFIG_BYTES of `env` (see read-file.ts), and never on the event loop.
 */
export async function loadConfig(
  file: string,
  env: Env = process.env,
  options: ParseOptions = {},
): Promise<FileLoadResult> {
  const problem = (message: string): FileLoadResult => ({
    ok: false,
    problems: [{ file, line: 1, col: 1, path: '', message }],
  });
  const maxBytes = maxConfigBytes(env);
  if (typeof maxBytes === 'string') return problem(maxBytes);
  const read = await readConfigFile(file, maxBytes);
  if (!read.ok) return problem(read.message);
  const result = parseConfig(read.text, file, env, options);
  if (!result.ok) return result;
  return { ...result, exposure: exposureOf(file, read.mode, read.text) };
}

/** `file:line:col path: message`, or `file:line:col message` when the problem has no path. */
export function formatProblem(p: ConfigProblem): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  return p.path === '' ? `${where} ${p.message}` : `${where} ${p.path}: ${p.message}`;
}

// Positions are computed only for problems: a valid file never pays for them. yaml's LineCounter
// is not used: it learns line starts from the lexer, which misses the newlines inside a token it
// recovered from an error, so every problem after such a token landed on the wrong line.
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positioned(p: RawProblem, file: string, starts: readonly number[]): ConfigProblem {
  // The last line starting at or before the offset (binary search).
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= p.offset) lo = mid;
    else hi = mid - 1;
  }
  const col = p.offset - (starts[lo] ?? 0) + 1;
  return { file, line: lo + 1, col: Math.max(1, col), path: p.path, message: p.message };
}

// yaml's messages speak to programmers using the library: this one would say to call a function.
function yamlMessage(e: YAMLError): string {
  if (e.code === 'MULTIPLE_DOCS') return "a config file holds one YAML document: remove the '---'";
  return e.message;
}
