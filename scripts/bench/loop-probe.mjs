// Loaded into the daemon under test with `node --import` by scripts/bench/reload-block.mjs: it
// measures how long the daemon's event loop is blocked. A timer ticks every 2 ms and keeps the
// longest gap between two ticks; perf_hooks' monitorEventLoopDelay keeps its own histogram. On
// SIGUSR2 it prints both as one JSON line on stderr and starts over. Not a benchmark itself.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const TICK_MS = 2;
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
let last = performance.now();
let longestGapMs = 0;
setInterval(() => {
  const now = performance.now();
  longestGapMs = Math.max(longestGapMs, now - last);
  last = now;
}, TICK_MS).unref();

process.on('SIGUSR2', () => {
  const probe = {
    longestGapMs: Math.round(longestGapMs * 10) / 10,
    delayMaxMs: Math.round(histogram.max / 1e5) / 10,
    delayP99Ms: Math.round(histogram.percentile(99) / 1e5) / 10,
  };
  process.stderr.write(`${JSON.stringify({ probe })}\n`);
  histogram.reset();
  longestGapMs = 0;
  last = performance.now();
});
