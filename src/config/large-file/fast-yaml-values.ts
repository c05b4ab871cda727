// The values fast-yaml reads on one line (plain and quoted scalars, one-line flow lists) and the
// nodes it makes; see fast-yaml.ts.
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

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

export function scalarNode(value: unknown): Scalar {
  const scalar = Object.create(SCALAR) as Scalar;
  scalar.value = value;
  return scalar;
}

export function pairNode(key: Scalar, value: Node | null): Pair<Scalar, Node | null> {
  const pair = Object.create(PAIR) as Pair<Scalar, Node | null>;
  pair.key = key;
  pair.value = value;
  return pair;
}

export function mapNode(): YAMLMap {
  const map = Object.create(MAP) as YAMLMap;
  map.items = [];
  return map;
}

export function seqNode(): YAMLSeq {
  const seq = Object.create(SEQ) as YAMLSeq;
  seq.items = [];
  return seq;
}

/** Thrown while the map's pairs are read when the text leaves the subset: parse it with yaml. */
export class LeftToYaml extends Error {}

export function skipSpaces(text: string, at: number, end: number): number {
  while (at < end && text.charCodeAt(at) === 32) at++;
  return at;
}

/** A value written on one line: a quoted or plain scalar, or a flow list. */
export function inlineValue(text: string, start: number, end: number): Node {
  const c = text[start];
  if (c === "'" || c === '"') {
    const [scalar, after] = quoted(text, start, end);
    expectLineEnd(text, after, end);
    return scalar;
  }
  if (c === '[') return flowSeq(text, start, end);
  return plainScalar(text, start, plainEnd(text, start, end));
}

/**
 * A copy of `s` that does not keep the whole file in memory. V8 makes a slice of 13 characters or
 * more a view into the string it was cut from: one kept value (a time zone, a long slug) would keep
 * the 9 MB text of a 100 000-monitor file alive for as long as the config lives.
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** Where a plain scalar ends: before ` #` (a comment) and trailing spaces. */
function plainEnd(text: string, start: number, end: number): number {
  // Searched within the line only: indexOf would scan the rest of the file for each value.
  let stop = start;
  while (stop < end && !(text.charCodeAt(stop) === 35 && text.charCodeAt(stop - 1) === 32)) stop++;
  while (stop > start && text.charCodeAt(stop - 1) === 32) stop--;
  return stop;
}

export function plainScalar(text: string, start: number, end: number): Scalar {
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
  else value = detached(source);
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
    value = detached(value);
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
