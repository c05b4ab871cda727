// The Prometheus text exposition format (0.0.4): a family is # HELP, # TYPE and its samples, with
// label values escaped.

export type Labels = Readonly<Record<string, string>>;
export type Sample = readonly [labels: Labels, value: number];

/** Escapes a label value: backslash, double quote and line feed, as the format requires. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function sampleLine(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${value}`;
}

export function family(
  name: string,
  type: string,
  help: string,
  samples: readonly Sample[],
): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const [labels, value] of samples) lines.push(sampleLine(name, labels, value));
  return lines.join('\n');
}

/** One gauge (or counter) without labels. */
export function single(name: string, help: string, value: number, type = 'gauge'): string {
  return family(name, type, help, [[{}, value]]);
}
