// `overdue import --merge CONFIG`: adds the imported hooks and monitors to an existing config file,
// keeping its comments, order and formatting (yaml's Document API edits the parsed file in place),
// and refuses, naming every clash at its line and column, when a slug, hook name or token is
// already taken: a merge never replaces what the file holds.
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type YAMLMap,
} from 'yaml';
import type { Node, Pair } from 'yaml';
import type { Imported } from './model.js';
import { hookPair, monitorPair } from './render.js';

export type MergeResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly problems: readonly string[] };

interface Located {
  readonly file: string;
  readonly lines: LineCounter;
}

function at(where: Located, node: Node | null | undefined, path: string, message: string): string {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = where.lines.linePos(offset);
  return `${where.file}:${line}:${col} ${path}: ${message}`;
}

/** The map under `key` at the top level, created (empty, at the end) when the file has none. */
function section(doc: Document, key: string): YAMLMap | string {
  const found = doc.get(key, true);
  if (found === undefined || found === null || (isScalar(found) && found.value === null)) {
    doc.set(key, doc.createNode({}));
    return doc.get(key, true) as YAMLMap;
  }
  return isMap(found) ? found : `${key}: is not a map, so nothing can be added to it`;
}

/** Every token scalar of the file's monitors (one, or a list while rotating), by its text. */
function tokensOf(monitors: YAMLMap): Map<string, Node> {
  const tokens = new Map<string, Node>();
  for (const pair of monitors.items) {
    if (!isMap(pair.value)) continue;
    const token = pair.value.get('token', true);
    const nodes = isSeq(token) ? token.items : [token];
    for (const node of nodes)
      if (isScalar(node) && typeof node.value === 'string') tokens.set(node.value, node);
  }
  return tokens;
}

function clashes(imported: Imported, hooks: YAMLMap, monitors: YAMLMap, where: Located): string[] {
  const problems: string[] = [];
  const keyNode = (map: YAMLMap, key: string) =>
    (map.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && p.key.value === key)?.key;
  for (const h of imported.hooks) {
    const node = keyNode(hooks, h.name);
    if (node !== undefined)
      problems.push(
        at(
          where,
          node,
          `hooks.${h.name}`,
          'a hook of this name is already in the file: rename one of them',
        ),
      );
  }
  const tokens = tokensOf(monitors);
  for (const m of imported.monitors) {
    const node = keyNode(monitors, m.slug);
    if (node !== undefined)
      problems.push(
        at(
          where,
          node,
          `monitors.${m.slug}`,
          `already in the file: the import has a monitor of this slug (${imported.source})`,
        ),
      );
    const taken = m.token === null ? undefined : tokens.get(m.token);
    if (taken !== undefined)
      problems.push(
        at(
          where,
          taken,
          'token',
          `the imported monitor '${m.slug}' has this token too: each token belongs to one monitor`,
        ),
      );
  }
  return problems;
}

/** The file's text with the import added, or every clash with its position. */
export function mergeImport(text: string, file: string, imported: Imported): MergeResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: false });
  if (doc.errors.length > 0)
    return { ok: false, problems: doc.errors.map((e) => `${file}: ${e.message}`) };
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  if (!isMap(doc.contents)) return { ok: false, problems: [`${file}: the file is not a YAML map`] };
  const hooks = imported.hooks.length > 0 ? section(doc, 'hooks') : doc.createNode({});
  const monitors = section(doc, 'monitors');
  const bad = [hooks, monitors].filter((s): s is string => typeof s === 'string');
  if (bad.length > 0) return { ok: false, problems: bad.map((b) => `${file}: ${b}`) };
  const problems = clashes(imported, hooks as YAMLMap, monitors as YAMLMap, { file, lines });
  if (problems.length > 0) return { ok: false, problems };
  for (const h of imported.hooks) (hooks as YAMLMap).items.push(hookPair(doc, h));
  for (const m of imported.monitors) (monitors as YAMLMap).items.push(monitorPair(doc, m));
  return { ok: true, text: doc.toString({ lineWidth: 0 }) };
}
