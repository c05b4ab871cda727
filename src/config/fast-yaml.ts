// A fast reader for the plain YAML a large `monitors:` section is written in. `yaml` builds its
// full document model through a lexer, a CST and a composer, about 30 µs per line: 12 s for
// 100 000 monitors. This reads block maps, block lists, one-line flow lists and one-line scalars
// straight into `yaml`'s own node classes (with their offsets), so the validator walks them as
// it walks what parseDocument makes. The nodes carry no ranges (a million small arrays less to
// collect): positions are only ever needed for a problem, and a problem is always reported from
// the re-parse below. Anything else (anchors, tags, block or multi-line scalars,
// flow maps, escapes, numbers other than decimal integers, tabs...) makes it give up (null, or
// LeftToYaml thrown while its pairs are read), and the caller parses the file with `yaml` itself. It never has to explain a problem: the caller
// re-parses with `yaml` whenever the config has one, so positions and messages stay yaml's.
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

interface Line {
  readonly start: number;
  readonly indent: number;
  /** The offset just past the line's last character (before its newline). */
  readonly end: number;
}

// yaml's core schema: plain scalars of these shapes are not strings. Decimal integers and the
// null and boolean words are read here; the other number forms are left to yaml.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OTHER_NUMBER =
  /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;
// A plain scalar may not start with an indicator; `-`, `?` and `:` may, but are left to yaml.
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;

// yaml's node constructors give each node its type with Object.defineProperty, which took a tenth
// of start-up at 100 000 monitors: a node made from a prototype node inherits its type instead.
const SCALAR = new Scalar(null);
const PAIR = new Pair(null);
const MAP = new YAMLMap();
const SEQ = new YAMLSeq();

function scalarNode(value: unknown): Scalar {
  const scalar = Object.create(SCALAR) as Scalar;
  scalar.value = value;
  return scalar;
}

function pairNode(key: Scalar, value: Node | null): Pair<Scalar, Node | null> {
  const pair = Object.create(PAIR) as Pair<Scalar, Node | null>;
  pair.key = key;
  pair.value = value;
  return pair;
}

function mapNode(): YAMLMap {
  const map = Object.create(MAP) as YAMLMap;
  map.items = [];
  return map;
}

function seqNode(): YAMLSeq {
  const seq = Object.create(SEQ) as YAMLSeq;
  seq.items = [];
  return seq;
}

/** Thrown while the map's pairs are read when the text leaves the subset: parse it with yaml. */
export class LeftToYaml extends Error {}

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
    return pairNode(key, this.#isItem(next) ? this.seq(next.indent) : this.map(next.indent));
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

function skipSpaces(text: string, at: number, end: number): number {
  while (at < end && text.charCodeAt(at) === 32) at++;
  return at;
}

/** A value written on one line: a quoted or plain scalar, or a flow list. */
function inlineValue(text: string, start: number, end: number): Node {
  const c = text[start];
  if (c === "'" || c === '"') {
    const [scalar, after] = quoted(text, start, end);
    expectLineEnd(text, after, end);
    return scalar;
  }
  if (c === '[') return flowSeq(text, start, end);
  return plainScalar(text, start, plainEnd(text, start, end));
}

/** Where a plain scalar ends: before ` #` (a comment) and trailing spaces. */
function plainEnd(text: string, start: number, end: number): number {
  // Searched within the line only: indexOf would scan the rest of the file for each value.
  let stop = start;
  while (stop < end && !(text.charCodeAt(stop) === 35 && text.charCodeAt(stop - 1) === 32)) stop++;
  while (stop > start && text.charCodeAt(stop - 1) === 32) stop--;
  return stop;
}

function plainScalar(text: string, start: number, end: number): Scalar {
  const source = text.slice(start, end);
  if (
    INDICATOR.test(source) ||
    source.includes(': ') ||
    source.includes(' #') ||
    source.endsWith(':')
  ) {
    throw new LeftToYaml();
  }
  let value: unknown;
  if (NULL.test(source)) value = null;
  else if (TRUE.test(source)) value = true;
  else if (FALSE.test(source)) value = false;
  else if (INT.test(source)) value = Number(source);
  else if (OTHER_NUMBER.test(source)) throw new LeftToYaml();
  else value = source;
  const scalar = scalarNode(value);
  scalar.source = source;
  return scalar;
}

/** A one-line quoted scalar without escapes, and the offset after its closing quote. */
function quoted(text: string, start: number, end: number): [Scalar, number] {
  const q = text[start];
  let value = '';
  let i = start + 1;
  for (;;) {
    let close = i;
    while (close < end && text[close] !== q) close++;
    if (close >= end) throw new LeftToYaml();
    value += text.slice(i, close);
    // '' inside single quotes is one quote; double quotes with a backslash are left to yaml.
    if (q === "'" && text[close + 1] === "'") {
      value += "'";
      i = close + 2;
      continue;
    }
    if (q === '"' && value.includes('\\')) throw new LeftToYaml();
    const scalar = scalarNode(value);
    scalar.source = value;
    scalar.type = q === "'" ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
    return [scalar, close + 1];
  }
}

/** `[a, 'b', c]` on one line, of scalars. */
function flowSeq(text: string, start: number, end: number): YAMLSeq {
  const seq = seqNode();
  seq.flow = true;
  let i = skipSpaces(text, start + 1, end);
  if (text[i] === ']') return closeFlow(seq, text, i, end);
  for (;;) {
    let item: Scalar;
    if (text[i] === "'" || text[i] === '"') {
      [item, i] = quoted(text, i, end);
    } else {
      let stop = i;
      while (stop < end && !',[]{}#'.includes(text[stop] ?? '')) stop++;
      let valueEnd = stop;
      while (valueEnd > i && text.charCodeAt(valueEnd - 1) === 32) valueEnd--;
      if (valueEnd === i) throw new LeftToYaml();
      item = plainScalar(text, i, valueEnd);
      i = stop;
    }
    seq.items.push(item);
    i = skipSpaces(text, i, end);
    if (text[i] === ']') return closeFlow(seq, text, i, end);
    if (text[i] !== ',') throw new LeftToYaml();
    i = skipSpaces(text, i + 1, end);
  }
}

function closeFlow(seq: YAMLSeq, text: string, bracket: number, end: number): YAMLSeq {
  expectLineEnd(text, bracket + 1, end);
  return seq;
}

/** Only spaces and a comment may follow a value on its line. */
function expectLineEnd(text: string, at: number, end: number): void {
  const rest = skipSpaces(text, at, end);
  if (rest === end) return;
  if (text.charCodeAt(rest) === 35 && rest > at) return;
  throw new LeftToYaml();
}
