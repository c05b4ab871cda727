// yaml's parseDocument with a bound on nesting. yaml composes nodes by recursion, one level of the
// file per few stack frames: 4 000 levels threw a RangeError (yaml catches some of those and calls
// them a problem, not all), and when the stack runs out while V8 compiles a regular expression, V8
// aborts the whole process, which no catch can stop. yaml's own CST parser is not recursive and
// keeps the open collections on a stack, so its length is measured as each token arrives, and
// nothing deeper than MAX_NESTING is ever composed.
import { Composer, Lexer, Parser, YAMLParseError } from 'yaml';
import type { CST, Document } from 'yaml';

/**
 * The deepest the parser's stack may grow: the document, then one entry per collection. The
 * deepest real config (a webhook's per-event headers as a flow map) needs about 10.
 */
export const MAX_NESTING = 64;

export const TOO_DEEP = `nested more than ${MAX_NESTING} levels deep`;
export const TOO_DEEP_FIX =
  'a config needs about 10 levels: check the tool or template that generated this file';

const MULTIPLE_DOCS = 'Source contains multiple documents; please use YAML.parseAllDocuments()';

/** The options every config read uses; see parseFull in load-config.ts. */
const OPTIONS = { prettyErrors: false, uniqueKeys: false } as const;

export type YamlDocument =
  | { readonly ok: true; readonly doc: Document }
  | { readonly ok: false; readonly tooDeepAt: number };

/** As yaml's parseDocument, or the offset where the text nests more than MAX_NESTING deep. */
export function parseYamlDocument(text: string): YamlDocument {
  const tokens = boundedTokens(text);
  let doc: Document | null = null;
  try {
    for (const next of new Composer(OPTIONS).compose(tokens, true, text.length)) {
      if (doc !== null) {
        // As parseDocument: the first document, and a problem for the second.
        const [start = 0, end = start] = next.range ?? [];
        doc.errors.push(new YAMLParseError([start, end], 'MULTIPLE_DOCS', MULTIPLE_DOCS));
        break;
      }
      doc = next;
    }
  } catch (error) {
    if (error instanceof TooDeep) return { ok: false, tooDeepAt: error.offset };
    throw error;
  }
  if (doc === null) throw new Error('yaml composed no document');
  return { ok: true, doc };
}

class TooDeep extends Error {
  constructor(readonly offset: number) {
    super(TOO_DEEP);
  }
}

/** The CST tokens of `text`, as Parser.parse yields them, cut off by TooDeep. */
function* boundedTokens(text: string): Generator<CST.Token, void> {
  const parser = new Parser();
  for (const lexeme of new Lexer().lex(text, false)) {
    const at = parser.offset;
    yield* parser.next(lexeme);
    if (parser.stack.length > MAX_NESTING) throw new TooDeep(at);
  }
  yield* parser.end();
}
