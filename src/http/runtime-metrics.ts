// The process and Node.js runtime families of /metrics, under the names every Prometheus client
// library uses (process_*, nodejs_*), so standard dashboards and rules such as
// `changes(process_start_time_seconds[1h])` work unchanged. Event-loop lag and garbage collection
// matter here: every deadline is a timer on the one event loop, and a long GC pause delays it.
import { readFileSync, readdirSync } from 'node:fs';
import {
  constants,
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
  type IntervalHistogram,
  type PerformanceEntry,
} from 'node:perf_hooks';
import { sampleLine, single } from './exposition.js';

// Sampled every 20 ms, as client libraries do: fine enough to see a stall, cheap on the loop.
const LAG_RESOLUTION_MS = 20;
// prom-client's buckets for GC pauses, in seconds.
const GC_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];
const GC_KINDS = new Map<number, string>([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

interface GcHistogram {
  readonly buckets: number[];
  count: number;
  sum: number;
}

/** Watches the event loop and the collector from construction until close(). */
export class RuntimeMetrics {
  readonly #lag: IntervalHistogram = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  readonly #gc = new Map<string, GcHistogram>();
  readonly #observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.#noteGc(entry);
  });

  constructor() {
    for (const kind of GC_KINDS.values())
      this.#gc.set(kind, { buckets: GC_BUCKETS.map(() => 0), count: 0, sum: 0 });
    this.#lag.enable();
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  close(): void {
    this.#lag.disable();
    this.#observer.disconnect();
  }

  /** The families, in the exposition format. The lag figures cover the time since the last call. */
  render(): string[] {
    const families = [...processFamilies(), ...heapFamilies(), ...this.#lagFamilies()];
    families.push(this.#gcFamily());
    return families;
  }

  #noteGc(entry: PerformanceEntry): void {
    const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
    const kind = GC_KINDS.get(detail?.kind ?? -1);
    const h = kind === undefined ? undefined : this.#gc.get(kind);
    if (h === undefined) return;
    const seconds = entry.duration / 1000;
    h.count++;
    h.sum += seconds;
    GC_BUCKETS.forEach((le, i) => {
      if (seconds <= le) h.buckets[i] = (h.buckets[i] ?? 0) + 1;
    });
  }

  #lagFamilies(): string[] {
    const h = this.#lag;
    const seen = h.count > 0;
    // The histogram holds the time between samples, which includes the resolution itself.
    const s = (ns: number) => (seen ? Math.max(0, ns / 1e9 - LAG_RESOLUTION_MS / 1000) : 0);
    const lag = (suffix: string, help: string, ns: number) =>
      single(`nodejs_eventloop_lag${suffix}_seconds`, help, s(ns));
    const families = [
      lag('', 'Mean event-loop lag since the last scrape, in seconds.', h.mean),
      lag('_min', 'Shortest event-loop lag since the last scrape, in seconds.', h.min),
      lag('_max', 'Longest event-loop lag since the last scrape, in seconds.', h.max),
      lag('_mean', 'Mean event-loop lag since the last scrape, in seconds.', h.mean),
      single(
        'nodejs_eventloop_lag_stddev_seconds',
        'Standard deviation of the event-loop lag, in seconds.',
        seen ? h.stddev / 1e9 : 0,
      ),
      lag('_p50', 'Median event-loop lag since the last scrape, in seconds.', h.percentile(50)),
      lag('_p90', '90th percentile of the event-loop lag, in seconds.', h.percentile(90)),
      lag('_p99', '99th percentile of the event-loop lag, in seconds.', h.percentile(99)),
    ];
    h.reset();
    return families;
  }

  #gcFamily(): string {
    const name = 'nodejs_gc_duration_seconds';
    const lines = [
      `# HELP ${name} Garbage collection pauses by kind, in seconds.`,
      `# TYPE ${name} histogram`,
    ];
    for (const [kind, h] of this.#gc) {
      GC_BUCKETS.forEach((le, i) =>
        lines.push(sampleLine(`${name}_bucket`, { kind, le: String(le) }, h.buckets[i] ?? 0)),
      );
      lines.push(sampleLine(`${name}_bucket`, { kind, le: '+Inf' }, h.count));
      lines.push(sampleLine(`${name}_sum`, { kind }, h.sum));
      lines.push(sampleLine(`${name}_count`, { kind }, h.count));
    }
    return lines.join('\n');
  }
}

function processFamilies(): string[] {
  const cpu = process.cpuUsage();
  const status = procStatus();
  const counter = (name: string, help: string, value: number) =>
    single(name, help, value, 'counter');
  const families = [
    counter('process_cpu_user_seconds_total', 'User CPU time spent, in seconds.', cpu.user / 1e6),
    counter('process_cpu_system_seconds_total', 'System CPU time, in seconds.', cpu.system / 1e6),
    counter(
      'process_cpu_seconds_total',
      'User and system CPU time spent, in seconds.',
      (cpu.user + cpu.system) / 1e6,
    ),
    single(
      'process_start_time_seconds',
      'When the process started, in seconds since the epoch.',
      Math.round(performance.timeOrigin / 1000),
    ),
    single(
      'process_resident_memory_bytes',
      'Resident memory size in bytes.',
      status.get('VmRSS') ?? process.memoryUsage().rss,
    ),
  ];
  const optional: [string, string, number | null][] = [
    ['process_virtual_memory_bytes', 'Virtual memory size in bytes.', status.get('VmSize') ?? null],
    [
      'process_heap_bytes',
      'Process heap (data segment) size in bytes.',
      status.get('VmData') ?? null,
    ],
    ['process_open_fds', 'Open file descriptors.', openFds()],
    ['process_max_fds', 'The most file descriptors the process may open.', maxFds()],
  ];
  for (const [name, help, value] of optional)
    if (value !== null) families.push(single(name, help, value));
  return families;
}

function heapFamilies(): string[] {
  const memory = process.memoryUsage();
  return [
    single('nodejs_heap_size_total_bytes', 'V8 heap allocated, in bytes.', memory.heapTotal),
    single('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', memory.heapUsed),
    single(
      'nodejs_external_memory_bytes',
      'Memory of C++ objects bound to JS, in bytes.',
      memory.external,
    ),
  ];
}

/** The kB sizes of /proc/self/status (Linux), in bytes; empty elsewhere. */
function procStatus(): Map<string, number> {
  const sizes = new Map<string, number>();
  try {
    for (const m of readFileSync('/proc/self/status', 'utf8').matchAll(/^(Vm\w+):\s+(\d+) kB$/gm))
      if (m[1] !== undefined) sizes.set(m[1], Number(m[2]) * 1024);
  } catch {
    // Not Linux: only what Node itself tells.
  }
  return sizes;
}

/** Open file descriptors, where /proc tells (Linux); null elsewhere. */
function openFds(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

/** The soft limit on open files, where /proc tells (Linux); null elsewhere or when unlimited. */
function maxFds(): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m?.[1] === undefined ? null : Number(m[1]);
  } catch {
    return null;
  }
}
