// Summarises V8 profiles: the top functions by self time in a .cpuprofile (from `node --cpu-prof`
// or scripts/bench/profile-hook.mjs), time by area (a package in node_modules, a file of dist/,
// node internals, GC), and the top allocating functions in a .heapprofile.
//
//   node scripts/bench/profile-top.mjs FILE.cpuprofile [--top 25] [--long-tasks MS]
//   node scripts/bench/profile-top.mjs FILE.heapprofile [--top 25]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where a function lives, in a few words: `yaml`, `dist/engine/monitors.js`, `node:internal`... */
export function areaOf(url, functionName) {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const dist = /\/(dist\/.*)$/.exec(url);
  if (dist) return dist[1];
  if (url.startsWith('node:')) return 'node:internal';
  return url.replace(/^file:\/\//, '');
}

function frameKey(cf) {
  const path = cf.url.replace(/^file:\/\//, '');
  const file = path.includes('/node_modules/')
    ? path.replace(/^.*\/node_modules\//, '')
    : path.replace(/^.*\/dist\//, 'dist/');
  const name = cf.functionName || '(anonymous)';
  return cf.url === '' ? name : `${name} ${file}:${cf.lineNumber + 1}`;
}

/** Self and total time per function, and self time per area, from a .cpuprofile. */
export function summariseCpu(profile, { top = 25 } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const total = new Map();
  const areas = new Map();
  let all = 0;
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  // timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i]);
    all += us;
    add(self, frameKey(node.callFrame), us);
    add(areas, areaOf(node.callFrame.url, node.callFrame.functionName), us);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const key = frameKey(byId.get(id).callFrame);
      if (!seen.has(key)) add(total, key, us);
      seen.add(key);
    }
  }
  const idle = self.get('(idle)') ?? 0;
  const busy = all - idle;
  const pct = (us) => Math.round((us / busy) * 1000) / 10;
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    wallMs: Math.round(all / 1000),
    busyMs: Math.round(busy / 1000),
    functions: sorted(self)
      .filter(([k]) => k !== '(idle)')
      .slice(0, top)
      .map(([k, us]) => ({
        fn: k,
        selfMs: Math.round(us / 1000),
        selfPct: pct(us),
        totalPct: pct(total.get(k) ?? 0),
      })),
    areas: sorted(areas)
      .filter(([k]) => k !== '(idle)')
      .slice(0, top)
      .map(([k, us]) => ({ area: k, selfMs: Math.round(us / 1000), selfPct: pct(us) })),
  };
}

/**
 * The event loop's long tasks, as seen in a .cpuprofile: stretches of consecutive non-idle samples
 * (a task, or tasks run back to back: either way a timer due meanwhile waits for the stretch to
 * end). Returns how many stretches last at least `minMs`, their durations, and the functions on
 * the stack (total time) across those stretches: what holds the loop when a deadline is late.
 */
export function longTasks(profile, { minMs = 5, top = 20 } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stretches = [];
  let current = null;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i]);
    if (node.callFrame.functionName === '(idle)') {
      if (current) stretches.push(current);
      current = null;
      continue;
    }
    current ??= { us: 0, samples: [] };
    current.us += us;
    current.samples.push([node.id, us]);
  }
  if (current) stretches.push(current);
  const long = stretches.filter((s) => s.us >= minMs * 1000);
  const total = new Map();
  let longUs = 0;
  for (const s of long) {
    longUs += s.us;
    for (const [id, us] of s.samples) {
      const seen = new Set();
      for (let at = id; at !== undefined; at = parent.get(at)) {
        const key = frameKey(byId.get(at).callFrame);
        if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + us);
        seen.add(key);
      }
    }
  }
  const ms = long.map((s) => s.us / 1000).sort((a, b) => a - b);
  return {
    minMs,
    stretches: stretches.length,
    long: long.length,
    longMs: ms.map((x) => Math.round(x * 10) / 10).slice(-10),
    longTotalMs: Math.round(longUs / 1000),
    functions: [...total]
      .filter(([k]) => !k.startsWith('(root)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, pct: Math.round((us / longUs) * 1000) / 10 })),
  };
}

export function printLongTasks(l, title = 'long tasks') {
  console.log(
    `\n${title}: ${l.long} of ${l.stretches} busy stretches >= ${l.minMs} ms (${l.longTotalMs} ms in all); longest: ${l.longMs.join(', ')}`,
  );
  console.log('  % of that time on the stack:');
  for (const f of l.functions) console.log(`  ${f.pct.toFixed(1).padStart(5)}  ${f.fn}`);
}

/** Sampled bytes allocated per function (self), from a .heapprofile. */
export function summariseHeap(profile, { top = 25 } = {}) {
  const self = new Map();
  const areas = new Map();
  let all = 0;
  const walk = (node) => {
    const size = node.selfSize;
    all += size;
    const key = frameKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + size);
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + size);
    for (const c of node.children) walk(c);
  };
  walk(profile.head);
  const pct = (b) => Math.round((b / all) * 1000) / 10;
  const mib = (b) => Math.round((b / 2 ** 20) * 10) / 10;
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMiB: mib(all),
    functions: sorted(self).map(([fn, b]) => ({ fn, MiB: mib(b), pct: pct(b) })),
    areas: sorted(areas).map(([area, b]) => ({ area, MiB: mib(b), pct: pct(b) })),
  };
}

export function printCpu(s, title = 'CPU profile') {
  console.log(`\n${title}: ${s.busyMs} ms on CPU of ${s.wallMs} ms profiled`);
  console.log('  self%  total%  self ms  function');
  for (const f of s.functions) {
    const cells = [
      f.selfPct.toFixed(1).padStart(5),
      f.totalPct.toFixed(1).padStart(6),
      String(f.selfMs).padStart(7),
    ];
    console.log(`  ${cells.join('  ')}  ${f.fn}`);
  }
  console.log('  self% by area:');
  for (const a of s.areas.slice(0, 12))
    console.log(`  ${a.selfPct.toFixed(1).padStart(5)}  ${a.area}`);
}

export function printHeap(s, title = 'allocations (sampled)') {
  console.log(`\n${title}: ${s.totalMiB} MiB sampled`);
  for (const f of s.functions)
    console.log(`  ${f.pct.toFixed(1).padStart(5)}%  ${String(f.MiB).padStart(7)} MiB  ${f.fn}`);
  console.log('  by area:');
  for (const a of s.areas.slice(0, 12))
    console.log(`  ${a.pct.toFixed(1).padStart(5)}%  ${a.area}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error(
      'usage: node scripts/bench/profile-top.mjs FILE.cpuprofile|FILE.heapprofile [--top N]',
    );
    process.exit(2);
  }
  const i = process.argv.indexOf('--top');
  const top = i === -1 ? 25 : Number(process.argv[i + 1]);
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const j = process.argv.indexOf('--long-tasks');
  if (profile.head) printHeap(summariseHeap(profile, { top }), file);
  else if (j !== -1)
    printLongTasks(longTasks(profile, { minMs: Number(process.argv[j + 1]), top }), file);
  else printCpu(summariseCpu(profile, { top }), file);
}
