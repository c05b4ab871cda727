// The imported monitors and hooks as YAML, built with yaml's Document API so every note becomes a
// comment at the node it is about, and the same nodes can be added to an existing file (merge.ts).
import { Document, isScalar, isSeq, visit, type Node, type Pair } from 'yaml';
import type { Imported, ImportedHook, ImportedMonitor } from './model.js';

/** A monitor's settings in the order the docs write them. */
function monitorValue(m: ImportedMonitor): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  if (m.name !== null && m.name !== m.slug) value.name = m.name;
  Object.assign(value, m.schedule);
  if (m.grace !== null) value.grace = m.grace;
  if (m.alertAfter !== null && m.alertAfter > 1) value['alert-after'] = m.alertAfter;
  if (m.tags.length > 0) value.tags = [...m.tags];
  if (m.notify.length > 0) value.notify = [...m.notify];
  if (m.waitForFirstPing) value['wait-for-first-ping'] = true;
  if (m.token !== null) value.token = m.token;
  return value;
}

/** yaml writes `# text` for a comment line given as ` text`. */
function commentOf(notes: readonly string[]): string | undefined {
  return notes.length === 0 ? undefined : notes.map((n) => ` ${n}`).join('\n');
}

function pairOf(doc: Document, key: string, value: unknown, notes: readonly string[]): Pair {
  const pair = doc.createPair<Node, Node>(key, value);
  // Lists of words read best on one line: `tags: [backup, db]`.
  visit(pair.value, {
    Seq(_, seq) {
      if (isSeq(seq)) seq.flow = true;
    },
  });
  const comment = commentOf(notes);
  if (comment !== undefined && isScalar(pair.key)) pair.key.commentBefore = comment;
  return pair;
}

export function monitorPair(doc: Document, m: ImportedMonitor): Pair {
  return pairOf(doc, m.slug, monitorValue(m), m.notes);
}

export function hookPair(doc: Document, h: ImportedHook): Pair {
  return pairOf(doc, h.name, h.config, h.notes);
}

/** The whole import as a new YAML document: `hooks:` (when any) and `monitors:`. */
export function renderImport(imported: Imported): string {
  const doc = new Document({});
  const header = [
    `Imported from ${imported.source} by \`overdue import\`.`,
    "Paste under the config's hooks: and monitors: (or import again with --merge CONFIG). Tokens",
    'are the old ones: jobs keep their URLs with only the host changed. Secrets are written as',
    'they were: move them into ${VARS} before the file goes into git.',
    ...imported.notes,
  ];
  doc.commentBefore = commentOf(header) ?? null;
  const root = doc.contents as unknown as { items: Pair[] };
  if (imported.hooks.length > 0) {
    const hooks = doc.createNode({}) as unknown as { items: Pair[] };
    for (const h of imported.hooks) hooks.items.push(hookPair(doc, h));
    root.items.push(doc.createPair('hooks', hooks));
  }
  const monitors = doc.createNode({}) as unknown as { items: Pair[] };
  for (const m of imported.monitors) monitors.items.push(monitorPair(doc, m));
  root.items.push(doc.createPair('monitors', monitors));
  if (imported.appendix !== null) {
    const lines = imported.appendix.text.replace(/\n$/, '').split('\n');
    doc.comment = commentOf([imported.appendix.title, ...lines.map((l) => `  ${l}`)]) ?? null;
  }
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return text.endsWith('\n') ? text : `${text}\n`;
}
