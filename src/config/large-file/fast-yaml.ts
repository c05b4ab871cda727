// A fast reader for the plain YAML a large `monitors:` section is written in. `yaml` builds its
// full document model through a lexer, a CST and a composer, about 30 µs per line: 12 s for
// 100 000 monitors. This reads block maps, block lists, one-line flow lists and one-line scalars
// straight into `yaml`'s own node classes, so the validator walks them as it walks what
// parseDocument makes. Anything else (anchors, tags, block or multi-line scalars, flow maps,
// escapes, numbers other than decimal integers, tabs...) makes it give up (null, or LeftToYaml
// thrown while its pairs are read), and the caller parses the file with `yaml` itself. It never
// has to explain a problem: the caller re-parses with `yaml` whenever the config has one, so
// positions and messages stay yaml's, and the nodes carry no ranges (a million small arrays less).
import type { Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import {
  LeftToYaml,
  detached,
  inlineValue,
  mapNode,
  pairNode,
  plainScalar,
  scalarNode,
  seqNode,
  skipSpaces,
} from './fast-yaml-values.js';
import { MAX_NESTING } from '../yaml-document.js';

export { LeftToYaml } from './fast-yaml-values.js';

// Below this, yaml's parseDocument takes a few ms and the fast path is not worth a second path.
export const FAST_PATH_BYTES = 64 * 1024;

interface Line {
  readonly start: number;
  readonly indent: number;
  /** The offset just past the line's last character (before its newline). */
  readonly end: number;
}

/**
 * A large config split in two: its `monitors:` section as a block map read by this reader, and
 * the rest of the text (with `monitors:` left empty) for yaml. Null when the section is unclear.
 */
export function splitMonitors(text: string): { monitors: YAMLMap; rest: string } | null {
  const section = monitorsSection(text);
  if (section === null) return null;
  const monitors = readBlockMap(text, section.start, section.end);
  if (monitors === null) return null;
  // A copy: the values yaml cuts from it would otherwise keep the whole file alive (see detached).
  const rest = detached(text.slice(0, section.start) + text.slice(section.end));
  return { monitors, rest };
}

/** The lines under the one top-level `monitors:` key, as offsets into `text`; null if unclear. */
function monitorsSection(text: string): { start: number; end: number } | null {
  const keys = [...text.matchAll(/^monitors:[ ]*(?:#.*)?$/gm)];
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) return null;
  const start = text.indexOf('\n', key.index) + 1;
  if (start === 0) return null;
  // The section ends where a line starts with something other than a space or a comment.
  let end = start;
  while (end < text.length) {
    const c = text[end];
    if (c !== ' ' && c !== '#' && c !== '\n') break;
    const next = text.indexOf('\n', end);
    end = next === -1 ? text.length : next + 1;
  }
  return { start, end };
}

/**
 * The block map that fills `text` from `start` to `end` (its keys indented alike), or null when it
 * visibly uses what this reader leaves to yaml. Its pairs are read as they are iterated, once:
 * each monitor's nodes can be collected as soon as it is validated, so the peak heap holds one
 * monitor's nodes, not 100 000. Iterating throws LeftToYaml where the text leaves the subset.
 */
export function readBlockMap(text: string, start: number, end: number): YAMLMap | null {
  const section = text.slice(start, end);
  if (section.includes('\t') || section.includes('\r')) return null;
  const reader = new Reader(text, start, end);
  const first = reader.line;
  if (first === undefined) return null;
  const map = mapNode();
  map.items = reader.pairs(first.indent) as unknown as Pair[];
  return map;
}

class Reader {
  /** The next content line (not blank, not only a comment), or undefined at the end. */
  line: Line | undefined;
  #pos: number;
  /** Maps and lists open around the current line. */
  #depth = 0;

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
  ) {
    this.#pos = start;
    this.line = this.#read();
  }

  #advance(): void {
    this.line = this.#read();
  }

  #read(): Line | undefined {
    const { text, end } = this;
    while (this.#pos < end) {
      const at = this.#pos;
      let lineEnd = text.indexOf('\n', at);
      if (lineEnd === -1 || lineEnd > end) lineEnd = end;
      this.#pos = lineEnd + 1;
      let i = at;
      while (i < lineEnd && text.charCodeAt(i) === 32) i++;
      if (i < lineEnd && text.charCodeAt(i) !== 35)
        return { start: at, indent: i - at, end: lineEnd };
    }
    return undefined;
  }

  /** The top-level pairs, read one by one; the whole text must be used up by them. */
  *pairs(indent: number): Generator<Pair<Scalar, Node | null>> {
    while (this.line !== undefined && this.line.indent === indent) {
      const line = this.line;
      this.#advance();
      yield this.#pair(line);
    }
    if (this.line !== undefined) throw new LeftToYaml();
  }

  map(indent: number): YAMLMap {
    const map = mapNode();
    let line = this.line;
    while (line !== undefined && line.indent === indent) {
      this.#advance();
      map.items.push(this.#pair(line));
      line = this.line;
    }
    if (line !== undefined && line.indent > indent) throw new LeftToYaml();
    return map;
  }

  #pair(line: Line): Pair<Scalar, Node | null> {
    const keyStart = line.start + line.indent;
    const colon = this.#colon(keyStart, line.end);
    const key = plainScalar(this.text, keyStart, colon);
    if (typeof key.value !== 'string') throw new LeftToYaml();
    const valueStart = skipSpaces(this.text, colon + 1, line.end);
    const next = this.line;
    if (valueStart < line.end && this.text.charCodeAt(valueStart) !== 35) {
      // A value on the key's line; a more indented line after it would continue it.
      if (next !== undefined && next.indent > line.indent) throw new LeftToYaml();
      return pairNode(key, inlineValue(this.text, valueStart, line.end));
    }
    if (next === undefined || next.indent <= line.indent) {
      return pairNode(key, scalarNode(null));
    }
    // Each level is a few frames of recursion here and in the walk: a deep file is left to yaml,
    // whose parse is bounded (see yaml-document.ts) and reports it.
    if (++this.#depth > MAX_NESTING) throw new LeftToYaml();
    const value = this.#isItem(next) ? this.seq(next.indent) : this.map(next.indent);
    this.#depth--;
    return pairNode(key, value);
  }

  /** The offset of the `:` that ends a plain key. */
  #colon(from: number, end: number): number {
    for (let i = from; i < end; i++) {
      if (this.text.charCodeAt(i) !== 58) continue;
      if (i + 1 === end || this.text.charCodeAt(i + 1) === 32) return i;
    }
    throw new LeftToYaml();
  }

  #isItem(line: Line): boolean {
    const at = line.start + line.indent;
    return this.text.charCodeAt(at) === 45 && (at + 1 === line.end || this.text[at + 1] === ' ');
  }

  seq(indent: number): YAMLSeq {
    const seq = seqNode();
    let line = this.line;
    while (line !== undefined && line.indent === indent) {
      if (!this.#isItem(line)) throw new LeftToYaml();
      this.#advance();
      const valueStart = skipSpaces(this.text, line.start + indent + 1, line.end);
      if (valueStart === line.end || this.text.charCodeAt(valueStart) === 35) {
        throw new LeftToYaml();
      }
      // `- key: value` (a map in a list) is not a plain scalar: plainScalar refuses it.
      seq.items.push(inlineValue(this.text, valueStart, line.end));
      line = this.line;
    }
    if (line !== undefined && line.indent > indent) throw new LeftToYaml();
    return seq;
  }
}
