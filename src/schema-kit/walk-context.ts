// What a validation walk accumulates: problems, references between sections, unique values.
import { isAlias, isNode, isScalar, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import type { Env } from './env.js';

/** A problem before its position is known: offsets become line:col only when reported. */
export interface RawProblem {
  readonly offset: number;
  readonly path: string;
  readonly message: string;
}

interface Reference {
  readonly group: string;
  readonly name: string;
  readonly at: Node;
  readonly path: string;
}

/**
 * A check of every string value after ${VAR} substitution (`written` is the value as in the file):
 * a message when the value deserves one, else null. What it finds are notes, not problems: the
 * caller decides, once the whole file is read, whether a note is a problem.
 */
export type ValueCheck = (value: string, written: string) => string | null;

export class Ctx {
  readonly problems: RawProblem[] = [];
  readonly notes: RawProblem[] = [];
  private readonly keys = new Map<string, Set<string>>();
  private readonly references: Reference[] = [];
  private readonly firstUse = new Map<string, Map<string, string>>();
  private anchors: Map<string, Node[]> | null = null;

  constructor(
    readonly env: Env,
    private readonly doc: Document | null,
    /** The file's text, to place a problem inside a value (a template's unknown variable). */
    private readonly text = '',
    private readonly valueCheck: ValueCheck | null = null,
  ) {}

  /** Runs the value check on a string value; what it finds becomes a note. */
  checkValue(at: Node, path: string, value: string, written: string): void {
    const message = this.valueCheck?.(value, written) ?? null;
    if (message !== null) this.notes.push({ offset: at.range?.[0] ?? 0, path, message });
  }

  problem(at: Node | null | undefined, path: string, message: string): void {
    this.problems.push({ offset: at?.range?.[0] ?? 0, path, message });
  }

  /** A problem at an exact offset in the file. */
  problemAt(offset: number, path: string, message: string): void {
    this.problems.push({ offset, path, message });
  }

  /** The text of `node` as written in the file, and its offset; null when unknown. */
  written(node: Node): { readonly text: string; readonly offset: number } | null {
    const range = node.range;
    if (range === undefined || range === null || this.text === '') return null;
    return { text: this.text.slice(range[0], range[1]), offset: range[0] };
  }

  /** Records a key of a section others refer to by name (a hook name). */
  defineKey(group: string, key: string): void {
    let names = this.keys.get(group);
    if (names === undefined) this.keys.set(group, (names = new Set<string>()));
    names.add(key);
  }

  /** A name that must be defined somewhere with defineKey; checked at the end of the walk. */
  refer(group: string, name: string, at: Node, path: string): void {
    this.references.push({ group, name, at, path });
  }

  /**
   * Claims `value` within `group` for `path`; a second claim is a problem that names the first.
   * Values are never put in messages: unique values are secrets.
   */
  claimUnique(group: string, value: string, at: Node, path: string): boolean {
    let used = this.firstUse.get(group);
    if (used === undefined) this.firstUse.set(group, (used = new Map<string, string>()));
    const first = used.get(value);
    if (first === undefined) {
      used.set(value, path);
      return true;
    }
    this.problem(at, path, `duplicate ${group}: ${first} has the same value`);
    return false;
  }

  /** Reports every reference to an undefined name; call once, after the walk. */
  checkReferences(): void {
    for (const { group, name, at, path } of this.references) {
      const names = this.keys.get(group) ?? new Set<string>();
      if (names.has(name)) continue;
      const defined =
        names.size === 0
          ? `no ${group}s are defined`
          : `defined: ${[...names].slice(0, 20).join(', ')}${names.size > 20 ? ', ...' : ''}`;
      this.problem(at, path, `unknown ${group} '${name}' (${defined})`);
    }
  }

  /**
   * The node a value stands for, following an alias; null for an empty value; undefined when a
   * problem was reported (unknown or self-containing alias).
   */
  deref(value: unknown, path: string): Node | null | undefined {
    if (!isNode(value)) return null;
    if (!isAlias(value)) return value;
    const target = this.anchorFor(value.source, value.range?.[0] ?? 0);
    if (target === undefined) {
      this.problem(value, path, `unknown alias *${value.source}`);
      return undefined;
    }
    const [start = 0, , end = 0] = target.range ?? [];
    const offset = value.range?.[0] ?? 0;
    if (start <= offset && offset < end) {
      this.problem(value, path, `alias *${value.source} refers to a value that contains it`);
      return undefined;
    }
    return target;
  }

  // yaml's Alias.resolve searches the whole document each time; an index built on the first alias
  // keeps a file with many aliases linear.
  private anchorFor(name: string, offset: number): Node | undefined {
    if (this.anchors === null) this.anchors = indexAnchors(this.doc);
    const candidates = this.anchors.get(name) ?? [];
    let found: Node | undefined;
    for (const node of candidates) if ((node.range?.[0] ?? 0) < offset) found = node;
    return found;
  }
}

function indexAnchors(doc: Document | null): Map<string, Node[]> {
  const anchors = new Map<string, Node[]>();
  if (doc === null) return anchors;
  visit(doc, (_key, node) => {
    if (!isNode(node) || isAlias(node) || node.anchor === undefined) return;
    const list = anchors.get(node.anchor) ?? [];
    list.push(node);
    anchors.set(node.anchor, list);
  });
  return anchors;
}

/** True for `key:` with nothing after it, or an explicit `~` / `null`. */
export function isEmpty(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** Where to report a missing value: the `~` itself, or the key when nothing was written. */
export function emptyAt(node: Node | null, at: Node): Node {
  const range = node?.range;
  return node !== null && range !== undefined && range !== null && range[0] < range[1] ? node : at;
}
