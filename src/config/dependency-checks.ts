// depends-on across monitors: a cycle (a depends on b, b on a; or a on itself) would let each
// monitor's down suppress the other's forever, so it is a config error, reported at the entry that
// closes the cycle. Unknown slugs are reported by the schema's references.
import { isSeq, type Node } from 'yaml';
import type { Located } from '../schema-kit/schema.js';
import type { Ctx } from '../schema-kit/walk-context.js';

interface WithDependsOn {
  readonly 'depends-on'?: Located<readonly string[]> | undefined;
}

/** Reports every dependency cycle among `monitors` once, at the entry that closes it. */
export function dependencyCycles(monitors: ReadonlyMap<string, WithDependsOn>, ctx: Ctx): void {
  // Iterative depth-first search with three colours: a grey slug is on the current path, so an
  // edge to it closes a cycle; a black one is finished. Iterative: 100 000 monitors in a chain
  // must not overflow the stack.
  const colour = new Map<string, 'grey' | 'black'>();
  for (const root of monitors.keys()) {
    if (colour.has(root)) continue;
    const path: { slug: string; next: number }[] = [{ slug: root, next: 0 }];
    colour.set(root, 'grey');
    while (path.length > 0) {
      const top = path[path.length - 1] as { slug: string; next: number };
      const deps = monitors.get(top.slug)?.['depends-on'];
      const parent = deps?.value[top.next];
      if (deps === undefined || parent === undefined) {
        colour.set(top.slug, 'black');
        path.pop();
        continue;
      }
      const index = top.next++;
      if (!monitors.has(parent)) continue;
      const seen = colour.get(parent);
      if (seen === 'grey') report(deps, index, cycleOf(path, parent), ctx);
      else if (seen === undefined) {
        colour.set(parent, 'grey');
        path.push({ slug: parent, next: 0 });
      }
    }
  }
}

function cycleOf(path: readonly { slug: string }[], parent: string): string[] {
  const slugs = path.map((p) => p.slug);
  return [...slugs.slice(slugs.indexOf(parent)), parent];
}

function report(deps: Located<readonly string[]>, index: number, cycle: string[], ctx: Ctx): void {
  const item = isSeq(deps.node) ? (deps.node.items[index] as Node | undefined) : undefined;
  const message =
    cycle.length === 2
      ? `monitor '${cycle[0] ?? ''}' depends on itself: remove this entry`
      : `dependency cycle ${cycle.join(' -> ')}: remove one of its depends-on entries`;
  ctx.problem(item ?? deps.node, `${deps.path}[${index}]`, message);
}
