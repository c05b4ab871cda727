// The lateness baseline scripts/bench/lateness.mjs spawns: a bare Node process that waits for the
// same deadlines as the daemon and measures how late it wakes for each, so the daemon's figures
// can be read against what the machine itself gives. Reads one JSON line on stdin: an array of
// deadlines (epoch ms). Modes (argv[2]):
//   heap     (default) one timer for the earliest pending deadline, never armed more than 1 s
//            ahead, the clock re-read on every wake: the daemon's design without its work (the set
//            of deadlines is fixed, so a sorted array stands in for the heap)
//   timeout  one setTimeout per deadline
// When every deadline has fired, prints one JSON line: { lateness: [...] } in the order of the
// input, in ms; null for a deadline that had already passed when it arrived.
const MODE = process.argv[2] ?? 'heap';
const MAX_WAIT_MS = 1_000;
const now = () => performance.timeOrigin + performance.now();

async function readLine() {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return JSON.parse(text);
}

function finish(lateness) {
  const rounded = lateness.map((x) => (x === null ? null : Math.round(x * 1000) / 1000));
  // Exit only once the line is written: a large write to a pipe completes asynchronously.
  process.stdout.write(JSON.stringify({ mode: MODE, lateness: rounded }) + '\n', () =>
    process.exit(0),
  );
}

async function main() {
  const deadlines = await readLine();
  const t = now();
  const lateness = deadlines.map(() => null);
  const order = deadlines.map((_, i) => i).filter((i) => deadlines[i] > t);
  order.sort((a, b) => deadlines[a] - deadlines[b]);
  if (order.length === 0) return finish(lateness);
  let left = order.length;
  if (MODE === 'timeout') {
    for (const i of order) {
      setTimeout(() => {
        lateness[i] = now() - deadlines[i];
        if (--left === 0) finish(lateness);
      }, deadlines[i] - now());
    }
    return;
  }
  let next = 0;
  const arm = () => {
    const wait = Math.min(Math.max(deadlines[order[next]] - now(), 0), MAX_WAIT_MS);
    setTimeout(fire, wait);
  };
  const fire = () => {
    const at = now();
    for (; next < order.length && deadlines[order[next]] <= at; next++) {
      lateness[order[next]] = at - deadlines[order[next]];
    }
    if (next === order.length) return finish(lateness);
    arm();
  };
  arm();
}

main().catch((error) => {
  console.error(`timer-baseline failed: ${error?.stack ?? error}`);
  process.exit(1);
});
