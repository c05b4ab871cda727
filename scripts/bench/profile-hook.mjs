// Preloaded into the daemon by the benchmarks (`node --import scripts/bench/profile-hook.mjs
// dist/main.js serve ...`) to profile a chosen window, e.g. only the time under load: the first
// SIGUSR2 starts V8's CPU profiler and its sampling heap profiler (counting objects that were
// collected too, so it shows where allocations go, not only what stays alive), the second stops
// both and writes cpu-N.cpuprofile and alloc-N.heapprofile to $OVERDUE_BENCH_PROFILE_DIR, N
// counting windows from 1; and so on.
// Summarise them with: node scripts/bench/profile-top.mjs DIR/cpu-1.cpuprofile
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.OVERDUE_BENCH_PROFILE_DIR;
if (!dir) throw new Error('profile-hook: set OVERDUE_BENCH_PROFILE_DIR');

const session = new Session();
session.connect();
let running = false;
let windows = 0;

// Calls on an in-process session complete synchronously; this turns their callback into a value.
function post(method, params = {}) {
  let out;
  session.post(method, params, (error, result) => {
    if (error) throw error;
    out = result;
  });
  return out;
}

process.on('SIGUSR2', () => {
  if (!running) {
    post('Profiler.enable');
    post('Profiler.setSamplingInterval', { interval: 200 });
    post('HeapProfiler.enable');
    post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    post('Profiler.start');
    running = true;
    process.stderr.write('profile-hook: started\n');
    return;
  }
  const cpu = post('Profiler.stop').profile;
  const heap = post('HeapProfiler.stopSampling').profile;
  windows++;
  writeFileSync(join(dir, `cpu-${windows}.cpuprofile`), JSON.stringify(cpu));
  writeFileSync(join(dir, `alloc-${windows}.heapprofile`), JSON.stringify(heap));
  running = false;
  process.stderr.write(`profile-hook: written ${windows}\n`);
});
